from decimal import Decimal

import pytest

from personnel.models import Batch
from projects.models import Fund, FundAllocation
from tests.cast import make_project


@pytest.fixture
def fund(county):
    """100万元 of Shanghai city money for the county in 2023."""
    return Fund.objects.create(source="city", year=2023, county=county, amount=Decimal("100"))


@pytest.fixture
def project_a(county):
    """2023-LC-001 茶叶初制所, the project of the report row report_files writes by default."""
    return make_project(county=county)


@pytest.fixture
def allocated_60(fund, project_a):
    """60 of the fund's 100万元 already go to project A."""
    return FundAllocation.objects.create(fund=fund, project=project_a, amount=Decimal("60"))


@pytest.fixture
def batch12(db):
    """The 12th batch of cadres (2022–2025)."""
    return Batch.objects.create(number=12, start_year=2022, end_year=2025)
