"""The yearly report format (沪滇协作项目年度报表): its columns and the rules for each cell."""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from counties.models import FIRST_YEAR, County, Prefecture, scope_filter

from ..models import MONEY, Project
from .parsing import (
    MAX_CELL_CHARS,
    SHORT_CHARS,
    FileError,
    canonical,
    parse_date,
    parse_decimal,
    parse_integer,
    quoted,
    text,
)


@dataclass(frozen=True)
class Column:
    key: str  # the field read from it, and the English alias accepted as a header
    header: str  # the Chinese header, as in the template
    required: bool
    hint: bool = False  # named when no header row is found


COLUMNS = [
    Column("code", "项目编号", True, hint=True),
    Column("name", "项目名称", True),
    Column("year", "年度", True),
    Column("prefecture", "州市", False),
    Column("county", "县市区", True, hint=True),
    Column("category", "项目类别", True),
    Column("status", "项目状态", True),
    Column("shanghai_funds", "上海援助资金（万元）", True),
    Column("other_funds", "其他资金（万元）", False),
    Column("beneficiaries", "受益人数", False),
    Column("start_date", "开工日期", False),
    Column("end_date", "完工日期", False),
    Column("notes", "备注", False),
]
HEADERS = [column.header for column in COLUMNS]
# The Project fields an import writes; everything else on a project is left alone.
FIELDS = [c.key for c in COLUMNS if c.key != "prefecture"]
# How many leading rows may hold a title before the header row.
HEADER_SEARCH_ROWS = 10
# A longer cell is no header (theirs are a few characters, spaces and all).
MAX_HEADER_CHARS = 100
TOO_LONG = "单元格内容超过%d个字符，已拒绝" % MAX_CELL_CHARS
# One message whether or not the project exists, so that it tells nothing of other scopes.
OUTSIDE_SCOPE = "项目编号“%s”不在您的数据范围内"


