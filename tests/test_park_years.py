"""Parks' yearly records (园区年度情况): their rules, who sees them, the park list and page that
show them, the admin that edits them, and the dashboard that counts them (and the villages
institutions pair with) year by year."""

import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import County, Village
from counties.scopes import scope_of
from indicators.models import IndicatorFigure
from indicators.scorecard import PROVINCE, Ledger, Place
from institutions.models import Institution, InstitutionPairing
from projects.models import IndustrialPark, IndustrialParkYear
from tests.pages import html
from tests.related_scope_cast import person

PARKS = reverse("parks:list")
DASHBOARD = reverse("dashboard:detail")
PARK_LINK = re.compile(r'<td><a href="/parks/\d+/">([^<]+)</a>')


def grant_roles():
    """The roles' permissions on yearly records (projects 0020), which a transactional test
    elsewhere may have flushed with the roles (tests/conftest.py restores the roles only)."""
    importlib.import_module("projects.migrations.0020_park_totals_to_years").grant(apps, None)


@pytest.fixture
def lancang_park(county):
    return IndustrialPark.objects.create(name="澜沧沪滇产业园", county=county, year_founded=2019)


@pytest.fixture
def menghai_park(menghai):
    return IndustrialPark.objects.create(name="勐海沪滇产业园", county=menghai, year_founded=2020)


def constraint_messages(record):
    with pytest.raises(ValidationError) as refused:
        record.validate_constraints()
    return refused.value.messages


# Rules


def test_a_park_has_one_record_a_year(lancang_park):
    lancang_park.years.create(year=2022, enterprises=3)

    assert constraint_messages(IndustrialParkYear(park=lancang_park, year=2022)) == [
        "该园区已有这一年度的年度情况。"
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        IndustrialParkYear.objects.create(park=lancang_park, year=2022)
    # Another year, or the same year of another park, is a record of its own.
    lancang_park.years.create(year=2023)
    other = IndustrialPark.objects.create(
        name="澜沧茶园", county=lancang_park.county, year_founded=2021
    )
    other.years.create(year=2022)
    assert IndustrialParkYear.objects.count() == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("enterprises", -1, "入驻企业家数不能为负数。"),
        ("investment", Decimal("-0.5"), "企业到位投资不能为负数。"),
        ("construction_investment", Decimal("-1"), "园区建设投资不能为负数。"),
        ("jobs", -3, "带动就业人数不能为负数。"),
    ],
)
def test_a_yearly_record_refuses_negative_figures(lancang_park, field, value, message):
    record = IndustrialParkYear(park=lancang_park, year=2022, **{field: value})

    assert constraint_messages(record) == [message]
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


@pytest.mark.parametrize("year", [1995, 2101])
def test_a_yearly_record_refuses_a_year_out_of_range(lancang_park, year):
    record = IndustrialParkYear(park=lancang_park, year=year)

    assert constraint_messages(record) == ["年度须在1996年至2100年之间。"]
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_a_yearly_record_is_seen_where_its_park_is(
    lancang_park, menghai_park, county, django_user_model
):
    lancang_park.years.create(year=2022)
    menghai_park.years.create(year=2022)
    user = person(django_user_model, "lancang", counties=[county])

    seen = IndustrialParkYear.objects.visible_to(scope_of(user))

    assert [record.park for record in seen] == [lancang_park]


# The park list and page


@pytest.fixture
def recorded_parks(lancang_park, menghai_park):
    """澜沧's park with 2022 and 2023, 勐海's with 2021 only; a third park without any."""
    lancang_park.years.create(year=2022, enterprises=40, investment=Decimal("9"), jobs=4000)
    lancang_park.years.create(
        year=2023,
        enterprises=12,
        investment=Decimal("3500.5"),
        construction_investment=Decimal("80000"),
        jobs=800,
        note="含二期厂房",
    )
    menghai_park.years.create(year=2021, enterprises=5, investment=Decimal("120"), jobs=150)
    IndustrialPark.objects.create(name="勐海新园区", county=menghai_park.county, year_founded=2024)


def row_of(response, name):
    """The cells of the park list's row of one park, as text."""
    found = re.search(r"<tr>\s*<td><a [^>]*>%s</a>.*?</tr>" % name, html(response), re.S)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", found.group(), re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells][3:]


