"""CSV (and .txt): text in UTF-8 or GB18030 (parsing.detect_encoding), its delimiter sniffed
from its first records (a comma, a semicolon or a tab), every record a row, the first being
row 1, with the bounds parsing.read_csv keeps: a field of at most CSV_FIELD_LIMIT
characters, a record of at most MAX_RECORD_CHARS.

What a CSV cannot tell: sheets (it is one, named ""), hidden rows (none is hidden, and
Sheet.knows_hidden_rows is True), merged cells (none), and types (every cell is text).
"""

import contextlib
import csv
import io

from ..parsing import CSV_FIELD_LIMIT, MAX_RECORD_CHARS, FileError, RecordTooLong, detect_encoding
from .sheets import Sheet, Workbook

# The CSV records looked at to choose the delimiter, and the text they are looked for in.
DELIMITERS = (",", ";", "\t")
SNIFF_RECORDS = 30
SNIFF_CHARS = 1 << 18


def open_csv(binary):
    return Workbook("csv", [Sheet("", 0, False, CsvSheet(binary))])


class CsvSheet:
    def __init__(self, binary):
        self.binary = binary

    def merged(self):
        return []

    def knows_hidden_rows(self):
        return True  # a CSV has no hidden rows

    def streamed(self):
        return False

    def rows(self, stream):
        self.binary.seek(0)
        return read_csv(self.binary, stream)


def sniff_delimiter(sample):
    """The delimiter that gives the most of the first records the same number of fields (more
    than one): title rows above the header have none. A comma when none does."""
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        counts = {}
        try:
            reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
            for number, cells in enumerate(reader):
                if number >= SNIFF_RECORDS:
                    break
                if len(cells) > 1:
                    counts[len(cells)] = counts.get(len(cells), 0) + 1
        except csv.Error:
            pass
        score = max(counts.values(), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(binary, bound):
    """parsing.read_csv with the delimiter sniffed: yields (number, cells, False) for every
    record, the first record being row 1."""
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
        sample = text.read(SNIFF_CHARS)
        if len(sample) == SNIFF_CHARS:
            sample = sample[: max(sample.rfind("\n"), 0)] or sample
        delimiter = sniff_delimiter(sample)
        text.seek(0)
        reader = csv.reader(lines(), delimiter=delimiter)
        for number, cells in enumerate(reader, start=1):
            used = 0
            yield number, cells[: bound.width], False
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
