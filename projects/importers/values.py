"""Reading report cells as county offices write them: amounts with units, counts, years,
dates, codes and choices.

Each reader takes `raw`, the cell as the spreadsheet reader gives it (str, int, float, bool,
datetime.date or datetime.datetime, None), and `value`, parsing.text(raw), and returns
(parsed, warnings): warnings is a list of Chinese sentences, usually empty (read_choice,
which takes only the text, returns the code alone). A cell that cannot be read raises
ValueError with a Chinese message; the caller puts the row and the column in front of it
("第3行 上海援助资金（万元）："). A blank cell, or one of the markers offices write for
"nothing" (—, /, 无, N/A …), reads as (None, []) (read_choice: None): the caller decides
whether the column is required.

These run once per cell on files of 100,000 rows: the common case (a float, "120.5", a date
cell, "2023-03-01") is tried first and costs a type check and a constructor; regular
expressions and NFKC are reached only by cells written otherwise.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Context, Decimal

from ..models import MONEY, plain
from .parsing import SHORT_CHARS, canonical, parse_date, quoted

# What offices write in a cell that has nothing to say.
BLANKS = frozenset(
    ["", "—", "——", "－", "-", "--", "–", "―", "――", "/", "／", "\\", "＼"]
    + ["无", "空", "暂无", "N/A", "n/a"]
)
LONGEST_BLANK = max(len(marker) for marker in BLANKS)


def is_blank(value):
    """Whether a cell's text is empty or a marker for "nothing" (—, /, 无, N/A …)."""
    value = value.strip()
    return len(value) <= LONGEST_BLANK and (value in BLANKS or value.upper() == "N/A")


# Units a header's final bracket may name, and a cell may carry after its number.
UNITS = frozenset(
    ["万元", "元", "千元", "亿元", "万", "亿"]
    + ["人", "人次", "万人", "万人次", "名", "户", "万户", "个", "家", "所", "座", "间", "套"]
    + ["项", "次", "台", "辆", "头", "只", "株", "棵", "批", "期", "场", "天", "年", "月"]
    + ["亩", "万亩", "公顷", "平方米", "平方公里", "公里", "千米", "米", "吨", "万吨"]
    + ["公斤", "千克", "斤", "%", "‰"]
)

# Money units as powers of ten to 万元, the unit amounts are stored in.
MONEY_POWERS = {"万元": 0, "万": 0, "元": -4, "千元": -1, "亿元": 4, "亿": 4}
STORED_UNIT = "万元"
PLACES = MONEY["decimal_places"]
QUANTUM = Decimal(1).scaleb(-PLACES)
MONEY_LIMIT = Decimal(10) ** (MONEY["max_digits"] - PLACES)
INTEGER_DIGITS = MONEY["max_digits"] - PLACES
ZERO = Decimal(0).quantize(QUANTUM)
# Wide enough to scale and round any amount that passed the size check exactly, whatever
# the thread's decimal context says.
EXACT = Context(prec=4 * SHORT_CHARS, Emax=999_999, Emin=-999_999)

# After NFKC and without spaces: sign, optional currency, digits with thousands commas,
# an optional exponent (a CSV export of Excel writes large numbers so), then the unit.
AMOUNT = re.compile(
    r"([+-]?)(?:¥|人民币|RMB)?(\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d{1,4}))?(\D*)"
)
COUNT = re.compile(r"([+-]?)(\d[\d,]*)(?:\.(\d*))?(\D*)")


def compact(value):
    """A cell's text as half-width characters, without any space (for numbers)."""
    return "".join(canonical(value).replace("−", "-").split())


def commas_ok(digits):
    """Whether thousands commas sit every three digits: 12,345 but not 1,2345."""
    groups = digits.split(",")
    return 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])


def float_text(number):
    """A float as Excel shows it: 15 significant digits (=12.3+3.3 is 15.6)."""
    return "%.15g" % number