@pytest.mark.usefixtures("recorded_parks")
def test_the_park_list_shows_each_parks_latest_year(user_client):
    response = user_client.get(PARKS)

    assert row_of(response, "澜沧沪滇产业园") == ["2019", "2023", "12", "3,500.50", "800"]
    assert row_of(response, "勐海沪滇产业园") == ["2020", "2021", "5", "120.00", "150"]
    assert row_of(response, "勐海新园区") == ["2024", "—", "—", "—", "—"]
    assertContains(
        response,
        "共 <strong>3</strong> 个园区；各园区最近一个年度：入驻企业合计 <strong>17</strong> 家，"
        "企业到位投资合计 <strong>3,620.50</strong> 万元，带动就业合计 <strong>950</strong> 人。",
    )


@pytest.mark.usefixtures("recorded_parks")
def test_the_park_list_sorts_by_the_latest_years_figures(user_client):
    response = user_client.get(PARKS, {"o": "-enterprises", "county": ["530828", "532822"]})

    names = PARK_LINK.findall(html(response))
    assert names[:2] == ["澜沧沪滇产业园", "勐海沪滇产业园"]


@pytest.mark.usefixtures("recorded_parks")
def test_the_park_page_shows_its_years(user_client, lancang_park):
    response = user_client.get(lancang_park.get_absolute_url())

    table = re.search(r'<table class="list park-years">.*?</table>', html(response), re.S).group()
    assert "<th>年度</th>" in table and "园区建设投资（万元）" in table
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", table)
    assert [re.split(r"</td><td[^>]*>", row) for row in rows] == [
        ["2022", "40", "9.00", "0.00", "4,000", "—"],
        ["2023", "12", "3,500.50", "80,000.00", "800", "含二期厂房"],
    ]


def test_a_park_without_records_says_how_to_add_them(user_client, lancang_park):
    response = user_client.get(lancang_park.get_absolute_url())

    assertContains(response, "暂无年度情况")


def test_the_park_page_lists_its_registered_enterprises(user_client, lancang_park, county):
    lancang_park.companies.add(
        Institution.objects.create(
            kind="enterprise", name="澜沧茶业有限公司", side="yunnan", county=county
        )
    )

    assertContains(user_client.get(lancang_park.get_absolute_url()), "澜沧茶业有限公司")


def test_the_park_list_queries_do_not_grow_with_the_page(
    user_client, county, django_assert_max_num_queries
):
    parks = IndustrialPark.objects.bulk_create(
        IndustrialPark(name="园区%03d" % n, county=county, year_founded=2020) for n in range(200)
    )
    IndustrialParkYear.objects.bulk_create(
        IndustrialParkYear(park=park, year=year, enterprises=1, jobs=n)
        for n, park in enumerate(parks)
        for year in (2021, 2022, 2023)
    )

    counted = []
    for size in (10, 200):
        with CaptureQueriesContext(connection) as queries:
            response = user_client.get(PARKS, {"page_size": size})
        assert len(PARK_LINK.findall(html(response))) == size
        counted.append(len(queries))

    assert counted[0] == counted[1]


# The admin


@pytest.fixture
def lancang_clerk(client, django_user_model, county):
    """A 录入员 of 澜沧 alone."""
    grant_roles()
    client.force_login(person(django_user_model, "lancang", "录入员", counties=[county]))
    return client


def park_form(park, **years):
    data = {
        "name": park.name,
        "county": str(park.county_id),
        "year_founded": str(park.year_founded),
        "partner_district": "",
        "partner_name": "",
        "description": "",
        "years-TOTAL_FORMS": "0",
        "years-INITIAL_FORMS": "0",
        "_save": "保存",
    }
    data.update(years)
    return data


def test_a_clerk_records_a_parks_year_in_the_admin(lancang_clerk, lancang_park):
    url = reverse("admin:projects_industrialpark_change", args=[lancang_park.pk])
    page = lancang_clerk.get(url)
    assertContains(page, "年度情况")

    response = lancang_clerk.post(
        url,
        park_form(
            lancang_park,
            **{
                "years-TOTAL_FORMS": "1",
                "years-0-year": "2022",
                "years-0-enterprises": "7",
                "years-0-investment": "1200.5",
                "years-0-construction_investment": "300",
                "years-0-jobs": "420",
                "years-0-note": "",
            },
        ),
    )

    assert response.status_code == 302
    record = lancang_park.years.get()
    assert (record.year, record.enterprises, record.investment, record.jobs) == (
        2022,
        7,
        Decimal("1200.5"),
        420,
    )


