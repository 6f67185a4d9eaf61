"""Years and dates as cells hold them (projects.importers.values): every written form, dates
with only a year and month, Excel's numbers, and the exact refusals; the properties check
that no cell makes a reader raise anything but ValueError.

The properties' examples are derived from each test's name (derandomize), so the suite gives
the same answer every run.
"""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projects.importers.parsing import text
from projects.importers.values import read_date, read_year

from .cell_readers import CELLS, PROPERTY, date, outcome, refused, year

DATE_HINT = "（可写作2022-03-01、2022/3/1或2022年3月1日）"


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
