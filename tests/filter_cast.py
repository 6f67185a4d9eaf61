"""Places and pairings for the tests of the list filters (tests/test_filters_*.py): three
counties with different flags, two Shanghai districts whose pairings changed in 2021, and a
project, a fund, a park and a cadre on either side of the change."""

import datetime
from decimal import Decimal

import pytest

from counties.models import County, Pairing, ShanghaiDistrict
from projects.models import Fund, IndustrialPark, Project
from tests.cast import make_cadre

HUANGPU, XUHUI = "310101", "310104"


@pytest.fixture(name="places")
def places_fixture(county, menghai, district):
    """澜沧 (普洱, 脱贫县, 边境县), 思茅 (普洱, 重点帮扶县), 勐海 (西双版纳, 边境县).

    黄浦区 was paired with the whole of 普洱 from 2017 to 2020; 徐汇区 with 勐海 until 2020
    and with 澜沧 from 2021."""
    simao = County.objects.create(
        code="530802",
        name="思茅区",
        prefecture=county.prefecture,
        division_type="市辖区",
        is_key_assistance=True,
    )
    xuhui = ShanghaiDistrict.objects.create(code=XUHUI, name="徐汇区")
    Pairing.objects.create(
        district=district, prefecture=county.prefecture, from_year=2017, to_year=2020
    )
    Pairing.objects.create(district=xuhui, county=menghai, to_year=2020)
    Pairing.objects.create(district=xuhui, county=county, from_year=2021)
    return {"lancang": county, "simao": simao, "menghai": menghai}


def project(code, county, year, **fields):
    return Project.objects.create(
        code=code,
        name="项目%s" % code,
        county=county,
        year=year,
        category=fields.pop("category", "industry"),
        shanghai_funds=Decimal(fields.pop("shanghai_funds", "10")),
        **fields,
    )


@pytest.fixture(name="paired_projects")
def paired_projects_fixture(places):
    """One project per county in 2019/2020 and in 2022: 黄浦区's are LC-2020 and SM-2019 (the
    whole of 普洱 until 2020), 徐汇区's LC-2022 and MH-2019."""
    lancang, simao, menghai = places["lancang"], places["simao"], places["menghai"]
    project("LC-2020", lancang, 2020)
    project("LC-2022", lancang, 2022, category="health")
    project("SM-2019", simao, 2019)
    project("SM-2022", simao, 2022, status="completed")
    project("MH-2019", menghai, 2019, category="education")
    project("MH-2022", menghai, 2022)


@pytest.fixture(name="paired_funds")
def paired_funds_fixture(places):
    """Funds on the same pattern as paired_projects: 黄浦区's are 澜沧 2020 and 思茅 2019,
    徐汇区's 澜沧 2022 and 勐海 2019."""
    for county, year, amount in [
        ("lancang", 2020, "1"),
        ("lancang", 2022, "2"),
        ("simao", 2019, "3"),
        ("simao", 2022, "4"),
        ("menghai", 2019, "5"),
        ("menghai", 2022, "6"),
    ]:
        Fund.objects.create(source="city", year=year, county=places[county], amount=Decimal(amount))


@pytest.fixture(name="paired_parks")
def paired_parks_fixture(places, district):
    """澜沧园 names 黄浦区 as its partner (founded 2022, when 澜沧 was paired with 徐汇区);
    勐海园 names none and was founded in 2019, when 勐海 was 徐汇区's; 思茅园 names none and
    was founded in 2022, when 思茅 was nobody's."""
    IndustrialPark.objects.create(
        name="澜沧园", county=places["lancang"], partner_district=district, year_founded=2022
    )
    IndustrialPark.objects.create(name="勐海园", county=places["menghai"], year_founded=2019)
    IndustrialPark.objects.create(name="思茅园", county=places["simao"], year_founded=2022)


@pytest.fixture(name="paired_cadres")
def paired_cadres_fixture(places):
    """甲 in 澜沧 from 2022 (徐汇区); 乙 at 普洱 itself from 2019 (黄浦区, the whole
    prefecture); 丙 at 普洱 from 2022 (徐汇区, paired with 澜沧 in it); 丁 in 勐海 from 2022
    (nobody)."""
    lancang = places["lancang"]
    make_cadre(name="甲", county=lancang, term_start=datetime.date(2022, 3, 1))
    make_cadre(name="乙", prefecture=lancang.prefecture, term_start=datetime.date(2019, 7, 1))
    make_cadre(name="丙", prefecture=lancang.prefecture, term_start=datetime.date(2022, 7, 1))
    make_cadre(name="丁", county=places["menghai"], term_start=datetime.date(2022, 7, 1))
