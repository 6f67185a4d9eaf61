"""A report column: one object saying everything about it (anchor: pretix's ImportColumn).

A report type is a list of columns and a writer. The engine reads a column's header as
offices write it (its Chinese header, English key, aliases, staff-added aliases; brackets,
spaces, full-width characters and a unit in brackets do not matter), parses its cells with
its `parse`, stages and writes its `field`, exports it with `export` and explains it in the
template with `rule`.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .parsing import MAX_CELL_CHARS, FileError, canonical, text
from .values import BLANKS, COUNT_ALIASES, LONGEST_BLANK, MONEY_POWERS
from .words import header_unit

# Brackets and listing marks inside a header: 州（市） is 州市, 县（市、区） is 县市区.
PUNCTUATION = re.compile(r"[\s()（）\[\]【】<>《》、，,.．。:：;；'\"“”‘’*＊#＃/／\\|_\-－—]+")


@dataclass(frozen=True)
class ReportColumn:
    """One column of a report.

    `parse(reader, raw, value, values)` turns a cell (raw as read, value its trimmed text) into
    what the row holds, raising ValueError with a Chinese message; `values` holds the row's
    columns read before this one. It is not called for a blank optional cell: that keeps
    what is stored (or `default` for a new record), and `（清空）` clears it where `clearable`.
    """

    key: str  # the row's value name and the English header accepted
    header: str  # the Chinese header, as in the template
    parse: Callable[..., Any]
    required: bool = False
    aliases: tuple = ()  # other headers reports use for it
    hint: bool = False  # named when no header row is found
    field: str | None = None  # the model field written; None: read only (the row uses it)
    staging: str | None = None  # the SQL type of its staged column
    default: Any = None  # a new record's value when the cell is blank
    clearable: bool = False  # whether （清空） may clear the stored value
    unit: str | None = None  # "万元" or "人": what its numbers are in
    summed: bool = False  # compared with the 合计 rows
    export: Callable[[Any], Any] | None = None  # the record's cell in an export
    rule: str = ""  # its rule in the template's 填写说明 sheet
    width: int = 12  # its width in the template, in characters
    choices: Callable[[], list] | None = None  # the template's drop-down list
    text_format: bool = False  # formatted as text in the template (codes)

    def names(self):
        """Every header written for this column, before staff's aliases."""
        return (self.header, self.key, *self.aliases)


def header_key(header):
    """How headers are compared: NFKC, no spaces, brackets or listing marks, lower case."""
    return PUNCTUATION.sub("", unicodedata.normalize("NFKC", text(header))).lower()


class HeaderNames:
    """Looks a header cell up among a report's columns: {header key: column}."""

    def __init__(self, columns, aliases=None, saved=None, sender=""):
        """`aliases`: {column key: [header, …]} that staff added in the admin for every
        sender; `saved`: those of the file's sender (its saved layout, HeaderAlias.sender),
        named `sender` in the notices. A header the report or staff already know keeps its
        column."""
        self.columns, self.sender = columns, sender
        self.lookup, self.saved = {}, set()
        for column in columns:
            for name in (*column.names(), *(aliases or {}).get(column.key, ())):
                self.lookup.setdefault(header_key(name), column)
                self.lookup.setdefault(header_key(header_unit(name)[0]), column)
        for column in columns:
            for name in (saved or {}).get(column.key, ()):
                for key in (header_key(name), header_key(header_unit(name)[0])):
                    if key not in self.lookup:
                        self.lookup[key] = column
                        self.saved.add(key)

    def is_saved(self, header):
        """Whether a header is read only through the sender's saved layout."""
        value = text(header)
        keys = (header_key(value), header_key(header_unit(value)[0]))
        return bool(self.saved) and any(key in self.saved for key in keys)

    def match(self, header):
        """(column, unit written) for a header cell, or (None, None)."""
        value = text(header)
        if not value or len(value) > 100:
            return None, None
        column = self.lookup.get(header_key(value))
        name, unit = header_unit(value)
        if column is None:
            column = self.lookup.get(header_key(name))
        if column is None:
            # 其中：上海援助资金 (a sub-item line), or 序号-like prefixes
            stripped = re.sub(r"^(其中|含)[:：]?", "", name)
            if stripped != name:
                column = self.lookup.get(header_key(stripped))
        return column, unit


