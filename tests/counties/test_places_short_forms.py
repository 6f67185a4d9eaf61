"""Short forms of place names (counties.places): autonomous names without their ethnic part,
names without their final 县, 市 or 区, short forms of former names and of prefectures, a
short form two counties share, a county form that may be its prefecture, and the list of
accepted spellings. Read against the real reference data (`places`, tests/counties/conftest.py)."""

import pytest

from counties.models import County, FormerDivision, Prefecture
from counties.places import (
    PlaceNames,
    county_short_forms,
    either,
    prefecture_short_forms,
    without_ethnic_part,
)

from .place_reading import county_of, prefecture_of, refusal

# Short forms


def test_short_forms_of_autonomous_counties_drop_the_ethnic_part(places):
    assert county_of(places, "澜沧县") == (
        "530828",
        "“澜沧县”按“澜沧拉祜族自治县”（530828）导入",
    )
    assert county_of(places, "澜沧") == ("530828", "“澜沧”按“澜沧拉祜族自治县”（530828）导入")
    assert county_of(places, "贡山县") == (
        "533324",
        "“贡山县”按“贡山独龙族怒族自治县”（533324）导入",
    )


def test_short_forms_drop_the_final_county_city_or_district(places):
    assert county_of(places, "勐海") == ("532822", "“勐海”按“勐海县”（532822）导入")
    assert county_of(places, "景洪") == ("532801", "“景洪”按“景洪市”（532801）导入")
    assert county_of(places, "思茅") == ("530802", "“思茅”按“思茅区”（530802）导入")


def test_a_short_form_keeps_two_characters(places):
    assert county_short_forms("芒市") == []
    assert county_short_forms("云县") == []
    assert refusal(places.county, "芒") == "未知的县市区“芒”，是否为：“芒市”？"


def test_short_forms_of_former_names_read_as_todays_name(places):
    assert county_of(places, "中甸") == ("533401", "“中甸”按现名“香格里拉市”（533401）导入")
    assert county_of(places, "潞西") == ("533103", "“潞西”按现名“芒市”（533103）导入")
    assert county_of(places, "路南县") == (
        "530126",
        "“路南县”按现名“石林彝族自治县”（530126）导入",
    )
    # 香格里拉 is the short form of today's 香格里拉市 and of the former 香格里拉县.
    assert county_of(places, "香格里拉") == ("533401", "“香格里拉”按“香格里拉市”（533401）导入")


@pytest.mark.parametrize(
    "value, code, official",
    [
        ("普洱", "530800", "普洱市"),
        ("普洱地区", "530800", "普洱市"),
        ("红河州", "532500", "红河哈尼族彝族自治州"),
        ("红河", "532500", "红河哈尼族彝族自治州"),
        ("西双版纳州", "532800", "西双版纳傣族自治州"),
        ("西双版纳", "532800", "西双版纳傣族自治州"),
        ("大理州", "532900", "大理白族自治州"),
        ("楚雄州", "532300", "楚雄彝族自治州"),
        ("文山州", "532600", "文山壮族苗族自治州"),
        ("德宏州", "533100", "德宏傣族景颇族自治州"),
        ("怒江州", "533300", "怒江傈僳族自治州"),
        ("迪庆州", "533400", "迪庆藏族自治州"),
        ("昆明", "530100", "昆明市"),
        ("云南省普洱市", "530800", "普洱市"),
    ],
)
def test_prefecture_short_forms(places, value, code, official):
    assert prefecture_of(places, value) == (code, "“%s”按“%s”（%s）导入" % (value, official, code))


def test_every_autonomous_name_yields_its_short_forms(places):
    autonomous = [
        *County.objects.filter(name__endswith="自治县"),
        *Prefecture.objects.filter(name__endswith="自治州"),
    ]
    assert len(autonomous) == 29 + 8
    for division in autonomous:
        base = without_ethnic_part(division.name)
        assert base and "族" not in base and len(base) >= 2, division.name
        if isinstance(division, County):
            assert county_short_forms(division.name) == [base + "县", base]
            assert county_of(places, base + "县")[0] == division.code
            assert county_of(places, base)[0] == division.code
        else:
            assert prefecture_short_forms(division.name) == [base + "州", base]
            assert prefecture_of(places, base + "州")[0] == division.code
            assert prefecture_of(places, base)[0] == division.code
    for former in FormerDivision.objects.filter(name__endswith="自治县"):
        assert without_ethnic_part(former.name), former.name


def test_ethnic_parts_of_several_peoples_are_dropped_whole():
    assert without_ethnic_part("贡山独龙族怒族自治县") == "贡山"
    assert without_ethnic_part("双江拉祜族佤族布朗族傣族自治县") == "双江"
    assert without_ethnic_part("德宏傣族景颇族自治州") == "德宏"
    assert without_ethnic_part("勐海县") is None
    # A people not on the list leaves the name without short forms rather than cut wrong.
    assert without_ethnic_part("某某高山族自治县") is None


