"""ODS: content.xml streamed through expat (a DTD refused, as defusedxml would) for what
calamine does not tell: hidden rows (table:visibility "collapse" or "filter"), merged ranges
(table:number-rows-spanned and -columns-spanned), error cells (calcext:value-type "error"),
and the extent of every table, rows and cells repeated as their attributes say. Then
calamine reads the values.

What an ODS cannot be here: read a sheet at a time. There is no streaming reader for it, and
calamine reads every sheet as the file is opened, so a workbook beyond MEMORY_BUDGET is
refused, with the way out (remove the far cells, or save it as XLSX). A duration past 24
hours calamine cannot make a time of ("PT30H00M00S") is given as text ("30:00:00").
"""

import zipfile
from xml.parsers import expat

from python_calamine import SheetVisibleEnum

from ..parsing import FileError
from . import calamine
from .calamine import CalamineSheet
from .sheets import (
    CELL_BYTES,
    CHUNK_BYTES,
    ENTITIES,
    MAX_ERROR_CELLS,
    MAX_MERGED,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MEMORY_BUDGET,
    HiddenRows,
    Sheet,
    Workbook,
    too_large,
)
from .zipparts import check_prologs, open_part

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def open_ods(binary):
    archive = zipfile.ZipFile(binary)
    try:
        check_prologs(archive, "ODS")
        tables = scan_ods(archive)
        # The text of the cells is at most content.xml itself.
        estimate = sum(table.estimate() for table in tables)
        estimate += archive.getinfo("content.xml").file_size
        if estimate > MEMORY_BUDGET:
            raise too_large("ODS", estimate)
    finally:
        archive.close()
    book = calamine.open_calamine(binary, "ODS")
    sheets = []
    by_name = {table.name: table for table in tables}
    for index, meta in enumerate(book.sheets_metadata):
        table = by_name.get(meta.name) or OdsTable(meta.name)
        source = CalamineSheet(
            book, index, "ODS", table.hidden, table.merged, table.errors, ods=True
        )
        sheets.append(Sheet(meta.name, index, meta.visible != SheetVisibleEnum.Visible, source))
    return Workbook("ods", sheets, [book.close])


class OdsTable:
    def __init__(self, name):
        self.name = name
        self.hidden = HiddenRows()
        self.merged = []
        self.errors = {}
        self.first_row = None
        self.last_row = 0
        self.first_col = MAX_SHEET_COLUMNS
        self.last_col = -1

    def estimate(self):
        if self.first_row is None:
            return 0
        area = (self.last_row - self.first_row + 1) * (self.last_col - self.first_col + 1)
        # calamine holds the values and, as large again, the formulas
        return 2 * area * CELL_BYTES


VALUE_ATTRS = (
    "office:value",
    "office:string-value",
    "office:date-value",
    "office:time-value",
    "office:boolean-value",
    "table:formula",
)


class OdsScanner:
    """Follows content.xml as calamine reads it: tables named table:table, rows
    table:table-row (wherever they are nested: header rows, row groups), cells
    table:table-cell and table:covered-table-cell, repeated as their attributes say."""

    def __init__(self):
        self.tables = []
        self.table = None
        self.row = 0  # 0-based, repeats counted
        self.in_row = False
        self.repeat = 1
        self.col = 0
        self.row_first = None
        self.row_last = -1
        self.row_errors = None
        self.error_cell = None  # (col, count, pieces) while inside an error cell
        self.paragraphs = 0

    def start(self, name, attrs):
        if name == "table:table":
            self.table = OdsTable(attrs["table:name"]) if "table:name" in attrs else None
            if self.table is not None:
                self.tables.append(self.table)
            self.row = 0
        elif self.table is None:
            return
        elif name == "table:table-row":
            repeat = number(attrs.get("table:number-rows-repeated"), 1)
            self.repeat = max(0, min(repeat, MAX_SHEET_ROWS - self.row))
            self.in_row = True
            self.col = 0
            self.row_first = None
            self.row_last = -1
            self.row_errors = None
            if attrs.get("table:visibility") in ("collapse", "filter") and self.repeat:
                self.table.hidden.add(self.row + 1, self.row + self.repeat)
        elif name in ("table:table-cell", "table:covered-table-cell") and self.in_row:
            repeat = number(attrs.get("table:number-columns-repeated"), 1)
            count = max(0, min(repeat, MAX_SHEET_COLUMNS - self.col))
            if count and (
                attrs.get("office:value-type") == "string"
                or any(key in attrs for key in VALUE_ATTRS)
            ):
                if self.row_first is None:
                    self.row_first = self.col
                self.row_last = self.col + count - 1
            spans = (
                number(attrs.get("table:number-rows-spanned"), 1),
                number(attrs.get("table:number-columns-spanned"), 1),
            )
            merged = self.table.merged
            if spans != (1, 1) and name == "table:table-cell" and len(merged) < MAX_MERGED:
                merged.append(
                    (self.row + 1, self.col, self.row + spans[0], self.col + spans[1] - 1)
                )
            if attrs.get("calcext:value-type") == "error" and count:
                self.error_cell = (self.col, count, [])
                self.paragraphs = 0
            self.col += count
        elif self.error_cell is not None:
            if name == "text:p":
                self.paragraphs += 1
                if self.paragraphs > 1:
                    self.error_cell[2].append("\n")
            elif name == "text:s":
                self.error_cell[2].append(" " * min(number(attrs.get("text:c"), 1), 100))

    def end(self, name):
        if self.table is None:
            return
        if name == "table:table":
            self.table = None
        elif name in ("table:table-cell", "table:covered-table-cell") and self.error_cell:
            col, count, pieces = self.error_cell
            if self.row_errors is None:
                self.row_errors = {}
            for at in range(col, min(col + count, col + MAX_ERROR_CELLS)):
                self.row_errors[at] = "".join(pieces)
            self.error_cell = None
        elif name == "table:table-row" and self.in_row:
            table = self.table
            if self.row_first is not None and self.repeat:
                if table.first_row is None:
                    table.first_row = self.row
                table.last_row = self.row + self.repeat - 1
                table.first_col = min(table.first_col, self.row_first)
                table.last_col = max(table.last_col, self.row_last)
            if self.row_errors:
                for row in range(self.row, self.row + self.repeat):
                    if len(table.errors) >= MAX_ERROR_CELLS:
                        break
                    table.errors[row] = self.row_errors
            self.row += self.repeat
            self.in_row = False

    def text(self, data):
        if self.error_cell is not None:
            self.error_cell[2].append(data)


def number(value, default):
    if value is None:
        return default
    try:
        return max(0, int(value))
    except ValueError:
        return default


class EntityDeclared(Exception):
    pass


def refuse_doctype(*args):
    raise EntityDeclared


def scan_ods(archive):
    """The tables of content.xml, streamed through expat (DTDs refused, as defusedxml does)."""
    scanner = OdsScanner()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.text
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.ExternalEntityRefHandler = refuse_doctype
    with open_part(archive, "content.xml", "ODS", "工作表已损坏") as stream:
        try:
            while chunk := stream.read(CHUNK_BYTES):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except EntityDeclared:
            raise FileError(ENTITIES % "ODS") from None
        except (expat.ExpatError, LookupError) as error:
            raise FileError(
                "无法读取ODS文件（工作表已损坏）：%s" % expat.errors.messages.get(error.code, error)
            ) from None
    return scanner.tables
