"""Money and counts as cells hold them (projects.importers.values): units, thousands commas,
full-width digits and rounding, each with its exact value, warnings and message; the
properties check that no cell makes a reader raise anything but ValueError, and that money
reads back what it stores.

The properties' examples are derived from each test's name (derandomize), so the suite gives
the same answer every run.
"""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projects.importers.values import read_count, read_money

from .cell_readers import CELLS, PROPERTY, count, money, outcome, refused

# Money


@pytest.mark.parametrize(
    "raw, unit, amount",
    [
        (120.5, "万元", "120.5000"),
        ("120.5", "万元", "120.5000"),
        (120, "万元", "120.0000"),
        ("0", "万元", "0.0000"),
        ("-0", "万元", "0.0000"),
        (-0.0, "万元", "0.0000"),
        (".5", "万元", "0.5000"),
        ("12,345.5", "万元", "12345.5000"),
        ("1,234,567", "万元", "1234567.0000"),
        ("１２０．５", "万元", "120.5000"),
        ("１２，３４５．５", "万元", "12345.5000"),
        ("￥120", "万元", "120.0000"),
        ("¥120", "万元", "120.0000"),
        ("¥ 120", "万元", "120.0000"),
        ("1 200.5", "万元", "1200.5000"),
        ("120.5万元", "万元", "120.5000"),
        ("120.5 万元", "万元", "120.5000"),
        ("120.5万", "万元", "120.5000"),
        ("１２０．５万元", "万元", "120.5000"),
        (15.600000000000001, "万元", "15.6000"),  # =12.3+3.3, shown as 15.6
        ("999999999999.9999", "万元", "999999999999.9999"),
        (12345, "元", "1.2345"),
        ("12,345元", "元", "1.2345"),
        ("1234", "千元", "123.4000"),
        ("1.5", "亿元", "15000.0000"),
        ("120.5", None, "120.5000"),
    ],
)
def test_money(raw, unit, amount):
    parsed, warnings = money(raw, unit)
    assert str(parsed) == amount
    assert warnings == []


@pytest.mark.parametrize(
    "raw, unit, amount, warning",
    [
        ("3000000元", "万元", "300.0000", "“3000000元”已换算为300万元"),
        ("3,000,000 元", "万元", "300.0000", "“3,000,000 元”已换算为300万元"),
        ("1.2亿元", "万元", "12000.0000", "“1.2亿元”已换算为12000万元"),
        ("1.2亿", "万元", "12000.0000", "“1.2亿”已换算为12000万元"),
        ("5000千元", "万元", "500.0000", "“5000千元”已换算为500万元"),
        (
            "123456.78元",
            "万元",
            "12.3457",
            "“123456.78元”已换算为12.3457万元（换算后超过4位小数，已四舍五入）",
        ),
        (
            "120.5万元",
            "元",
            "120.5000",
            "“120.5万元”写明了万元，已按120.5万元导入，而不是按本列的单位“元”",
        ),
        (
            1 / 3,
            "万元",
            "0.3333",
            "“0.333333333333333”超过4位小数，已四舍五入为0.3333",
        ),
        # Half-up, not the banker's rounding Decimal does by default; a number cell (a
        # formula's result) is rounded, the same digits typed as text are refused (below).
        (0.12345, "万元", "0.1235", "“0.12345”超过4位小数，已四舍五入为0.1235"),
        (0.0625625, "万元", "0.0626", "“0.0625625”超过4位小数，已四舍五入为0.0626"),
        (1.00004, "万元", "1.0000", "“1.00004”超过4位小数，已四舍五入为1"),
        (
            "123456.78",
            "元",
            "12.3457",
            "“123456.78”换算为万元是12.345678，超过4位小数，已四舍五入为12.3457",
        ),
        (
            "1.2E+5",
            "万元",
            "120000.0000",
            "“1.2E+5”是科学计数法，Excel可能已舍去末几位数字，请核对",
        ),
    ],
)
def test_money_with_a_warning(raw, unit, amount, warning):
    parsed, warnings = money(raw, unit)
    assert str(parsed) == amount
    assert warnings == [warning]


@pytest.mark.parametrize(
    "raw, unit, message",
    [
        ("-5", "万元", "金额不能为负数：“-5”"),
        (-5, "万元", "金额不能为负数：“-5”"),
        (-5.5, "万元", "金额不能为负数：“-5.5”"),
        ("－５", "万元", "金额不能为负数：“－５”"),
        ("-3000000元", "万元", "金额不能为负数：“-3000000元”"),
        ("abc", "万元", "不是数字：“abc”"),
        ("12.5.3", "万元", "不是数字：“12.5.3”"),
        ("一百万", "万元", "不是数字：“一百万”"),
        ("120万元左右", "万元", "不是数字：“120万元左右”"),
        ("NaN", "万元", "不是数字：“NaN”"),
        ("Infinity", "万元", "不是数字：“Infinity”"),
        (float("nan"), "万元", "不是数字：“nan”"),
        (float("inf"), "万元", "不是数字：“inf”"),
        (True, "万元", "不是数字：“是”"),
        (datetime.date(2023, 3, 1), "万元", "不是数字：“2023-03-01”"),
        ("1200人", "万元", "单位“人”与本列的单位“万元”不符：“1200人”"),
        ("1200 户", "万元", "单位“户”与本列的单位“万元”不符：“1200 户”"),
        ("50%", "万元", "单位“%”与本列的单位“万元”不符：“50%”"),
        ("1200人", "元", "单位“人”与本列的单位“元”不符：“1200人”"),
        ("1,2345", "万元", "千分位逗号位置不对：“1,2345”"),
        ("12,34.5", "万元", "千分位逗号位置不对：“12,34.5”"),
        ("1000000000000", "万元", "数额过大：“1000000000000”"),
        (10**12, "万元", "数额过大：“1000000000000”"),
        (1e300, "万元", "数额过大：“1e+300”"),
        ("999999999999.99995", "万元", "数额过大：“999999999999.99995”"),  # rounds up to 10**12
        ("100000001亿元", "万元", "数额过大：“100000001亿元”"),
        ("1e9999", "万元", "数额过大：“1e9999”"),
        ("10000000000000000", "元", "数额过大：“10000000000000000”"),
        ("1" * 80 + "x", "万元", "不是数字：“%s…”" % ("1" * 50)),
        ("120", "人", "本列的单位“人”不是金额单位"),
    ],
)
def test_money_refused(raw, unit, message):
    assert refused(money, raw, unit) == message


