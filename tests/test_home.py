"""The landing page, the navigation every page shares, and what all list pages promise."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from counties.models import County
from personnel.models import Batch, Cadre
from projects.models import IndustrialPark, Project
from tests.cast import make_cadre
from tests.pages import select_options

HOME = reverse("home")
LISTS = ["projects:list", "counties:list", "personnel:list", "parks:list", "funds:list"]


@pytest.fixture
def this_year():
    return timezone.localdate().year


@pytest.fixture
def two_years(county, this_year):
    """This year: two projects (10 + 20.5万元), one cadre on post, a new park. Last year: one
    project (5万元), and a second cadre whose term ended on 31 December."""
    last = this_year - 1
    for code, year, amount in [
        ("A-1", this_year, "10"),
        ("A-2", this_year, "20.5"),
        ("B-1", last, "5"),
    ]:
        Project.objects.create(
            code=code,
            name=code,
            county=county,
            year=year,
            category="industry",
            shanghai_funds=Decimal(amount),
        )
    for name, end in [("张伟", None), ("李静", datetime.date(last, 12, 31))]:
        make_cadre(name=name, county=county, term_start=datetime.date(last, 1, 1), term_end=end)
    IndustrialPark.objects.create(name="老园区", county=county, year_founded=2019)
    IndustrialPark.objects.create(name="新园区", county=county, year_founded=this_year)


@pytest.mark.usefixtures("two_years")
def test_home_page_shows_this_years_totals_by_default(user_client, this_year):
    response = user_client.get(HOME)

    assertContains(response, f"<h1>{this_year}年沪滇协作概况</h1>")
    assertContains(response, f'<a href="/projects/?year={this_year}"><strong>2</strong> 个项目</a>')
    assertContains(response, "<strong>30.50</strong> 万元")
    assertContains(response, "<strong>1</strong> 名援滇干部人才在岗")
    assertContains(response, "<strong>2</strong> 个共建产业园区")


@pytest.mark.usefixtures("two_years")
def test_home_page_shows_a_past_year_with_the_cadres_on_post_at_its_end(user_client, this_year):
    last = this_year - 1

    response = user_client.get(HOME, {"year": last})

    assertContains(response, f'<a href="/projects/?year={last}"><strong>1</strong> 个项目</a>')
    assertContains(response, "<strong>5.00</strong> 万元")
    assertContains(response, f'href="/personnel/?on_post={last}-12-31"><strong>2</strong> 名')
    assertContains(response, "<strong>1</strong> 个共建产业园区")


@pytest.mark.usefixtures("two_years")
def test_home_page_year_picker_offers_the_years_with_projects(user_client, this_year):
    options = select_options(user_client.get(HOME, {"year": 2001}))

    assert options["year"] == [str(this_year), str(this_year - 1), "2001"]


@pytest.mark.usefixtures("two_years")
@pytest.mark.parametrize("year", ["abc", "1800", "2022.5"])
def test_home_page_explains_a_wrong_year_and_shows_this_year(user_client, this_year, year):
    response = user_client.get(HOME, {"year": year})

    assertContains(response, f"年度有误：年度须为1996至2100之间的整数。下面显示的是{this_year}年。")
    assertContains(response, "<strong>2</strong> 个项目")


def test_home_page_runs_a_fixed_number_of_queries(
    user_client, county, django_assert_max_num_queries
):
    # Session, user, the latest year with projects, the picker's years, projects (count and
    # sum in one), cadres, parks, the former poverty counties paired.
    with django_assert_max_num_queries(11):  # with the user's role and scope
        response = user_client.get(HOME)
    assert response.status_code == 200


def test_every_page_has_the_navigation(user_client):
    response = user_client.get(reverse("projects:list"))

    nav = re.search(r'<nav aria-label="栏目">(.*?)</nav>', response.content.decode(), re.S)[1]
    assert re.findall(r">([^<>\s]+)</a>", nav) == [
        "首页",
        "项目",
        "县市区",
        "干部人才",
        "园区",
        "项目群",
        "资金",
        "机构",
        "指标看板",
    ]
    assert '<a href="/projects/" aria-current="page">项目</a>' in nav


def test_staff_also_see_the_link_to_data_entry(admin_client):
    assertContains(admin_client.get(HOME), '<a href="/admin/">数据录入</a>')


def test_readers_do_not_see_the_link_to_data_entry(user_client):
    assertNotContains(user_client.get(HOME), "数据录入")


@pytest.mark.parametrize("name", ["home", *LISTS])
def test_anonymous_visitor_is_sent_to_the_login_page(client, name):
    url = reverse(name)

    assertRedirects(client.get(url), f"{reverse('login')}?next={url}")


def test_login_leads_to_the_home_page():
    assert settings.LOGIN_REDIRECT_URL == "home"


@pytest.mark.usefixtures("reference")
@pytest.mark.parametrize("name", LISTS)
def test_no_list_page_offers_a_select_with_more_than_200_options(user_client, name):
    lancang = County.objects.get(code="530828")
    batch = Batch.objects.create(number=11, start_year=2023, end_year=2025)
    Cadre.objects.bulk_create(
        Cadre(
            name=f"干部{n:03d}",
            gender="male",
            kind="official",
            sending_unit="黄浦区",
            post="副县长",
            county=lancang,
            batch=batch,
            term_start=datetime.date(2024, 1, 1),
        )
        for n in range(300)
    )
    Project.objects.bulk_create(
        Project(code=f"P-{n:03d}", name="项目", county=lancang, category="other", year=2024)
        for n in range(300)
    )

    response = user_client.get(reverse(name), {"county": lancang.code})

    assert response.status_code == 200
    sizes = {select: len(options) for select, options in select_options(response).items()}
    assert sizes.get("county", 129) == 129  # all counties: bounded, and no prefecture chosen
    assert all(size <= 200 for size in sizes.values()), sizes


def test_print_style_hides_the_controls_and_keeps_the_table_and_filter_summary():
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    media_print = re.sub(r"/\*.*?\*/", "", css[css.index("@media print") :], flags=re.S)
    rules = {
        selector.strip(): body.strip()
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", media_print.split("{", 1)[1])
        for selector in selectors.split(",")
    }

    hidden = {selector for selector, body in rules.items() if body == "display: none;"}
    assert {".site-header nav", "form", ".pagination", ".export"} <= hidden
    assert not any("table" in selector or "filter-summary" in selector for selector in hidden)
    assert rules[".filter-summary"].startswith("display: block;")


def test_pages_load_no_outside_assets(user_client):
    page = user_client.get(reverse("projects:list")).content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page)
    assert assets == ["/static/css/site.css", "/static/css/filters.css", "/static/js/filters.js"]
