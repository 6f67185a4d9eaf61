"""What every yearly report import shares: its sources, progress, report and lock, the reading
and checking of every row before anything is written, and the one transaction it writes in.

The project report (writing.py) and the indicator report (indicator_writing.py) differ in
their columns, in what a row becomes and in how it is stored; everything here is the same
for both, so that both keep the same guarantees.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction

from counties.models import AuditEntry

from ..models import ImportBatch
from .parsing import FileError, read_rows
from .rows import find_header, header_width

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


@dataclass
class Report:
    files: list

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
    """A report to import: its name, its SHA-256, and a way to read its rows (parsing.Rows),
    each time anew."""

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
            return read_rows(binary, name)

        return cls(name, digest.hexdigest(), read)


def sources(files):
    """Sources from a list of Sources or of (name, seekable binary file) pairs."""
    return [f if isinstance(f, Source) else Source.from_file(*f) for f in files]


def lock():
    """Waits for any other import or undo to finish; held until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def in_one_transaction(work, *, dry_run):
    """Runs work() in one transaction under the import lock; a dry run is rolled back."""
    try:
        with transaction.atomic():
            lock()
            work()
            if dry_run:
                raise DryRun
    except DryRun:
        pass


def validate(files, report, progress, *, columns, reader, keep, findings):
    """Reads and checks every row of every file; raises ImportFailed listing the problems.

    `reader(header, positions)` makes the row reader of a file: its `read(number, cells)`
    returns (values, error lines), `key(values)` what must be unique across the files (or
    None) and `duplicate(number, where, values)` the error line of a repeated key. Until
    the first error, `keep(file index, row number, values)` gets every valid row. Problems go
    to `findings` (a Findings), which keeps what it shows and files away the rest.
    """
    seen = {}  # key → file index << 32 | row number: one small int per key keeps memory low
    several = len(files) > 1
    for index, (source, file_report) in enumerate(zip(files, report.files, strict=True)):
        name = source.name
        prefix = "%s " % name if several else ""
        progress.restart()
        count = 0
        try:
            rows = source.read()
            header, positions, rest = find_header(iter(rows), columns)
            # From here on, a row holds only the cells up to the header's last column.
            rows.width = header_width(header, positions)
            file_report.labels = {key: label for key, (_, label) in positions.items()}
            row_reader = reader(header[: rows.width], positions)
            for number, cells in rest:
                if is_empty(cells):
                    continue
                count += 1
                values, problems = row_reader.read(number, cells)
                key = row_reader.key(values)
                here = index << 32 | number
                first = seen.setdefault(key, here) if key is not None else here
                if first != here:
                    where = "第%d行" % (first & 0xFFFFFFFF)
                    if several:
                        where = "%s %s" % (files[first >> 32].name, where)
                    problems.insert(0, row_reader.duplicate(number, where, values))
                if problems:
                    findings.refused_row(row_reader.header, number, cells, problems, prefix)
                elif not findings.count:
                    keep(index, number, values)
                progress("已校验", name, count)
        except FileError as error:
            for message in error.messages:
                findings.error(prefix + message)
        progress("已校验", name, count, final=True)
        file_report.rows = count
    findings.fail_if_any()


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
