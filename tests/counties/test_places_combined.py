"""A place written together with more (counties.places): a prefecture in front of its county,
and a code with its name, read when they agree and refused when they do not. Read against
the real reference data (`places`, tests/counties/conftest.py)."""

from .place_reading import county_of, prefecture_of, refusal

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
