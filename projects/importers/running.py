"""What every yearly report import shares: its sources, progress, report and lock, the reading
and checking of every row before anything is written, and the one transaction it writes in.

The project report (writing.py) and the indicator report (indicators/importers/writing.py)
differ in their columns, in what a row becomes and in how it is stored; everything here is
the same for both, so that both keep the same guarantees.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db import OperationalError, connection, transaction

from counties.models import AuditEntry

from ..models import ImportBatch, plain
from .columns import HeaderNames
from .parsing import FileError, text
from .refusals import ImportFailed
from .tables import (
    HEADER_SEARCH_ROWS,
    MissingColumns,
    fill_merged,
    find_table,
    is_report_sheet_name,
    marker,
    read_head,
)
from .workbook import open_workbook

# Serializes imports (and undoing them) on PostgreSQL; SQLite serializes writers by itself.
LOCK_KEY = 0x68756A696E  # "hujin"
PREVIEW_ROWS = 100


class DryRun(Exception):
    """Raised inside the transaction of a dry run, to roll it back."""


@dataclass
class FileReport:
    name: str
    sha256: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # A sample of what the import does, for the preview: (row number, "new" or "update",
    # then the cells the report type shows, e.g. code, name, year, county, Shanghai funds)
    preview: list = field(default_factory=list)
    batch: ImportBatch | None = None
    # Each column's header as written in the file, by key, for error lines found later.
    labels: dict = field(default_factory=dict)
    sheets: list = field(default_factory=list)  # the workbook's sheet names

    def line_prefix(self, sheet_index, several_files):
        """What starts a line about a row of sheet `sheet_index`: the file's name among
        several files, the sheet's name among several sheets (孟连县 第4行 …)."""
        prefix = "%s " % self.name if several_files else ""
        if len(self.sheets) > 1 and self.sheets[sheet_index]:
            prefix += "%s " % self.sheets[sheet_index]
        return prefix


@dataclass
class Report:
    files: list
    remarks: object = None  # refusals.Remarks: the notices and warnings

    def line_prefix(self, index, sheet_index):
        """What starts a line about a row of file `index`, sheet `sheet_index`."""
        return self.files[index].line_prefix(sheet_index, len(self.files) > 1)

    def total(self, name):
        return sum(getattr(f, name) for f in self.files)

    @property
    def summary(self):
        """The command's last line: created=N updated=M unchanged=K."""
        return "created=%d updated=%d unchanged=%d" % (
            self.total("created"),
            self.total("updated"),
            self.total("unchanged"),
        )


class Progress:
    """Reports rows read, validated and written with their rate, at most once a second."""

    def __init__(self, write=None, every=1.0):
        self.write, self.every = write, every
        self.started = self.last = time.monotonic()

    def __call__(self, stage, name, count, final=False):
        if self.write is None:
            return
        now = time.monotonic()
        if final or now - self.last >= self.every:
            self.last = now
            rate = count / max(now - self.started, 1e-9)
            self.write("%s %s：%d行（%d行/秒）" % (name, stage, count, rate))

    def restart(self):
        self.started = self.last = time.monotonic()


@dataclass
class Source:
    """A report to import: its name, its SHA-256, and a way to open it (a workbook.Workbook,
    a context manager), each time anew."""

    name: str
    sha256: str
    read: Callable[[], Iterable[tuple[int, list]]]

    @classmethod
    def from_file(cls, name, binary):
        """A seekable binary file; it is read once to hash, then once to import."""
        digest = hashlib.sha256()
        while chunk := binary.read(1 << 20):
            digest.update(chunk)

        def read():
            binary.seek(0)
            return open_workbook(binary, name)

        return cls(name, digest.hexdigest(), read)


def sources(files):
    """Sources from a list of Sources or of (name, seekable binary file) pairs."""
    return [f if isinstance(f, Source) else Source.from_file(*f) for f in files]


BUSY = "另一项导入或撤销正在进行，等待%d秒后仍未结束；未写入任何数据，请稍后再试。"
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's lock_not_available


class Busy(Exception):
    """The import lock was not free within the wait allowed (lock(wait=…))."""


