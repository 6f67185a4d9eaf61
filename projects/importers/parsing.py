"""What reading any report shares: the bounds, the first look at a file (sniff, check_xlsx,
detect_encoding), the errors, and turning cells into text, numbers and dates.

The readers of each format are in workbook/; they stream, and an XLSX is refused before it
is unpacked if it would unpack too large (defusedxml parses its XML when openpyxl does).
"""

import codecs
import datetime
import unicodedata
import zipfile
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl.utils.escape import unescape

# neutralise is imported from here by the refusal files (refusals.py).
from counties.cells import FORMULA_STARTS, NEUTRALISER, neutralise  # noqa: F401

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


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# Worksheets deflate 5 to 30 times; a large part that shrank more than this is a zip bomb.
MAX_RATIO = 100
RATIO_CHECKED_FROM = 1 << 20


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


class RecordTooLong(Exception):
    pass


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