def test_the_admin_refuses_a_second_record_of_a_year(lancang_clerk, lancang_park):
    lancang_park.years.create(year=2022)
    url = reverse("admin:projects_industrialpark_change", args=[lancang_park.pk])
    record = lancang_park.years.get()

    response = lancang_clerk.post(
        url,
        park_form(
            lancang_park,
            **{
                "years-TOTAL_FORMS": "2",
                "years-INITIAL_FORMS": "1",
                "years-0-id": str(record.pk),
                "years-0-park": str(lancang_park.pk),
                "years-0-year": "2022",
                "years-0-enterprises": "0",
                "years-0-investment": "0",
                "years-0-construction_investment": "0",
                "years-0-jobs": "0",
                "years-1-year": "2022",
                "years-1-enterprises": "1",
                "years-1-investment": "0",
                "years-1-construction_investment": "0",
                "years-1-jobs": "0",
            },
        ),
    )

    assert response.status_code == 200
    assert lancang_park.years.count() == 1
    assertContains(response, "每个年度只能填写一条年度情况，请修改重复的年度。")


def test_a_county_clerk_sees_only_the_county_parks_and_their_years(
    lancang_clerk, lancang_park, menghai_park
):
    lancang_park.years.create(year=2022, enterprises=7)
    menghai_park.years.create(year=2022, enterprises=9)

    listed = lancang_clerk.get(reverse("admin:projects_industrialpark_changelist"))
    other = lancang_clerk.get(
        reverse("admin:projects_industrialpark_change", args=[menghai_park.pk])
    )

    assertContains(listed, "澜沧沪滇产业园")
    assertNotContains(listed, "勐海沪滇产业园")
    assert other.status_code == 403


def test_a_county_reader_sees_only_the_county_parks_on_the_site(
    client, django_user_model, county, lancang_park, menghai_park
):
    lancang_park.years.create(year=2022, enterprises=7)
    menghai_park.years.create(year=2022, enterprises=9)
    client.force_login(person(django_user_model, "lancang", counties=[county]))

    assert PARK_LINK.findall(html(client.get(PARKS))) == ["澜沧沪滇产业园"]
    assert client.get(menghai_park.get_absolute_url()).status_code == 404


# The dashboard


@pytest.fixture
def parks_2022(reference, indicators):
    """80 parks in 80 real counties whose 2022 records add up to 205 enterprises and 14,800
    jobs (and 840万元 landed by enterprises beside 80,000万元 spent building the parks); a
    park with a 2021 record only; 2021 records of some of the 80, which count in 2021."""
    counties = list(County.objects.order_by("code")[:81])
    parks = IndustrialPark.objects.bulk_create(
        IndustrialPark(name="园区%02d" % n, county=county, year_founded=2020)
        for n, county in enumerate(counties)
    )
    *counted, old = parks
    IndustrialParkYear.objects.bulk_create(
        [
            IndustrialParkYear(
                park=park,
                year=2022,
                enterprises=3 if n < 45 else 2,  # 45 × 3 + 35 × 2 = 205
                investment=Decimal("10.5"),
                construction_investment=Decimal("1000"),
                jobs=185,  # 80 × 185 = 14,800
            )
            for n, park in enumerate(counted)
        ]
        + [IndustrialParkYear(park=park, year=2021, enterprises=1, jobs=1) for park in counted[:10]]
        + [IndustrialParkYear(park=old, year=2021, enterprises=50, jobs=5000)]
    )
    return counted


def counted(response, code):
    """The 系统统计数 shown in the scorecard row of an indicator."""
    row = re.search(r'<tr[^>]*data-indicator="%s".*?</tr>' % code, html(response), re.S)
    return re.search(r'<td class="num" title="[^"]*">([^<]*)</td>', row.group()).group(1)


def test_the_dashboard_counts_the_2022_parks_from_their_yearly_records(user_client, parks_2022):
    response = user_client.get(DASHBOARD, {"year": 2022})

    assert counted(response, "parks") == "80"
    assert counted(response, "enterprises") == "205"
    assert counted(response, "park_jobs") == "14,800"
    # 到位投资 is what enterprises landed, not what building the parks cost.
    assert counted(response, "investment") == "840.00"
    assertContains(response, 'title="共建产业园区：有当年年度情况的园区"')


def test_another_years_records_count_in_that_year(user_client, parks_2022):
    response = user_client.get(DASHBOARD, {"year": 2021})

    assert counted(response, "parks") == "11"
    assert counted(response, "enterprises") == "60"
    assert counted(response, "park_jobs") == "5,010"


def test_a_reported_park_figure_other_than_the_records_is_flagged(
    user_client, parks_2022, indicators
):
    IndicatorFigure.objects.create(
        indicator=indicators["parks"], year=2022, level="province", target=70, result=81
    )

    response = user_client.get(DASHBOARD, {"year": 2022})

    row = re.search(r'<tr[^>]*data-indicator="parks".*?</tr>', html(response), re.S).group()
    assert "与系统统计数不符" in row


