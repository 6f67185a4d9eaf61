"""Place names as county offices write them (counties.places), officially or as they were:
official names and codes read without a notice, the words for the whole province, former
names and codes read as today's, and former divisions since split refused with today's.
Read against the real reference data (`places`, tests/counties/conftest.py)."""

import pytest

from counties.models import County, FormerDivision, Prefecture
from counties.places import PlaceNames

from .place_reading import county_of, prefecture_of, refusal

# Written officially: no notice


def test_every_official_county_name_and_code_reads_without_notice(places):
    counties = list(County.objects.all())

    assert len(counties) == 129
    for county in counties:
        assert county_of(places, county.name) == (county.code, None)
        assert county_of(places, county.code) == (county.code, None)


def test_every_official_prefecture_name_and_code_reads_without_notice(places):
    prefectures = list(Prefecture.objects.all())

    assert len(prefectures) == 16
    for prefecture in prefectures:
        assert prefecture_of(places, prefecture.name) == (prefecture.code, None)
        assert prefecture_of(places, prefecture.code) == (prefecture.code, None)


def test_full_width_digits_and_spaces_are_the_same_text(places):
    assert county_of(places, "５３０８２８") == ("530828", None)
    assert county_of(places, "澜沧　拉祜族 自治县") == ("530828", None)
    assert prefecture_of(places, "５３２８００") == ("532800", None)


def test_a_county_read_brings_its_prefecture_without_a_query(places, django_assert_num_queries):
    with django_assert_num_queries(0):
        county, _ = places.county("澜沧")
        assert county.prefecture.name == "普洱市"


def test_names_are_loaded_in_three_queries_and_read_with_none(reference, django_assert_num_queries):
    with django_assert_num_queries(3):
        places = PlaceNames()
    with django_assert_num_queries(0):
        places.county("香格里拉县")
        places.county("西双版纳州勐海县")
        places.prefecture("红河州")
        with pytest.raises(ValueError):
            places.county("澜仓县")


# The whole province


@pytest.mark.parametrize("value", ["全省", "云南省", "云南", "省级", ""])
def test_province_words_mean_the_whole_province(places, value):
    assert places.prefecture(value) == (None, None)


def test_a_blank_county_is_refused(places):
    assert refusal(places.county, "") == "未填写县市区"
    assert refusal(places.county, "　") == "未填写县市区"


# Former names and codes


def test_former_county_names_read_as_todays_name(places):
    assert county_of(places, "香格里拉县") == (
        "533401",
        "“香格里拉县”按现名“香格里拉市”（533401）导入",
    )
    assert county_of(places, "中甸县") == ("533401", "“中甸县”按现名“香格里拉市”（533401）导入")
    assert county_of(places, "潞西市") == ("533103", "“潞西市”按现名“芒市”（533103）导入")
    assert county_of(places, "翠云区") == ("530802", "“翠云区”按现名“思茅区”（530802）导入")


def test_former_county_codes_read_as_todays_code(places):
    assert county_of(places, "533421") == (
        "533401",
        "“533421”按现行代码“533401”（香格里拉市）导入",
    )
    assert county_of(places, "532729") == (
        "530828",
        "“532729”按现行代码“530828”（澜沧拉祜族自治县）导入",
    )


def test_a_former_code_that_is_todays_code_reads_without_notice(places):
    # 533103 was 潞西市 and is 芒市; 530126 was 路南彝族自治县 and is 石林彝族自治县.
    assert county_of(places, "533103") == ("533103", None)
    assert county_of(places, "530126") == ("530126", None)


def test_simao_city_is_a_district_in_the_county_column_and_puer_in_the_prefecture_column(
    places,
):
    assert county_of(places, "思茅市") == ("530802", "“思茅市”按现名“思茅区”（530802）导入")
    assert prefecture_of(places, "思茅市") == (
        "530800",
        "“思茅市”按现名“普洱市”（530800）导入",
    )


def test_former_prefectures_read_as_todays_prefecture(places):
    assert prefecture_of(places, "思茅地区") == (
        "530800",
        "“思茅地区”按现名“普洱市”（530800）导入",
    )
    assert prefecture_of(places, "532700") == (
        "530800",
        "“532700”按现行代码“530800”（普洱市）导入",
    )
    assert prefecture_of(places, "丽江地区") == (
        "530700",
        "“丽江地区”按现名“丽江市”（530700）导入",
    )


def test_every_former_division_reads_in_its_column_as_its_current_division(places):
    """Every row of the division history that names one division today, by name and by code;
    the two split ones (曲靖市, 丽江纳西族自治县) are refused, and 东川市, a prefecture then and
    a district of 昆明市 now, reads only in the county column."""
    read = split = 0
    for former in FormerDivision.objects.all():
        codes = former.current_code_list()
        for written in (former.name, former.code):
            if len(codes) > 1:
                assert "已撤销并分设为" in refusal(places.county, written)
                split += 1
            elif former.code == "530200":
                assert county_of(places, written)[0] == "530113"
                assert "东川区" in refusal(places.prefecture, written)
            elif former.level == FormerDivision.Level.COUNTY:
                if former.name in ("昭通市", "玉溪市", "保山市") and written == former.name:
                    continue  # today's prefecture names too: test_county_or_prefecture
                assert county_of(places, written)[0] == codes[0], written
                read += 1
            else:
                assert prefecture_of(places, written)[0] == codes[0], written
                read += 1
    assert (read, split) == (165, 4)


def test_dongchuan_city_reads_as_its_district_and_is_refused_as_a_prefecture(places):
    assert county_of(places, "东川市") == ("530113", "“东川市”按现名“东川区”（530113）导入")
    assert refusal(places.prefecture, "东川市") == (
        "“东川市”已于1998年撤销，今为昆明市的“东川区”（530113），请填写“昆明市”"
    )


# Split former divisions


def test_a_split_former_county_is_refused_with_todays_divisions(places):
    assert refusal(places.county, "丽江纳西族自治县") == (
        "“丽江纳西族自治县”已撤销并分设为“古城区”（530702）、“玉龙纳西族自治县”（530721），"
        "请填写现名"
    )
    assert refusal(places.county, "533221") == (
        "“533221”（丽江纳西族自治县）已撤销并分设为“古城区”（530702）、"
        "“玉龙纳西族自治县”（530721），请填写现名"
    )
    assert refusal(places.county, "丽江县") == (
        "“丽江县”已撤销并分设为“古城区”（530702）、“玉龙纳西族自治县”（530721），请填写现名"
    )
    assert refusal(places.county, "曲靖市") == (
        "“曲靖市”已撤销并分设为“麒麟区”（530302）、“沾益区”（530303），请填写现名"
    )


def test_the_row_prefecture_does_not_choose_within_a_split(places):
    lijiang = Prefecture.objects.get(code="530700")

    assert "已撤销并分设为" in refusal(places.county, "丽江纳西族自治县", lijiang)
