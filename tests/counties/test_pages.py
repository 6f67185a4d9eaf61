"""The county list and county page, as a logged-in reader sees them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from counties.models import Pairing, ShanghaiDistrict, Village
from personnel.models import Batch
from projects.models import Fund, FundAllocation, IndustrialPark, Project
from tests.cast import make_cadre

# Session, user, the county, one query for each of its six lists, and two for the project totals
# (all years, and by year and category); the scorecard: the year, the county, the indicators,
# the figures, and funds, cadres, parks' yearly records and paired villages counted; the
# institution pairings.
PAGE_QUERIES = 23  # with the user's role and scope
COUNTY_LINK = re.compile(r'<a href="/counties/(\d{6})/">')


@pytest.mark.usefixtures("reference")
def test_county_list_shows_every_county_under_its_prefecture(user_client):
    response = user_client.get(reverse("counties:list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert len(set(COUNTY_LINK.findall(html))) == 129
    assert html.count('<section class="prefecture"') == 16
    assertContains(response, "共 129 个县市区")
    assertContains(response, "分属 16 个州市")


@pytest.mark.usefixtures("reference")
def test_county_list_groups_lancang_under_puer(user_client):
    response = user_client.get(reverse("counties:list"))

    html = response.content.decode()
    puer = html[html.index('id="p530800"') :]
    puer = puer[: puer.index("</section>")]
    assert '<a href="/counties/530828/">澜沧拉祜族自治县</a>' in puer
    assert "/counties/530621/" not in puer


@pytest.mark.usefixtures("reference")
def test_county_list_runs_a_fixed_number_of_queries(user_client, django_assert_num_queries):
    # session, user, the role's permissions (user's, groups'), scope, the latest year with
    # projects (the default pairing year), counties with prefectures, and the prefecture and
    # district choices of the filters
    with django_assert_num_queries(9):
        user_client.get(reverse("counties:list"))


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    url = reverse("counties:list")

    response = client.get(url)

    assertRedirects(response, f"{reverse('login')}?next={url}")


def test_unknown_county_code_is_not_found_in_chinese(user_client):
    response = user_client.get(reverse("counties:detail", args=["999999"]))

    assertContains(response, "未找到该页面", status_code=404)
    assertContains(response, "您要找的记录不存在，或代码有误。", status_code=404)


@pytest.fixture
def busy_county(county, district):
    """A county with two of everything its page lists, so an N+1 query shows at once."""
    minhang = ShanghaiDistrict.objects.create(code="310112", name="闵行区")
    Pairing.objects.create(district=district, county=county, from_year=2017)
    Pairing.objects.create(district=minhang, prefecture=county.prefecture, from_year=2021)
    batch = Batch.objects.create(number=11, start_year=2023, end_year=2025)
    for name in ("张伟", "李静"):
        make_cadre(name=name, county=county, batch=batch, term_start=datetime.date(2020, 1, 1))
    for name, partner in (("澜沧沪滇产业园", district), ("澜沧茶产业园", minhang)):
        IndustrialPark.objects.create(
            name=name, county=county, partner_district=partner, year_founded=2019
        )
    for name in ("勐朗村", "竹塘村"):
        Village.objects.create(name=name, township="勐朗镇", county=county)
    for source in ("city", "district"):
        Fund.objects.create(source=source, year=2023, county=county, amount=Decimal("100"))
    return county


def add_projects(county, count):
    """Bulk-create the county's projects up to `count`, numbered on, in one of its villages."""
    village = county.villages.first()
    start = county.projects.count()
    Project.objects.bulk_create(
        Project(
            code=f"2023-LC-{n:03d}",
            name=f"示范项目{n}",
            county=county,
            village=village,
            category="industry",
            year=2023,
            shanghai_funds=Decimal("12.5"),
        )
        for n in range(start + 1, count + 1)
    )


