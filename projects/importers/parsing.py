"""Reading spreadsheets as Chinese offices write them: any common encoding, CSV or XLSX.

Everything here streams: a file is read row by row, never held whole in memory.
"""

import codecs
import contextlib
import csv
import datetime
import io
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from openpyxl.utils.escape import unescape

# A cell starting with one of these is a formula to Excel; exports prefix it with "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
# Characters str.strip() keeps but a spreadsheet cell never means: BOM, zero-width space.
INVISIBLE = "\ufeff\u200b"
SNIFF_BYTES = 1 << 16


class FileError(ValidationError):
    """The file as a whole cannot be read (encoding, format, missing header)."""


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


def read_csv(binary):
    """Yields (row_number, cells) for every record; the first record is row 1."""
    encoding = detect_encoding(binary)
    text = io.TextIOWrapper(binary, encoding=encoding, newline="", errors="strict")
    try:
        first = text.readline()
        # Excel's "Unicode text" export is tab-separated; its CSV is comma-separated.
        delimiter = "\t" if "\t" in first and "," not in first else ","
        text.seek(0)
        reader = csv.reader(text, delimiter=delimiter)
        yield from enumerate(reader, start=1)
    except UnicodeDecodeError as error:
        raise FileError("文件编码无法识别（支持UTF-8与GBK/GB18030）：%s" % error.reason) from None
    except csv.Error as error:
        raise FileError("CSV格式有误：%s" % error) from None
    finally:
        # Leave the binary file open: it is read again to write.
        with contextlib.suppress(ValueError):
            text.detach()


def read_xlsx(binary):
    """Yields (row_number, cells) from the first worksheet, as Excel numbers its rows."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as error:
        raise FileError("无法读取XLSX文件：%s" % error) from None
    except Exception as error:  # zipfile.BadZipFile and XML errors from a damaged file
        message = "无法读取XLSX文件（文件已损坏或不是XLSX）：%s" % type(error).__name__
        raise FileError(message) from None
    try:
        sheet = workbook.worksheets[0]
        # A stale <dimension> written by some programs would cut the sheet short.
        sheet.reset_dimensions()
        # Rows come in order from row 1; missing ones are filled in empty, without a number.
        for row_number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if cells:
                yield row_number, [excel_text(cell) for cell in cells]
    finally:
        workbook.close()


def excel_text(value):
    """Excel stores control characters in text as _xHHHH_ (a CR as _x000D_); openpyxl keeps them."""
    if value.__class__ is str and "_x" in value:
        return unescape(value)
    return value


def read_rows(binary, file_name):
    """Rows of a CSV or XLSX file, by its name's extension."""
    name = file_name.lower()
    if name.endswith(".csv") or name.endswith(".txt"):
        return read_csv(binary)
    if name.endswith(".xlsx"):
        return read_xlsx(binary)
    raise FileError("不支持的文件类型“%s”：请上传CSV或XLSX文件。" % file_name)


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
    """Full-width digits, letters and punctuation as half-width; for codes, numbers, dates."""
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
    if not isinstance(value, str):
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