def header_key(header):
    """Headers match after trimming spaces, with full- and half-width brackets alike."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text(header))).lower()


def header_lookup(columns):
    """The column of each header a file may use: the Chinese one or the English alias."""
    lookup = {}
    for column in columns:
        lookup[header_key(column.header)] = column
        lookup[header_key(column.key)] = column
    return lookup


def error_line(row_number, column_label, message):
    if column_label:
        return "第%(row)d行 %(column)s：%(message)s" % {
            "row": row_number,
            "column": column_label,
            "message": message,
        }
    return "第%(row)d行：%(message)s" % {"row": row_number, "message": message}


def find_header(rows, columns=COLUMNS):
    """Skips title rows; returns (header cells, {column key: (index, label)}, rows after).

    The header is the first row in which at least two cells are known headers of `columns`.
    """
    lookup = header_lookup(columns)
    for row_number, cells in rows:
        matched = [
            lookup.get(header_key(cell)) if len(text(cell)) <= MAX_HEADER_CHARS else None
            for cell in cells
        ]
        if sum(1 for column in matched if column) >= 2:
            positions = layout(row_number, cells, matched, columns)
            return [text(cell) for cell in cells], positions, rows
        if row_number >= HEADER_SEARCH_ROWS:
            break
    raise FileError(
        "未找到表头：前%(rows)d行中没有%(names)s等列名。"
        % {
            "rows": HEADER_SEARCH_ROWS,
            "names": "".join("“%s”" % c.header for c in columns if c.hint),
        }
    )


def header_width(header, positions):
    """How many cells of a row are kept: up to the header's last column, known or not (the
    refused rows go back to the sender with their own columns too)."""
    last = max(index for index, _ in positions.values())
    for index in range(len(header) - 1, last, -1):
        if header[index]:
            return index + 1
    return last + 1


def too_long(raw):
    """Whether a cell is longer than Excel allows: refused before any rule reads it."""
    return raw.__class__ is str and len(raw) > MAX_CELL_CHARS


def layout(row_number, cells, matched, columns=COLUMNS):
    positions = {}
    for index, (cell, column) in enumerate(zip(cells, matched, strict=True)):
        if column is None:
            continue
        if column.key in positions:
            raise FileError("第%d行表头中“%s”出现了两次。" % (row_number, column.header))
        positions[column.key] = (index, text(cell))
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        raise FileError("缺少必填列：%s。" % "、".join(missing))
    return positions


class Places:
    """Every prefecture and county, loaded once, looked up by official name or code.

    `allowed` holds the ids of the counties inside the importing user's scope, or None when
    the user may import anywhere (a superuser, a province-wide scope, the command line).
    """

    def __init__(self, user=None):
        self.allowed = None
        if user is not None:
            condition = scope_filter(user, "pk")
            if condition:
                self.allowed = set(County.objects.filter(condition).values_list("pk", flat=True))
        self.prefectures = {}
        for prefecture in Prefecture.objects.all():
            self.prefectures[prefecture.code] = prefecture
            self.prefectures[prefecture.name] = prefecture
        self.counties = {}
        self.by_name = {}
        for county in County.objects.select_related("prefecture"):
            self.counties[county.code] = county
            self.by_name.setdefault(county.name, []).append(county)

    def prefecture(self, value):
        value = canonical(value)
        prefecture = self.prefectures.get(value)
        if prefecture is None:
            raise ValueError("未知的州市“%s”" % quoted(value))
        return prefecture

    def county(self, value, prefecture):
        if value in self.counties:
            return self.counties[value]
        found = self.by_name.get(value)
        if found and len(found) == 1:
            return found[0]
        value = canonical(value)
        if value in self.counties:
            return self.counties[value]
        found = self.by_name.get(value, [])
        if prefecture is not None:
            found = [c for c in found if c.prefecture_id == prefecture.pk] or found
        if len(found) == 1:
            return found[0]
        if found:
            raise ValueError("县市区“%s”重名，请同时填写州市或改用区划代码" % value)
        raise ValueError("未知的县市区“%s”" % quoted(value))

    def foreign_code(self, code):
        """Whether a project code starts with the division code of a county outside the
        scope: codes are conventionally county code + year + sequence (530828202300100001)."""
        if self.allowed is None or len(code) < 6:
            return False
        county = self.counties.get(canonical(code[:6]))
        return county is not None and county.pk not in self.allowed


def choice_lookup(choices):
    lookup = {}
    for value, label in choices:
        lookup[value] = value
        lookup[label] = value
    return lookup


CATEGORIES = choice_lookup(Project.Category.choices)
STATUSES = choice_lookup(Project.Status.choices)


ZERO_MONEY = parse_decimal(0, **MONEY)
# The values of a project when an optional column is missing from the file.
DEFAULTS = {
    "other_funds": ZERO_MONEY,
    "beneficiaries": None,
    "start_date": None,
    "end_date": None,
    "notes": "",
}
CATEGORY_LABELS = "、".join(label for _, label in Project.Category.choices)
STATUS_LABELS = "、".join(label for _, label in Project.Status.choices)


class CellReader:
    """What the readers of both reports share: the header as found, and a plan of which
    parser reads which cell (`parsers`, in reading order) for the columns the file has."""

    parsers = []

    def __init__(self, header, positions, places=None, today=None):
        self.header = header
        self.positions = positions
        self.places = places or Places()
        self.last_year = (today or datetime.date.today()).year + 1
        self.plan = [
            (key, positions[key][0], positions[key][1], parse)
            for key, parse in self.parsers
            if key in positions
        ]

    def label(self, key):
        """The column's header as written in the file, for error lines."""
        return self.positions[key][1] if key in self.positions else ""


