"""Who reads the browsing pages and exports: the 查看者 role (or a role that includes it,
录入员 and 系统管理员) with a 数据范围, and superusers. A staff user with no role, an 导入员, or
a reader without a scope is refused with a Chinese 403 page on every page and export."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pytest_django.asserts import assertContains

from counties.models import Scope
from documents.models import Document
from institutions.models import Institution
from projects.models import Fund, IndustrialPark, Programme, Project
from tests.cast import make_cadre

NO_ROLE = "您的账号没有浏览数据的权限（需要“查看者”角色），请联系系统管理员。"
NO_SCOPE = "您的账号还没有设置数据范围，看不到任何记录，请联系系统管理员。"


@pytest.fixture
def records(county):
    project = Project.objects.create(
        code="530828202300100001",
        name="茶叶初制所",
        county=county,
        year=2023,
        category="industry",
        status="building",
        shanghai_funds=Decimal("10"),
    )
    cadre = make_cadre(name="示例干部01", county=county)
    park = IndustrialPark.objects.create(name="澜沧沪滇产业园", county=county, year_founded=2019)
    programme = Programme.objects.create(county=county, name="核桃产业链")
    Fund.objects.create(source="city", year=2023, county=county, amount=Decimal("100"))
    hospital = Institution.objects.create(
        name="澜沧县第一人民医院", kind="hospital", side="yunnan", county=county
    )
    document = Document.objects.create(
        record=project,
        file=ContentFile(b"%PDF-1.4\n%%EOF", name="a.pdf"),
        original_name="a.pdf",
        size=14,
        media_type="application/pdf",
        sha256="0" * 64,
    )
    return {
        "project": project,
        "document": document,
        "cadre": cadre,
        "park": park,
        "programme": programme,
        "county": county,
        "institution": hospital,
    }


def pages(records):
    """Every page and export outside the admin and the login pages, by URL name."""
    return {
        "home": reverse("home"),
        "projects:list": reverse("projects:list"),
        "projects:detail": records["project"].get_absolute_url(),
        "projects:export": reverse("projects:export", kwargs={"fmt": "csv"}),
        "projects:export.xlsx": reverse("projects:export", kwargs={"fmt": "xlsx"}),
        "counties:list": reverse("counties:list"),
        "counties:detail": records["county"].get_absolute_url(),
        "personnel:list": reverse("personnel:list"),
        "personnel:detail": reverse("personnel:detail", args=[records["cadre"].pk]),
        "personnel:export": reverse("personnel:export"),
        "parks:list": reverse("parks:list"),
        "parks:detail": reverse("parks:detail", args=[records["park"].pk]),
        "documents:file": reverse("documents:file", args=[records["document"].pk]),
        "parks:export": reverse("parks:export"),
        "programmes:list": reverse("programmes:list"),
        "programmes:detail": records["programme"].get_absolute_url(),
        "funds:list": reverse("funds:list"),
        "funds:export": reverse("funds:export"),
        "dashboard:detail": reverse("dashboard:detail"),
        "dashboard:export": reverse("dashboard:export"),
        "institutions:list": reverse("institutions:list"),
        "institutions:detail": reverse("institutions:detail", args=[records["institution"].pk]),
        "institutions:pairing_list": reverse("institutions:pairing_list"),
        "institutions:summary": reverse("institutions:summary"),
        "institutions:coverage": reverse("institutions:coverage"),
    }


def user_with(django_user_model, name, role=None, *, staff=True, scope=True, county=None):
    user = django_user_model.objects.create_user(name, password="x", is_staff=staff)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if scope:
        Scope.objects.create(user=user).counties.add(county)
    return user


def named_urls(resolver=None, namespace=""):
    """The names of every URL pattern outside the admin and accounts, with their namespace."""
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or str(pattern.pattern) == "accounts/":
                continue
            inner = pattern.namespace or ""
            names |= named_urls(pattern, "%s:" % inner if inner else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_browsing_page_is_checked_here(records):
    checked = {name.split(".")[0] for name in pages(records)}

    # The health check is no browsing page: it needs no login (tests/test_deploy.py). A user's
    # own background work needs a login only: an 导入员 follows their import there
    # (tests/projects/test_import_jobs.py).
    own_work = {"jobs:list", "jobs:detail", "jobs:file"}
    assert named_urls() - {"healthz"} - own_work == checked


@pytest.mark.parametrize("role", [None, "导入员"])
def test_a_user_without_the_reader_role_is_refused_every_page_and_export(
    client, django_user_model, records, role
):
    client.force_login(user_with(django_user_model, "clerk", role, county=records["county"]))

    for name, url in pages(records).items():
        response = client.get(url)
        assert response.status_code == 403, name
        assertContains(response, NO_ROLE, status_code=403)


@pytest.mark.parametrize("role", ["查看者", "录入员", "系统管理员"])
def test_a_reader_role_reads_every_page_and_export_of_its_scope(
    client, django_user_model, records, role
):
    client.force_login(user_with(django_user_model, "reader", role, county=records["county"]))

    for name, url in pages(records).items():
        response = client.get(url)
        assert response.status_code == 200, name


def test_a_reader_without_a_scope_is_refused_rather_than_shown_an_empty_province(
    client, django_user_model, records
):
    client.force_login(user_with(django_user_model, "nobody", "查看者", scope=False))

    for name, url in pages(records).items():
        response = client.get(url)
        assert response.status_code == 403, name
        assertContains(response, NO_SCOPE, status_code=403)


def test_a_superuser_reads_without_a_role_or_scope(admin_client, records):
    for name, url in pages(records).items():
        response = admin_client.get(url)
        assert response.status_code == 200, name


def test_the_refusal_points_staff_to_the_admin(client, django_user_model, records):
    client.force_login(user_with(django_user_model, "importer", "导入员", county=records["county"]))

    response = client.get(reverse("home"))

    assertContains(response, '<a href="/admin/">进入数据录入（管理后台）</a>', status_code=403)


def test_year_pickers_list_only_the_years_of_the_scope(
    client, django_user_model, records, prefecture
):
    from counties.models import County

    other = County.objects.create(
        code="530827",
        name="孟连傣族拉祜族佤族自治县",
        prefecture=prefecture,
        division_type="自治县",
    )
    Project.objects.create(
        code="530827201900100001",
        name="他县项目",
        county=other,
        year=2019,
        category="industry",
        status="building",
        shanghai_funds=Decimal("1"),
    )
    client.force_login(user_with(django_user_model, "reader", "查看者", county=records["county"]))

    home = client.get(reverse("home")).content.decode()
    dashboard = client.get(reverse("dashboard:detail")).content.decode()

    assert '<option value="2023"' in home
    assert '<option value="2019"' not in home
    assert '<option value="2023"' in dashboard
    assert '<option value="2019"' not in dashboard
