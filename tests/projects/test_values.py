"""The cell readers of projects.importers.values, as the import calls them: the raw cell and
parsing.text of it. Each rule is checked with its exact value, warnings and message; the
properties check that no text or cell makes a reader raise anything but ValueError.

The examples are derived from each test's name (derandomize), so the suite gives the same
answer every run.
"""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projects.importers import parsing, values
from projects.importers.parsing import text
from projects.importers.values import (
    is_blank,
    read_code,
    read_count,
    read_date,
    read_money,
    read_year,
)
from projects.importers.words import (
    CATEGORY_LABELS,
    CATEGORY_WORDS,
    STATUS_LABELS,
    STATUS_WORDS,
    header_unit,
    read_choice,
    words_with,
)
from projects.models import Project

PROPERTY = settings(max_examples=400, derandomize=True, deadline=None, database=None)

DATE_HINT = "（可写作2022-03-01、2022/3/1或2022年3月1日）"
CODE_LOST = (
    "项目编号“%s”已被Excel转成数字，超过15位的数字末几位已丢失，无法还原；"
    "请将该列设为文本格式后重新填写编号"
)
CODE_AS_NUMBER = (
    "项目编号“%s”在表格中是数字格式，已按数字“%s”导入；"
    "如编号以0开头，开头的0可能已丢失，请将该列设为文本格式"
)


def money(raw, unit="万元"):
    return read_money(raw, text(raw), unit)


def count(raw, unit="人"):
    return read_count(raw, text(raw), unit)


def year(raw):
    return read_year(raw, text(raw), 1996, 2026)


def date(raw):
    return read_date(raw, text(raw))


def code(raw, max_length=40):
    return read_code(raw, text(raw), max_length)


def refused(read, raw, *args):
    """The message a reader refuses a cell with."""
    with pytest.raises(ValueError) as caught:
        read(raw, *args)
    return str(caught.value)


# Blank cells

BLANK_MARKERS = ["", "—", "——", "－", "-", "--", "/", "／", "\\", "无", "空", "暂无", "N/A", "n/a"]


@pytest.mark.parametrize("marker", BLANK_MARKERS)
def test_blank_markers(marker):
    assert is_blank(marker)
    assert is_blank("  %s\u3000" % marker)


@pytest.mark.parametrize(
    "value", ["0", "-5", "无锡", "无偿", "空心村", "N/A1", "NA", "/2", "a", "."]
)
def test_not_blank(value):
    assert not is_blank(value)


@pytest.mark.parametrize("marker", [None, "  ", *BLANK_MARKERS])
@pytest.mark.parametrize("read", [money, count, year, date, code])
def test_blank_cells_read_as_none(read, marker):
    assert read(marker) == (None, [])


@pytest.mark.parametrize("marker", [None, *BLANK_MARKERS])
def test_blank_choice_reads_as_none(marker):
    assert read_choice(text(marker), CATEGORY_WORDS, CATEGORY_LABELS) is None


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


class Forbidden:
    """Stands for a regular expression or function the fast path must not reach."""

    def __getattr__(self, name):
        raise AssertionError("the fast path used %s" % name)

    def __call__(self, *args):
        raise AssertionError("the fast path called a slow helper")


@pytest.fixture
def slow_path_forbidden(monkeypatch):
    for name in ("AMOUNT", "COUNT", "MONTH_ONLY", "WITH_TIME", "EXPONENT_FORM", "NUMBER_MONTH"):
        monkeypatch.setattr(values, name, Forbidden())
    for name in ("compact", "canonical"):
        monkeypatch.setattr(values, name, Forbidden())
    monkeypatch.setattr(parsing, "canonical", Forbidden())


def test_common_cells_take_the_fast_path(slow_path_forbidden):
    assert money(120.5) == (Decimal("120.5"), [])
    assert money("120.5") == (Decimal("120.5"), [])
    assert money(120) == (Decimal("120"), [])
    assert money("12345", "元") == (Decimal("1.2345"), [])
    assert count(1200) == (1200, [])
    assert count(1200.0) == (1200, [])
    assert count("1200") == (1200, [])
    assert year(2023) == (2023, [])
    assert year("2023") == (2023, [])
    assert date("2023-03-01") == (datetime.date(2023, 3, 1), [])
    assert date(datetime.datetime(2023, 3, 1)) == (datetime.date(2023, 3, 1), [])
    assert code("530828202300100001") == ("530828202300100001", [])
    assert code("2023-LC-001") == ("2023-LC-001", [])
    assert read_choice("产业发展", CATEGORY_WORDS, CATEGORY_LABELS) == "industry"
    assert read_choice("在建", STATUS_WORDS, STATUS_LABELS) == "building"