class RowReader(CellReader):
    """Turns one spreadsheet row into the values of a Project, and lists every problem.

    `read(row_number, cells)` returns (field values, error lines); with errors, the values
    hold only the cells that were valid. Each cell is turned into text once; parsers get
    both the raw cell (a number or date from XLSX) and that text.
    """

    def read(self, row_number, cells):
        errors = []
        values = dict(DEFAULTS)
        width = len(cells)
        for key, index, label, parse in self.plan:
            raw = cells[index] if index < width else None
            if too_long(raw):
                errors.append(error_line(row_number, label, TOO_LONG))
                continue
            try:
                values[key] = parse(self, raw, text(raw), values)
            except ValueError as error:
                errors.append(error_line(row_number, label, str(error)))
        prefecture = values.pop("prefecture", None)
        county = values.get("county")
        if prefecture is not None and county is not None and county.prefecture_id != prefecture.pk:
            errors.append(
                error_line(
                    row_number,
                    self.label("prefecture"),
                    "县市区“%s”不属于“%s”" % (county.name, prefecture.name),
                )
            )
        start, end = values["start_date"], values["end_date"]
        if start and end and end < start:
            message = "完工日期不能早于开工日期"
            errors.append(error_line(row_number, self.label("end_date"), message))
        return values, errors

    def key(self, values):
        """What must be unique across the files: the project code."""
        return values.get("code") or None

    def duplicate(self, row_number, where, values):
        message = "与%s重复的项目编号“%s”" % (where, values["code"])
        return error_line(row_number, self.label("code"), message)

    def prefecture(self, raw, value, values):
        return self.places.prefecture(value) if value else None

    def county(self, raw, value, values):
        if not value:
            raise ValueError("不能为空")
        county = self.places.county(value, values.get("prefecture"))
        if self.places.allowed is not None and county.pk not in self.places.allowed:
            raise ValueError("“%s”不在您的数据范围内" % county.name)
        return county

    def code(self, raw, value, values):
        code = required_text(value, CODE_LENGTH)
        if self.places.foreign_code(code):
            raise ValueError(OUTSIDE_SCOPE % code)
        return code

    def name(self, raw, value, values):
        return required_text(value, NAME_LENGTH)

    def year(self, raw, value, values):
        return parse_year(raw, value, self.last_year)

    def category(self, raw, value, values):
        return choice(value, CATEGORIES, CATEGORY_LABELS)

    def status(self, raw, value, values):
        return choice(value, STATUSES, STATUS_LABELS)

    def shanghai_funds(self, raw, value, values):
        if not value:
            raise ValueError("不能为空")
        return money(raw, value)

    def other_funds(self, raw, value, values):
        return money(raw, value) if value else ZERO_MONEY

    def beneficiaries(self, raw, value, values):
        if not value:
            return None
        try:
            number = parse_integer(raw)
        except ValueError:
            number = -1
        if not 0 <= number <= 2_147_483_647:
            raise ValueError("须为不小于0的整数，而不是“%s”" % quoted(value))
        return number

    def date(self, raw, value, values):
        if not value:
            return None
        try:
            return parse_date(raw)
        except ValueError as error:
            raise ValueError(
                "%s：“%s”（可写作2022-03-01、2022/3/1或2022年3月1日）" % (error, quoted(value))
            ) from None

    def notes(self, raw, value, values):
        return no_nul(value)

    # In this order: the county is read after the prefecture that may tell same names apart.
    parsers = [
        ("code", code),
        ("name", name),
        ("year", year),
        ("prefecture", prefecture),
        ("county", county),
        ("category", category),
        ("status", status),
        ("shanghai_funds", shanghai_funds),
        ("other_funds", other_funds),
        ("beneficiaries", beneficiaries),
        ("start_date", date),
        ("end_date", date),
        ("notes", notes),
    ]


def parse_year(raw, value, last_year):
    """A report's year: FIRST_YEAR to `last_year` (next year: plans and targets are sent ahead)."""
    if not value:
        raise ValueError("不能为空")
    try:
        year = parse_integer(raw)
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= last_year:
        message = "年度须为%d至%d之间的整数，而不是“%s”"
        raise ValueError(message % (FIRST_YEAR, last_year, quoted(value)))
    return year


CODE_LENGTH = Project._meta.get_field("code").max_length
NAME_LENGTH = Project._meta.get_field("name").max_length


def required_text(value, max_length):
    if not value:
        raise ValueError("不能为空")
    if len(value) > max_length:
        raise ValueError("超过%d个字" % max_length)
    return no_nul(value)


def no_nul(value):
    """Text without a NUL character: no spreadsheet means one, and PostgreSQL cannot store it
    (a CSV past its first 64 KB, or an XLSX cell's _x0000_, can still bring one)."""
    if "\x00" in value:
        raise ValueError("含有空字符（NUL），请删除")
    return value


def choice(value, lookup, allowed):
    if not value:
        raise ValueError("不能为空")
    found = lookup.get(value)
    if found is None and len(value) <= SHORT_CHARS:
        value = canonical(value)
        found = lookup.get(value) or lookup.get(value.lower())
    if found is None:
        raise ValueError("未知的取值“%s”（可填：%s）" % (quoted(value), allowed))
    return found


def money(raw, value):
    try:
        amount = parse_decimal(raw, **MONEY)
    except ValueError as error:
        raise ValueError("%s：“%s”" % (error, quoted(value))) from None
    if amount < 0:
        raise ValueError("金额不能为负数：“%s”" % quoted(value))
    return amount