def lock(wait=None):
    """Waits for any other import or undo to finish, at most `wait` seconds (None: as long
    as it takes), else raises Busy; held until the transaction ends. SQLite serializes
    writers by itself."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SET LOCAL lock_timeout = %s", ["%ds" % wait])
        try:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
                raise Busy(BUSY % wait) from None
            raise
        if wait:
            cursor.execute("SET LOCAL lock_timeout = 0")


def lock_wait(channel):
    """How long an import through `channel` waits for the lock: a request a bounded time."""
    return settings.IMPORT_LOCK_WAIT_SECONDS if channel == ImportBatch.Channel.ADMIN else None


def in_one_transaction(work, *, dry_run, wait=None):
    """Runs work() in one transaction under the import lock; a dry run is rolled back. A lock
    not free within `wait` seconds refuses the import (ImportFailed), nothing written."""
    try:
        with transaction.atomic():
            try:
                lock(wait)
            except Busy as busy:
                raise ImportFailed([str(busy)]) from None
            work()
            if dry_run:
                raise DryRun
    except DryRun:
        pass


def validate(
    files,
    report,
    progress,
    *,
    columns,
    reader,
    findings,
    aliases=None,
    saved=None,
    sender="",
    layouts=None,
):
    """Reads and checks every row of every report sheet of every file, and yields each valid
    one as a Row until the first error; once all are read, raises ImportFailed listing the
    problems. Notices and warnings go to `findings.remarks`.

    `reader(table)` makes the row reader (a columns.ColumnReader) of a sheet's table: its
    `read(number, cells)` returns (values, error lines, remarks), `key(values)` what must be
    unique across the files (or None) and `duplicate(number, where, values)` the error line
    of a repeated key. `aliases`: staff's extra headers by column key; `saved`: those of the
    file's sender, named `sender` in a notice each time they are read (a saved layout).
    `layouts`: functions (head rows, HeaderNames, merged values) → (Table, rows after) or
    None, tried before the one-record-a-row layout (tables.find_table).
    """
    names = HeaderNames(columns, aliases, saved, sender)
    seen = {}  # key → place(file, sheet, row): one small int per key keeps memory low
    several = len(files) > 1
    for index, (source, file_report) in enumerate(zip(files, report.files, strict=True)):
        progress.restart()
        file_report.rows = 0
        prefix = "%s " % source.name if several else ""
        try:
            with source.read() as workbook:
                file_report.sheets = [sheet.name for sheet in workbook.sheets]
                yield from SheetReading(
                    index,
                    workbook,
                    file_report,
                    names,
                    reader,
                    findings,
                    seen,
                    prefix,
                    layouts or [],
                ).run(files, progress)
        except FileError as error:
            for message in error.messages:
                findings.error(prefix + message)
        progress("已校验", source.name, file_report.rows, final=True)
    findings.fail_if_any()


MAX_SHEETS = 256


class Row(NamedTuple):
    """A valid record, as validate() yields it."""

    file_index: int
    sheet_index: int
    number: int  # its row in the sheet
    values: dict  # by column key
    cleared: set  # the keys of the optional columns whose cell said （清空）


def place(file_index, sheet_index, number):
    """Where a record was read, as one small int (MAX_SHEETS fit in its 8 bits)."""
    return file_index << 40 | sheet_index << 32 | number


class SheetReading:
    """Reads the report sheets of one workbook: see validate."""

    def __init__(
        self, index, workbook, file_report, names, reader, findings, seen, prefix, layouts
    ):
        self.index, self.workbook, self.file_report = index, workbook, file_report
        self.layouts = layouts
        self.names, self.reader = names, reader
        self.findings, self.seen, self.file_prefix = findings, seen, prefix
        self.several_sheets = len(workbook.sheets) > 1

    def prefix(self, sheet_index):
        return self.file_report.line_prefix(sheet_index, bool(self.file_prefix))

    def run(self, files, progress):
        self.files = files
        if len(self.workbook.sheets) > MAX_SHEETS:
            raise FileError(
                "工作簿中有%d个工作表，超过%d个，请拆分后再导入。"
                % (len(self.workbook.sheets), MAX_SHEETS)
            )
        found = 0
        looked = []
        for position, sheet in enumerate(self.workbook.sheets):
            if sheet.hidden:
                self.findings.remark(
                    "notice",
                    "工作表",
                    "%s工作表“%s”已隐藏，未导入" % (self.file_prefix, sheet.name),
                )
                continue
            if self.several_sheets and not is_report_sheet_name(sheet.name):
                self.findings.remark(
                    "notice",
                    "工作表",
                    "%s工作表“%s”是说明或代码表，未导入" % (self.file_prefix, sheet.name),
                )
                continue
            looked.append(sheet.name)
            rows = sheet.rows()
            try:
                head, remembered = read_head(iter(rows), sheet.merged)
                result = None
                for layout in self.layouts:
                    result = result or layout(head, self.names, remembered)
                result = result or find_table(head, self.names, remembered)
            except FileError as error:
                for message in error.messages:
                    self.findings.error(self.prefix(position) + message)
                if isinstance(error, MissingColumns):
                    self.findings.unmatched.append((sheet.name, error))
                continue
            if result is None:
                if self.several_sheets:
                    self.findings.remark(
                        "notice",
                        "工作表",
                        "%s工作表“%s”中没有找到报表表头，未导入" % (self.file_prefix, sheet.name),
                    )
                continue
            found += 1
            table, head_rest = result
            yield from self.read_table(files, progress, sheet, position, rows, table, head_rest)
        if not found and not self.findings.count:
            hints = "".join("“%s”" % c.header for c in self.names.columns if c.hint)
            where = "前%d行" % HEADER_SEARCH_ROWS
            if self.several_sheets:
                where = "工作表%s的%s" % ("、".join("“%s”" % n for n in looked), where)
            raise FileError("未找到表头：%s中没有%s等列名。" % (where, hints))

    def read_table(self, files, progress, sheet, sheet_index, rows, table, head_rest):
        """Reads a sheet's table; `sheet_index` is the sheet's place in the workbook's list."""
        findings, prefix = self.findings, self.prefix(sheet_index)
        # From here on, a row holds only the cells up to the header's last column.
        rows.width = table.width
        self.file_report.labels = self.file_report.labels or table.labels
        row_reader = self.reader(table)
        for level, message in row_reader.table_remarks:
            findings.remark(level, "表头", prefix + message)
        for message in table.notices:
            findings.remark("notice", "表头", prefix + message)
        headers = {column.key: column.header for column in self.names.columns}
        for key, (index, label, _) in table.positions.items():
            if index is not None and self.names.is_saved(label):
                findings.remark(
                    "notice",
                    "表头",
                    "%s第%d行表头“%s”按%s保存的表头对应读作“%s”"
                    % (prefix, table.header_row, label, self.names.sender, headers[key]),
                )
        if table.unread:
            findings.remark(
                "notice",
                "表头",
                "%s第%d行表头中以下列不属于本报表，未导入：%s"
                % (prefix, table.header_row, "、".join(table.unread)),
            )
        header = row_reader.table.header[: table.width]
        merged = [m for m in sheet.merged if m[2] > table.header_row]
        remembered = table.merged_values
        probe = [table.positions[k][0] for k in ("code", "name", "county") if k in table.positions]
        sums = Sums([c for c, *_ in row_reader.plan if c.summed])

        def rest():
            yield from head_rest
            yield from rows

        for number, cells, hidden in rest():
            if merged:
                cells = list(cells)
                fill_merged(number, cells, merged, remembered)
            if is_empty(cells):
                continue
            if hidden:
                findings.remark("notice", "隐藏行", "%s第%d行已隐藏，未导入" % (prefix, number))
                continue
            kind = marker(cells, probe)
            if kind == "footer":
                findings.remark(
                    "notice",
                    "表尾",
                    "%s第%d行是表尾（填报人、审核人等），未导入" % (prefix, number),
                )
                continue
            if kind is not None:
                sums.check(kind, number, cells, row_reader, findings, prefix)
                continue
            for record in table.expand(number, cells) if table.expand else (cells,):
                self.file_report.rows += 1
                kept = self.read_record(
                    row_reader, header, prefix, sheet_index, number, record, sums
                )
                if kept is not None:
                    yield kept
                progress("已校验", files[self.index].name, self.file_report.rows)

    def read_record(self, row_reader, header, prefix, sheet_index, number, cells, sums):
        """Reads one record: a row, or one of the records a layout makes of a row; the Row
        to keep, or None (an error, or a valid row after one: nothing will be written)."""
        findings = self.findings
        values, problems, remarks = row_reader.read(number, cells)
        for level, label, line in remarks:
            findings.remark(level, label, prefix + line)
        key = row_reader.key(values) if not problems else None
        here = place(self.index, sheet_index, number)
        first = self.seen.setdefault(key, here) if key is not None else here
        if first != here:
            where = "第%d行" % (first & 0xFFFFFFFF)
            other_sheet = first >> 32 & 0xFF
            if self.several_sheets and (first >> 40, other_sheet) != (self.index, sheet_index):
                where = "工作表“%s”%s" % (self.workbook.sheets[other_sheet].name, where)
            if first >> 40 != self.index:
                where = "%s %s" % (self.files[first >> 40].name, where)
            problems.insert(0, row_reader.duplicate(number, where, values))
        if problems:
            findings.refused_row(header, number, cells, problems, prefix)
        else:
            sums.add(values)
            if not findings.count:
                return Row(self.index, sheet_index, number, values, row_reader.cleared)
        return None


