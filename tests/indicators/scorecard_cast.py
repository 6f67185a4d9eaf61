"""A small cast for the scorecard and dashboard tests, with hand-checked numbers.

普洱市 with 澜沧 and 孟连, 西双版纳州 with 勐海; in 2023 黄浦区 is paired with 澜沧 and 孟连,
徐汇区 with 孟连 and 勐海, so 孟连 sits under two districts.
"""

import datetime
from decimal import Decimal

import pytest

from counties.models import County, Pairing, Prefecture, ShanghaiDistrict
from indicators.models import Indicator, IndicatorFigure
from projects.models import Fund, IndustrialPark
from tests.cast import make_cadre

Level = IndicatorFigure.Level


@pytest.fixture(name="cast")
def cast_fixture(db, django_user_model):
    puer = Prefecture.objects.create(code="530800", name="普洱市", division_type="地级市")
    banna = Prefecture.objects.create(
        code="532800", name="西双版纳傣族自治州", division_type="自治州"
    )
    lancang = County.objects.create(
        code="530828", name="澜沧拉祜族自治县", prefecture=puer, division_type="自治县"
    )
    menglian = County.objects.create(
        code="530827", name="孟连傣族拉祜族佤族自治县", prefecture=puer, division_type="自治县"
    )
    menghai = County.objects.create(
        code="532822", name="勐海县", prefecture=banna, division_type="县"
    )
    huangpu = ShanghaiDistrict.objects.create(code="310101", name="黄浦区")
    xuhui = ShanghaiDistrict.objects.create(code="310104", name="徐汇区")
    for district, county in [(huangpu, lancang), (huangpu, menglian), (xuhui, menglian)]:
        Pairing.objects.create(district=district, county=county, from_year=2021)
    Pairing.objects.create(district=xuhui, county=menghai, from_year=2021)
    user = django_user_model.objects.create_superuser("admin", password="not-used")
    return {
        "user": user,
        "puer": puer,
        "banna": banna,
        "lancang": lancang,
        "menglian": menglian,
        "menghai": menghai,
        "huangpu": huangpu,
        "xuhui": xuhui,
    }


def figure(code, place=None, target=None, result=None, year=2023, note=""):
    level = {
        County: Level.COUNTY,
        Prefecture: Level.PREFECTURE,
        ShanghaiDistrict: Level.PAIRING,
        type(None): Level.PROVINCE,
    }[type(place)]
    return IndicatorFigure.objects.create(
        indicator=Indicator.objects.get(code=code),
        year=year,
        level=level,
        county=place if level == Level.COUNTY else None,
        prefecture=place if level == Level.PREFECTURE else None,
        district=place if level == Level.PAIRING else None,
        target=None if target is None else Decimal(target),
        result=None if result is None else Decimal(result),
        note=note,
    )


@pytest.fixture(name="labour")
def labour_fixture(cast):
    """Counties report 1000/1500, 2000/1000 and 500/800; 西双版纳 reports 600/900 itself."""
    figure("labour_jobs", cast["lancang"], "1000", "1500")
    figure("labour_jobs", cast["menglian"], "2000", "1000")
    figure("labour_jobs", cast["menghai"], "500", "800")
    figure("labour_jobs", cast["banna"], "600", "900")
    return cast


@pytest.fixture(name="records")
def records_fixture(cast):
    """Funds, cadres and parks the registry counts itself, in 2023 and around it."""
    Fund.objects.create(source="city", year=2023, county=cast["lancang"], amount=Decimal("100"))
    Fund.objects.create(
        source="district", year=2023, county=cast["menglian"], amount=Decimal("50.5")
    )
    Fund.objects.create(source="social", year=2023, county=cast["menghai"], amount=Decimal("30"))
    Fund.objects.create(source="city", year=2022, county=cast["menghai"], amount=Decimal("999"))
    Fund.objects.create(source="enterprise", year=2023, county=cast["lancang"], amount=Decimal(7))
    make_cadre(
        name="示例干部甲",
        kind="official",
        county=cast["lancang"],
        term_start=datetime.date(2021, 7, 1),
        term_end=datetime.date(2024, 6, 30),
    )
    make_cadre(
        name="示例干部乙",
        kind="teacher",
        prefecture=cast["puer"],
        term_start=datetime.date(2023, 9, 1),
    )
    make_cadre(
        name="示例干部丙",
        kind="doctor",
        county=cast["menghai"],
        term_start=datetime.date(2019, 7, 1),
        term_end=datetime.date(2022, 12, 31),  # gone before 2023
    )
    # Parks count by their records of the year: 甲's 2022 record does not count in 2023, nor
    # its construction investment as 到位投资; 乙 has a 2024 record only.
    first = IndustrialPark.objects.create(
        name="示例园区甲", county=cast["lancang"], year_founded=2021
    )
    first.years.create(year=2022, enterprises=7, investment=Decimal("70"), jobs=700)
    first.years.create(
        year=2023,
        enterprises=3,
        investment=Decimal("500.5"),
        construction_investment=Decimal("8000"),
        jobs=100,
    )
    second = IndustrialPark.objects.create(
        name="示例园区乙", county=cast["menghai"], year_founded=2024
    )
    second.years.create(year=2024, enterprises=9, jobs=900)
    return cast
