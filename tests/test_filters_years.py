"""Years on the browsing pages: where the home page, the dashboard and the county list open
(the latest year with data in the user's scope), and the year filters of the lists as people
type them (2022年, full-width digits, several years, a range)."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import Scope
from counties.years import latest_year
from indicators.models import IndicatorFigure
from projects.models import Project
from projects.views import EMPTY_HINT
from tests.filter_cast import (  # noqa: F401
    paired_funds_fixture,
    paired_projects_fixture,
    places_fixture,
)
from tests.pages import html, project_codes

HOME = reverse("home")
PROJECTS = reverse("projects:list")
FUNDS = reverse("funds:list")
DASHBOARD = reverse("dashboard:detail")
YEARS_RULE = "年度须为1996至2100之间的整数，如2022或2022年，多个年度用逗号或顿号隔开；"
FUND_ROW = re.compile(r"<tr>\s*<td>(\d{4})</td>\s*<td><a[^>]*>([^<]+)</a>")
EVERY_PROJECT = ["LC-2022", "MH-2022", "SM-2022", "LC-2020", "MH-2019", "SM-2019"]


@pytest.fixture
def lancang_client(client, django_user_model, county):
    """A 查看者 whose scope is 澜沧 alone."""
    user = django_user_model.objects.create_user("lancang", password="not-used")
    user.groups.add(Group.objects.get(name="查看者"))
    Scope.objects.create(user=user).counties.add(county)
    client.force_login(user)
    return client


# Where the pages open


def test_latest_year_is_one_query_over_several_querysets(places, paired_projects, indicators):
    IndicatorFigure.objects.create(
        indicator=indicators["labour_jobs"], year=2024, level="province", result=Decimal("1")
    )
    projects, figures = Project.objects.all(), IndicatorFigure.objects.all()

    with CaptureQueriesContext(connection) as queries:
        years = [
            latest_year(projects),
            latest_year(figures, projects),
            latest_year(figures, projects, until=2023),
            latest_year(projects.filter(county=places["menghai"]), until=2020),
            latest_year(projects.none()),
        ]

    assert years == [2022, 2024, 2022, 2019, None]
    assert len(queries) == 4  # an empty queryset costs none


@pytest.mark.usefixtures("paired_projects")
def test_home_page_opens_on_the_latest_year_with_projects(user_client):
    response = user_client.get(HOME)

    assert response.context["year"] == 2022
    assert response.context["form"]["year"].value() == 2022  # the picker shows it chosen
    assert response.context["empty_hint"] == ""
    assertContains(response, "<h1>2022年沪滇协作概况</h1>")
    assertContains(response, '<a href="/projects/?year=2022"><strong>3</strong> 个项目</a>')
    assertContains(response, "<strong>30.00</strong> 万元")


@pytest.mark.usefixtures("paired_projects")
def test_home_page_links_the_lists_for_the_latest_year(user_client):
    response = user_client.get(HOME)

    assertContains(response, 'href="/funds/?year=2022"')
    assert project_codes(user_client.get(PROJECTS, {"year": "2022"})) == EVERY_PROJECT[:3]


def test_a_county_reader_opens_on_the_latest_year_of_the_county(lancang_client, places):
    Project.objects.create(code="LC-2021", name="茶厂", county=places["lancang"], year=2021)
    Project.objects.create(code="MH-2024", name="茶厂", county=places["menghai"], year=2024)

    response = lancang_client.get(HOME)

    assert response.context["year"] == 2021
    assertContains(response, '<a href="/projects/?year=2021"><strong>1</strong> 个项目</a>')


def test_a_scope_without_projects_says_how_to_start(lancang_client, places):
    Project.objects.create(code="MH-2024", name="茶厂", county=places["menghai"], year=2024)

    response = lancang_client.get(HOME)

    assert response.context["empty_hint"] == EMPTY_HINT
    assert response.context["year"] == timezone.localdate().year


def test_an_empty_registry_says_how_to_start(user_client):
    page = user_client.get(HOME)

    assertContains(
        page,
        "还没有项目数据：项目由录入员在管理后台逐条录入，或由导入员导入县里报送的年度报表。",
    )


@pytest.mark.usefixtures("paired_projects")
def test_a_year_asked_for_wins_over_the_latest(user_client):
    response = user_client.get(HOME, {"year": 2019})

    assert response.context["year"] == 2019
    assertContains(response, "<strong>2</strong> 个项目")


@pytest.mark.usefixtures("paired_projects")
def test_a_wrong_year_on_the_home_page_falls_back_to_the_latest(user_client):
    response = user_client.get(HOME, {"year": "abc"})

    assertContains(response, "下面显示的是2022年。")


def test_the_dashboard_opens_on_the_latest_year_of_figures_or_projects(
    user_client, places, indicators
):
    IndicatorFigure.objects.create(
        indicator=indicators["labour_jobs"], year=2021, level="province", result=Decimal("1")
    )
    Project.objects.create(code="LC-2023", name="茶厂", county=places["lancang"], year=2023)
    # A year still to come is not where the dashboard opens.
    later = timezone.localdate().year + 1
    Project.objects.create(code="LC-NEXT", name="茶厂", county=places["lancang"], year=later)

    assertContains(user_client.get(DASHBOARD), "2023年沪滇协作指标看板")


def test_a_county_readers_dashboard_opens_on_the_countys_latest_year(lancang_client, places):
    Project.objects.create(code="LC-2021", name="茶厂", county=places["lancang"], year=2021)
    Project.objects.create(code="MH-2024", name="茶厂", county=places["menghai"], year=2024)

    assertContains(lancang_client.get(DASHBOARD), "2021年沪滇协作指标看板")


# The year filters of the lists


@pytest.mark.usefixtures("paired_projects")
@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"year": "2022"}, EVERY_PROJECT[:3]),
        ({"year": "2022年"}, EVERY_PROJECT[:3]),
        ({"year": "２０２２"}, EVERY_PROJECT[:3]),
        ({"year": "２０２２年"}, EVERY_PROJECT[:3]),
        ({"year": " 2022年度 "}, EVERY_PROJECT[:3]),
        ({"year": ["2019", "2020"]}, ["LC-2020", "MH-2019", "SM-2019"]),
        ({"year": "2019、2020"}, ["LC-2020", "MH-2019", "SM-2019"]),
        ({"year": "2019年，2022年"}, ["LC-2022", "MH-2022", "SM-2022", "MH-2019", "SM-2019"]),
        ({"year": ["2019,2020", "2022"]}, EVERY_PROJECT),
        ({"year_from": "2020"}, EVERY_PROJECT[:4]),
        ({"year_to": "2020"}, EVERY_PROJECT[3:]),
        ({"year_from": "2019", "year_to": "2020"}, EVERY_PROJECT[3:]),
        ({"year_from": "２０２０年", "year_to": "2020年"}, ["LC-2020"]),
        ({"year_from": "2020", "year_to": "2020"}, ["LC-2020"]),
        ({"year_from": "2020", "year_to": ""}, EVERY_PROJECT[:4]),
        ({"year": ["2019", "2022"], "year_from": "2020"}, EVERY_PROJECT[:3]),
    ],
)
def test_project_list_reads_years_as_people_write_them(user_client, params, codes):
    response = user_client.get(PROJECTS, params)

    assertNotContains(response, "筛选条件有误")
    assert project_codes(response) == codes


@pytest.mark.usefixtures("paired_projects")
def test_several_years_are_shown_in_one_box_and_in_words(user_client):
    response = user_client.get(PROJECTS, {"year": ["2020", "2019"]})

    assertContains(response, 'name="year" value="2020、2019"')
    assertContains(response, "年度：2019、2020")


@pytest.mark.usefixtures("paired_projects")
@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"year": "二〇二二"}, "年度：%s“二〇二二”不是。" % YEARS_RULE),
        ({"year": ["2019", "1800", "abc"]}, "年度：%s“1800”、“abc”不是。" % YEARS_RULE),
        ({"year_from": "2022.5"}, "起始年度：年度须为1996至2100之间的整数。"),
        ({"year_to": "明年"}, "截止年度：年度须为1996至2100之间的整数。"),
        (
            {"year_from": "2022", "year_to": "2019"},
            "起始年度：起始年度（2022年）晚于截止年度（2019年），没有记录能同时符合。",
        ),
    ],
)
def test_wrong_years_are_refused_in_words(user_client, params, error):
    response = user_client.get(PROJECTS, params)

    assertContains(response, "筛选条件有误，因此未列出任何记录。")
    assertContains(response, "<li>%s</li>" % error)
    assert project_codes(response) == []


@pytest.mark.usefixtures("paired_funds")
@pytest.mark.parametrize(
    ("params", "years"),
    [
        ({"year": "2022年"}, ["2022", "2022", "2022"]),
        ({"year": ["2019", "2020"]}, ["2020", "2019", "2019"]),
        ({"year_from": "2020", "year_to": "2021"}, ["2020"]),
    ],
)
def test_fund_list_takes_the_same_years(user_client, params, years):
    response = user_client.get(FUNDS, params)

    assert [row[0] for row in fund_rows(response)] == years


@pytest.mark.usefixtures("paired_funds")
def test_fund_list_refuses_a_range_that_runs_backwards(user_client):
    response = user_client.get(FUNDS, {"year_from": "2022", "year_to": "2019"})

    assertContains(response, "起始年度（2022年）晚于截止年度（2019年）")
    assert fund_rows(response) == []


def fund_rows(response):
    """(year, county) of each row of the fund list."""
    return FUND_ROW.findall(html(response))
