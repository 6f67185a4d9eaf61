"""Programmes (项目群): a county's projects of several years under one name; their rules, the
list and page that sum their projects' money, who sees them, and their admin."""

import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from projects.models import Programme, Project
from tests.cast import make_project
from tests.pages import html, project_codes
from tests.related_scope_cast import person

PROGRAMMES = reverse("programmes:list")
PROGRAMME_LINK = re.compile(r'<td><a href="/programmes/\d+/">([^<]+)</a>')


def grant_roles():
    """The roles' permissions on programmes (projects 0020), which a transactional test
    elsewhere may have flushed with the roles (tests/conftest.py restores the roles only)."""
    importlib.import_module("projects.migrations.0020_park_totals_to_years").grant(apps, None)


@pytest.fixture
def walnut(county):
    """澜沧's walnut value chain: two projects in 2022, one in 2023, and a project of 2023
    outside it."""
    programme = Programme.objects.create(
        county=county, name="核桃产业链", kind="value_chain", first_year=2022
    )
    for code, year, shanghai, other in [
        ("2022-LC-001", 2022, "100.5", "20"),
        ("2022-LC-002", 2022, "50", "0"),
        ("2023-LC-001", 2023, "300", "45.25"),
    ]:
        make_project(
            code=code,
            county=county,
            year=year,
            programme=programme,
            shanghai_funds=Decimal(shanghai),
            other_funds=Decimal(other),
        )
    make_project(code="2023-LC-009", county=county, year=2023, shanghai_funds=Decimal("999"))
    return programme


@pytest.fixture
def menghai_village(menghai):
    return Programme.objects.create(county=menghai, name="曼短村示范村建设", kind="village")


def constraint_messages(record):
    with pytest.raises(ValidationError) as refused:
        record.validate_constraints()
    return refused.value.messages


# Rules


def test_a_county_names_each_programme_once(county, menghai):
    Programme.objects.create(county=county, name="核桃产业链")

    assert constraint_messages(Programme(county=county, name="核桃产业链")) == [
        "该县市区已有同名项目群。"
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(county=county, name="核桃产业链")
    # Another county may use the name.
    Programme.objects.create(county=menghai, name="核桃产业链")


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ({"first_year": 1995}, "起始年度须在1996年至2100年之间。"),
        ({"last_year": 2101}, "截止年度须在1996年至2100年之间。"),
        ({"first_year": 2023, "last_year": 2021}, "截止年度不能早于起始年度。"),
    ],
)
def test_a_programme_refuses_years_out_of_range_or_order(county, years, message):
    programme = Programme(county=county, name="示范村", **years)

    assert constraint_messages(programme) == [message]
    with pytest.raises(IntegrityError), transaction.atomic():
        programme.save()


def test_a_programme_may_leave_its_years_open(county):
    Programme(county=county, name="示范村").full_clean()
    Programme(county=county, name="示范村", first_year=2021, last_year=2021).full_clean()


def test_a_project_refuses_a_programme_of_another_county(county, menghai_village):
    project = make_project(county=county)
    project.programme = menghai_village

    with pytest.raises(ValidationError) as refused:
        project.full_clean()

    assert refused.value.message_dict == {
        "programme": [
            "所选项目群不属于该县市区。曼短村示范村建设属于勐海县，项目在澜沧拉祜族自治县。"
        ]
    }


def test_a_programme_with_projects_keeps_its_county(walnut, menghai):
    walnut.county = menghai

    with pytest.raises(ValidationError) as refused:
        walnut.full_clean()

    assert refused.value.message_dict["county"] == [
        "项目群内登记有3个项目（2022-LC-001、2022-LC-002、2023-LC-001），县市区不能改为勐海县："
        "项目须与所属项目群在同一县市区，请先在这些项目中取消所属项目群。"
    ]


