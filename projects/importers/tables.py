"""Finding a report's table in a sheet as offices lay it out, and telling its rows apart.

A sheet may open with title rows; its header may take two or three rows, with group cells
merged over the columns they head (资金（万元） over 上海援助资金 and 其他资金); below the data
come 合计 and 小计 rows and a footer (填报人, 审核人, 联系电话…); cells merged down over a
county's rows hold their value in the first row only; hidden rows are not meant. Everything
here runs once per sheet or on a row's first cells, never on every cell.
"""

import re
from dataclasses import dataclass, field

from .columns import HeaderNames
from .parsing import FileError, text
from .words import header_unit

# How many leading rows may hold titles and the header.
HEADER_SEARCH_ROWS = 15
# A header takes at most this many rows (a group row over its sub-headers, and one more).
HEADER_DEPTH = 3
# A longer cell is no header (theirs are a few characters, spaces and all).
MAX_HEADER_CHARS = 100
# Sheets that explain a workbook, or list its codes: never a report.
# (Named narrowly: a sheet called 项目清单 or 明细表 is a report; each skipped sheet is named
# in a notice.)
NOT_A_REPORT = re.compile(r"说明|填报要求|代码表|目录|下拉|字典|选项")
# 合计, 小计, 总计, 全县合计, 孟连县小计, 合 计 (spaces are removed first).
TOTAL = re.compile(r"^.{0,12}?(合计|小计|总计)[:：]?$")
FOOTER = re.compile(
    r"^(?:填报人|填表人|审核人|审核|联系电话|联系人|电话|单位负责人|负责人|制表人|制表|"
    r"填报日期|填表日期|报送日期|填报单位|报送单位|分管领导|主要领导|经办人|说明|注|备注)\s*[:：]?"
)
FOOTER_STARTS = set("填审联电单负制报分主经说注备")
# The last line of hujin's CSV export (exporting.EXPORT_END), with its count of projects.
EXPORT_END = re.compile(r"^（导出完毕：共(\d+)个项目）$")
MARKER_CHARS = 30


@dataclass
class Table:
    """A report's table found in a sheet.

    `positions` maps a column key to (cell index, its header as found, the unit written in
    its header or None); `header` holds each cell's header as found (for the refused rows'
    file), `unread` the headers of the columns the report does not read.
    """

    header_row: int  # the header's last row
    positions: dict
    header: list
    unread: list = field(default_factory=list)
    # The first cells of merged ranges seen so far, for fill_merged on the rows after.
    merged_values: dict = field(default_factory=dict)
    # A layout other than one record a row (indicators.importers.wide): turns a sheet's row
    # into the rows `positions` read, and says how many of the sheet's cells it needs.
    expand: object = None
    row_width: int = 0
    notices: list = field(default_factory=list)  # how the layout was read
    # Values of columns the sheet does not have, read for every row (年度 from the title).
    fixed: dict = field(default_factory=dict)

    @property
    def width(self):
        """How many cells of a row are kept: up to the header's last column, read or not."""
        if self.row_width:
            return self.row_width
        last = max(index for index, _, _ in self.positions.values() if index is not None)
        for index in range(len(self.header) - 1, last, -1):
            if self.header[index]:
                return index + 1
        return last + 1

    @property
    def labels(self):
        return {key: label for key, (_, label, _) in self.positions.items()}


def is_report_sheet_name(name):
    return not NOT_A_REPORT.search(name or "")


def fill_merged(row_number, cells, merged, values):
    """Fills the cells of `row_number` that merged ranges cover with their first cell's
    value; `values` remembers those first cells, {(row, column): value}, as rows go by."""
    for first_row, first_col, last_row, last_col in merged:
        if not first_row <= row_number <= last_row:
            continue
        if row_number == first_row:
            value = cells[first_col] if first_col < len(cells) else None
            values[(first_row, first_col)] = value
        else:
            value = values.get((first_row, first_col))
        if value is None or value == "":
            continue
        if len(cells) <= last_col:
            cells.extend([None] * (last_col + 1 - len(cells)))
        for column in range(first_col, last_col + 1):
            if row_number == first_row and column == first_col:
                continue
            if cells[column] is None or cells[column] == "":
                cells[column] = value


def read_head(rows, merged=()):
    """A sheet's first HEADER_SEARCH_ROWS rows, (number, cells, hidden), merged cells filled,
    and the first cells of the merged ranges seen (for the rows after)."""
    head = []
    remembered = {}
    for number, cells, hidden in rows:
        cells = list(cells)
        fill_merged(number, cells, merged, remembered)
        head.append((number, cells, hidden))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    return head, remembered


def find_table(head, names: HeaderNames, remembered=None):
    """The report's table in a sheet's first rows (read_head): (Table, the rows after the
    header), or None when no row of them heads the report. Raises FileError for a header
    that is wrong."""
    for position, (_number, cells, hidden) in enumerate(head):
        if hidden:
            continue
        matched = [names.match(cell) for cell in cells]
        if len({c.key for c, _ in matched if c}) < 2:
            continue
        depth = 1
        while depth < HEADER_DEPTH and position + depth < len(head):
            rows = [(n, c) for n, c, _ in head[position : position + depth + 1]]
            if not adds_to(rows, names):
                break
            depth += 1
        header_rows = [(n, c) for n, c, _ in head[position : position + depth]]
        table = settle(header_rows, names, head[:position])
        table.merged_values = remembered or {}
        left = head[position + depth :]
        return table, left
    return None