# What a cell may hold: any text, and the types openpyxl gives.
MONEY_ALPHABET = "0123456789０１２３.,，．-+−eE¥￥ 　万元亿千人户%年月日/:T无—"
TEXT = st.one_of(st.text(max_size=40), st.text(alphabet=MONEY_ALPHABET, max_size=30))
CELLS = st.one_of(
    TEXT,
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.none(),
)


def outcome(read, raw, *args):
    """What a reader makes of a cell: (parsed, warnings), or None when refused in Chinese."""
    try:
        parsed, warnings = read(raw, text(raw), *args)
    except ValueError as error:
        message = str(error)
        assert message and any("\u4e00" <= char <= "\u9fff" for char in message), message
        return None
    assert isinstance(warnings, list) and all(isinstance(w, str) and w for w in warnings)
    return parsed, warnings


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


# Years


@pytest.mark.parametrize(
    "raw", [2023, 2023.0, "2023", "2023年", "2023年度", "２０２３年度", "2023 年度", " 2023 "]
)
def test_year(raw):
    assert year(raw) == (2023, [])


@pytest.mark.parametrize("raw", [1996, "2026年"])
def test_year_bounds_are_included(raw):
    assert year(raw)[0] == int(text(raw).rstrip("年"))


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("1995", "1995"),
        (2027, "2027"),
        (2023.5, "2023.5"),
        ("2023.5", "2023.5"),
        ("二〇二三年", "二〇二三年"),
        ("2023-2024", "2023-2024"),
        ("20233", "20233"),
        ("年度", "年度"),
        (True, "是"),
        (datetime.date(2023, 1, 1), "2023-01-01"),
    ],
)
def test_year_refused(raw, shown):
    assert refused(year, raw) == "年度须为1996至2026之间的整数，而不是“%s”" % shown


@PROPERTY
@given(raw=CELLS)
def test_year_refuses_any_cell_with_a_value_error(raw):
    result = outcome(read_year, raw, 1996, 2026)
    if result is not None and result[0] is not None:
        assert 1996 <= result[0] <= 2026


# Dates

MARCH_FIRST = datetime.date(2023, 3, 1)


@pytest.mark.parametrize(
    "raw",
    [
        MARCH_FIRST,
        datetime.datetime(2023, 3, 1),
        datetime.datetime(2023, 3, 1, 8, 30),  # the time is dropped, without a warning
        "2023-03-01",
        "2023/3/1",
        "2023.3.1",
        "2023年3月1日",
        "２０２３年３月１日",
        "2023-03-01 00:00:00",
        "2023-03-01 08:30:00",
        "2023-03-01 8:30",
        "2023/3/1 08:30:15.5",
        "2023-03-01T08:30",
        "20230301",
        20230301,
        20230301.0,
    ],
)
def test_date(raw):
    parsed, warnings = date(raw)
    assert type(parsed) is datetime.date
    assert (parsed, warnings) == (MARCH_FIRST, [])


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("2023年3月", "2023年3月"),
        ("2023年03月", "2023年03月"),
        ("2023年3月份", "2023年3月份"),
        ("2023-03", "2023-03"),
        ("2023/3", "2023/3"),
        ("2023.03", "2023.03"),
        ("2023.3", "2023.3"),
        ("２０２３年３月", "２０２３年３月"),
        (2023.3, "2023.3"),  # Excel made "2023.3" a number
        (2023.03, "2023.03"),
    ],
)
def test_month_only_date(raw, shown):
    assert date(raw) == (MARCH_FIRST, ["“%s”只有年月，按2023-03-01导入" % shown])


@pytest.mark.parametrize("month", range(1, 13))
def test_month_only_number(month):
    """A number 2023.m is that month, except 2023.1: Excel stores 2023.10 the same."""
    raw = float("2023.%d" % month)
    if month in (1, 10):
        assert refused(date, raw) == (
            "“2023.1”被Excel存成了数字，无法分辨是1月还是10月，请写作2023-10-01或将单元格设为文本"
        )
    else:
        assert date(raw) == (
            datetime.date(2023, month, 1),
            ["“2023.%d”只有年月，按2023-%02d-01导入" % (month, month)],
        )


def test_month_only_text_is_not_ambiguous():
    assert date("2023.1") == (datetime.date(2023, 1, 1), ["“2023.1”只有年月，按2023-01-01导入"])
    assert date("2023.10") == (
        datetime.date(2023, 10, 1),
        ["“2023.10”只有年月，按2023-10-01导入"],
    )