def test_a_programme_with_projects_cannot_be_deleted(walnut):
    with pytest.raises(ProtectedError):
        walnut.delete()

    Project.objects.filter(programme=walnut).update(programme=None)
    walnut.delete()


# Pages


def row_of(response, name):
    found = re.search(r"<tr>\s*<td><a [^>]*>%s</a>.*?</tr>" % name, html(response), re.S)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", found.group(), re.S)
    return [re.sub(r"<[^>]+>|\s+", "", cell) for cell in cells][2:]


@pytest.mark.usefixtures("walnut", "menghai_village")
def test_the_list_sums_each_programmes_projects(user_client):
    response = user_client.get(PROGRAMMES)

    assert PROGRAMME_LINK.findall(html(response)) == ["核桃产业链", "曼短村示范村建设"]
    assert row_of(response, "核桃产业链") == ["产业链", "2022–2023", "3", "450.50", "65.25"]
    assert row_of(response, "曼短村示范村建设") == ["示范村建设", "—", "0", "0.00", "0.00"]
    assertContains(
        response,
        "共 <strong>2</strong> 个项目群，含项目 <strong>3</strong> 个，上海援助资金合计 "
        "<strong>450.50</strong> 万元，其他资金合计 <strong>65.25</strong> 万元。",
    )


@pytest.mark.usefixtures("walnut", "menghai_village")
@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"county": "530828"}, ["核桃产业链"]),
        ({"prefecture": "532800"}, ["曼短村示范村建设"]),
        ({"year": "2023"}, ["核桃产业链"]),
        ({"year": "2021"}, []),
        ({"kind": "village"}, ["曼短村示范村建设"]),
        ({"q": "核桃"}, ["核桃产业链"]),
        ({"o": "-shanghai_funds"}, ["核桃产业链", "曼短村示范村建设"]),
    ],
)
def test_the_list_filters_by_county_year_kind_and_name(user_client, params, names):
    assert PROGRAMME_LINK.findall(html(user_client.get(PROGRAMMES, params))) == names


def test_the_page_lists_the_projects_by_year_with_their_sums(user_client, walnut):
    response = user_client.get(walnut.get_absolute_url())

    assertContains(response, "<h1>核桃产业链 <small>产业链</small></h1>", html=True)
    assert project_codes(response) == ["2023-LC-001", "2022-LC-001", "2022-LC-002"]
    table = re.search(r'<table class="list programme-years">.*?</table>', html(response), re.S)
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", table[0])]
    assert cells[4:] == [
        *["2023", "1", "300.00", "45.25"],
        *["2022", "2", "150.50", "20.00"],
        *["合计", "3", "450.50", "65.25"],
    ]
    assertContains(
        response, "2022年 <small>2个项目，上海援助资金150.50万元，其他资金20.00万元</small>"
    )
    assertNotContains(response, "2023-LC-009")


def test_a_programme_without_projects_says_how_to_add_them(user_client, menghai_village):
    assertContains(user_client.get(menghai_village.get_absolute_url()), "暂无登记在该项目群的项目")


def test_the_project_page_links_to_its_programme(user_client, walnut):
    project = Project.objects.get(code="2022-LC-001")

    response = user_client.get(project.get_absolute_url())

    assertContains(
        response,
        '<dt>所属项目群</dt><dd><a href="%s">核桃产业链</a></dd>' % walnut.get_absolute_url(),
        html=True,
    )


def test_the_site_menu_leads_to_the_programmes(user_client):
    response = user_client.get(PROGRAMMES)

    assertContains(response, '<a href="/programmes/" aria-current="page">项目群</a>', html=True)


def test_a_county_reader_sees_only_the_county_programmes(
    client, django_user_model, county, walnut, menghai_village
):
    client.force_login(person(django_user_model, "lancang", counties=[county]))

    assert PROGRAMME_LINK.findall(html(client.get(PROGRAMMES))) == ["核桃产业链"]
    assert client.get(walnut.get_absolute_url()).status_code == 200
    assertContains(client.get(menghai_village.get_absolute_url()), "未找到该页面", status_code=404)


