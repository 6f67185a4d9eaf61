"""The yearly report carries no park, village, cadre or allocation: an import may not move a
project to another county while those of the old one point at it."""

from decimal import Decimal

import pytest

from counties.models import County, Village
from projects.models import Fund, FundAllocation, IndustrialPark
from tests.cast import make_cadre, make_project

from .report_files import csv_bytes, import_files, refused, row, write

MENGLIAN = "孟连傣族拉祜族佤族自治县"


@pytest.fixture
def menglian(prefecture):
    return County.objects.create(
        code="530827", name=MENGLIAN, prefecture=prefecture, division_type="自治县"
    )


@pytest.fixture
def moving(tmp_path, menglian):
    """The report row that moves 2023-LC-001 from 澜沧 to 孟连."""
    return write(tmp_path, "报表.csv", csv_bytes([row(county=MENGLIAN)]))


@pytest.fixture
def lancang(county):
    return make_project(county=county)


def test_import_refuses_moving_a_project_away_from_its_park_and_cadres(moving, lancang, county):
    lancang.park = IndustrialPark.objects.create(name="澜沧园", county=county, year_founded=2020)
    lancang.save()
    lancang.cadres.add(make_cadre(county=county))

    errors, _ = refused(moving, allow_moves=True)

    assert errors == [
        "第2行 县市区：项目“2023-LC-001”登记在澜沧拉祜族自治县，已关联的所属园区、负责干部"
        "不属于%s，县市区不能改为%s；请先在管理后台取消这些关联" % (MENGLIAN, MENGLIAN)
    ]
    lancang.refresh_from_db()
    assert lancang.county == county


def test_import_refuses_moving_a_project_away_from_its_village_and_allocations(
    moving, lancang, county
):
    lancang.village = Village.objects.create(name="勐朗村", township="勐朗镇", county=county)
    lancang.save()
    fund = Fund.objects.create(source="city", year=2023, county=county, amount=Decimal("100"))
    FundAllocation.objects.create(fund=fund, project=lancang, amount=Decimal("30"))

    errors, _ = refused(moving, dry_run=True, allow_moves=True)

    assert errors == [
        "第2行 县市区：项目“2023-LC-001”登记在澜沧拉祜族自治县，已关联的村、资金分配"
        "不属于%s，县市区不能改为%s；请先在管理后台取消这些关联" % (MENGLIAN, MENGLIAN)
    ]


def test_import_moves_a_project_whose_cadre_serves_the_whole_prefecture(
    moving, lancang, menglian, prefecture
):
    lancang.cadres.add(make_cadre(prefecture=prefecture))

    import_files(moving, allow_moves=True)

    lancang.refresh_from_db()
    assert lancang.county == menglian


def test_import_moves_a_project_that_links_to_nothing(moving, lancang, menglian):
    import_files(moving, allow_moves=True)

    lancang.refresh_from_db()
    assert lancang.county == menglian