@pytest.fixture
def village_pairings(county, menghai, district):
    """In 2022 two enterprises pair with 澜沧's 勐朗村 (once counted), one with 勐海's 曼短村; a
    pairing that ended in 2021, one that starts in 2023 and a 163 pairing with a county do not
    count."""
    mengl, zhutang = (
        Village.objects.create(name=name, township="勐朗镇", county=county)
        for name in ("勐朗村", "竹塘村")
    )
    mandan, manzhong = (
        Village.objects.create(name=name, township="勐混镇", county=menghai)
        for name in ("曼短村", "曼中村")
    )
    tea, walnut = (
        Institution.objects.create(kind="enterprise", name=name, side="shanghai", district=district)
        for name in ("上海茶业公司", "上海核桃公司")
    )
    charity = Institution.objects.create(
        kind="social", name="上海慈善基金会", side="shanghai", district=district
    )
    pair = InstitutionPairing.objects.create
    pair(kind="village", helper=tea, partner_village=mengl, from_year=2021, to_year=2023)
    pair(kind="village", helper=walnut, partner_village=mengl, from_year=2022)
    pair(kind="village", helper=tea, partner_village=zhutang, from_year=2019, to_year=2021)
    pair(kind="village", helper=walnut, partner_village=mandan, from_year=2022, to_year=2022)
    pair(kind="village", helper=tea, partner_village=manzhong, from_year=2023)
    pair(kind="action_163", helper=charity, partner_county=county, from_year=2022)


@pytest.mark.usefixtures("village_pairings")
def test_paired_villages_count_each_village_paired_in_the_year_once(
    county, menghai, indicators, django_user_model
):
    everyone = person(django_user_model, "all", everywhere=True)
    ledger = Ledger(2022, scope_of(everyone))
    paired = ledger.indicator("paired_villages")

    assert ledger.line(paired, PROVINCE).counted == 2
    assert ledger.line(paired, Place(IndicatorFigure.Level.COUNTY, county)).counted == 1
    assert ledger.line(paired, Place(IndicatorFigure.Level.COUNTY, menghai)).counted == 1
    assert Ledger(2023, scope_of(everyone)).line(paired, PROVINCE).counted == 2
    assert Ledger(2020, scope_of(everyone)).line(paired, PROVINCE).counted == 1


@pytest.mark.usefixtures("village_pairings")
def test_paired_villages_count_inside_the_scope(county, indicators, django_user_model):
    lancang = person(django_user_model, "lancang", counties=[county])

    ledger = Ledger(2022, scope_of(lancang))
    paired = ledger.indicator("paired_villages")

    # 澜沧 is all of 普洱 this cast has: the user holds 普洱 whole, and 勐海 not at all.
    assert [place.name for place in ledger.places()] == ["普洱市", "澜沧拉祜族自治县"]
    assert (
        ledger.line(paired, Place(IndicatorFigure.Level.PREFECTURE, county.prefecture)).counted == 1
    )
    assert ledger.line(paired, Place(IndicatorFigure.Level.COUNTY, county)).counted == 1


@pytest.mark.usefixtures("village_pairings")
def test_the_dashboard_shows_the_paired_villages_counted(user_client):
    response = user_client.get(DASHBOARD, {"year": 2022})

    assert counted(response, "paired_villages") == "2"


# Upgrading


@pytest.mark.django_db(transaction=True)
def test_a_parks_totals_become_a_record_of_its_founding_year():
    executor = MigrationExecutor(connection)
    executor.migrate([("projects", "0019_park_years_programmes")])
    old = (
        MigrationExecutor(connection)
        .loader.project_state([("projects", "0019_park_years_programmes")])
        .apps
    )
    Prefecture = old.get_model("counties", "Prefecture")
    County = old.get_model("counties", "County")
    Park = old.get_model("projects", "IndustrialPark")
    puer = Prefecture.objects.create(code="530800", name="普洱市", division_type="地级市")
    lancang = County.objects.create(
        code="530828", name="澜沧拉祜族自治县", prefecture=puer, division_type="自治县"
    )
    Park.objects.create(
        name="澜沧园",
        county=lancang,
        year_founded=2019,
        enterprises=12,
        investment=Decimal("3500.5"),
        jobs=800,
    )
    Park.objects.create(name="空园区", county=lancang, year_founded=2021)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    record = IndustrialParkYear.objects.get()
    assert (record.park.name, record.year, record.enterprises, record.investment, record.jobs) == (
        "澜沧园",
        2019,
        12,
        Decimal("3500.5"),
        800,
    )
    assert record.construction_investment == 0
