"""With every new filter applied (several years, a range, 上海结对区, the county flags, several
values of a choice), each list still runs a fixed number of queries whatever its page size or
number of records: 上海结对区 is an EXISTS subquery of the list's own query."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse

from counties.models import County, Pairing, ShanghaiDistrict
from personnel.models import Batch, Cadre
from projects.models import Fund, IndustrialPark, Project
from tests.filter_cast import HUANGPU, XUHUI, places_fixture  # noqa: F401
from tests.pages import html, project_codes

# Session, user, the role's permissions (two), scope, checking the prefecture, county and
# district codes, the count and totals, the page's rows, and the prefecture, county and
# district choices.
LIST_QUERIES = 13
# The fund list's totals are two sums (FundQuerySet.totals).
FUND_QUERIES = 14
# And the batch codes and choices.
CADRE_QUERIES = 15
# Session, user, permissions (two), scope, the latest year with projects, checking the
# prefecture and district codes, the counties, and the prefecture and district choices.
COUNTY_QUERIES = 11


def counted(client, url, params, sizes, add_rows, rows_on_page, django_assert_max_num_queries):
    """The queries of the list at each size (add_rows(size) first), each page checked to show
    its rows."""
    counts = []
    for size in sizes:
        add_rows(size)
        with django_assert_max_num_queries(LIMITS[url]) as queries:
            response = client.get(url, {**params, "page_size": size})
        assert response.status_code == 200
        assert "筛选条件有误" not in html(response)
        assert rows_on_page(response) == size
        counts.append(len(queries))
    return counts


LIMITS = {
    reverse("projects:list"): LIST_QUERIES,
    reverse("funds:list"): FUND_QUERIES,
    reverse("parks:list"): LIST_QUERIES,
    reverse("personnel:list"): CADRE_QUERIES,
    reverse("counties:list"): COUNTY_QUERIES,
}
PLACE = {"prefecture": "530800", "county": ["530828", "530802"], "district": [XUHUI, HUANGPU]}
FLAGS = {"poverty": "true", "border": "true", "key_assistance": "false"}
YEARS = {"year": ["2022", "2023年"], "year_from": "２０２１", "year_to": "2024"}


def test_project_list_queries_stay_flat_with_the_new_filters(
    user_client, places, django_assert_max_num_queries
):
    def add(size):
        have = Project.objects.count()
        Project.objects.bulk_create(
            Project(
                code="P-%03d" % n,
                name="项目",
                county=places["lancang"],
                category=("industry", "health")[n % 2],
                status="building",
                year=2022,
                shanghai_funds=Decimal("1.5"),
            )
            for n in range(have, size)
        )

    params = {**PLACE, **FLAGS, **YEARS, "category": ["industry", "health"]}
    params["status"] = ["planned", "building"]
    url = reverse("projects:list")
    counts = counted(
        user_client,
        url,
        params,
        (10, 200),
        add,
        lambda r: len(project_codes(r)),
        django_assert_max_num_queries,
    )
    assert counts[0] == counts[1]


def test_fund_list_queries_stay_flat_with_the_new_filters(
    user_client, places, django_assert_max_num_queries
):
    def add(size):
        have = Fund.objects.count()
        Fund.objects.bulk_create(
            Fund(source="city", year=2023, county=places["lancang"], amount=Decimal("10"))
            for _ in range(have, size)
        )

    params = {**PLACE, **FLAGS, **YEARS, "source": ["city", "district"]}
    counts = counted(
        user_client,
        reverse("funds:list"),
        params,
        (10, 200),
        add,
        lambda r: len(re.findall(r"<tr>\s*<td>2023</td>", html(r))),
        django_assert_max_num_queries,
    )
    assert counts[0] == counts[1]


def test_park_list_queries_stay_flat_with_the_new_filters(
    user_client, places, django_assert_max_num_queries
):
    def add(size):
        have = IndustrialPark.objects.count()
        IndustrialPark.objects.bulk_create(
            IndustrialPark(name="园区%03d" % n, county=places["lancang"], year_founded=2022)
            for n in range(have, size)
        )

    params = {**PLACE, **FLAGS, "is_demonstration": "false"}
    counts = counted(
        user_client,
        reverse("parks:list"),
        params,
        (10, 200),
        add,
        lambda r: html(r).count('<td><a href="/parks/'),
        django_assert_max_num_queries,
    )
    assert counts[0] == counts[1]


def test_cadre_list_queries_stay_flat_with_the_new_filters(
    user_client, places, django_assert_max_num_queries
):
    batch = Batch.objects.create(number=11, start_year=2023, end_year=2025)
    Batch.objects.create(number=10, start_year=2021, end_year=2023)

    def add(size):
        have = Cadre.objects.count()
        Cadre.objects.bulk_create(
            Cadre(
                name="干部%03d" % n,
                gender="male",
                kind="official",
                sending_unit="徐汇区",
                post="副县长",
                county=places["lancang"],
                batch=batch,
                term_start=datetime.date(2023, 7, 1),
            )
            for n in range(have, size)
        )

    params = {**PLACE, **FLAGS, "kind": ["official", "doctor"], "batch": ["10", "11"]}
    counts = counted(
        user_client,
        reverse("personnel:list"),
        params,
        (10, 200),
        add,
        lambda r: html(r).count('<td><a href="/personnel/'),
        django_assert_max_num_queries,
    )
    assert counts[0] == counts[1]


def test_county_list_queries_stay_flat_with_its_filters(
    user_client, places, django_assert_max_num_queries
):
    # Every county of 普洱 is 徐汇区's in 2022 through a pairing with the whole prefecture.
    xuhui = ShanghaiDistrict.objects.get(code=XUHUI)
    Pairing.objects.create(district=xuhui, prefecture=places["lancang"].prefecture)
    prefecture = places["lancang"].prefecture

    def add(size):
        have = County.objects.filter(prefecture=prefecture, is_border=True).count()
        County.objects.bulk_create(
            County(
                code="5308%02d" % (40 + n),
                name="县%02d" % n,
                prefecture=prefecture,
                division_type="县",
                is_border=True,
            )
            for n in range(have - 1, size - 1)  # 澜沧 is one of them
        )

    params = {"prefecture": "530800", "border": "true", "district": XUHUI, "q": "县"}
    params["year"] = "2022"
    counts = counted(
        user_client,
        reverse("counties:list"),
        params,
        (5, 50),
        add,
        lambda r: html(r).count('<li><a href="/counties/'),
        django_assert_max_num_queries,
    )
    assert counts[0] == counts[1]
