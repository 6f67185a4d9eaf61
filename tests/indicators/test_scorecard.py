"""Targets against results: completion rates and roll-ups on hand-checked numbers (the cast
and its numbers are in scorecard_cast.py)."""

from decimal import Decimal

import pytest

from counties.models import County, Pairing, Scope, ShanghaiDistrict
from counties.scopes import scope_of
from indicators.models import Indicator
from indicators.scorecard import PROVINCE, Ledger, Line, Place

from .scorecard_cast import Level, cast_fixture, figure, labour_fixture, records_fixture  # noqa: F401


def line(cast, place, code="labour_jobs", year=2023):
    ledger = Ledger(year, scope_of(cast["user"]))
    return ledger.line(ledger.indicator(code), place)


def test_rate_is_result_over_target_to_one_decimal_as_the_reports_write_it(db):
    labour_jobs = Indicator.objects.get(code="labour_jobs")

    assert Line(labour_jobs, Decimal(40000), reported=Decimal(180110)).rate == Decimal("450.3")
    assert Line(labour_jobs, Decimal(3), reported=Decimal(2)).rate == Decimal("66.7")
    assert Line(labour_jobs, Decimal(8), reported=Decimal(1)).rate == Decimal("12.5")
    assert Line(labour_jobs, Decimal(0), reported=Decimal(5)).rate is None
    assert Line(labour_jobs, None, reported=Decimal(5)).rate is None
    assert Line(labour_jobs, Decimal(5)).rate is None


def test_a_prefecture_without_its_own_figure_sums_its_counties(labour):
    puer = line(labour, Place(Level.PREFECTURE, labour["puer"]))

    assert (puer.target, puer.result) == (Decimal(3000), Decimal(2500))
    assert puer.target_summed and puer.reported is None
    assert puer.rate == Decimal("83.3")


def test_a_prefectures_own_figure_wins_over_its_counties_and_the_difference_shows(labour):
    banna = line(labour, Place(Level.PREFECTURE, labour["banna"]))

    assert (banna.target, banna.result, banna.summed) == (Decimal(600), Decimal(900), Decimal(800))
    assert not banna.target_summed
    assert banna.rate == Decimal("150.0")
    assert banna.parts_differ


def test_the_province_rolls_up_prefectures_counting_each_county_once(labour):
    province = line(labour, PROVINCE)

    # 普洱 3000/2500 from its counties, 西双版纳 600/900 as it reported.
    assert (province.target, province.result) == (Decimal(3600), Decimal(3400))
    assert province.rate == Decimal("94.4")


def test_a_county_paired_with_two_districts_counts_for_each_district_but_once_in_the_province(
    labour,
):
    huangpu = line(labour, Place(Level.PAIRING, labour["huangpu"]))
    xuhui = line(labour, Place(Level.PAIRING, labour["xuhui"]))
    province = line(labour, PROVINCE)

    assert (huangpu.target, huangpu.result, huangpu.rate) == (3000, 2500, Decimal("83.3"))
    # 孟连 (2000/1000) and 勐海 (500/800): the county figure, not 西双版纳's own.
    assert (xuhui.target, xuhui.result, xuhui.rate) == (2500, 1800, Decimal("72.0"))
    assert huangpu.result + xuhui.result == 4300
    assert province.result == 3400


def test_a_district_paired_with_a_whole_prefecture_sums_that_prefecture_once(labour):
    songjiang = ShanghaiDistrict.objects.create(code="310117", name="松江区")
    Pairing.objects.create(district=songjiang, prefecture=labour["banna"], from_year=2021)
    Pairing.objects.create(district=songjiang, county=labour["menghai"], from_year=2021)

    songjiang_line = line(labour, Place(Level.PAIRING, songjiang))

    # 西双版纳 as it reported itself (900); 勐海 is inside it and not added again.
    assert (songjiang_line.target, songjiang_line.result) == (Decimal(600), Decimal(900))


def test_the_provinces_own_figure_wins_and_its_parts_sum_is_kept_beside_it(labour):
    figure("labour_jobs", None, "40000", "180110")

    province = line(labour, PROVINCE)

    assert (province.target, province.result, province.rate) == (40000, 180110, Decimal("450.3"))
    assert province.summed == 3400
    assert province.parts_differ and not province.target_summed


def test_a_pairing_past_its_end_year_no_longer_counts(labour):
    Pairing.objects.filter(district=labour["xuhui"], county=labour["menghai"]).update(to_year=2022)

    xuhui = line(labour, Place(Level.PAIRING, labour["xuhui"]))

    assert (xuhui.target, xuhui.result) == (Decimal(2000), Decimal(1000))


def test_figures_of_another_year_do_not_count(labour):
    assert line(labour, PROVINCE, year=2022).result is None


@pytest.mark.parametrize(
    ("code", "province", "puer", "menghai", "xuhui"),
    [
        ("fiscal_aid", "150.5", "150.5", "0", "50.5"),
        ("social_funds", "30", "0", "30", "30"),
        ("cadres", "1", "1", "0", "0"),
        ("professionals", "1", "1", "0", "0"),
        ("teachers", "1", "1", "0", "0"),
        ("doctors", "0", "0", "0", "0"),
        ("parks", "1", "1", "0", "0"),
        ("enterprises", "3", "3", "0", "0"),
        ("investment", "500.5", "500.5", "0", "0"),
        ("park_jobs", "100", "100", "0", "0"),
    ],
)
def test_results_are_counted_from_funds_cadres_and_parks(
    records, code, province, puer, menghai, xuhui
):
    counted = {
        name: line(records, place, code).counted
        for name, place in [
            ("province", PROVINCE),
            ("puer", Place(Level.PREFECTURE, records["puer"])),
            ("menghai", Place(Level.COUNTY, records["menghai"])),
            ("xuhui", Place(Level.PAIRING, records["xuhui"])),
        ]
    }

    assert counted == {
        "province": Decimal(province),
        "puer": Decimal(puer),
        "menghai": Decimal(menghai),
        "xuhui": Decimal(xuhui),
    }


def test_indicators_the_records_cannot_count_have_no_counted_result(records):
    assert line(records, PROVINCE, "labour_jobs").counted is None
    assert line(records, PROVINCE, "consumption_aid").counted is None


def test_a_reported_result_other_than_the_counted_one_is_a_mismatch(records):
    figure("fiscal_aid", None, "200", "150.5")
    figure("parks", None, None, "80")

    assert not line(records, PROVINCE, "fiscal_aid").mismatch
    parks = line(records, PROVINCE, "parks")
    assert (parks.result, parks.counted, parks.mismatch) == (80, 1, True)


def test_a_scoped_user_sees_prefectures_only_when_holding_all_their_counties(
    records, django_user_model
):
    County.objects.create(
        code="532801", name="景洪市", prefecture=records["banna"], division_type="县级市"
    )
    user = django_user_model.objects.create_user("puer", password="not-used")
    scope = Scope.objects.create(user=user)
    scope.prefectures.add(records["puer"])
    scope.counties.add(records["menghai"])

    ledger = Ledger(2023, scope_of(user))

    names = [place.name for place in ledger.places()]
    assert names == ["普洱市", "孟连傣族拉祜族佤族自治县", "澜沧拉祜族自治县", "勐海县"]
    # The cadre posted to 普洱 itself counts for 普洱, which the user holds whole.
    assert (
        ledger.line(ledger.indicator("teachers"), Place(Level.PREFECTURE, records["puer"])).counted
        == 1
    )