class Sums:
    """The sums of the summed columns over the rows read, to check 合计 and 小计 rows by."""

    def __init__(self, columns):
        self.columns = columns
        self.total = dict.fromkeys((c.key for c in columns), 0)
        self.since_subtotal = dict(self.total)

    def add(self, values):
        for column in self.columns:
            amount = values.get(column.key)
            if amount is not None:
                self.total[column.key] += amount
                self.since_subtotal[column.key] += amount

    def check(self, kind, number, cells, reader, findings, prefix):
        """Compares a 合计 (or 小计) row with the rows above it (since the last 小计)."""
        name = "小计" if kind == "subtotal" else "合计"
        expected = self.since_subtotal if kind == "subtotal" else self.total
        differs = []
        for column, index, label, unit in reader.plan:
            if not column.summed:
                continue
            raw = cells[index] if index < len(cells) else None
            value = text(raw)
            if not value:
                continue
            try:
                stated = reader.parse_cell(column, raw, value, unit, {})
            except ValueError:
                continue
            if stated != expected[column.key]:
                differs.append(
                    "%s为%s，上方各行之和为%s" % (label, plain(stated), plain(expected[column.key]))
                )
        if differs:
            findings.remark(
                "warning",
                "合计行",
                "%s第%d行是%s行，未导入；其中%s，请核对"
                % (prefix, number, name, "；".join(differs)),
            )
        else:
            findings.remark("notice", "合计行", "%s第%d行是%s行，未导入" % (prefix, number, name))
        if kind == "subtotal":
            self.since_subtotal = dict.fromkeys(self.since_subtotal, 0)


def is_empty(cells):
    """A row with nothing in it but spaces; spreadsheets are full of them."""
    if not any(cells):
        return True
    # Cell by cell, never joined: a row of long cells costs no copy of them.
    return not any(c.strip() if c.__class__ is str else c is not None for c in cells)


def new_batch(kind, file_report, user, channel, now):
    """The ImportBatch of one file, with the counts the comparison found."""
    return ImportBatch.objects.create(
        kind=kind,
        channel=channel,
        user=user,
        file_name=file_report.name[-255:],
        file_sha256=file_report.sha256,
        imported_at=now,
        rows=file_report.rows,
        created=file_report.created,
        updated=file_report.updated,
        unchanged=file_report.unchanged,
    )


def audit_channel(channel):
    """The audit trail's channel of an import made through `channel` (an ImportBatch's)."""
    if channel == ImportBatch.Channel.ADMIN:
        return AuditEntry.Channel.IMPORT
    return AuditEntry.Channel.COMMAND