def read_money(raw, value, unit="万元"):
    """An amount in 万元 (Decimal, 4 decimal places) from a cell of a column in `unit`.

    `unit` is the column's unit from its header (万元, 元, 千元, 亿元; None when the header
    names none: 万元). A unit written in the cell wins over the column's, with a warning;
    more than 4 decimal places in 万元 are rounded half-up, with a warning.
    """
    column_power = MONEY_POWERS.get(unit or STORED_UNIT)
    if column_power is None:
        raise ValueError("本列的单位“%s”不是金额单位" % unit)
    kind = raw.__class__
    if kind is float:
        shown = float_text(raw)
        number = Decimal(shown)
        if not number.is_finite():
            raise ValueError("不是数字：“%s”" % shown)
    elif kind is int:
        shown = value
        number = Decimal(raw)
    elif not value:
        return None, []
    elif value.isascii() and value.replace(".", "", 1).isdigit():
        return money_amount(Decimal(value), column_power, None, value, [], typed=True)
    else:
        return read_money_text(value, column_power, unit or STORED_UNIT)
    if number < 0:
        raise ValueError("金额不能为负数：“%s”" % quoted(shown))
    return money_amount(number, column_power, None, shown, [])


def read_money_text(value, column_power, unit):
    """read_money for a cell that is not plain digits: units, commas, full-width, ¥."""
    if is_blank(value):
        return None, []
    if len(value) > SHORT_CHARS:
        raise ValueError("不是数字：“%s”" % quoted(value))
    match = AMOUNT.fullmatch(compact(value))
    if match is None:
        raise ValueError("不是数字：“%s”" % quoted(value))
    sign, digits, exponent, cell_unit = match.groups()
    power = column_power
    if cell_unit:
        power = MONEY_POWERS.get(cell_unit)
        if power is None:
            if cell_unit in UNITS:
                raise ValueError(
                    "单位“%s”与本列的单位“%s”不符：“%s”" % (cell_unit, unit, quoted(value))
                )
            raise ValueError("不是数字：“%s”" % quoted(value))
    if "," in digits:
        if not commas_ok(digits.partition(".")[0]):
            raise ValueError("千分位逗号位置不对：“%s”" % quoted(value))
        digits = digits.replace(",", "")
    number = Decimal(digits if exponent is None else "%se%s" % (digits, exponent))
    if sign == "-" and number:
        raise ValueError("金额不能为负数：“%s”" % quoted(value))
    warnings = []
    if exponent is not None:
        warnings.append("“%s”是科学计数法，Excel可能已舍去末几位数字，请核对" % quoted(value))
    column = unit if power != column_power else None
    return money_amount(number, power, column, value, warnings, typed=True)


def money_amount(number, power, column, shown, warnings, typed=False):
    """A non-negative number in a unit of 10**power 万元 as the stored amount, with warnings;
    `column` is the column's unit when the cell wrote another one, else None. A number
    `typed` as text in 万元 with more decimals than are stored is refused: the user sees
    them (a number cell's, often a formula's result, is rounded with a warning)."""
    if number and number.adjusted() + power >= INTEGER_DIGITS:
        raise ValueError("数额过大：“%s”" % quoted(shown))
    if power:
        number = number.scaleb(power, EXACT)
    amount = number.quantize(QUANTUM, ROUND_HALF_UP, EXACT)
    if amount >= MONEY_LIMIT:  # 999999999999.99995 rounds up to 13 digits
        raise ValueError("数额过大：“%s”" % quoted(shown))
    if not amount:
        amount = ZERO  # never -0
    rounded = amount != number
    if column is not None:
        if power:
            warning = "“%s”已换算为%s万元" % (quoted(shown), plain(amount))
        else:
            warning = "“%s”写明了万元，已按%s万元导入，而不是按本列的单位“%s”" % (
                quoted(shown),
                plain(amount),
                column,
            )
        if rounded:
            warning += "（换算后超过%d位小数，已四舍五入）" % PLACES
        warnings.append(warning)
    elif rounded and power:
        warnings.append(
            "“%s”换算为万元是%s，超过%d位小数，已四舍五入为%s"
            % (quoted(shown), f"{number.normalize():f}", PLACES, plain(amount))
        )
    elif rounded and typed:
        raise ValueError("最多%d位小数：“%s”" % (PLACES, quoted(shown)))
    elif rounded:
        warnings.append("“%s”超过%d位小数，已四舍五入为%s" % (quoted(shown), PLACES, plain(amount)))
    return amount, warnings


MAX_COUNT = 2_147_483_647
COUNT_DIGITS = len(str(MAX_COUNT))
# Other ways a cell writes a column's unit: 1200名 in a column of 人.
COUNT_ALIASES = {"名": "人"}


