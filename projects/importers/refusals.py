"""What an import keeps of a refused file: bounded, whatever the file holds.

Every error is counted and the first MAX_ERRORS_SHOWN lines are kept, to be shown. When the
caller asks for files (the admin's preview does), the refused rows, each with its errors, go
to a CSV file as they are found, and once there are more errors than are shown, every error
line goes to a text file too. Each file stops at MAX_FILE_BYTES with a last line saying so,
and each cell in it is cut to Excel's limit. Memory holds the lines shown and a few counts.
"""

import codecs
import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from .parsing import MAX_CELL_CHARS, neutralise, text
from .tables import MAX_HEADER_CHARS

MAX_ERRORS_SHOWN = 200
MAX_REMARKS_SHOWN = 500
MAX_FILE_BYTES = 20 << 20
UNLISTED = "另有%d处错误未列出"
BAD_ROWS_CUT = "另有%(count)d行未列出：文件已达%(limit)d MB上限。"
ERRORS_CUT = "另有%(count)d处错误未列出：清单已达%(limit)d MB上限。"


class ImportFailed(Exception):
    """The files were refused as a whole. `errors` holds the first MAX_ERRORS_SHOWN problems,
    one line each, and `count` how many there are in all; `unlisted_line` says how many are
    not listed ("" when none). `bad_rows_kept` and `errors_kept` say whether the refused rows
    and the full list of errors were written to the files asked for."""

    def __init__(
        self,
        errors,
        count=None,
        *,
        bad_rows_kept=False,
        errors_kept=False,
        remarks=None,
        unmatched=(),
        allowable=None,
    ):
        self.errors = list(errors[:MAX_ERRORS_SHOWN])
        self.remarks = remarks
        # (sheet name, tables.MissingColumns) of each sheet whose required columns are not
        # all in its header row: what the admin offers to match once (a saved layout).
        self.unmatched = list(unmatched)
        # The import's flag that would accept every row refused ("allow_moves",
        # "allow_large_amounts"): the refusal came from that check alone.
        self.allowable = allowable
        self.count = len(errors) if count is None else count
        self.bad_rows_kept, self.errors_kept = bad_rows_kept, errors_kept
        super().__init__("\n".join([*self.errors, self.unlisted_line]).strip())

    @property
    def unlisted(self):
        return self.count - len(self.errors)

    @property
    def unlisted_line(self):
        return UNLISTED % self.unlisted if self.unlisted else ""


@dataclass(frozen=True)
class RefusalFiles:
    """Where a refusal's full record goes: every error line (text), every refused row (CSV).
    Neither exists before; each is made, readable by its owner only, when first needed."""

    errors: Path
    bad_rows: Path


@dataclass
class Remarks:
    """What an import read otherwise than it is written (notices) or took on trust
    (warnings): neither refuses the file, and both are always shown. Each is a (kind, line)
    pair, kind being what it is about (a column's header, 合计行, 隐藏行…); the first
    MAX_REMARKS_SHOWN of each are kept, the rest only counted."""

    notices: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    notice_count: int = 0
    warning_count: int = 0

    def add(self, level, kind, line):
        if level == "warning":
            self.warning_count += 1
            if len(self.warnings) < MAX_REMARKS_SHOWN:
                self.warnings.append((kind, line))
        else:
            self.notice_count += 1
            if len(self.notices) < MAX_REMARKS_SHOWN:
                self.notices.append((kind, line))

    def lines(self):
        """Every kept line, warnings first, each marked 警告 or 提示, then what was left out."""
        for _kind, line in self.warnings:
            yield "警告：%s" % line
        if self.warning_count > len(self.warnings):
            yield "警告：另有%d条警告未列出" % (self.warning_count - len(self.warnings))
        for _kind, line in self.notices:
            yield "提示：%s" % line
        if self.notice_count > len(self.notices):
            yield "提示：另有%d条提示未列出" % (self.notice_count - len(self.notices))

    @property
    def warning_groups(self):
        return self.grouped("warning")

    @property
    def notice_groups(self):
        return self.grouped("notice")

    @property
    def unlisted_warnings(self):
        return self.warning_count - len(self.warnings)

    @property
    def unlisted_notices(self):
        return self.notice_count - len(self.notices)

    def grouped(self, level):
        """[(kind, [line, …]), …] in the order kinds first appear, for the preview."""
        groups = {}
        for kind, line in self.warnings if level == "warning" else self.notices:
            groups.setdefault(kind, []).append(line)
        return list(groups.items())


