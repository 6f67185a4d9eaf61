"""The reference fixture (Yunnan, Shanghai and their pairings) and the demo on top of it."""

import importlib.util
import json
from collections import defaultdict

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils.html import escape

from counties.models import County, FormerDivision, Pairing, Prefecture, ShanghaiDistrict
from personnel.models import Cadre
from projects.models import Fund, FundAllocation, Project

FIXTURES = settings.BASE_DIR / "fixtures"
SHARED_DATA = settings.BASE_DIR.parent / "shared" / "data"


def counts():
    return {
        "prefectures": Prefecture.objects.count(),
        "counties": County.objects.count(),
        "former poverty counties": County.objects.former_poverty().count(),
        "Shanghai districts": ShanghaiDistrict.objects.count(),
        "pairings": Pairing.objects.count(),
        "former divisions": FormerDivision.objects.count(),
    }


REFERENCE_COUNTS = {
    "prefectures": 16,
    "counties": 129,
    "former poverty counties": 88,
    "Shanghai districts": 16,
    "pairings": 87,
    "former divisions": 87,
}


@pytest.mark.usefixtures("reference")
def test_reference_holds_yunnan_shanghai_and_their_pairings():
    assert counts() == REFERENCE_COUNTS


@pytest.mark.usefixtures("reference")
def test_loading_reference_again_changes_no_counts():
    call_command("loaddata", "reference", verbosity=0)

    assert counts() == REFERENCE_COUNTS


@pytest.mark.usefixtures("reference")
def test_lancang_is_a_former_poverty_border_county_of_puer():
    lancang = County.objects.select_related("prefecture").get(code="530828")

    assert lancang.name == "澜沧拉祜族自治县"
    assert lancang.prefecture.name == "普洱市"
    assert lancang.is_border is True
    assert lancang.is_former_poverty is True


@pytest.mark.usefixtures("reference")
def test_ludian_has_its_poverty_exit_year():
    ludian = County.objects.get(code="530621")

    assert ludian.name == "鲁甸县"
    assert ludian.poverty_exit_year == 2019


@pytest.mark.usefixtures("reference")
def test_former_divisions_name_their_current_divisions():
    zhongdian = FormerDivision.objects.get_by_natural_key("533421", "中甸县")
    lijiang = FormerDivision.objects.get(name="丽江纳西族自治县")

    years = (zhongdian.in_use_from, zhongdian.in_use_until)
    assert (zhongdian.level, years) == (FormerDivision.Level.COUNTY, (1981, 2001))
    assert zhongdian.current_code_list() == ["533401"]
    assert FormerDivision.objects.filter(code="533421").count() == 2  # 中甸县, then 香格里拉县
    assert lijiang.current_code_list() == ["530702", "530721"]
    current = set(County.objects.values_list("code", flat=True))
    current |= set(Prefecture.objects.values_list("code", flat=True))
    for former in FormerDivision.objects.all():
        assert set(former.current_code_list()) <= current, former


def test_former_divisions_are_read_only_in_the_admin_but_for_superusers(
    client, admin_client, django_user_model, reference
):
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__endswith="_formerdivision"))
    client.force_login(staff)
    former = FormerDivision.objects.get_by_natural_key("532729", "澜沧拉祜族自治县")
    change = reverse("admin:counties_formerdivision_change", args=[former.pk])
    data = {
        "code": "532729",
        "name": "澜沧县",
        "level": "county",
        "in_use_from": "1981",
        "in_use_until": "2003",
        "current_codes": "530828",
    }

    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:counties_formerdivision_add")).status_code == 403
    assert client.post(change, data).status_code == 403
    assert client.post(reverse("admin:counties_formerdivision_delete", args=[former.pk]),
                       {"post": "yes"}).status_code == 403  # fmt: skip
    former.refresh_from_db()
    assert former.name == "澜沧拉祜族自治县"
    assert admin_client.post(change, data).status_code == 302
    former.refresh_from_db()
    assert former.name == "澜沧县"


def build_reference_module():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is not here; the reference CSVs live beside the checkout")
    spec = importlib.util.spec_from_file_location(
        "build_reference", FIXTURES / "build_reference.py"
    )
    build_reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_reference)
    return build_reference


def test_building_reference_refuses_a_former_division_with_an_unknown_current_code(tmp_path):
    build_reference = build_reference_module()
    for source in SHARED_DATA.glob("*.csv"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    history = tmp_path / "yunnan_division_history.csv"
    text = history.read_text(encoding="utf-8")
    assert "533421,中甸县,county,1981,2001,533401,香格里拉市" in text
    history.write_text(
        text.replace(",1981,2001,533401,香格里拉市", ",1981,2001,533499,香格里拉市"),
        encoding="utf-8",
    )

    with pytest.raises(SystemExit, match="533421 中甸县"):
        build_reference.build(tmp_path)


def test_rebuilding_reference_from_shared_data_gives_the_committed_fixture():
    build_reference = build_reference_module()

    with open(FIXTURES / "reference.json", encoding="utf-8") as f:
        committed = json.load(f)

    assert build_reference.build(SHARED_DATA) == committed


def test_demo_projects_are_linked_from_their_county_pages(db, user_client):
    call_command("loaddata", "reference", "demo", verbosity=0)

    projects = Project.objects.select_related("county")
    assert projects.count() >= 10
    by_county = defaultdict(list)
    for project in projects:
        by_county[project.county].append(project)
    for county, its_projects in by_county.items():
        response = user_client.get(reverse("counties:detail", args=[county.code]))
        assert response.status_code == 200
        html = response.content.decode()
        for project in its_projects:
            link = f'<a href="{project.get_absolute_url()}">{escape(project.code)}</a>'
            assert link in html, f"{project.code} is not linked on {county.name}'s page"


def test_loading_reference_and_demo_again_changes_no_counts(db):
    """`make run` loads both fixtures on every start."""
    call_command("loaddata", "reference", "demo", verbosity=0)
    before = demo_counts()

    call_command("loaddata", "reference", "demo", verbosity=0)

    assert demo_counts() == before


def demo_counts():
    return counts() | {
        "projects": Project.objects.count(),
        "funds": Fund.objects.count(),
        "allocations": FundAllocation.objects.count(),
        "allocated": FundAllocation.objects.aggregate(total=Sum("amount"))["total"],
        "cadres": Cadre.objects.count(),
    }


@pytest.mark.parametrize("role", ["录入员", "导入员", "查看者"])
def test_every_role_may_look_up_the_former_names_but_not_change_them(
    client, django_user_model, reference, role
):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("staff-" + role, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)

    listed = client.get(reverse("admin:counties_formerdivision_changelist"), {"q": "香格里拉县"})

    assert listed.status_code == 200
    assert "533421" in listed.content.decode()
    assert client.get(reverse("admin:counties_formerdivision_add")).status_code == 403
