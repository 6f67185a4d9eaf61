"""Cell values from python-calamine (Rust, many times faster than openpyxl), shared by the
XLSX, XLS and ODS readers: the workbook opened with whatever calamine raises made a
FileError, a sheet's rows as RowStream gives them, and a sheet of a workbook calamine read
whole as it opened (XLS, ODS).

What calamine does not tell, the format's own module reads from the file: which rows are
hidden, the error cells (#DIV/0!, #N/A), the merged ranges of XLSX and ODS, and how much
memory calamine would need, measured before it reads. Times and durations become text here
("10:30:00", "30:00:00"), and so does an ODS duration past 24 hours, which calamine cannot
make a time of and gives as written ("PT30H00M00S").

The readers call open_calamine and calamine_rows through this module (calamine.open_calamine),
never by a copy of the name, so that a test that replaces them here sees every read.
"""

import datetime
import re

from python_calamine import CalamineWorkbook

# The package itself: CalamineSheet calls calamine_rows through it (see above).
from ..parsing import FileError
from .sheets import MAX_MERGED, PASSWORD


def duration_text(seconds):
    """A duration as Excel shows [h]:mm:ss: 30 hours is "30:00:00"."""
    seconds = round(seconds)
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    return "%s%d:%02d:%02d" % (sign, hours, rest // 60, rest % 60)


ISO_DURATION = re.compile(r"-?PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d*)?)S)?")


def cell_value(value):
    """A cell calamine or openpyxl gave, as the rows give it (see RowStream)."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value
    if isinstance(value, datetime.time):
        return duration_text(value.hour * 3600 + value.minute * 60 + value.second)
    if isinstance(value, datetime.timedelta):
        return duration_text(value.total_seconds())
    return value


def ods_duration(value):
    """An ODS time cell calamine could not make a time of (30 hours): "PT30H00M00S"."""
    match = ISO_DURATION.fullmatch(value)
    if match is None or not any(match.groups()):
        return value
    hours, minutes, seconds = (float(part or 0) for part in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    return duration_text(-total if value.startswith("-") else total)


# Types a row of plain cells holds; a row with any other is converted cell by cell.
PLAIN = frozenset({str, float, int, bool, datetime.date, datetime.datetime, type(None)})


def calamine_rows(sheet, stream, hidden, errors, ods=False):
    """The rows of a calamine sheet. Its rows come from row 1, padded empty above the first
    cell (those are skipped), and from the first used column: put back from column A."""
    start = sheet.start
    if start is None:  # an empty sheet (calamine's iter_rows cannot start on one)
        return
    first_row, first_col = start
    lead = [""] * first_col
    for index, cells in enumerate(sheet.iter_rows()):
        if index < first_row:
            continue
        if first_col:
            cells = lead + cells
        width = stream.width
        if len(cells) > width:
            del cells[width:]
        if not PLAIN.issuperset(map(type, cells)):
            cells = [cell_value(cell) for cell in cells]
        if ods:
            cells = [
                ods_duration(c) if c.__class__ is str and c[:1] in ("P", "-") else c for c in cells
            ]
        if errors and index in errors:
            for col, text in errors[index].items():
                if col < len(cells):
                    cells[col] = text
        yield index + 1, cells, index + 1 in hidden


def open_calamine(binary, kind):
    binary.seek(0)
    try:
        return calamine_call(CalamineWorkbook.from_filelike, binary, kind=kind, what="文件已损坏")
    finally:
        binary.seek(0)


def calamine_call(function, *args, kind, what):
    """function(*args), what calamine raises made a FileError: its errors, and the
    PanicException (a BaseException) a Rust panic on a malformed file becomes."""
    try:
        return function(*args)
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as error:
        reason = (str(error) or type(error).__name__)[:200]
        if "password" in reason.lower():
            raise FileError("无法读取%s文件：%s" % (kind, PASSWORD)) from None
        raise FileError("无法读取%s文件（%s）：%s" % (kind, what, reason)) from None


class CalamineSheet:
    """A sheet of a workbook calamine read whole as it opened (XLS, ODS)."""

    def __init__(self, book, index, kind, hidden, merged, errors, ods=False):
        self.book = book
        self.index = index
        self.kind = kind
        self.hidden = hidden
        self._merged = merged
        self.errors = errors
        self.ods = ods

    def merged(self):
        if self._merged is None:  # XLS: calamine reads them
            get = self.book.get_sheet_by_index
            sheet = calamine_call(get, self.index, kind=self.kind, what="工作表已损坏")
            ranges = sheet.merged_cell_ranges or []
            self._merged = [
                (start[0] + 1, start[1], end[0] + 1, end[1]) for start, end in ranges[:MAX_MERGED]
            ]
        return list(self._merged)

    def knows_hidden_rows(self):
        return True

    def streamed(self):
        return False

    def rows(self, stream):
        get = self.book.get_sheet_by_index
        sheet = calamine_call(get, self.index, kind=self.kind, what="工作表已损坏")
        return calamine_rows(sheet, stream, self.hidden, self.errors, ods=self.ods)