class Findings:
    """The errors of an import as they are found, with the refused rows: see the module."""

    def __init__(self, files=None):
        self.files = files
        self.shown = []
        self.count = 0
        self.errors_out = self.bad_rows_out = None
        self.remarks = Remarks()
        self.unmatched = []
        self.allowable = None

    def remark(self, level, kind, line):
        self.remarks.add(level, kind, line)

    def error(self, line):
        self.count += 1
        if len(self.shown) < MAX_ERRORS_SHOWN:
            self.shown.append(line)
            return
        if self.files is None:
            return
        if self.errors_out is None:
            self.errors_out = CappedFile(self.files.errors, ERRORS_CUT)
            for shown in self.shown:
                self.errors_out.write(shown)
        self.errors_out.write(line)

    def refused_row(self, header, number, cells, problems, prefix=""):
        """A row with its error lines (without the file's name, which `prefix` adds to the
        list of errors); the first one's header heads the CSV file."""
        for line in problems:
            self.error(prefix + line)
        if self.files is None:
            return
        width = len(header)
        if self.bad_rows_out is None:
            self.bad_rows_out = CappedFile(self.files.bad_rows, BAD_ROWS_CUT, records=True)
            names = [neutralise(clip(cell, MAX_HEADER_CHARS)) for cell in header]
            self.bad_rows_out.write(["原行号", *names, "错误说明"])
        if self.bad_rows_out.left_out:
            self.bad_rows_out.left_out += 1  # full: the row is only counted
            return
        cells = [neutralise(clip(text(cell), MAX_CELL_CHARS)) for cell in cells[:width]]
        cells += [""] * (width - len(cells))
        self.bad_rows_out.write([number, *cells, neutralise("；".join(problems))])

    def fail_if_any(self):
        """Raises ImportFailed when anything was found; closes the files either way."""
        self.close()
        if self.count:
            raise ImportFailed(
                self.shown,
                self.count,
                bad_rows_kept=self.bad_rows_out is not None,
                errors_kept=self.errors_out is not None,
                remarks=self.remarks,
                unmatched=self.unmatched,
                allowable=self.allowable,
            )

    def close(self):
        for out in (self.errors_out, self.bad_rows_out):
            if out is not None:
                out.close()


def clip(value, limit):
    return value if len(value) <= limit else value[: limit - 1] + "…"


class CappedFile:
    """A new file, mode 0600, that takes lines (or CSV records) until MAX_FILE_BYTES, then
    only counts them; closing it adds `cut`, with the count left out, as its last line."""

    def __init__(self, path, cut, *, records=False):
        # O_EXCL: never an existing file, nor one that a link points to.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.file = os.fdopen(descriptor, "wb")
        self.cut, self.records = cut, records
        self.written, self.left_out = 0, 0
        if records:
            self.file.write(codecs.BOM_UTF8)  # for Excel, which reads a CSV as GBK otherwise

    def write(self, item):
        """Writes a line, or a record of cells, unless the file is full."""
        if self.left_out:
            self.left_out += 1
            return
        data = self.encode(item)
        if self.written + len(data) > MAX_FILE_BYTES:
            self.left_out += 1
            return
        self.file.write(data)
        self.written += len(data)

    def encode(self, item):
        if not self.records:
            return (item + "\r\n").encode("utf-8")
        buffer = io.StringIO()
        csv.writer(buffer).writerow(item)
        return buffer.getvalue().encode("utf-8")

    def close(self):
        if self.file.closed:
            return
        if self.left_out:
            line = self.cut % {"count": self.left_out, "limit": MAX_FILE_BYTES >> 20}
            self.file.write(self.encode([line] if self.records else line))
        self.file.close()
