"""The reference fixture (Yunnan, Shanghai and their pairings) and the demo on top of it."""

import importlib.util
import json
from collections import defaultdict

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils.html import escape

from counties.models import County, Pairing, Prefecture, ShanghaiDistrict
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
    }


REFERENCE_COUNTS = {
    "prefectures": 16,
    "counties": 129,
    "former poverty counties": 88,
    "Shanghai districts": 16,
    "pairings": 87,
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


def test_rebuilding_reference_from_shared_data_gives_the_committed_fixture():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is not here; the reference CSVs live beside the checkout")
    spec = importlib.util.spec_from_file_location(
        "build_reference", FIXTURES / "build_reference.py"
    )
    build_reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_reference)

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
