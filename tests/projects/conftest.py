from decimal import Decimal

import pytest

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
