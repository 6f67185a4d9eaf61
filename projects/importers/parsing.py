"""Reading spreadsheets as Chinese offices write them: any common encoding, CSV or XLSX.

Everything here streams: a file is read row by row, never held whole in memory. What a file
is comes from its content, never its name alone; an XLSX is refused before it is unpacked if
it would unpack too large, and its XML is parsed by defusedxml (openpyxl uses it by itself).
"""

import codecs
import contextlib
import csv
import datetime
import io
import unicodedata
import zipfile
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl.utils.escape import unescape

# A cell starting with one of these is a formula to Excel; exports prefix it with "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
# Characters str.strip() keeps but a spreadsheet cell never means: BOM, zero-width space.
INVISIBLE = "\ufeff\u200b"
SNIFF_BYTES = 1 << 16
# Excel's own limit on a cell; a longer one (an XLSX's shared string or a CSV field) is refused.
MAX_CELL_CHARS = 32767
# The cells of a row read before its header is found; the header must lie within them.
MAX_COLUMNS = 200
# csv's default, set on each read: a field longer ends the file's reading with an error.
CSV_FIELD_LIMIT = 131072
# What one CSV record may span (its lines together): 32 cells of Excel's largest.
MAX_RECORD_CHARS = 1 << 20
# A cell quoted in an error message is cut to this: the message names it, the file holds it.
QUOTED_CHARS = 50
# No code, number, date or name is longer, even in full-width characters (see canonical).
SHORT_CHARS = 100


class FileError(ValidationError):
    """The file as a whole cannot be read (encoding, format, missing header)."""


KINDS = {"csv": "CSV", "xlsx": "XLSX"}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# Worksheets deflate 5 to 30 times; a large part that shrank more than this is a zip bomb.
MAX_RATIO = 100
RATIO_CHECKED_FROM = 1 << 20


def kind_of_name(file_name):
    """The kind of file its name says: "csv" or "xlsx"."""
    name = file_name.lower()
    if name.endswith((".csv", ".txt")):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    raise FileError("不支持的文件类型“%s”：请上传CSV或XLSX文件。" % file_name)


def check_content(binary, kind):
    """Refuses a file whose content is not `kind` ("csv" or "xlsx"), as a FileError.

    An XLSX must be a zip holding a workbook that does not unpack beyond
    IMPORT_MAX_UNPACKED_BYTES; a CSV must be text (no NUL byte, UTF-8 or GB18030 in its first
    64 KB). Reads at most the start of the file and the zip's directory; rewinds it.
    """
    require_kind(sniff(binary), kind)


def require_kind(found, kind):
    if found != kind:
        raise FileError(
            "文件实际是%(found)s文件，而文件名或所选格式是%(kind)s：请改正后重新上传。"
            % {"found": KINDS[found], "kind": KINDS[kind]}
        )


def sniff(binary):
    """What the content is, "csv" or "xlsx"; a FileError for anything else."""
    head = binary.read(SNIFF_BYTES)
    binary.seek(0)
    if head.startswith(OLE_SIGNATURE):
        raise FileError("不支持旧版XLS文件，请在Excel中另存为XLSX。")
    if head.startswith(ZIP_SIGNATURES):
        check_xlsx(binary)
        return "xlsx"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text": NUL bytes are half its characters; look at the characters.
        has_nul = "\x00" in head.decode("utf-16", errors="replace")
    elif decodes(head):
        has_nul = b"\x00" in head
    else:
        raise FileError("文件不是CSV或XLSX：内容既不是UTF-8也不是GBK/GB18030编码的文本。")
    if has_nul:
        raise FileError("文件不是CSV或XLSX：含有空字符（NUL），不是文本文件。")
    return "csv"


