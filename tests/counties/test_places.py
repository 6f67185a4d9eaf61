"""Place names as county offices write them (counties.places), read against the real
reference data: official names and codes, former names and codes, short forms, a prefecture
written in front of its county, and the messages for what cannot be read."""

import pytest

from counties.models import County, FormerDivision, Prefecture
from counties.places import (
    PlaceNames,
    county_short_forms,
    either,
    prefecture_short_forms,
    without_ethnic_part,
)


@pytest.fixture
def places(reference):
    return PlaceNames()


def county_of(places, value, prefecture=None):
    county, notice = places.county(value, prefecture)
    return county.code, notice


def prefecture_of(places, value):
    prefecture, notice = places.prefecture(value)
    return (prefecture.code if prefecture else None), notice


def refusal(read, *args):
    with pytest.raises(ValueError) as error:
        read(*args)
    return str(error.value)


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


# A prefecture written in front of its county


def test_a_prefecture_in_front_of_its_county(places):
    assert county_of(places, "普洱市澜沧县") == (
        "530828",
        "“普洱市澜沧县”按“澜沧拉祜族自治县”（530828）导入",
    )
    assert county_of(places, "西双版纳州勐海县") == (
        "532822",
        "“西双版纳州勐海县”按“勐海县”（532822）导入",
    )
    assert county_of(places, "红河州屏边县") == (
        "532523",
        "“红河州屏边县”按“屏边苗族自治县”（532523）导入",
    )
    assert county_of(places, "普洱市思茅区") == ("530802", "“普洱市思茅区”按“思茅区”（530802）导入")
    assert county_of(places, "迪庆州中甸县") == (
        "533401",
        "“迪庆州中甸县”按现名“香格里拉市”（533401）导入",
    )
    assert county_of(places, "云南省普洱市澜沧县") == (
        "530828",
        "“云南省普洱市澜沧县”按“澜沧拉祜族自治县”（530828）导入",
    )


def test_a_county_after_another_prefecture_is_refused(places):
    assert refusal(places.county, "普洱市勐海县") == (
        "“普洱市勐海县”中的“勐海县”（532822）属于西双版纳傣族自治州，不属于普洱市"
    )


# A code with its name


def test_a_code_with_its_name(places):
    assert county_of(places, "530828 澜沧拉祜族自治县") == ("530828", None)
    assert county_of(places, "530828澜沧县") == ("530828", None)
    assert county_of(places, "澜沧拉祜族自治县（530828）") == ("530828", None)
    assert county_of(places, "532729 澜沧拉祜族自治县") == (
        "530828",
        "“532729 澜沧拉祜族自治县”按现行代码“530828”（澜沧拉祜族自治县）导入",
    )
    assert prefecture_of(places, "530800 普洱市") == ("530800", None)


def test_a_code_and_a_name_that_disagree_are_refused(places):
    assert refusal(places.county, "530828 勐海县") == (
        "“530828 勐海县”的区划代码与名称不符：530828是“澜沧拉祜族自治县”，不是“勐海县”（532822）"
    )
    assert refusal(places.county, "530899 澜沧县") == "“530899 澜沧县”中的区划代码“530899”不存在"
    assert refusal(places.county, "530828 澜仓县") == (
        "“530828 澜仓县”中的名称有误：未知的县市区“澜仓县”，是否为：“澜沧拉祜族自治县”？"
    )


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
