"""The fund picker of a project's allocations: narrowed to the project's county on its page,
searchable by year, source, donor and document."""

from decimal import Decimal

import pytest
from django.urls import reverse

from counties.models import County, Village
from projects.models import Fund, IndustrialPark, Programme
from tests.cast import make_project

AUTOCOMPLETE = reverse("admin:autocomplete")
PICKER = {"app_label": "projects", "model_name": "fundallocation", "field_name": "fund"}


@pytest.fixture
def funds(county, menghai):
    return {
        "lancang_city": Fund.objects.create(
            source="city", year=2023, county=county, amount=Decimal("100")
        ),
        "lancang_district": Fund.objects.create(
            source="district", year=2022, county=county, amount=Decimal("80"), donor="黄浦区"
        ),
        "menghai_city": Fund.objects.create(
            source="city",
            year=2023,
            county=menghai,
            amount=Decimal("50"),
            document="沪滇〔2023〕1号",
        ),
    }


def picked(client, term="", referer=None):
    headers = {"HTTP_REFERER": referer} if referer else {}
    response = client.get(AUTOCOMPLETE, {**PICKER, "term": term}, **headers)
    assert response.status_code == 200
    return {int(result["id"]) for result in response.json()["results"]}


def ids(funds, *names):
    return {funds[name].pk for name in names}


def test_on_a_projects_page_only_its_countys_funds_are_offered(admin_client, county, funds):
    project = make_project(county=county)
    page = "http://testserver" + reverse("admin:projects_project_change", args=[project.pk])

    assert picked(admin_client, referer=page) == ids(funds, "lancang_city", "lancang_district")


def test_without_a_project_every_fund_of_the_scope_is_offered(admin_client, funds):
    assert picked(admin_client) == ids(funds, "lancang_city", "lancang_district", "menghai_city")


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("2023", ("lancang_city", "menghai_city")),
        ("2022年", ("lancang_district",)),
        ("区级", ("lancang_district",)),
        ("市级", ("lancang_city", "menghai_city")),
        ("黄浦", ("lancang_district",)),
        ("沪滇〔2023〕", ("menghai_city",)),
        ("勐海 2023", ("menghai_city",)),
    ],
)
def test_the_picker_searches_year_source_donor_document_and_county(
    admin_client, funds, term, found
):
    assert picked(admin_client, term) == ids(funds, *found)


# The project's other pickers: its county's records first


@pytest.mark.parametrize(
    ("field_name", "make"),
    [
        ("village", lambda county, name: Village.objects.create(county=county, name=name)),
        ("programme", lambda county, name: Programme.objects.create(county=county, name=name)),
        (
            "park",
            lambda county, name: IndustrialPark.objects.create(
                county=county, name=name, year_founded=2020
            ),
        ),
    ],
)
def test_a_projects_pickers_offer_its_countys_records_first(
    admin_client, county, prefecture, field_name, make
):
    # 宁洱 (530821) lists before 澜沧 (530828) in the usual order, by county code.
    ninger = County.objects.create(
        code="530821", name="宁洱哈尼族彝族自治县", prefecture=prefecture, division_type="自治县"
    )
    elsewhere = [make(ninger, "宁洱一"), make(ninger, "宁洱二")]
    own = make(county, "澜沧三")
    project = make_project(county=county)
    page = "http://testserver" + reverse("admin:projects_project_change", args=[project.pk])
    picker = {"app_label": "projects", "model_name": "project", "field_name": field_name}

    def offered(**headers):
        response = admin_client.get(AUTOCOMPLETE, picker, **headers)
        return [int(result["id"]) for result in response.json()["results"]]

    usual = offered()
    assert set(usual) == {own.pk, *(record.pk for record in elsewhere)}
    assert usual[-1] == own.pk
    assert offered(HTTP_REFERER=page) == [own.pk, *usual[:-1]]
