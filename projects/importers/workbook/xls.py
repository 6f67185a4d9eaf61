"""XLS (BIFF5 and BIFF8: Excel 97-2003, and WPS 表格's .et): the Workbook stream taken out of
the OLE compound file, its BIFF records walked for what calamine does not tell (hidden rows:
the ROW record's fDyZero flag; error cells: BOOLERR records and the cached results of
FORMULA records) and for what calamine would build of every sheet, which it reads all at
once as the file is opened. Then calamine reads the values.

What an XLS cannot be here: read a sheet at a time. A workbook beyond MEMORY_BUDGET is
refused, with the way out (remove the far cells, or save it as XLSX). Nor can it be read
with a password: a FILEPASS record, or an OLE file holding an EncryptedPackage (the form
Excel gives an XLSX with a password to open), is refused in plain words.

OleFile finds the stream as calamine does, so that what is measured is what calamine reads:
the directory read flat and the first entry of the name taken, every FAT sector the header
and the DIFAT list read. A reader true to MS-CFB (olefile) follows the directory tree
instead: given a second Workbook entry left out of the tree, it would measure one stream
while calamine read the other, and the budget would not hold.
"""

import struct
from array import array

from python_calamine import SheetTypeEnum, SheetVisibleEnum

from ..parsing import FileError
from . import calamine
from .calamine import CalamineSheet
from .sheets import (
    CELL_BYTES,
    MAX_ERROR_CELLS,
    MEMORY_BUDGET,
    PASSWORD,
    HiddenRows,
    Sheet,
    Workbook,
    too_large,
)

NOT_XLS = (
    "无法读取XLS文件：文件已损坏、加密或不是Excel文件。请在Excel或WPS中打开后另存为XLSX再上传。"
)


def read_all(binary):
    binary.seek(0)
    return binary.read()


FREE_SECT = 0xFFFFFFFF
END_OF_CHAIN = 0xFFFFFFFE
MAX_REG_SECT = 0xFFFFFFFA


class OleFile:
    """The streams of an OLE compound file (MS-CFB): only what reading an XLS needs."""

    def __init__(self, data):
        self.data = data
        try:
            self._read_header()
        except (struct.error, IndexError, ValueError, OverflowError):
            raise FileError(NOT_XLS) from None

    def _read_header(self):
        data = self.data
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if shift not in (9, 12):
            raise ValueError
        self.sector_size = 1 << shift
        self.mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
        self.sectors = max(0, (len(data) - self.sector_size) // self.sector_size)
        (self.dir_start, _, self.mini_cutoff, self.minifat_start, _, difat_start, difat_count) = (
            struct.unpack_from("<7I", data, 0x30)
        )
        fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
        sector = difat_start
        per = self.sector_size // 4 - 1
        for _ in range(min(difat_count, self.sectors)):
            if sector >= MAX_REG_SECT:
                break
            entries = struct.unpack_from("<%dI" % (per + 1), self.sector(sector))
            fat_sectors.extend(entries[:per])
            sector = entries[per]
        self.fat = array("I")
        for sector in fat_sectors:
            if sector < MAX_REG_SECT:
                self.fat.frombytes(self.sector(sector))
        if self.fat.itemsize != 4:  # pragma: no cover - array("I") is 4 bytes everywhere
            raise ValueError
        directory = self.chain(self.dir_start, self.fat, self.sector)
        self.entries = {}
        for at in range(0, len(directory) - 127, 128):
            entry = directory[at : at + 128]
            length = struct.unpack_from("<H", entry, 64)[0]
            kind = entry[66]
            if kind not in (1, 2, 5) or not 2 <= length <= 64:
                continue
            name = entry[: length - 2].decode("utf-16-le", errors="replace")
            start, size = struct.unpack_from("<IQ", entry, 116)
            if self.sector_size == 512:
                size &= 0xFFFFFFFF
            if kind == 5:
                self.root = (start, size)
            elif kind == 2:
                self.entries.setdefault(name, (start, size))

    def sector(self, number):
        at = (number + 1) * self.sector_size
        if number >= self.sectors or at + self.sector_size > len(self.data):
            raise IndexError
        return self.data[at : at + self.sector_size]

    def chain(self, start, fat, read, size=None):
        pieces = []
        seen = 0
        sector = start
        limit = len(fat)
        while sector < MAX_REG_SECT:
            if sector >= limit or seen > limit:
                raise IndexError  # a chain out of the table, or a loop
            pieces.append(read(sector))
            seen += 1
            if size is not None and seen * len(pieces[0]) >= size:
                break
            sector = fat[sector]
        data = b"".join(pieces)
        return data if size is None else data[:size]

    def stream(self, name):
        start, size = self.entries[name]
        if size < self.mini_cutoff:
            root_start, root_size = self.root
            mini = self.chain(root_start, self.fat, self.sector, root_size)
            minifat = array("I", self.chain(self.minifat_start, self.fat, self.sector))

            def mini_sector(number):
                at = number * self.mini_size
                if at + self.mini_size > len(mini):
                    raise IndexError
                return mini[at : at + self.mini_size]

            return self.chain(start, minifat, mini_sector, size)
        return self.chain(start, self.fat, self.sector, size)

    def workbook_stream(self):
        """The Workbook stream; a FileError for an encrypted file or another document."""
        names = {name.lower() for name in self.entries}
        if "encryptedpackage" in names or "encryptioninfo" in names:
            raise FileError(PASSWORD)
        for name in ("Workbook", "Book", "WORKBOOK", "BOOK"):
            if name in self.entries:
                try:
                    return self.stream(name)
                except (struct.error, IndexError, ValueError, KeyError, AttributeError):
                    raise FileError(NOT_XLS) from None
        raise FileError(NOT_XLS)


ERROR_CODES = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}
# Cell records (MS-XLS 2.4): each starts with its row and column.
VALUE_RECORDS = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD})


