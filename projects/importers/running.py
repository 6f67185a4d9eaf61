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

from django.conf import settings
from django.db import OperationalError, connection, transaction

from counties.models import AuditEntry

from ..models import ImportBatch
from .columns import HeaderNames
from .parsing import FileError
from .reading import SheetReading
from .refusals import ImportFailed
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
    one as a reading.Row until the first error; once all are read, raises ImportFailed listing the
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
