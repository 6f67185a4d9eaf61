"""The park list and page, and the fund list, as a logged-in reader sees them."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from counties.models import County, Prefecture
from projects.models import Fund, FundAllocation, IndustrialPark, IndustrialParkYear, Project
from tests.cast import make_project
from tests.pages import html, project_codes

PARKS = reverse("parks:list")
FUNDS = reverse("funds:list")
# Session, user, checking the prefecture and county codes, count, totals, rows, two choice lists.
LIST_QUERIES = 12  # with the user's role and scope
PARK_LINK = re.compile(r'<td><a href="/parks/\d+/">([^<]+)</a>')
FUND_ROW = re.compile(r"<tr>\s*<td>(\d{4})</td>.*?<td>([^<]+)</td>\s*<td>[^<]*</td>\s*<td>", re.S)


@pytest.fixture
def ludian(db):
    zhaotong = Prefecture.objects.create(code="530600", name="昭通市", division_type="地级市")
    return County.objects.create(
        code="530621", name="鲁甸县", prefecture=zhaotong, division_type="县"
    )


@pytest.fixture
def parks(county, ludian, district):
    """Each park's latest yearly record is the one the list shows; 沪滇产业园 has an older one."""
    shanghai = IndustrialPark.objects.create(
        name="澜沧沪滇产业园",
        county=county,
        partner_district=district,
        year_founded=2019,
        is_demonstration=True,
    )
    shanghai.years.create(year=2022, enterprises=99, investment=Decimal("1"), jobs=9999)
    shanghai.years.create(
        year=2023,
        enterprises=12,
        investment=Decimal("3500.5"),
        construction_investment=Decimal("70000"),
        jobs=800,
    )
    tea = IndustrialPark.objects.create(name="澜沧茶产业园", county=county, year_founded=2021)
    tea.years.create(year=2023, enterprises=5, investment=Decimal("1200"), jobs=150)
    walnut = IndustrialPark.objects.create(name="鲁甸核桃产业园", county=ludian, year_founded=2020)
    walnut.years.create(year=2022, enterprises=8, investment=Decimal("999.25"), jobs=420)


def park_names(response):
    return PARK_LINK.findall(html(response))


@pytest.mark.usefixtures("parks")
@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({}, ["鲁甸核桃产业园", "澜沧沪滇产业园", "澜沧茶产业园"]),  # by county code, then name
        ({"prefecture": "530600"}, ["鲁甸核桃产业园"]),
        ({"county": "530828"}, ["澜沧沪滇产业园", "澜沧茶产业园"]),
        ({"is_demonstration": "true"}, ["澜沧沪滇产业园"]),
        ({"q": "茶"}, ["澜沧茶产业园"]),
        ({"o": "-jobs"}, ["澜沧沪滇产业园", "鲁甸核桃产业园", "澜沧茶产业园"]),
    ],
)
def test_park_list_shows_the_parks_matching_the_filters(user_client, params, names):
    assert park_names(user_client.get(PARKS, params)) == names


@pytest.mark.usefixtures("parks")
def test_park_list_totals_enterprises_investment_and_jobs_of_the_matches(user_client):
    response = user_client.get(PARKS, {"county": "530828"})

    assertContains(
        response,
        "共 <strong>2</strong> 个园区；各园区最近一个年度：入驻企业合计 <strong>17</strong> 家，"
        "企业到位投资合计 <strong>4,700.50</strong> 万元，带动就业合计 <strong>950</strong> 人。",
    )


@pytest.mark.usefixtures("parks")
def test_park_page_lists_the_projects_in_the_park(user_client, county):
    park = IndustrialPark.objects.get(name="澜沧茶产业园")
    for code in ("2023-LC-001", "2022-LC-001"):
        make_project(code=code, county=county, year=int(code[:4]), park=park)
    make_project(code="2023-LC-009", name="园区外项目", county=county)

    response = user_client.get(park.get_absolute_url())

    assertContains(
        response,
        '<tr><td>2023</td><td class="num">5</td><td class="num">1,200.00</td>'
        '<td class="num">0.00</td><td class="num">150</td><td>—</td></tr>',
        html=True,
    )
    assert project_codes(response) == ["2023-LC-001", "2022-LC-001"]


def test_unknown_park_is_not_found(user_client):
    response = user_client.get(reverse("parks:detail", args=[999]))

    assertContains(response, "未找到该页面", status_code=404)