def test_the_list_queries_do_not_grow_with_the_page(user_client, county):
    programmes = Programme.objects.bulk_create(
        Programme(county=county, name="项目群%03d" % n) for n in range(200)
    )
    Project.objects.bulk_create(
        Project(
            code="P-%03d-%d" % (n, year),
            name="项目",
            county=county,
            category="industry",
            year=year,
            programme=programme,
            shanghai_funds=Decimal("10"),
        )
        for n, programme in enumerate(programmes)
        for year in (2022, 2023)
    )

    counted = []
    for size in (10, 200):
        with CaptureQueriesContext(connection) as queries:
            response = user_client.get(PROGRAMMES, {"page_size": size})
        assert len(PROGRAMME_LINK.findall(html(response))) == size
        counted.append(len(queries))

    assert counted[0] == counted[1]


def test_the_page_queries_do_not_grow_with_its_projects(user_client, walnut, county):
    def queries():
        with CaptureQueriesContext(connection) as context:
            user_client.get(walnut.get_absolute_url())
        return len(context)

    few = queries()
    for n in range(30):
        make_project(code="2024-LC-%03d" % n, county=county, year=2024, programme=walnut)

    assert queries() == few


# The admin


@pytest.fixture
def lancang_clerk(client, django_user_model, county):
    """A 录入员 of 澜沧 alone."""
    grant_roles()
    client.force_login(person(django_user_model, "lancang", "录入员", counties=[county]))
    return client


def test_a_county_clerk_sees_only_the_county_programmes_in_the_admin(
    lancang_clerk, walnut, menghai_village
):
    listed = lancang_clerk.get(reverse("admin:projects_programme_changelist"))
    other = lancang_clerk.get(reverse("admin:projects_programme_change", args=[menghai_village.pk]))

    assertContains(listed, "核桃产业链")
    assertNotContains(listed, "曼短村示范村建设")
    assert other.status_code == 403


def test_a_clerk_adds_a_programme(lancang_clerk, county):
    response = lancang_clerk.post(
        reverse("admin:projects_programme_add"),
        {
            "county": str(county.pk),
            "name": "班利村示范村建设",
            "kind": "village",
            "first_year": "2022",
            "last_year": "",
            "description": "",
            "_save": "保存",
        },
    )

    assert response.status_code == 302
    assert Programme.objects.get().name == "班利村示范村建设"


def test_the_project_form_offers_only_the_scopes_programmes(lancang_clerk, walnut, menghai_village):
    response = lancang_clerk.get(
        reverse("admin:autocomplete"),
        {"app_label": "projects", "model_name": "project", "field_name": "programme", "term": ""},
    )

    assert [item["id"] for item in response.json()["results"]] == [str(walnut.pk)]


def test_the_project_admin_refuses_a_programme_of_another_county(
    lancang_clerk, county, walnut, menghai_village
):
    project = Project.objects.get(code="2022-LC-001")
    url = reverse("admin:projects_project_change", args=[project.pk])
    page = lancang_clerk.get(url)
    assertContains(page, "所属项目群")

    data = {
        "code": project.code,
        "name": project.name,
        "category": project.category,
        "year": str(project.year),
        "status": project.status,
        "county": str(county.pk),
        "village": "",
        "park": "",
        "programme": str(menghai_village.pk),
        "start_date": "",
        "end_date": "",
        "shanghai_funds": "100.5",
        "other_funds": "20",
        "beneficiaries": "",
        "description": "",
        "notes": "",
        "allocations-TOTAL_FORMS": "0",
        "allocations-INITIAL_FORMS": "0",
        "_save": "保存",
    }
    response = lancang_clerk.post(url, data)

    assert response.status_code == 200
    project.refresh_from_db()
    assert project.programme == walnut
