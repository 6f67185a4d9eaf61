"""The yearly report format (沪滇协作项目年度报表): its columns and the rules for each cell."""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from counties.models import FIRST_YEAR, County, Prefecture

from ..models import MONEY, Project
from .parsing import (
    FileError,
    canonical,
    parse_date,
    parse_decimal,
    parse_integer,
    text,
)


@dataclass(frozen=True)
class Column:
    key: str  # the Project field, and the English alias accepted as a header
    header: str  # the Chinese header, as in the template
    required: bool


COLUMNS = [
    Column("code", "项目编号", True),
    Column("name", "项目名称", True),
    Column("year", "年度", True),
    Column("prefecture", "州市", False),
    Column("county", "县市区", True),
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


def header_key(header):
    """Headers match after trimming spaces, with full- and half-width brackets alike."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text(header))).lower()


HEADER_LOOKUP = {}
for _column in COLUMNS:
    HEADER_LOOKUP[header_key(_column.header)] = _column
    HEADER_LOOKUP[header_key(_column.key)] = _column


class RowError(Exception):
    def __init__(self, column, message):
        self.column, self.message = column, message


def error_line(row_number, column_label, message):
    if column_label:
        return "第%(row)d行 %(column)s：%(message)s" % {
            "row": row_number,
            "column": column_label,
            "message": message,
        }
    return "第%(row)d行：%(message)s" % {"row": row_number, "message": message}


def find_header(rows):
    """Skips title rows; returns (header cells, {column key: (index, label)}, rows after).

    The header is the first row in which at least two cells are known headers.
    """
    for row_number, cells in rows:
        matched = [HEADER_LOOKUP.get(header_key(cell)) for cell in cells]
        if sum(1 for column in matched if column) >= 2:
            return [text(cell) for cell in cells], layout(row_number, cells, matched), rows
        if row_number >= HEADER_SEARCH_ROWS:
            break
    raise FileError("未找到表头：前%d行中没有“项目编号”“县市区”等列名。" % HEADER_SEARCH_ROWS)


def layout(row_number, cells, matched):
    positions = {}
    for index, (cell, column) in enumerate(zip(cells, matched, strict=True)):
        if column is None:
            continue
        if column.key in positions:
            raise FileError("第%d行表头中“%s”出现了两次。" % (row_number, column.header))
        positions[column.key] = (index, text(cell))
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise FileError("缺少必填列：%s。" % "、".join(missing))
    return positions


class Places:
    """Every prefecture and county, loaded once, looked up by official name or code."""

    def __init__(self):
        self.prefectures = {}
        for prefecture in Prefecture.objects.all():
            self.prefectures[prefecture.code] = prefecture
            self.prefectures[prefecture.name] = prefecture
        self.counties = {}
        self.by_name = {}
        for county in County.objects.select_related("prefecture"):
            self.counties[county.code] = county
            self.by_name.setdefault(county.name, []).append(county)

    def county(self, value, prefecture):
        value = canonical(value)
        if value in self.counties:
            return self.counties[value]
        found = self.by_name.get(value, [])
        if prefecture is not None:
            found = [c for c in found if c.prefecture_id == prefecture.pk] or found
        if len(found) == 1:
            return found[0]
        if found:
            raise RowError("county", "县市区“%s”重名，请同时填写州市或改用区划代码" % value)
        raise RowError("county", "未知的县市区“%s”" % value)


def choice_lookup(choices):
    lookup = {}
    for value, label in choices:
        lookup[value] = value
        lookup[label] = value
    return lookup


CATEGORIES = choice_lookup(Project.Category.choices)
STATUSES = choice_lookup(Project.Status.choices)


class RowReader:
    """Turns one spreadsheet row into the values of a Project, or raises every problem.

    `read(row_number, cells)` returns (field values, error lines); with errors, the values
    hold only the cells that were valid.
    """

    def __init__(self, header, positions, places=None, today=None):
        self.header = header
        self.positions = positions
        self.places = places or Places()
        self.last_year = (today or datetime.date.today()).year + 1

    def cell(self, cells, key):
        position = self.positions.get(key)
        if position is None or position[0] >= len(cells):
            return None
        return cells[position[0]]

    def label(self, key):
        return self.positions[key][1] if key in self.positions else ""

    def read(self, row_number, cells):
        errors = []
        values = {}
        prefecture = None
        for key, parse in self.parsers:
            raw = self.cell(cells, key)
            empty = text(raw) == ""
            try:
                if key == "prefecture":
                    prefecture = None if empty else self.prefecture(raw)
                    continue
                if key == "county":
                    if empty:
                        raise RowError(key, "不能为空")
                    values["county"] = self.places.county(text(raw), prefecture)
                    continue
                values[key] = parse(self, raw, empty)
            except RowError as error:
                errors.append(error_line(row_number, self.label(error.column), error.message))
            except ValueError as error:
                errors.append(error_line(row_number, self.label(key), str(error)))
        county = values.get("county")
        if prefecture is not None and county is not None and county.prefecture_id != prefecture.pk:
            errors.append(
                error_line(
                    row_number,
                    self.label("prefecture"),
                    "县市区“%s”不属于“%s”" % (county.name, prefecture.name),
                )
            )
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and end < start:
            message = "完工日期不能早于开工日期"
            errors.append(error_line(row_number, self.label("end_date"), message))
        return values, errors

    def prefecture(self, raw):
        value = canonical(text(raw))
        prefecture = self.places.prefectures.get(value)
        if prefecture is None:
            raise RowError("prefecture", "未知的州市“%s”" % value)
        return prefecture

    def required_text(self, raw, empty, max_length):
        if empty:
            raise ValueError("不能为空")
        value = text(raw)
        if len(value) > max_length:
            raise ValueError("超过%d个字" % max_length)
        return value

    def code(self, raw, empty):
        return self.required_text(raw, empty, Project._meta.get_field("code").max_length)

    def name(self, raw, empty):
        return self.required_text(raw, empty, Project._meta.get_field("name").max_length)

    def year(self, raw, empty):
        if empty:
            raise ValueError("不能为空")
        try:
            year = parse_integer(raw)
        except ValueError:
            year = None
        if year is None or not FIRST_YEAR <= year <= self.last_year:
            raise ValueError(
                "年度须为%d至%d之间的整数，而不是“%s”" % (FIRST_YEAR, self.last_year, text(raw))
            )
        return year

    def choice(self, raw, empty, lookup, choices):
        if empty:
            raise ValueError("不能为空")
        value = canonical(text(raw))
        found = lookup.get(value) or lookup.get(value.lower())
        if found is None:
            allowed = "、".join(label for _, label in choices)
            raise ValueError("未知的取值“%s”（可填：%s）" % (value, allowed))
        return found

    def category(self, raw, empty):
        return self.choice(raw, empty, CATEGORIES, Project.Category.choices)

    def status(self, raw, empty):
        return self.choice(raw, empty, STATUSES, Project.Status.choices)

    def money(self, raw, empty, required):
        if empty:
            if required:
                raise ValueError("不能为空")
            return parse_decimal(0, **MONEY)
        try:
            amount = parse_decimal(raw, **MONEY)
        except ValueError as error:
            raise ValueError("%s：“%s”" % (error, text(raw))) from None
        if amount < 0:
            raise ValueError("金额不能为负数：“%s”" % text(raw))
        return amount

    def shanghai_funds(self, raw, empty):
        return self.money(raw, empty, required=True)

    def other_funds(self, raw, empty):
        return self.money(raw, empty, required=False)

    def beneficiaries(self, raw, empty):
        if empty:
            return None
        try:
            number = parse_integer(raw)
        except ValueError:
            raise ValueError("须为不小于0的整数，而不是“%s”" % text(raw)) from None
        if number < 0 or number > 2_147_483_647:
            raise ValueError("须为不小于0的整数，而不是“%s”" % text(raw))
        return number

    def date(self, raw, empty):
        if empty:
            return None
        try:
            return parse_date(raw)
        except ValueError as error:
            raise ValueError(
                "%s：“%s”（可写作2022-03-01、2022/3/1或2022年3月1日）" % (error, text(raw))
            ) from None

    def notes(self, raw, empty):
        return "" if empty else text(raw)

    parsers = [
        ("code", code),
        ("name", name),
        ("year", year),
        ("prefecture", None),
        ("county", None),
        ("category", category),
        ("status", status),
        ("shanghai_funds", shanghai_funds),
        ("other_funds", other_funds),
        ("beneficiaries", beneficiaries),
        ("start_date", date),
        ("end_date", date),
        ("notes", notes),
    ]