@pytest.mark.parametrize(
    "raw, reason, shown",
    [
        ("xx", "不是日期", "xx"),
        ("2023", "不是日期", "2023"),
        (2023, "不是日期", "2023"),
        (45000, "不是日期", "45000"),  # not read as an Excel serial date
        (45000.5, "不是日期", "45000.5"),
        ("2023-02-30", "日期不存在", "2023-02-30"),
        ("2023年2月30日", "日期不存在", "2023年2月30日"),
        ("20230230", "日期不存在", "20230230"),
        (20230230, "日期不存在", "20230230"),
        ("2023-13", "日期不存在", "2023-13"),
        ("2023年0月", "日期不存在", "2023年0月"),
        (2023.13, "日期不存在", "2023.13"),
        ("19890301", "不是日期", "19890301"),
        ("21010301", "不是日期", "21010301"),
        ("1989-03", "不是日期", "1989-03"),
        (1989.3, "不是日期", "1989.3"),
        ("2023-03-01 25:00", "不是日期", "2023-03-01 25:00"),
        ("2023-03-01 上午", "不是日期", "2023-03-01 上午"),
        ("2023-02-30 08:30", "日期不存在", "2023-02-30 08:30"),
        # parsing.parse_date lets datetime.date's OverflowError out for such a month.
        ("2023-99999999999999999999-01", "日期不存在", "2023-99999999999999999999-01"),
        ("2023-99999999999999999999-01 8:30", "日期不存在", "2023-99999999999999999999-01 8:30"),
        (True, "不是日期", "是"),
        (datetime.time(8, 30), "不是日期", "08:30:00"),
    ],
)
def test_date_refused(raw, reason, shown):
    assert refused(date, raw) == "%s：“%s”%s" % (reason, shown, DATE_HINT)


@PROPERTY
@given(raw=CELLS)
def test_date_refuses_any_cell_with_a_value_error(raw):
    result = outcome(read_date, raw)
    if result is not None and result[0] is not None:
        assert type(result[0]) is datetime.date


@PROPERTY
@given(
    day=st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31)),
    form=st.sampled_from(["iso", "slashes", "chinese", "compact", "number", "float", "datetime"]),
)
def test_date_reads_back_every_written_form(day, form):
    y, m, d = day.year, day.month, day.day
    raw = {
        "iso": day.isoformat(),
        "slashes": f"{y}/{m}/{d}",
        "chinese": f"{y}年{m}月{d}日",
        "compact": f"{y}{m:02}{d:02}",
        "number": int(f"{y}{m:02}{d:02}"),
        "float": float(f"{y}{m:02}{d:02}"),
        "datetime": datetime.datetime(y, m, d, 17, 45),
    }[form]
    assert date(raw) == (day, [])


# Codes


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("530828202300100001", "530828202300100001"),
        ("2023-LC-001", "2023-LC-001"),
        ("５３０８２８２０２３００１００００１", "530828202300100001"),
        ("ＬＣ－００１", "LC-001"),
        ("沪滇 2023 001", "沪滇 2023 001"),
        ("2023E05", "2023E05"),  # no sign: not Excel's exponent form
        ("x" * 40, "x" * 40),
    ],
)
def test_code_text(raw, expected):
    assert code(raw) == (expected, [])


@pytest.mark.parametrize(
    "raw, digits",
    [
        (530828202300100, "530828202300100"),
        (530828202300100.0, "530828202300100"),
        (999999999999999, "999999999999999"),
        (1001, "1001"),
    ],
)
def test_code_number(raw, digits):
    assert code(raw) == (digits, [CODE_AS_NUMBER % (digits, digits)])


@pytest.mark.parametrize(
    "raw, shown",
    [
        (10**15, "1.00000000000000E+15"),
        (530828202300100001, "5.30828202300100E+17"),
        (5.3082820230010003e17, "5.30828202300100E+17"),
        (1e15, "1.00000000000000E+15"),
        (1000000000000000.5, "1.00000000000000E+15"),
        (10**400, "1.00000000000000E+400"),
        ("5.30828E+17", "5.30828E+17"),
        ("5.30828e+17", "5.30828e+17"),
        ("5.30828202300100E+17", "5.30828202300100E+17"),
        ("５．３０８２８Ｅ＋１７", "５．３０８２８Ｅ＋１７"),
        ("5E-05", "5E-05"),
    ],
)
def test_code_lost_to_excel(raw, shown):
    assert refused(code, raw) == CODE_LOST % shown