def decodes(head):
    """Whether the start of a file is UTF-8 or GB18030 (a character cut at its end is fine)."""
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def check_xlsx(binary):
    """Refuses a zip that is not a workbook or would unpack too large; reads only its directory.

    The sizes are the zip directory's: Python's zipfile stops unpacking a part at its stated
    size (and then fails its CRC check), so a part cannot unpack larger than it claims.
    """
    try:
        with zipfile.ZipFile(binary) as archive:
            parts = archive.infolist()
    # NotImplementedError: a damaged header can claim a zip version zipfile does not know.
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ):
        raise FileError("无法读取XLSX文件：文件已损坏或不是XLSX。") from None
    finally:
        binary.seek(0)
    names = {part.filename for part in parts}
    if not all(name in names for name in XLSX_PARTS):
        raise FileError("文件不是XLSX：压缩包中没有Excel工作簿。")
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limit:
        raise FileError(
            "XLSX文件解压后过大（%(size)d MB，上限%(limit)d MB），请拆分后再导入。"
            % {"size": unpacked // (1 << 20), "limit": limit // (1 << 20)}
        )
    for part in parts:
        if part.file_size >= RATIO_CHECKED_FROM and part.file_size > MAX_RATIO * max(
            part.compress_size, 1
        ):
            raise FileError(
                "XLSX文件中的“%(part)s”压缩比异常（超过%(ratio)d:1），不像正常的表格，已拒绝。"
                % {"part": part.filename[:100], "ratio": MAX_RATIO}
            )


def read_as(binary, kind):
    """Rows of a file that must be `kind` ("csv" or "xlsx"), checked by its content first."""
    check_content(binary, kind)
    return Rows(read_csv if kind == "csv" else read_xlsx, binary)


def detect_encoding(binary):
    """The encoding of a CSV file: a BOM decides, else strict UTF-8, else GB18030.

    Reads the whole file once through an incremental decoder (C speed, constant memory)
    and rewinds it. GB18030 is a superset of GBK and GB2312, which Chinese Excel writes.
    """
    start = binary.read(4)
    binary.seek(0)
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := binary.read(SNIFF_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"
    finally:
        binary.seek(0)


class Rows:
    """The rows of a file as (row number, cells), read as they are iterated.

    A row holds at most `width` cells: MAX_COLUMNS until its header is found, then up to the
    header's last column (validate narrows it), so that cells far to the right, out at column
    XFD, are neither kept nor looked at.
    """

    def __init__(self, read, binary):
        self.width = MAX_COLUMNS
        self.rows = read(binary, self)

    def __iter__(self):
        return self.rows


class RecordTooLong(Exception):
    pass


def read_csv(binary, bound):
    """Yields (row_number, cells) for every record; the first record is row 1."""
    encoding = detect_encoding(binary)
    text = io.TextIOWrapper(binary, encoding=encoding, newline="", errors="strict")
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = None
    used = 0

    def lines():
        # csv builds a record whole, however many fields it has: bound what it may read.
        nonlocal used
        while line := text.readline(MAX_RECORD_CHARS + 1 - used):
            used += len(line)
            if used > MAX_RECORD_CHARS:
                raise RecordTooLong
            yield line

    try:
        first = text.readline(MAX_RECORD_CHARS)
        # Excel's "Unicode text" export is tab-separated; its CSV is comma-separated.
        delimiter = "\t" if "\t" in first and "," not in first else ","
        text.seek(0)
        reader = csv.reader(lines(), delimiter=delimiter)
        for number, cells in enumerate(reader, start=1):
            used = 0
            yield number, cells[: bound.width]
    except UnicodeDecodeError as error:
        raise FileError("文件编码无法识别（支持UTF-8与GBK/GB18030）：%s" % error.reason) from None
    except RecordTooLong:
        raise FileError(
            "CSV格式有误（第%(line)d行）：一行超过%(limit)d个字符"
            % {"line": reader.line_num + 1, "limit": MAX_RECORD_CHARS}
        ) from None
    except csv.Error as error:
        reason = str(error)
        if "field larger than field limit" in reason:
            reason = "单元格超过%d个字符" % CSV_FIELD_LIMIT
        where = "（第%d行）" % reader.line_num if reader is not None else ""
        raise FileError("CSV格式有误%s：%s" % (where, reason)) from None
    finally:
        # Leave the binary file open: it is read again to write.
        with contextlib.suppress(ValueError):
            text.detach()


def read_xlsx(binary, bound):
    """Yields (row_number, cells) from the first worksheet, as Excel numbers its rows."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:  # zipfile.BadZipFile and XML errors from a damaged file
        raise unreadable(error, "文件已损坏或不是XLSX") from None
    try:
        if not workbook.worksheets:
            raise FileError("XLSX文件中没有工作表。")
        sheet = workbook.worksheets[0]
        # A stale <dimension> written by some programs would cut the sheet short.
        sheet.reset_dimensions()
        # Rows come in order from row 1; missing ones are filled in empty, without a number.
        # A row is as wide as its last cell (at most 16,384 cells), and only while it is read.
        for row_number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if cells:
                yield row_number, [excel_text(cell) for cell in cells[: bound.width]]
    except FileError:
        raise
    except Exception as error:  # the sheet is read while iterating: a damaged zip or XML
        raise unreadable(error, "工作表已损坏") from None
    finally:
        workbook.close()


def unreadable(error, what):
    """The FileError for what openpyxl raised; it wraps XML errors in its own ValueError."""
    from defusedxml import DefusedXmlException

    cause = error
    while not isinstance(cause, DefusedXmlException) and (cause.__cause__ or cause.__context__):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, DefusedXmlException):
        return FileError("XLSX文件含有不允许的XML实体声明（可能是恶意文件），已拒绝。")
    return FileError("无法读取XLSX文件（%s）：%s" % (what, type(cause).__name__))


def excel_text(value):
    """Excel stores control characters in text as _xHHHH_ (a CR as _x000D_); openpyxl keeps them."""
    # "_" first: a one-character search is many times faster on a long cell.
    if value.__class__ is str and "_" in value and "_x" in value:
        return unescape(value)
    return value


def read_rows(binary, file_name):
    """Rows of a CSV or XLSX file; its content must be what its name says.

    The content is looked at first, so that a legacy .xls is told so in plain words.
    """
    found = sniff(binary)
    kind = kind_of_name(file_name)
    require_kind(found, kind)
    return Rows(read_csv if kind == "csv" else read_xlsx, binary)


def quoted(value):
    """A cell's text as an error message quotes it: cut to QUOTED_CHARS, with "…"."""
    if len(value) <= QUOTED_CHARS:
        return value
    return value[:QUOTED_CHARS] + "…"


def text(value):
    """A cell as trimmed text: numbers written without ".0", the export's "'" removed."""
    if value is None:
        return ""
    if value.__class__ is str:
        value = value.strip()
        if value and (value[0] in INVISIBLE or value[-1] in INVISIBLE):
            value = value.strip(INVISIBLE).strip()
        if value[:1] == NEUTRALISER and value[1:2].startswith(FORMULA_STARTS):
            value = value[1:]
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    return str(value)


def canonical(value):
    """Full-width digits, letters and punctuation as half-width; for codes, numbers, dates.

    A value over SHORT_CHARS is left as it is: it matches nothing either way, and normalising
    it would cost as much as it is long, for each of the thousands of cells that may share it.
    """
    if len(value) > SHORT_CHARS:
        return value
    return unicodedata.normalize("NFKC", value).strip()


def parse_decimal(value, max_digits, decimal_places):
    """An amount from a number cell, "1,234.50" or "１２０．５"."""
    if isinstance(value, bool):
        raise ValueError("不是数字")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # Excel shows 15 significant digits but saves a formula's result in full:
        # =12.3+3.3 is saved as 15.600000000000001 and shown as 15.6.
        number = Decimal("%.15g" % value)
    else:
        raw = text(value)
        if len(raw) > SHORT_CHARS:
            raise ValueError("不是数字")
        if not raw.isascii():
            raw = canonical(raw)
        raw = raw.replace(" ", "")
        if "," in raw:
            whole, _, fraction = raw.partition(".")
            groups = whole.lstrip("+-").split(",")
            if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
                raise ValueError("千分位逗号位置不对")
            raw = raw.replace(",", "")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError("不是数字") from None
    if not number.is_finite():
        raise ValueError("不是数字")
    if abs(number) >= Decimal(10) ** (max_digits - decimal_places):
        raise ValueError("数额过大")
    exact = number.quantize(QUANTUM[decimal_places])
    if exact != number:
        raise ValueError("最多%d位小数" % decimal_places)
    return exact


QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(10)}


def parse_integer(value):
    if isinstance(value, bool):
        raise ValueError("不是整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError("不是整数")
    raw = text(value)
    if len(raw) > SHORT_CHARS:
        raise ValueError("不是整数")
    if raw.isdigit() and raw.isascii():
        return int(raw)
    raw = canonical(raw).replace(",", "")
    if raw.endswith("年"):
        raw = raw[:-1]
    if not raw.lstrip("+-").isdigit() or not raw.isascii():
        raise ValueError("不是整数")
    return int(raw)


def parse_date(value):
    """A date from a date cell, "2022-03-01", "2022/3/1", "2022.3.1" or "2022年3月1日"."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or len(value) > SHORT_CHARS:
        raise ValueError("不是日期")
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value)  # the common case, at C speed
        except ValueError:
            pass
    raw = canonical(value)
    for separator in ("-", "/", "."):
        raw = raw.replace(separator, "-")
    raw = raw.replace("年", "-").replace("月", "-").rstrip("日")
    if " " in raw:
        raw, _, clock = raw.partition(" ")
        if clock.strip("0:") != "":
            raise ValueError("不是日期")
    parts = raw.split("-")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError("不是日期")
    try:
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValueError("日期不存在") from None


def neutralise(value):
    """A text cell Excel will not run as a formula; numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return NEUTRALISER + value
    return value