def test_money_typed_with_more_decimals_than_stored_is_refused():
    """Typed digits are seen by the user: nothing rounds them in silence or otherwise."""
    for typed in ("0.12345", "1e-9999", "１．２３４５６"):
        with pytest.raises(ValueError) as error:
            money(typed)
        assert str(error.value) == "最多4位小数：“%s”" % typed


def test_money_converts_exactly_whatever_the_digits():
    """0.4999…元 (forty 9s) is 0.00004999…万元, which rounds down: scaled in Python's default
    context of 28 digits it would first become 0.00005 and then round up to 0.0001."""
    parsed, warnings = money("0.4" + "9" * 40, "元")
    assert str(parsed) == "0.0000"
    assert len(warnings) == 1
    parsed, _ = money("0.4" + "9" * 40 + "元", "万元")
    assert str(parsed) == "0.0000"


@PROPERTY
@given(raw=CELLS, unit=st.sampled_from(["万元", "元", "千元", "亿元", None]))
def test_money_refuses_any_cell_with_a_value_error(raw, unit):
    result = outcome(read_money, raw, unit)
    if result is not None and result[0] is not None:
        amount = result[0]
        assert amount.as_tuple().exponent == -4
        assert Decimal(0) <= amount < Decimal(10) ** 12
        assert not amount.is_signed()


@PROPERTY
@given(
    amount=st.decimals(min_value=0, max_value=Decimal("999999999999.9999"), places=4),
    form=st.sampled_from(["plain", "commas", "full-width", "unit", "yuan"]),
)
def test_money_reads_back_what_it_stores(amount, form):
    written = {
        "plain": f"{amount:f}",
        "commas": f"{amount:,f}",
        "full-width": f"{amount:f}".translate(
            str.maketrans("0123456789.", "０１２３４５６７８９．")
        ),
        "unit": f"{amount:f}万元",
        "yuan": f"{amount.scaleb(4):f}",
    }[form]
    parsed, warnings = money(written, "元" if form == "yuan" else "万元")
    assert parsed == amount
    assert warnings == []


# Counts


@pytest.mark.parametrize(
    "raw, unit, number",
    [
        (1200, "人", 1200),
        (1200.0, "人", 1200),
        (1200.0000000000002, "人", 1200),  # a formula's result, shown as 1200
        ("1200", "人", 1200),
        ("0", "人", 0),
        ("1,200", "人", 1200),
        ("1200人", "人", 1200),
        ("1200 人", "人", 1200),
        ("１２００人", "人", 1200),
        ("１，２００", "人", 1200),
        ("1200名", "人", 1200),
        ("1200.0", "人", 1200),
        ("2147483647", "人", 2147483647),
        ("300户", "户", 300),
        ("1200人次", "人次", 1200),
        ("300", None, 300),
    ],
)
def test_count(raw, unit, number):
    assert count(raw, unit) == (number, [])


@pytest.mark.parametrize(
    "raw, unit, message",
    [
        ("300户", "人", "单位“户”与本列的单位“人”不符：“300户”"),
        ("1200人次", "人", "单位“人次”与本列的单位“人”不符：“1200人次”"),
        ("1200人", "人次", "单位“人”与本列的单位“人次”不符：“1200人”"),
        ("300元", "人", "单位“元”与本列的单位“人”不符：“300元”"),
        ("12.5", "人", "须为不小于0的整数，而不是“12.5”"),
        (12.5, "人", "须为不小于0的整数，而不是“12.5”"),
        ("12.5人", "人", "须为不小于0的整数，而不是“12.5人”"),
        ("-5", "人", "须为不小于0的整数，而不是“-5”"),
        (-5, "人", "须为不小于0的整数，而不是“-5”"),
        ("abc", "人", "须为不小于0的整数，而不是“abc”"),
        ("1200头牛", "人", "须为不小于0的整数，而不是“1200头牛”"),
        ("约1200", "人", "须为不小于0的整数，而不是“约1200”"),
        (True, "人", "须为不小于0的整数，而不是“是”"),
        (float("nan"), "人", "须为不小于0的整数，而不是“nan”"),
        ("1,2", "人", "千分位逗号位置不对：“1,2”"),
        ("2147483648", "人", "数目过大：“2147483648”"),
        (2**31, "人", "数目过大：“2147483648”"),
        (1e20, "人", "数目过大：“100000000000000000000”"),
        ("9" * 60, "人", "数目过大：“%s…”" % ("9" * 50)),
        ("300户", None, "本列表头没有写单位，单元格中不应写单位“户”：“300户”"),
    ],
)
def test_count_refused(raw, unit, message):
    assert refused(count, raw, unit) == message


@PROPERTY
@given(raw=CELLS, unit=st.sampled_from(["人", "户", "人次", None]))
def test_count_refuses_any_cell_with_a_value_error(raw, unit):
    result = outcome(read_count, raw, unit)
    if result is not None and result[0] is not None:
        assert type(result[0]) is int
        assert 0 <= result[0] <= 2_147_483_647
