"""The county list and county page, as a logged-in reader sees them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from counties.models import Pairing, ShanghaiDistrict, Village
from personnel.models import Batch, Cadre
from projects.models import Fund, FundAllocation, IndustrialPark, Project

# Session, user, the county, then one query for each of its six lists.
PAGE_QUERIES = 9
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
        Cadre.objects.create(
            name=name,
            gender="male",
            kind="official",
            sending_unit="黄浦区发展改革委",
            post="副县长",
            county=county,
            batch=batch,
            term_start=datetime.date(2020, 1, 1),
        )
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

    add_projects(busy_county, 30)
    with django_assert_max_num_queries(PAGE_QUERIES) as thirty:
        response = user_client.get(url)
    assertContains(response, "项目 <small>30个</small>")
    assertContains(response, '<a href="/projects/2023-LC-030/">2023-LC-030</a>')
    assert len(thirty) == len(three)


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
        response, '<td class="num">100</td><td class="num">37.5</td><td class="num">62.5</td>'
    )