def test_county_page_queries_do_not_grow_with_its_projects(
    user_client, busy_county, django_assert_max_num_queries
):
    url = reverse("counties:detail", args=[busy_county.code])
    add_projects(busy_county, 3)
    fund = busy_county.funds.first()
    for project in busy_county.projects.all()[:2]:
        FundAllocation.objects.create(fund=fund, project=project, amount=Decimal("10"))

    with django_assert_max_num_queries(PAGE_QUERIES) as three:
        response = user_client.get(url)
    assertContains(response, "项目 <small>3个</small>")

    add_projects(busy_county, 250)
    with django_assert_max_num_queries(PAGE_QUERIES) as many:
        response = user_client.get(url)
    assertContains(response, "项目 <small>250个</small>")
    assert len(many) == len(three)


def test_county_page_lists_its_first_projects_and_links_to_the_filterable_list(
    user_client, busy_county
):
    add_projects(busy_county, 30)

    response = user_client.get(reverse("counties:detail", args=[busy_county.code]))

    assertContains(response, '<a href="/projects/2023-LC-020/">2023-LC-020</a>')
    assertNotContains(response, '<a href="/projects/2023-LC-021/">')
    assertContains(response, "此处列出最近的20个。")
    assertContains(response, '<a href="/projects/?county=530828">在项目列表中查看</a>')


def test_county_page_totals_shanghai_aid_by_year_and_category(user_client, busy_county):
    for code, year, category, amount in [
        ("2023-LC-001", 2023, "industry", "100"),
        ("2023-LC-002", 2023, "industry", "20.5"),
        ("2023-LC-003", 2023, "education", "30"),
        ("2022-LC-001", 2022, "education", "12.25"),
    ]:
        Project.objects.create(
            code=code,
            name=code,
            county=busy_county,
            year=year,
            category=category,
            shanghai_funds=Decimal(amount),
        )

    response = user_client.get(reverse("counties:detail", args=[busy_county.code]))

    # Columns: only the categories that occur, in the order of Project.Category, then 合计.
    assertContains(
        response,
        '<th>年度</th><th class="num">产业发展</th><th class="num">教育帮扶</th>'
        '<th class="num">合计</th>',
    )
    cell = '<td class="num">%s<br><small>%s个</small></td>'
    total = '<td class="num"><strong>%s</strong><br><small>%s个</small></td>'
    assertContains(
        response,
        '<tr><th scope="row">2023</th>'
        + cell % ("120.50", 2)
        + cell % ("30.00", 1)
        + total % ("150.50", 3)
        + "</tr>",
    )
    assertContains(
        response,
        '<tr><th scope="row">2022</th><td class="num">—</td>'
        + cell % ("12.25", 1)
        + total % ("12.25", 1)
        + "</tr>",
    )
    assertContains(
        response,
        '<tfoot><tr><th scope="row">合计</th>'
        + cell % ("120.50", 2)
        + cell % ("42.25", 2)
        + total % ("162.75", 4),
    )


def test_county_page_shows_pairings_with_the_county_and_its_prefecture(user_client, busy_county):
    response = user_client.get(reverse("counties:detail", args=[busy_county.code]))

    assertContains(response, "<td>黄浦区</td><td>澜沧拉祜族自治县</td><td>2017</td>")
    assertContains(response, "<td>闵行区</td><td>普洱市</td><td>2021</td>")
    assertContains(response, "在岗援滇干部人才 <small>2人</small>")


def test_county_page_shows_what_is_left_of_each_fund(user_client, busy_county):
    add_projects(busy_county, 1)
    fund = busy_county.funds.get(source="city")
    FundAllocation.objects.create(
        fund=fund, project=busy_county.projects.get(), amount=Decimal("37.5")
    )

    response = user_client.get(reverse("counties:detail", args=[busy_county.code]))

    assertContains(
        response, '<td class="num">100.00</td><td class="num">37.50</td><td class="num">62.50</td>'
    )