class XlsSheetScan:
    def __init__(self, position):
        self.position = position
        self.hidden = HiddenRows()
        self.errors = {}
        self.reserved = 0
        self.values = [None, 0, None, 0]  # first row, last row, first col, last col
        self.formulas = [None, 0, None, 0]
        self.text = 0

    def cell(self, bounds, row, first_col, last_col):
        if bounds[0] is None or row < bounds[0]:
            bounds[0] = row
        if row > bounds[1]:
            bounds[1] = row
        if bounds[2] is None or first_col < bounds[2]:
            bounds[2] = first_col
        if last_col > bounds[3]:
            bounds[3] = last_col

    def error(self, row, col, code):
        if len(self.errors) < MAX_ERROR_CELLS:
            self.errors.setdefault(row, {})[col] = ERROR_CODES.get(code, "#N/A")

    def estimate(self):
        estimate = self.reserved * 40 + self.text
        for bounds in (self.values, self.formulas):
            if bounds[0] is not None:
                area = (bounds[1] - bounds[0] + 1) * (bounds[3] - bounds[2] + 1)
                estimate += area * CELL_BYTES
        return estimate


def records(stream, at):
    """(type, body start, body end) of the BIFF records from `at`."""
    end = len(stream)
    unpack = struct.unpack_from
    while at + 4 <= end:
        kind, length = unpack("<HH", stream, at)
        body = at + 4
        at = body + length
        if at > end:
            raise FileError(NOT_XLS)
        yield kind, body, at


def scan_xls(stream):
    """The sheets of a BIFF5/BIFF8 Workbook stream, measured as calamine will read them."""
    unpack = struct.unpack_from
    positions = []
    strings = array("q")
    sst = None
    first = True
    for kind, body, end in records(stream, 0):
        if first:
            if kind != 0x0809 or end - body < 4:
                raise FileError(NOT_XLS)
            version = unpack("<H", stream, body)[0]
            if version not in (0x0500, 0x0600):
                raise FileError("不支持Excel 5.0之前的XLS格式，请在Excel中另存为XLSX后再上传。")
            first = False
        elif kind == 0x002F:
            raise FileError("无法读取XLS文件：" + PASSWORD)
        elif kind == 0x0085 and end - body >= 6:
            positions.append(unpack("<I", stream, body)[0])
        elif kind == 0x00FC:
            sst = [stream[body:end]]
        elif kind == 0x003C and sst is not None:
            sst.append(stream[body:end])
        elif kind != 0x003C and sst is not None:
            strings = sst_lengths(sst)
            sst = None
        if kind == 0x000A:
            break
    if sst is not None:
        strings = sst_lengths(sst)
    sheets = []
    for position in positions:
        scan = XlsSheetScan(position)
        sheets.append(scan)
        if position >= len(stream):
            continue
        depth = 0
        seen_bof = False
        formula_at = None
        for kind, body, end in records(stream, position):
            if depth:
                if kind == 0x0809:
                    depth += 1
                elif kind == 0x000A:
                    depth -= 1
                continue
            if kind == 0x0809:
                if seen_bof:
                    depth += 1
                seen_bof = True
            elif kind == 0x000A:
                break
            elif end - body < 4:
                continue
            elif kind in VALUE_RECORDS:
                row, col = unpack("<HH", stream, body)
                scan.cell(scan.values, row, col, col)
                if kind == 0x00FD and end - body >= 10:
                    index = unpack("<I", stream, body + 6)[0]
                    scan.text += 3 * strings[index] if index < len(strings) else 0
                elif kind in (0x0204, 0x00D6):
                    scan.text += 2 * (end - body)
                elif kind == 0x0205 and end - body >= 8 and stream[body + 7] == 1:
                    scan.error(row, col, stream[body + 6])
            elif kind == 0x00BD and end - body >= 6:
                row, first_col = unpack("<HH", stream, body)
                last_col = unpack("<H", stream, end - 2)[0]
                scan.cell(scan.values, row, first_col, max(first_col, last_col))
            elif kind == 0x0006 and end - body >= 20:
                row, col = unpack("<HH", stream, body)
                formula_at = (row, col)
                scan.cell(scan.formulas, row, col, col)
                scan.cell(scan.values, row, col, col)
                if stream[body + 12 : body + 14] == b"\xff\xff" and stream[body + 6] == 2:
                    scan.error(row, col, stream[body + 8])
            elif kind == 0x0207 and formula_at is not None:
                scan.text += 2 * (end - body)
            elif kind == 0x0208 and end - body >= 16:
                row = unpack("<H", stream, body)[0]
                if unpack("<H", stream, body + 12)[0] & 0x20:
                    scan.hidden.add(row + 1, row + 1)
            elif kind == 0x0200:
                scan.reserved += dimensions_cells(stream[body:end])
    return sheets