@pytest.mark.parametrize(
    "raw, max_length, message",
    [
        (12.5, 40, "项目编号“12.5”在表格中是带小数的数字，无法还原原来的写法；"
         "请将该列设为文本格式后重新填写编号"),
        ("x" * 41, 40, "超过40个字"),
        ("12345678901", 10, "超过10个字"),
        (12345678901, 10, "超过10个字"),
        ("2023\x00001", 40, "含有空字符（NUL），请删除"),
    ],
)  # fmt: skip
def test_code_refused(raw, max_length, message):
    assert refused(code, raw, max_length) == message


@PROPERTY
@given(raw=CELLS)
def test_code_refuses_any_cell_with_a_value_error(raw):
    result = outcome(read_code, raw, 40)
    if result is not None and result[0] is not None:
        assert isinstance(result[0], str) and 0 < len(result[0]) <= 40


# Choices: the words as the brief lists them, written out here, not taken from the tables.

CATEGORY_SYNONYMS = {
    "industry": ["产业发展类", "产业发展", "产业", "产业帮扶", "产业合作"],
    "employment": ["劳务协作", "劳务", "就业", "就业帮扶", "劳务协作类"],
    "education": ["教育帮扶", "教育", "组团式教育帮扶"],
    "health": ["医疗帮扶", "医疗", "医疗卫生", "卫生健康", "组团式医疗帮扶"],
    "consumption": ["消费帮扶", "消费"],
    "infrastructure": ["基础设施建设", "基础设施"],
    "village": ["乡村建设", "乡村振兴", "美丽乡村", "人居环境整治"],
    "social": ["社会帮扶", "社会力量帮扶"],
    "other": ["其他"],
}
STATUS_SYNONYMS = {
    "planned": ["计划", "计划实施", "拟实施", "未开工", "待实施", "前期"],
    "building": ["在建", "实施中", "正在实施", "已开工", "建设中", "推进中"],
    "completed": ["完工", "已完工", "已完成", "完成", "竣工", "已竣工"],
    "suspended": ["暂停", "暂缓", "停建", "中止", "缓建"],
}
ALL_CATEGORY_LABELS = (
    "产业发展、劳务协作、教育帮扶、医疗帮扶、消费帮扶、基础设施、乡村建设、社会帮扶、其他"
)


def pairs(synonyms):
    return [(word, code) for code, words in synonyms.items() for word in words]


@pytest.mark.parametrize("word, expected", pairs(CATEGORY_SYNONYMS))
def test_category_words(word, expected):
    result = read_choice(word, CATEGORY_WORDS, CATEGORY_LABELS)
    assert result == expected
    assert type(result) is str


@pytest.mark.parametrize("word, expected", pairs(STATUS_SYNONYMS))
def test_status_words(word, expected):
    assert read_choice(word, STATUS_WORDS, STATUS_LABELS) == expected


@pytest.mark.parametrize("choice, label", Project.Category.choices)
def test_category_codes_and_labels(choice, label):
    for word in (choice, label, choice.upper()):
        assert read_choice(word, CATEGORY_WORDS, CATEGORY_LABELS) == choice


@pytest.mark.parametrize("choice, label", Project.Status.choices)
def test_status_codes_and_labels(choice, label):
    for word in (choice, label, choice.title()):
        assert read_choice(word, STATUS_WORDS, STATUS_LABELS) == choice


@pytest.mark.parametrize(
    "word, table, expected",
    [
        ("产业发展类项目", CATEGORY_WORDS, "industry"),
        ("产业发展项目", CATEGORY_WORDS, "industry"),
        ("产业类", CATEGORY_WORDS, "industry"),
        ("产 业 发 展", CATEGORY_WORDS, "industry"),
        ("教育帮扶\u3000类", CATEGORY_WORDS, "education"),
        ("ＩＮＤＵＳＴＲＹ", CATEGORY_WORDS, "industry"),
        ("基础设施建设类项目", CATEGORY_WORDS, "infrastructure"),
        ("在建项目", STATUS_WORDS, "building"),
        ("已竣工项目", STATUS_WORDS, "completed"),
    ],
)
def test_choice_ignores_spacing_width_and_suffixes(word, table, expected):
    assert read_choice(word, table, "") == expected