def labels_of(header_rows, index):
    """A column's header cells, top to bottom, the same value merged down counted once."""
    labels = []
    for _, cells in header_rows:
        value = text(cells[index]) if index < len(cells) else ""
        if value and (not labels or labels[-1] != value):
            labels.append(value)
    return labels


def read_column(labels, names):
    """(column, unit, label) for a column headed by `labels` (top to bottom)."""
    if not labels:
        return None, None, ""
    column, unit = names.match(labels[-1])
    label = labels[-1]
    if column is None and len(labels) > 1:
        column, unit = names.match("".join(labels))
    if unit is None:
        for upper in labels[:-1]:
            unit = header_unit(upper)[1] or unit
        if unit is not None:
            label = "%s（%s）" % (header_unit(label)[0], unit)
    return column, unit, label


def adds_to(header_rows, names):
    """Whether the last of `header_rows` is one more header row: with it, more columns are
    known, and it holds nothing under a column the rows above name by themselves."""
    above, below = header_rows[:-1], header_rows[-1][1]
    width = max(len(cells) for _, cells in header_rows)
    known_above, known_with = set(), set()
    for index in range(width):
        column, _, _ = read_column(labels_of(above, index), names)
        value = text(below[index]) if index < len(below) else ""
        if column is not None:
            known_above.add(column.key)
            if value and labels_of(above, index)[-1] != value and names.match(value)[0] is None:
                return False  # a data cell under a header
        column, _, _ = read_column(labels_of(header_rows, index), names)
        if column is not None:
            known_with.add(column.key)
    return len(known_with) > len(known_above)


YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")


def year_in_title(rows):
    """(year, notice) from the first title cell above a header naming a year (2022年…), or
    (None, None). `rows`: (number, cells, …) tuples."""
    for _, cells, *_ in rows:
        for cell in cells:
            value = text(cell)
            match = YEAR_IN_TITLE.search(value) if value and len(value) <= 200 else None
            if match:
                year = match.group(1)
                return year, "没有“年度”列，年度取自标题“%s”：%s" % (value[:50], year)
    return None, None


def settle(header_rows, names, title_rows=()):
    """The Table of header rows: each column found once, every required one there (a
    missing 年度 may come from the title above, `title_rows`)."""
    width = max(len(cells) for _, cells in header_rows)
    last_row = header_rows[-1][0]
    positions, header, unread, found = {}, [], [], []
    for index in range(width):
        labels = labels_of(header_rows, index)
        column, unit, label = read_column(labels, names)
        if len(label) > MAX_HEADER_CHARS:
            column, label = None, label[:MAX_HEADER_CHARS]
        header.append(label)
        if column is None:
            if label:
                unread.append(label)
            continue
        found.append(label)
        if column.key in positions:
            first = positions[column.key][1]
            if first == label:
                what = "“%s”出现了两次" % label
            else:
                what = "“%s”和“%s”都对应“%s”列" % (first, label, column.header)
            raise FileError(
                "第%(row)d行表头中%(what)s，请删除或改名其中一列。表头中找到的列：%(found)s。"
                % {"row": last_row, "what": what, "found": "、".join(found)}
            )
        positions[column.key] = (index, label, unit)
    fixed, notices = {}, []
    if "year" not in positions and any(c.key == "year" for c in names.columns):
        year, notice = year_in_title(title_rows)
        if year is not None:
            positions["year"] = (None, "年度", None)
            fixed["year"] = year
            notices.append(notice)
    missing = [c for c in names.columns if c.required and c.key not in positions]
    if missing:
        raise MissingColumns(missing, last_row, found, unread)
    return Table(last_row, positions, header, unread, fixed=fixed, notices=notices)


class MissingColumns(FileError):
    """A header row was found, but not every required column in it: `missing` (columns),
    what the row held that was read (`found`) and not (`unread`), for the admin to offer
    matching the unread headers to the missing columns once (a saved layout)."""

    def __init__(self, missing, row, found, unread):
        self.missing, self.row, self.found, self.unread = missing, row, found, unread
        message = "缺少必填列：%(missing)s。第%(row)d行表头中找到的列：%(found)s。" % {
            "missing": "、".join(c.header for c in missing),
            "row": row,
            "found": "、".join(found) or "无",
        }
        if unread:
            message += "未认出的表头：%s。" % "、".join(unread)
        super().__init__(message)


def marker(cells, probe):
    """ "total" for a 合计/总计 row, "subtotal" for 小计, "footer" for a 填报人 line, "end"
    for the last line of hujin's export, or None.

    Looks at the row's first non-empty cell and at the cells at `probe` (its key columns),
    and only at short text cells holding 计 or starting as a footer does.
    """
    first = next((cell for cell in cells if cell is not None and cell != ""), None)
    if first.__class__ is str and len(first) <= MARKER_CHARS:
        kind = kind_of(first)
        if kind is not None:
            return kind
    for index in probe:
        cell = cells[index] if index < len(cells) else None
        if cell.__class__ is str and "计" in cell and len(cell) <= MARKER_CHARS:
            kind = kind_of(cell)
            if kind in ("total", "subtotal"):
                return kind
    return None


def kind_of(cell):
    if cell.startswith("（导出完毕") and EXPORT_END.match(cell):
        return "end"
    if "计" in cell:
        match = TOTAL.match(re.sub(r"\s+", "", cell))
        if match:
            return "subtotal" if match.group(1) == "小计" else "total"
    if cell.lstrip()[:1] in FOOTER_STARTS and FOOTER.match(cell.lstrip()):
        return "footer"
    return None