# Written in a cell of an optional column, clears what is stored (a blank cell keeps it).
CLEAR_MARKERS = {"(清空)", "清空"}
TOO_LONG = "单元格内容超过%d个字符，已拒绝" % MAX_CELL_CHARS


def cell_line(row_number, label, message):
    """第3行 县市区：message (or 第3行：message without a column)."""
    if label:
        return "第%d行 %s：%s" % (row_number, label, message)
    return "第%d行：%s" % (row_number, message)


class ColumnReader:
    """Reads one row of a table by its report's columns; a report type subclasses it with
    its checks across columns (`check`), its key and its places.

    `read(row_number, cells)` returns (values, errors, remarks): `values` by column key,
    None where an optional cell is blank (the stored value stays); `errors` the row's error
    lines; `remarks` its (level, kind, line) notices and warnings ("notice" or "warning").
    `cleared` holds the keys of the cells written （清空）.
    """

    def __init__(self, columns, table, *, today=None):
        self.table = table
        self.positions = table.positions
        self.last_year = (today or datetime.date.today()).year + 1
        self.plan = [
            (column, *self.positions[column.key])
            for column in columns
            if column.key in self.positions
        ]
        self.remarks = []
        self.cleared = set()
        self.unit_here = None
        # (level, message) about the table as a whole: units read from the header.
        self.table_remarks = []
        for column, _index, label, unit in self.plan:
            self.settle_unit(column, label, unit)

    def settle_unit(self, column, label, unit):
        """Checks the unit a header gives a column of numbers; says how it is read."""
        if column.unit == "万元":
            if unit is None:
                self.table_remarks.append(("notice", "“%s”列未注明单位，按万元导入" % label))
            elif unit not in MONEY_POWERS:
                raise FileError("“%s”列的单位“%s”不是金额单位，本列须以万元填写。" % (label, unit))
            elif MONEY_POWERS[unit]:
                self.table_remarks.append(
                    ("notice", "“%s”列按%s填写，已换算为万元导入" % (label, unit))
                )
        elif column.unit is not None and unit not in (None, column.unit):
            if COUNT_ALIASES.get(unit) == column.unit:
                return
            raise FileError("“%s”列的单位“%s”与本列的单位“%s”不符。" % (label, unit, column.unit))

    def label(self, key):
        """The column's header as written in the file, for error lines."""
        return self.positions[key][1] if key in self.positions else ""

    def unit(self, key):
        """The unit the file's header gives the column, or None."""
        return self.positions[key][2] if key in self.positions else None

    def notice(self, message):
        self.remarks.append(("notice", message))

    def warn(self, message):
        self.remarks.append(("warning", message))

    def read(self, row_number, cells):
        errors = []
        remarks = []
        values = {}
        self.cleared = set()
        width = len(cells)
        fixed = self.table.fixed
        for column, index, label, unit in self.plan:
            if index is None:
                raw = fixed.get(column.key)
            else:
                raw = cells[index] if index < width else None
            if raw.__class__ is str and len(raw) > MAX_CELL_CHARS:
                errors.append(cell_line(row_number, label, TOO_LONG))
                continue
            value = text(raw)
            # is_blank, inlined: it runs for every cell of files of 100,000 rows.
            if not value or (
                len(value) <= LONGEST_BLANK and (value in BLANKS or value.upper() == "N/A")
            ):
                if column.required:
                    errors.append(cell_line(row_number, label, "不能为空"))
                values[column.key] = None
                continue
            if column.clearable and value[-1] in "）)空" and canonical(value) in CLEAR_MARKERS:
                values[column.key] = None
                self.cleared.add(column.key)
                continue
            try:
                values[column.key] = self.parse_cell(column, raw, value, unit, values)
            except ValueError as error:
                errors.append(cell_line(row_number, label, str(error)))
            for level, message in self.remarks:
                remarks.append((level, label, cell_line(row_number, label, message)))
        for key, message in self.check(values):
            errors.append(cell_line(row_number, self.label(key), message))
        return values, errors, remarks

    def parse_cell(self, column, raw, value, unit, values):
        """A cell of `column` read (its notices and warnings in self.remarks); `unit` is the
        one its header names. Raises ValueError."""
        self.remarks = []
        self.unit_here = unit
        return column.parse(self, raw, value, values)

    def check(self, values):
        """(column key, message) for what is wrong across the row's columns; a column
        whose cell was wrong is missing from `values`."""
        return []
