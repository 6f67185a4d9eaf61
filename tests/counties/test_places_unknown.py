"""Place names that cannot be read (counties.places): typos refused with the nearest names,
names against an empty database, long values quoted cut, and huge cells refused at once.
Read against the real reference data (`places`, tests/counties/conftest.py)."""

import pytest

from counties.models import Prefecture
from counties.places import PlaceNames

from .place_reading import county_of, refusal

# Unknown names


def test_a_typo_is_refused_with_the_nearest_names(places):
    assert refusal(places.county, "澜仓县") == "未知的县市区“澜仓县”，是否为：“澜沧拉祜族自治县”？"
    assert refusal(places.prefecture, "大里州") == "未知的州市“大里州”，是否为：“大理白族自治州”？"


def test_at_most_three_names_are_suggested(places):
    assert refusal(places.county, "永县") == (
        "未知的县市区“永县”，是否为：“永胜县”、“永德县”、“永平县”？"
    )


def test_a_typo_after_a_prefecture_is_matched_among_its_counties(places):
    assert refusal(places.county, "普洱市澜仓县") == (
        "未知的县市区“普洱市澜仓县”，是否为：“澜沧拉祜族自治县”？"
    )


def test_nothing_near_is_refused_without_suggestions(places):
    assert refusal(places.county, "xyz") == "未知的县市区“xyz”"
    assert refusal(places.prefecture, "勐海县") == "未知的州市“勐海县”"


def test_names_read_against_an_empty_database_are_refused_in_chinese(db):
    places = PlaceNames()

    assert refusal(places.county, "澜沧拉祜族自治县") == "未知的县市区“澜沧拉祜族自治县”"
    assert refusal(places.prefecture, "普洱市") == "未知的州市“普洱市”"
    assert places.prefecture("全省") == (None, None)


def test_a_typo_after_a_prefecture_without_counties_is_refused_in_chinese(reference):
    Prefecture.objects.create(code="539900", name="某某市", division_type="地级市")  # made up
    places = PlaceNames()

    assert refusal(places.county, "某某市澜仓县") == "未知的县市区“某某市澜仓县”"


def test_a_long_value_is_quoted_cut(places):
    assert refusal(places.county, "甲" * 60) == "未知的县市区“%s…”" % ("甲" * 50)
    assert refusal(places.prefecture, "甲" * 60) == "未知的州市“%s…”" % ("甲" * 50)


def test_the_longest_ways_of_writing_a_county_are_read_whole(places):
    assert county_of(places, "云南省临沧市双江拉祜族佤族布朗族傣族自治县（530925）") == (
        "530925",
        None,
    )
    # The longest prefecture and county names: read whole, and refused for what they say.
    written = "云南省西双版纳傣族自治州双江拉祜族佤族布朗族傣族自治县（530925）"
    assert "属于临沧市，不属于西双版纳傣族自治州" in refusal(places.county, written)


def test_a_huge_cell_is_refused_at_once(places):
    import time

    started = time.perf_counter()
    for _ in range(100):
        with pytest.raises(ValueError):
            places.county("普洱市" + "澜" * 30000)
    assert time.perf_counter() - started < 1
