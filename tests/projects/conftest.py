from decimal import Decimal

import pytest

from counties.models import County, Prefecture
from projects.models import Fund, FundAllocation, Project


@pytest.fixture
def fund(county):
    """100万元 of Shanghai city money for the county in 2023."""
    return Fund.objects.create(source="city", year=2023, county=county, amount=Decimal("100"))


@pytest.fixture
def project_a(county):
    return Project.objects.create(
        code="2023-LC-001", name="茶叶初制所", county=county, category="industry", year=2023
    )


@pytest.fixture
def allocated_60(fund, project_a):
    """60 of the fund's 100万元 already go to project A."""
    return FundAllocation.objects.create(fund=fund, project=project_a, amount=Decimal("60"))


@pytest.fixture
def menghai(db):
    """A county of another prefecture: 勐海县 of 西双版纳傣族自治州."""
    xishuangbanna = Prefecture.objects.create(
        code="532800", name="西双版纳傣族自治州", division_type="自治州"
    )
    return County.objects.create(
        code="532822",
        name="勐海县",
        prefecture=xishuangbanna,
        division_type="县",
        is_border=True,
    )