def test_no_short_form_of_todays_divisions_names_two_of_them(places):
    """Found in the data: within a column, every form names one division or one split."""
    for forms in (places.county_forms, places.prefecture_forms):
        for form in forms:
            if form in ("曲靖市", "532201", "曲靖", "丽江纳西族自治县", "533221", "丽江县", "丽江"):
                continue
            places.meaning(forms, form, form)  # raises for a form naming two


# A short form two counties share


@pytest.fixture
def second_lancang(reference):
    """Not in the real data (no short form is shared there): a made-up 澜沧区 in 西双版纳,
    whose short form 澜沧 is also that of 澜沧拉祜族自治县 in 普洱市."""
    return County.objects.create(
        code="532899",
        name="澜沧区",
        prefecture=Prefecture.objects.get(code="532800"),
        division_type="市辖区",
    )


def test_a_shared_short_form_is_refused_with_the_candidates(second_lancang):
    places = PlaceNames()

    assert refusal(places.county, "澜沧") == (
        "“澜沧”可能是“澜沧拉祜族自治县”（530828）或“澜沧区”（532899），请填写全称或区划代码"
    )


def test_the_row_prefecture_chooses_between_shared_short_forms(second_lancang):
    places = PlaceNames()
    puer = Prefecture.objects.get(code="530800")
    xishuangbanna = Prefecture.objects.get(code="532800")

    assert county_of(places, "澜沧", puer) == ("530828", "“澜沧”按“澜沧拉祜族自治县”（530828）导入")
    assert county_of(places, "澜沧", xishuangbanna) == ("532899", "“澜沧”按“澜沧区”（532899）导入")
    assert "可能是" in refusal(places.county, "澜沧", Prefecture.objects.get(code="530100"))


def test_an_official_name_two_prefectures_share_needs_the_prefecture(reference):
    # Names are unique only within a prefecture: a made-up second 勐海县, in 普洱市.
    puer = Prefecture.objects.get(code="530800")
    County.objects.create(code="530899", name="勐海县", prefecture=puer, division_type="县")
    places = PlaceNames()

    assert refusal(places.county, "勐海县") == "县市区“勐海县”重名，请同时填写州市或改用区划代码"
    assert county_of(places, "勐海县", puer) == ("530899", None)
    assert county_of(places, "勐海县", Prefecture.objects.get(code="532800")) == ("532822", None)
    assert county_of(places, "532822") == ("532822", None)


def test_either_lists_two_or_more():
    assert either(["“A”（1）"]) == "“A”（1）"
    assert either(["“A”（1）", "“B”（2）"]) == "“A”（1）或“B”（2）"
    assert either(["“A”（1）", "“B”（2）", "“C”（3）"]) == "“A”（1）、“B”（2）或“C”（3）"


# A county or its prefecture?


def test_county_or_prefecture(places):
    """An informal county form that is also one of today's prefectures' names or short forms
    may be the prefecture written in the wrong column: refused, whatever the row's prefecture."""
    dali = Prefecture.objects.get(code="532900")

    assert refusal(places.county, "大理") == (
        "“大理”可能是“大理市”（532901）或“大理白族自治州”（532900），请填写全称或区划代码"
    )
    assert refusal(places.county, "大理", dali) == refusal(places.county, "大理")
    assert refusal(places.county, "红河") == (
        "“红河”可能是“红河县”（532529）或“红河哈尼族彝族自治州”（532500），请填写全称或区划代码"
    )
    assert refusal(places.county, "普洱") == (
        "“普洱”可能是“宁洱哈尼族彝族自治县”（530821）或“普洱市”（530800），请填写全称或区划代码"
    )
    assert refusal(places.county, "昭通市") == (
        "“昭通市”可能是“昭阳区”（530602）或“昭通市”（530600），请填写全称或区划代码"
    )
    # The full name, the code, or the name after its prefecture tell.
    assert county_of(places, "大理市") == ("532901", None)
    assert county_of(places, "红河州红河县") == ("532529", "“红河州红河县”按“红河县”（532529）导入")
    assert county_of(places, "大理州大理") == ("532901", "“大理州大理”按“大理市”（532901）导入")


# What a list of accepted spellings may show


def test_accepted_county_forms_are_exactly_those_read_without_error(places):
    accepted = places.accepted_county_forms()

    assert sorted(accepted["530828"]) == ["澜沧", "澜沧县"]
    assert sorted(accepted["533401"]) == ["中甸", "中甸县", "香格里拉", "香格里拉县"]
    assert "大理" not in accepted["532901"]  # also 大理白族自治州
    assert not any("丽江" in form for forms in accepted.values() for form in forms)
    for code, forms in accepted.items():
        for form in forms:
            assert county_of(places, form)[0] == code
