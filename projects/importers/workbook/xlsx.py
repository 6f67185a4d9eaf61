"""XLSX: the sheets of xl/workbook.xml, each found in the zip through its relationships and
measured by xlsx_scan. A sheet calamine can hold within MEMORY_BUDGET is read by calamine;
one beyond it, or one whose XML is not in the form the measure needs, by openpyxl's
streaming reader instead, row by row, as parsing.read_xlsx does (Sheet.streamed says which).

Hidden rows, merged ranges and error cells come from the measure's pass over the sheet's
XML. What an XLSX cannot tell here: the hidden rows of a sheet whose part or <worksheet> root
element cannot be found (a workbook written by hand). Its rows are still read, by openpyxl,
and each says hidden=False (Sheet.knows_hidden_rows is False).
"""

import contextlib
import zipfile

from python_calamine import SheetTypeEnum, SheetVisibleEnum

from ..parsing import FileError, excel_text, unreadable
from . import calamine
from .calamine import calamine_call, cell_value
from .sheets import (
    CELL_BYTES,
    ENTITIES,
    MAX_SHEET_ROWS,
    MEMORY_BUDGET,
    NO_HIDDEN,
    Sheet,
    Workbook,
)
from .xlsx_scan import XlsxScan, scan_xlsx_sheet, shared_string_lengths
from .zipparts import check_prologs, open_part

XLSX_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
XLSX_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
XLSX_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def open_xlsx(binary):
    book = XlsxBook(binary)
    return Workbook("xlsx", book.sheets, [book.close])


class XlsxBook:
    def __init__(self, binary):
        self.binary = binary
        self.archive = zipfile.ZipFile(binary)
        self.openpyxl = None
        self.calamine = None
        self._string_lengths = None
        try:
            check_prologs(self.archive, "XLSX")
            parts = sheet_parts(self.archive)
            self.calamine = calamine.open_calamine(binary, "XLSX")
            self.sheets = []
            for index, meta in enumerate(self.calamine.sheets_metadata):
                if meta.typ != SheetTypeEnum.WorkSheet:
                    continue
                source = XlsxSheet(self, index, meta.name, parts.get(meta.name))
                hidden = meta.visible != SheetVisibleEnum.Visible
                self.sheets.append(Sheet(meta.name, index, hidden, source))
        except BaseException:
            self.close()
            raise

    def close(self):
        for thing in (self.calamine, self.openpyxl, self.archive):
            if thing is not None:
                with contextlib.suppress(Exception):
                    thing.close()
        self.calamine = self.openpyxl = None

    def string_lengths(self):
        """The length in bytes of each shared string's XML, an upper bound of its text."""
        if self._string_lengths is None:
            self._string_lengths = shared_string_lengths(self.archive)
        return self._string_lengths

    def openpyxl_book(self):
        if self.openpyxl is None:
            from openpyxl import load_workbook

            self.binary.seek(0)
            try:
                self.openpyxl = load_workbook(self.binary, read_only=True, data_only=True)
            except Exception as error:  # zipfile.BadZipFile and XML errors
                raise unreadable(error, "文件已损坏或不是XLSX") from None
        return self.openpyxl


def read_xml(archive, name):
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    info = archive.getinfo(name)
    if info.file_size > 16 << 20:
        raise FileError("无法读取XLSX文件：“%s”过大。" % name[:100])
    with open_part(archive, name, "XLSX") as stream:
        data = stream.read()
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise FileError(ENTITIES % "XLSX") from None
    except Exception as error:
        raise FileError("无法读取XLSX文件（工作簿已损坏）：%s" % type(error).__name__) from None


def sheet_parts(archive):
    """Each sheet's name → its part in the zip, from xl/workbook.xml and its relationships."""
    names = set(archive.namelist())
    if "xl/_rels/workbook.xml.rels" not in names:
        return {}
    targets = {}
    for rel in read_xml(archive, "xl/_rels/workbook.xml.rels").iter(XLSX_RELS + "Relationship"):
        target = rel.get("Target", "")
        target = target[1:] if target.startswith("/") else "xl/" + target
        parts = []
        for piece in target.split("/"):
            if piece == "..":
                if parts:
                    parts.pop()
            elif piece not in ("", "."):
                parts.append(piece)
        targets[rel.get("Id")] = "/".join(parts)
    workbook = read_xml(archive, "xl/workbook.xml")
    found = {}
    for sheet in workbook.iter(XLSX_MAIN + "sheet"):
        part = targets.get(sheet.get(XLSX_R_ID))
        if part in names:
            found[sheet.get("name")] = part
    return found


class XlsxSheet:
    def __init__(self, book, index, name, part):
        self.book = book
        self.index = index
        self.name = name
        self.part = part
        self._scan = None
        self._streamed = None

    def scan(self):
        if self._scan is None:
            if self.part is None:
                self._scan = XlsxScan()
                self._scan.usual = self._scan.rows_found = False
            else:
                lengths = self.book.string_lengths()
                self._scan = scan_xlsx_sheet(self.book.archive, self.part, lengths)
        return self._scan

    def estimate(self):
        """What calamine would hold for this sheet, in bytes (None: cannot be told)."""
        scan = self.scan()
        if not scan.usual or scan.copied is None:
            return None
        return scan.max_row * scan.max_col * CELL_BYTES + scan.size + scan.copied

    def streamed(self):
        if self._streamed is None:
            estimate = self.estimate()
            self._streamed = estimate is None or estimate > MEMORY_BUDGET
        return self._streamed

    def merged(self):
        return list(self.scan().merged)

    def knows_hidden_rows(self):
        return self.scan().rows_found

    def rows(self, stream):
        if self.streamed():
            return self.openpyxl_rows(stream)
        return self.calamine_rows(stream)

    def calamine_rows(self, stream):
        scan = self.scan()
        get = self.book.calamine.get_sheet_by_index
        sheet = calamine_call(get, self.index, kind="XLSX", what="工作表已损坏")
        return calamine.calamine_rows(sheet, stream, scan.hidden, scan.errors)

    def openpyxl_rows(self, stream):
        scan = self.scan()
        hidden = scan.hidden if scan.rows_found else NO_HIDDEN
        workbook = self.book.openpyxl_book()
        try:
            sheet = workbook[self.name]
            # A stale <dimension> written by some programs would cut the sheet short.
            sheet.reset_dimensions()
            # Rows come in order from row 1; missing ones are filled in empty.
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > MAX_SHEET_ROWS:
                    # openpyxl fills every row up to the next: r="2000000000" would take hours
                    raise FileError(
                        "无法读取XLSX文件（工作表已损坏）：行号超过Excel的上限%d。" % MAX_SHEET_ROWS
                    )
                width = stream.width
                cells = [excel_text(cell_value(cell)) for cell in cells[:width]]
                yield number, cells, number in hidden
        except FileError:
            raise
        except Exception as error:  # the sheet is read while iterating: a damaged zip or XML
            raise unreadable(error, "工作表已损坏") from None