@pytest.mark.parametrize("word", ["xx", "类", "项目", "产业发展类类", "人才"])
def test_unknown_category(word):
    message = refused(read_choice, word, CATEGORY_WORDS, CATEGORY_LABELS)
    assert message == "未知的取值“%s”（可填：%s）" % (word, ALL_CATEGORY_LABELS)


def test_unknown_status_lists_the_labels():
    message = refused(read_choice, "已验收", STATUS_WORDS, STATUS_LABELS)
    assert message == "未知的取值“已验收”（可填：计划、在建、完工、暂停）"


def test_unknown_choice_is_quoted_short():
    message = refused(read_choice, "产" * 120, CATEGORY_WORDS, CATEGORY_LABELS)
    assert message.startswith("未知的取值“%s…”（可填：" % ("产" * 50))


@PROPERTY
@given(word=st.one_of(st.text(max_size=20), st.sampled_from(list(CATEGORY_WORDS)).map(str)))
def test_choice_refuses_any_word_with_a_value_error(word):
    try:
        found = read_choice(word, CATEGORY_WORDS, CATEGORY_LABELS)
    except ValueError as error:
        assert str(error).startswith("未知的取值“")
    else:
        assert found is None or found in Project.Category.values


def test_words_with_staff_synonyms():
    table = words_with(STATUS_WORDS, {"已验收": "completed", " 前期工作 类": "planned"})
    assert read_choice("已验收", table, STATUS_LABELS) == "completed"
    assert read_choice("已验收项目", table, STATUS_LABELS) == "completed"
    assert read_choice("前期工作", table, STATUS_LABELS) == "planned"
    assert read_choice("在建", table, STATUS_LABELS) == "building"
    # The built-in table is left as it was.
    with pytest.raises(ValueError):
        read_choice("已验收", STATUS_WORDS, STATUS_LABELS)
    with pytest.raises(TypeError):
        STATUS_WORDS["已验收"] = "completed"


def test_words_with_a_staff_word_replaces_a_built_in_one():
    table = words_with(CATEGORY_WORDS, {"产业": "other"})
    assert read_choice("产业", table, CATEGORY_LABELS) == "other"
    assert read_choice("产业", CATEGORY_WORDS, CATEGORY_LABELS) == "industry"


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"已验收": "accepted"}, "同义词“已验收”对应的取值“accepted”不存在"),
        ({" ": "completed"}, "同义词“ ”是空白，不能使用"),
        ({"无": "completed"}, "同义词“无”是空白，不能使用"),
    ],
)
def test_words_with_refuses(extra, message):
    with pytest.raises(ValueError) as caught:
        words_with(STATUS_WORDS, extra)
    assert str(caught.value) == message


# Headers


@pytest.mark.parametrize(
    "header, expected",
    [
        ("上海援助资金（万元）", ("上海援助资金", "万元")),
        ("上海援助资金(元)", ("上海援助资金", "元")),
        ("上海援助资金 ( 千元 )", ("上海援助资金", "千元")),
        ("上海援助资金（亿元）", ("上海援助资金", "亿元")),
        ("上海援助资金（单位：万元）", ("上海援助资金", "万元")),
        ("上海援助资金【万元】", ("上海援助资金", "万元")),
        (" 受益人数（人） ", ("受益人数", "人")),
        ("培训人次（人次）", ("培训人次", "人次")),
        ("带动户数(户)", ("带动户数", "户")),
        ("完成率（%）", ("完成率", "%")),
        ("完成率（％）", ("完成率", "%")),
        ("资金", ("资金", None)),
        ("县（市、区）", ("县（市、区）", None)),
        ("县（市、区）（个）", ("县（市、区）", "个")),
        ("项目名称（必填）", ("项目名称（必填）", None)),
        ("（万元）", ("（万元）", None)),
        ("资金（万元）备注", ("资金（万元）备注", None)),
    ],
)
def test_header_unit(header, expected):
    assert header_unit(header) == expected


@pytest.mark.parametrize(
    "header",
    [
        " " * 30000 + "（万元）",
        "资" + " " * 30000 + "（万元）",
        "(" * 30000 + "万元)",
        "资金（" * 10000,
    ],
)
def test_header_unit_of_a_huge_header_cell(header):
    assert header_unit(header) == (header.strip(), None)


def test_header_unit_feeds_the_readers():
    """A header's unit is what the readers take: 元 converts, 人 checks."""
    _, unit = header_unit("上海援助资金(元)")
    assert money("1234567", unit) == (Decimal("123.4567"), [])
    _, unit = header_unit("带动户数（户）")
    assert refused(count, "300人", unit) == "单位“人”与本列的单位“户”不符：“300人”"