def read_count(raw, value, unit="人"):
    """A count, 0 to 2,147,483,647, from a cell of a column in `unit` (None: the header
    names none). "1,200", "1200人" and 1200.0 read as 1200; another unit is an error."""
    kind = raw.__class__
    if kind is int:
        number = raw
    elif kind is float:
        if raw.is_integer():
            number = int(raw)
        else:
            shown = float_text(raw)  # a formula's 1200.0000000000002 is 1200
            if not shown.isdigit():
                raise ValueError("须为不小于0的整数，而不是“%s”" % shown)
            number = int(shown)
    elif not value:
        return None, []
    elif len(value) <= COUNT_DIGITS and value.isascii() and value.isdigit():
        number = int(value)
    else:
        return read_count_text(value, unit)
    if number < 0:
        raise ValueError("须为不小于0的整数，而不是“%s”" % quoted(value))
    if number > MAX_COUNT:
        raise ValueError("数目过大：“%s”" % quoted(value))
    return number, []


def read_count_text(value, unit):
    """read_count for a cell that is not plain digits: units, commas, full-width."""
    if is_blank(value):
        return None, []
    not_count = "须为不小于0的整数，而不是“%s”" % quoted(value)
    match = COUNT.fullmatch(compact(value)) if len(value) <= SHORT_CHARS else None
    if match is None:
        raise ValueError(not_count)
    sign, digits, fraction, cell_unit = match.groups()
    if cell_unit and COUNT_ALIASES.get(cell_unit, cell_unit) != COUNT_ALIASES.get(unit, unit):
        if cell_unit not in UNITS:
            raise ValueError(not_count)
        if unit is None:
            message = "本列表头没有写单位，单元格中不应写单位“%s”：“%s”"
            raise ValueError(message % (cell_unit, quoted(value)))
        message = "单位“%s”与本列的单位“%s”不符：“%s”"
        raise ValueError(message % (cell_unit, unit, quoted(value)))
    if "," in digits:
        if not commas_ok(digits):
            raise ValueError("千分位逗号位置不对：“%s”" % quoted(value))
        digits = digits.replace(",", "")
    if fraction and fraction.strip("0"):
        raise ValueError(not_count)
    digits = digits.lstrip("0") or "0"
    if sign == "-" and digits != "0":
        raise ValueError(not_count)
    if len(digits) > COUNT_DIGITS or int(digits) > MAX_COUNT:
        raise ValueError("数目过大：“%s”" % quoted(value))
    return int(digits), []


YEAR_SUFFIXES = ("年度", "年")


def read_year(raw, value, first, last):
    """A year from first to last: 2023, 2023.0, "2023", "2023年", "２０２３年度"."""
    kind = raw.__class__
    year = None
    if kind is int:
        year = raw
    elif kind is float:
        value = float_text(raw)
        if value.isdigit():
            year = int(value)
    elif not value:
        return None, []
    elif len(value) == 4 and value.isascii() and value.isdigit():
        year = int(value)
    elif is_blank(value):
        return None, []
    elif len(value) <= SHORT_CHARS:
        written = compact(value)
        for suffix in YEAR_SUFFIXES:
            if written.endswith(suffix):
                written = written[: -len(suffix)]
                break
        if len(written) == 4 and written.isascii() and written.isdigit():
            year = int(written)
    if year is None or not first <= year <= last:
        message = "年度须为%d至%d之间的整数，而不是“%s”"
        raise ValueError(message % (first, last, quoted(value)))
    return year, []


DATE_HINT = "（可写作2022-03-01、2022/3/1或2022年3月1日）"
# Years a date written without separators or without its day may have: 20230301 or
# 2023.3 are dates only as long as they are plausible as a report's dates.
FIRST_DATE_YEAR = 1990
LAST_DATE_YEAR = 2100
MONTH_ONLY = re.compile(r"(\d{4})(?:年|[-/.])(\d{1,2})(?:月份?)?")
WITH_TIME = re.compile(r"(.+?)(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?")
NUMBER_MONTH = re.compile(r"(\d{4})\.(\d{1,2})")