def test_park_list_and_page_queries_do_not_grow_with_their_rows(
    user_client, county, district, django_assert_max_num_queries
):
    parks = IndustrialPark.objects.bulk_create(
        IndustrialPark(
            name=f"园区{n:03d}", county=county, partner_district=district, year_founded=2020
        )
        for n in range(250)
    )
    # Each park with two yearly records, whose latest the list shows.
    IndustrialParkYear.objects.bulk_create(
        IndustrialParkYear(park=park, year=year, enterprises=n, jobs=n)
        for n, park in enumerate(parks)
        for year in (2022, 2023)
    )
    park = IndustrialPark.objects.first()

    counted = []
    for size in (10, 200):
        Project.objects.bulk_create(
            Project(
                code=f"P{size}-{n:03d}",
                name="园区项目",
                county=county,
                category="industry",
                year=2023,
                park=park,
            )
            for n in range(size - park.projects.count())
        )
        with django_assert_max_num_queries(LIST_QUERIES) as list_queries:
            listed = user_client.get(PARKS, {"county": "530828", "page_size": size})
        # session, user, the role's permissions (two), scope, park, its years, its
        # enterprises, projects, its documents and (the first time) their content type
        with django_assert_max_num_queries(11) as page_queries:
            page = user_client.get(park.get_absolute_url())
        assert len(park_names(listed)) == size
        assert len(project_codes(page)) == size
        counted.append((len(list_queries), len(page_queries)))

    assert counted[0] == counted[1]


# Funds


@pytest.fixture
def funds(county, ludian):
    """Lancang: 100 city (60 allocated), 80 district (nothing allocated) in 2023, 50 city in
    2022 (all allocated); Ludian: 200 social in 2023."""
    city = Fund.objects.create(source="city", year=2023, county=county, amount=Decimal("100"))
    Fund.objects.create(source="district", year=2023, county=county, amount=Decimal("80"))
    old = Fund.objects.create(source="city", year=2022, county=county, amount=Decimal("50"))
    Fund.objects.create(source="social", year=2023, county=ludian, amount=Decimal("200"))
    tea, school = (
        make_project(code=code, name=code, county=county) for code in ("2023-LC-001", "2023-LC-002")
    )
    FundAllocation.objects.create(fund=city, project=tea, amount=Decimal("35.5"))
    FundAllocation.objects.create(fund=city, project=school, amount=Decimal("24.5"))
    FundAllocation.objects.create(fund=old, project=tea, amount=Decimal("50"))


def fund_rows(response):
    return FUND_ROW.findall(html(response))


@pytest.mark.usefixtures("funds")
@pytest.mark.parametrize(
    ("params", "rows"),
    [
        ({"source": "city"}, [("2023", "上海市级财政援助"), ("2022", "上海市级财政援助")]),
        (
            {"year": "2023", "county": "530828"},
            [("2023", "上海市级财政援助"), ("2023", "区级财政援助")],
        ),
        ({"prefecture": "530600"}, [("2023", "社会帮扶")]),
    ],
)
def test_fund_list_shows_the_funds_matching_the_filters(user_client, params, rows):
    assert fund_rows(user_client.get(FUNDS, params)) == rows


@pytest.mark.usefixtures("funds")
def test_fund_list_shows_what_is_allocated_and_what_remains(user_client):
    response = user_client.get(FUNDS, {"county": "530828"})

    assertContains(
        response,
        '<td class="num">100.00</td>\n    <td class="num">60.00</td>\n'
        '    <td class="num">40.00</td>',
    )
    # 100 + 80 + 50 in all, of which 60 + 50 allocated.
    assertContains(
        response,
        "共 <strong>3</strong> 笔资金，金额合计 <strong>230.00</strong> 万元，"
        "已分配到项目 <strong>110.00</strong> 万元，未分配 <strong>120.00</strong> 万元。",
    )


@pytest.mark.usefixtures("funds")
def test_fund_list_sorts_by_what_remains(user_client):
    response = user_client.get(FUNDS, {"o": "-remaining"})

    remaining = re.findall(r'<td class="num">([\d.]+)</td>\s*</tr>', html(response))
    assert remaining == [
        "200.00",
        "80.00",
        "40.00",
        "0.00",
    ]


@pytest.mark.usefixtures("funds")
def test_fund_list_refuses_an_unknown_source_in_chinese(user_client):
    response = user_client.get(FUNDS, {"source": "lottery"})

    assertContains(response, "<li>资金来源：没有“lottery”这个资金来源。</li>")
    assert fund_rows(response) == []


def test_fund_list_queries_do_not_grow_with_the_page_size(
    user_client, county, django_assert_max_num_queries
):
    funds = Fund.objects.bulk_create(
        Fund(source="city", year=2023, county=county, amount=Decimal("10")) for _ in range(250)
    )
    tea = make_project(county=county)
    FundAllocation.objects.bulk_create(
        FundAllocation(fund=fund, project=tea, amount=Decimal("2.5")) for fund in funds
    )

    counted = []
    for size in (10, 200):
        with django_assert_max_num_queries(LIST_QUERIES) as queries:
            response = user_client.get(FUNDS, {"county": "530828", "page_size": size})
        assert len(fund_rows(response)) == size
        counted.append(len(queries))

    assert counted[0] == counted[1]
    assertContains(
        response, "已分配到项目 <strong>625.00</strong> 万元，未分配 <strong>1,875.00</strong> 万元"
    )
