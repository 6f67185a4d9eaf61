"""The workbook, its sheets and their rows as every reader of the package gives them, and what
the readers share: the hidden rows of a sheet, the limits that keep a hostile file from taking
the memory, and the words of those refusals.

Each reader gives a Sheet a source: an object with merged(), knows_hidden_rows(), streamed()
and rows(stream), the last a generator of (row_number, cells, hidden) that reads
stream.width as it goes (see RowStream).
"""

import contextlib
from bisect import bisect_right

from ..parsing import MAX_COLUMNS, FileError

# What calamine may build in memory for one read: one XLSX sheet, or a whole XLS or ODS
# workbook (it reads all of their sheets at once). Measured on a 100,000 x 13 XLSX, calamine
# takes about 64 bytes a cell of the rectangle, besides the text of the cells themselves.
MEMORY_BUDGET = 256 << 20
CELL_BYTES = 64
# A sheet has at most this many rows and columns (Excel's limits; calamine's for ODS).
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 16_384
# Merged ranges and error cells kept for one sheet: no report has more, a hostile file may.
MAX_MERGED = 100_000
MAX_ERROR_CELLS = 100_000
MAX_HIDDEN_RANGES = 100_000
# What a streaming reader decompresses at a time.
CHUNK_BYTES = 1 << 20

PASSWORD = "文件已设置打开密码，请取消密码后再上传。"
ENTITIES = "%s文件含有不允许的XML实体声明（可能是恶意文件），已拒绝。"
TOO_LARGE = (
    "%(kind)s文件展开后过大（约%(size)d MB，上限%(limit)d MB），无法读取：请删除多余的行列"
    "（例如远处误填或设了格式的单元格），或在Excel/WPS中另存为XLSX后再上传。"
)


class Workbook:
    """A file's sheets, in workbook order. `kind` is "csv", "xlsx", "xls" or "ods"."""

    def __init__(self, kind, sheets, closing=()):
        self.kind = kind
        self.sheets = sheets
        self._closing = list(closing)

    def close(self):
        """Frees what the readers hold; the binary file itself is left open."""
        while self._closing:
            with contextlib.suppress(Exception):
                self._closing.pop()()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class Sheet:
    """One sheet: its name, its position in the workbook (0-based, every sheet counted),
    whether it is hidden (or very hidden), and its merged ranges as (first_row, first_col,
    last_row, last_col), in that order: rows numbered from 1 as the spreadsheet shows them,
    columns from 0 (A is 0).

    knows_hidden_rows is True where the reader can tell a hidden row: XLSX (<row
    hidden="1">, or "true"), ODS (table:visibility "collapse" or "filter"), XLS (the ROW
    record's fDyZero flag), and CSV, which has no hidden rows. It is False only for an XLSX
    sheet whose part or <worksheet> root element could not be found (a workbook written by
    hand): its rows are still read, by openpyxl, and every one says hidden=False.

    streamed is True for an XLSX sheet read by openpyxl's streaming reader because calamine
    would have to hold too much of it in memory (see MEMORY_BUDGET), or because its XML is
    not in the form the measure needs.
    """

    def __init__(self, name, index, hidden, source):
        self.name = name
        self.index = index
        self.hidden = hidden
        self._source = source

    @property
    def merged(self):
        return sorted(self._source.merged())

    @property
    def knows_hidden_rows(self):
        return self._source.knows_hidden_rows()

    @property
    def streamed(self):
        return self._source.streamed()

    def rows(self):
        """The rows as (row_number, cells, hidden); see RowStream."""
        return RowStream(self._source.rows)

    def __repr__(self):
        return "<Sheet %d %r>" % (self.index, self.name)


class RowStream:
    """The rows of a sheet as (row_number, cells, hidden), read as they are iterated.

    row_number is the row as the spreadsheet numbers it, from 1; cells start at column A.
    A row holds at most `width` cells: MAX_COLUMNS until the caller lowers it (once its
    header is found), so that cells far to the right are neither kept nor looked at.
    Cells are str, int, float, bool, datetime.date or datetime.datetime; "" or None is an
    empty cell; a time or duration is text ("10:30:00", "30:00:00"), an error its text
    ("#DIV/0!"), a formula its cached result.
    """

    def __init__(self, read):
        self.width = MAX_COLUMNS
        self._rows = read(self)

    def __iter__(self):
        return self._rows


def too_large(kind, estimate):
    return FileError(
        TOO_LARGE % {"kind": kind, "size": estimate >> 20, "limit": MEMORY_BUDGET >> 20}
    )


class HiddenRows:
    """Row numbers (from 1) hidden in a sheet, as ranges; looked up in any order."""

    def __init__(self):
        self.ranges = []  # [first, last], in the order found (past MAX_HIDDEN_RANGES: dropped)
        self._sorted = None

    def add(self, first, last):
        if self.ranges and self.ranges[-1][1] + 1 == first:
            self.ranges[-1][1] = last
        elif len(self.ranges) < MAX_HIDDEN_RANGES:
            self.ranges.append([first, last])
        self._sorted = None

    def __contains__(self, number):
        if not self.ranges:
            return False
        if self._sorted is None:
            self._sorted = sorted(self.ranges)
            self._starts = [first for first, _ in self._sorted]
        at = bisect_right(self._starts, number) - 1
        return at >= 0 and self._sorted[at][1] >= number


NO_HIDDEN = HiddenRows()