def read_date(raw, value):
    """A date from a date cell, any text parsing.parse_date reads, 20230301 (text or
    number), or a year and month (2023年3月, 2023-03, 2023.3), read as the month's first day
    with a warning. A time of day is dropped."""
    if isinstance(raw, datetime.date):
        return (raw.date() if isinstance(raw, datetime.datetime) else raw), []
    if not value:
        return None, []
    if raw.__class__ is float and not raw.is_integer():
        return read_date_number(raw)
    try:
        return parse_date(value), []
    except ValueError as error:
        reason = str(error)
    except OverflowError:  # parse_date's datetime.date() on a month of 20 digits
        reason = "日期不存在"
    if is_blank(value):
        return None, []
    written = compact(value) if len(value) <= SHORT_CHARS else value
    if len(written) == 8 and written.isascii() and written.isdigit():
        return calendar_date(int(written[:4]), int(written[4:6]), int(written[6:]), value), []
    match = MONTH_ONLY.fullmatch(written)
    if match is not None:
        return month_start(int(match[1]), int(match[2]), value)
    match = WITH_TIME.fullmatch(canonical(value)) if len(value) <= SHORT_CHARS else None
    if match is not None and time_ok(match):
        try:
            return parse_date(match[1].strip()), []
        except ValueError as error:
            reason = str(error)
        except OverflowError:
            reason = "日期不存在"
    raise ValueError("%s：“%s”%s" % (reason, quoted(value), DATE_HINT))


def read_date_number(raw):
    """A date Excel turned into a number: "2023.3" typed into a cell is the float 2023.3."""
    shown = float_text(raw)
    match = NUMBER_MONTH.fullmatch(shown)
    if match is None:
        raise ValueError("不是日期：“%s”%s" % (shown, DATE_HINT))
    if match[2] == "1" and FIRST_DATE_YEAR <= int(match[1]) <= LAST_DATE_YEAR:
        raise ValueError(
            "“%s”被Excel存成了数字，无法分辨是1月还是10月，请写作%s-10-01或将单元格设为文本"
            % (shown, match[1])
        )
    return month_start(int(match[1]), int(match[2]), shown)


def calendar_date(year, month, day, written):
    if not FIRST_DATE_YEAR <= year <= LAST_DATE_YEAR:
        raise ValueError("不是日期：“%s”%s" % (quoted(written), DATE_HINT))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError("日期不存在：“%s”%s" % (quoted(written), DATE_HINT)) from None


def month_start(year, month, written):
    date = calendar_date(year, month, 1, written)
    return date, ["“%s”只有年月，按%s导入" % (quoted(written), date.isoformat())]


def time_ok(match):
    hour, minute, second = match[2], match[3], match[4] or "0"
    return int(hour) < 24 and int(minute) < 60 and int(second) < 60


# Excel writes a number of 16 digits or more in exponent form: 5.30828E+17.
EXPONENT_FORM = re.compile(r"[+-]?\d+(?:\.\d*)?E[+-]\d+", re.IGNORECASE)
# Excel keeps 15 significant digits of a number: a longer code typed as a number is lost.
EXACT_DIGITS = 10**15
CODE_AS_NUMBER = (
    "项目编号“%s”在表格中是数字格式，已按数字“%s”导入；"
    "如编号以0开头，开头的0可能已丢失，请将该列设为文本格式"
)
CODE_LOST = (
    "项目编号“%s”已被Excel转成数字，超过15位的数字末几位已丢失，无法还原；"
    "请将该列设为文本格式后重新填写编号"
)
CODE_FRACTION = (
    "项目编号“%s”在表格中是带小数的数字，无法还原原来的写法；请将该列设为文本格式后重新填写编号"
)


def read_code(raw, value, max_length=40):
    """A code as written (half-width, trimmed). A number cell gives its digits with a
    warning; one Excel has cut to 15 significant digits, or text in exponent form, is an
    error: its last digits are gone."""
    kind = raw.__class__
    if kind is int or kind is float:
        return read_code_number(raw, max_length)
    if not value:
        return None, []
    code = value if value.isascii() else canonical(value)
    if is_blank(code):
        return None, []
    if ("e" in code or "E" in code) and len(code) <= SHORT_CHARS and EXPONENT_FORM.fullmatch(code):
        raise ValueError(CODE_LOST % quoted(value))
    if len(code) > max_length:
        raise ValueError("超过%d个字" % max_length)
    if "\x00" in code:
        raise ValueError("含有空字符（NUL），请删除")
    return code, []


def read_code_number(raw, max_length):
    if raw.__class__ is float and not raw.is_integer():
        if raw == raw and abs(raw) >= EXACT_DIGITS:
            raise ValueError(CODE_LOST % ("%.14E" % raw))
        raise ValueError(CODE_FRACTION % float_text(raw))
    if abs(raw) >= EXACT_DIGITS:
        raise ValueError(CODE_LOST % format(Decimal(raw), ".14E"))
    code = str(int(raw))
    if len(code) > max_length:
        raise ValueError("超过%d个字" % max_length)
    return code, [CODE_AS_NUMBER % (code, code)]