def dimensions_cells(data):
    """The cells calamine reserves for a DIMENSIONS record (it trusts the record)."""
    if len(data) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", data)
    elif len(data) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", data)
    else:
        return 0
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    if last_row < 1 or last_col < 1:
        return 1
    # the record's last row and column are one past the last; calamine reserves from the first
    return max(1, last_row - first_row) * max(1, last_col - first_col)


def sst_lengths(pieces):
    """The length in characters of each string of an SST record and its CONTINUEs."""
    lengths = array("q")
    if not pieces or len(pieces[0]) < 8:
        return lengths
    unique = struct.unpack_from("<I", pieces[0], 4)[0]
    segment, at = 0, 8

    def take(count):
        nonlocal segment, at
        out = b""
        while len(out) < count:
            if segment >= len(pieces):
                raise IndexError
            data = pieces[segment]
            piece = data[at : at + count - len(out)]
            out += piece
            at += len(piece)
            if at >= len(data):
                segment, at = segment + 1, 0
        return out

    def skip_chars(count, wide):
        nonlocal segment, at
        while count > 0:
            if segment >= len(pieces):
                raise IndexError
            data = pieces[segment]
            if at >= len(data):
                segment, at = segment + 1, 0
                if segment >= len(pieces):
                    raise IndexError
                wide = pieces[segment][0] & 1  # a string goes on in a CONTINUE: new flags
                at = 1
                continue
            size = 2 if wide else 1
            fits = min(count, (len(data) - at) // size)
            if fits == 0:
                segment, at = segment + 1, 0
                continue
            at += fits * size
            count -= fits

    try:
        for _ in range(unique):
            count, flags = struct.unpack("<HB", take(3))
            runs = struct.unpack("<H", take(2))[0] if flags & 0x08 else 0
            extra = struct.unpack("<I", take(4))[0] if flags & 0x04 else 0
            skip_chars(count, flags & 0x01)
            take(4 * runs + extra)
            lengths.append(count)
    except (IndexError, struct.error):
        pass  # a short table: the strings read so far are measured, the others count as none
    return lengths


def open_xls(binary):
    data = read_all(binary)
    binary.seek(0)
    stream = OleFile(data).workbook_stream()
    del data
    try:
        scans = scan_xls(stream)
    except (struct.error, IndexError):
        raise FileError(NOT_XLS) from None
    del stream
    estimate = sum(scan.estimate() for scan in scans)
    if estimate > MEMORY_BUDGET:
        raise too_large("XLS", estimate)
    book = calamine.open_calamine(binary, "XLS")
    sheets = []
    for index, meta in enumerate(book.sheets_metadata):
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        scan = scans[index] if index < len(scans) else XlsSheetScan(0)
        source = CalamineSheet(book, index, "XLS", scan.hidden, None, scan.errors)
        sheets.append(Sheet(meta.name, index, meta.visible != SheetVisibleEnum.Visible, source))
    return Workbook("xls", sheets, [book.close])
