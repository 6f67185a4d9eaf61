"""The fund picker of a project's allocations: narrowed to the project's county on its page,
searchable by year, source, donor and document."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Fund
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
