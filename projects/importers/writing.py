"""Running a yearly report import: validate every row of every file, then write all or nothing."""

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from ..models import ImportBatch, Project
from .parsing import FileError, read_rows, text
from .rows import FIELDS, Places, RowReader, error_line, find_header

# The same fields as attributes: county by id, so comparing costs no query.
ATTRIBUTES = ["county_id" if name == "county" else name for name in FIELDS]

CHUNK = 2000
# Serializes imports on PostgreSQL (SQLite serializes writers by itself).
LOCK_KEY = 0x68756A696E  # "hujin"
PREVIEW_ROWS = 100


class ImportFailed(Exception):
    """The files were refused as a whole; `errors` holds every problem, one line each.

    `bad_rows` holds (file name, header cells, row number, cells, error lines) for every
    refused row, so that a sender can be given back just those rows to fix.
    """

    def __init__(self, errors, bad_rows=()):
        super().__init__("\n".join(errors))
        self.errors = errors
        self.bad_rows = bad_rows


@dataclass
class FileReport:
    name: str
    sha256: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # A sample of what the import does, for the preview:
    # (row number, "new" or "update", field values, county)
    preview: list = field(default_factory=list)
    batch: ImportBatch | None = None


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
    """A report to import: its name, its SHA-256, and a way to read its rows, each time anew."""

    name: str
    sha256: str
    read: Callable[[], Iterable[tuple[int, list]]]

    @classmethod
    def from_file(cls, name, binary):
        """A seekable binary file; it is read once to hash, then once per pass."""
        digest = hashlib.sha256()
        while chunk := binary.read(1 << 20):
            digest.update(chunk)

        def read():
            binary.seek(0)
            return read_rows(binary, name)

        return cls(name, digest.hexdigest(), read)


def data_rows(source, places):
    """A RowReader for the file's header, and (row number, cells) for every non-empty row."""
    header, positions, rows = find_header(iter(source.read()))
    return RowReader(header, positions, places), (
        (number, cells) for number, cells in rows if any(text(cell) for cell in cells)
    )


def import_yearly_report(
    *, files, user=None, channel=ImportBatch.Channel.COMMAND, dry_run=False, progress=None
):
    """Imports yearly project reports; all files are written in one transaction, or none.

    `files` is a list of Sources or of (name, seekable binary file) pairs. Each is read
    twice: once to validate every row, once to write. Nothing is held in memory but the
    project codes seen so far. Raises ImportFailed with every error; returns a Report.
    """
    files = [f if isinstance(f, Source) else Source.from_file(*f) for f in files]
    progress = progress or Progress()
    places = Places()
    report = Report([FileReport(f.name, f.sha256) for f in files])
    validate(files, report, places, progress)
    if dry_run:
        write(files, report, places, progress, user, channel, save=False)
    else:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            write(files, report, places, progress, user, channel, save=True)
    return report


def validate(files, report, places, progress):
    errors, bad_rows = [], []
    seen = {}  # code → file index << 32 | row number: one small int per code keeps memory low
    several = len(files) > 1
    for index, (source, file_report) in enumerate(zip(files, report.files, strict=True)):
        name = source.name
        prefix = "%s " % name if several else ""
        progress.restart()
        try:
            reader, rows = data_rows(source, places)
            count = 0
            for count, (number, cells) in enumerate(rows, start=1):
                values, problems = reader.read(number, cells)
                code = values.get("code")
                here = index << 32 | number
                first = seen.setdefault(code, here) if code else here
                if first != here:
                    where = "第%d行" % (first & 0xFFFFFFFF)
                    if several:
                        where = "%s %s" % (files[first >> 32].name, where)
                    message = "与%s重复的项目编号“%s”" % (where, code)
                    problems.insert(0, error_line(number, reader.label("code"), message))
                if problems:
                    errors.extend(prefix + line for line in problems)
                    bad_rows.append((name, reader.header, number, cells, problems))
                progress("已校验", name, count)
            progress("已校验", name, count, final=True)
            file_report.rows = count
        except FileError as error:
            errors.extend(prefix + message for message in error.messages)
    if errors:
        raise ImportFailed(errors, bad_rows)


def chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def write(files, report, places, progress, user, channel, save):
    now = timezone.now()
    for source, file_report in zip(files, report.files, strict=True):
        name = source.name
        batch = None
        if save:
            batch = ImportBatch.objects.create(
                kind=ImportBatch.Kind.YEARLY_REPORT,
                channel=channel,
                user=user,
                file_name=name[-255:],
                file_sha256=file_report.sha256,
                imported_at=now,
            )
        reader, rows = data_rows(source, places)
        progress.restart()
        done = 0
        for chunk in chunks(rows, CHUNK):
            values = [reader.read(number, cells)[0] for number, cells in chunk]
            apply(chunk, values, file_report, batch, now, save)
            done += len(chunk)
            progress("已写入" if save else "已比对", name, done)
        progress("已写入" if save else "已比对", name, done, final=True)
        if batch is not None:
            batch.rows = file_report.rows
            batch.created = file_report.created
            batch.updated = file_report.updated
            batch.unchanged = file_report.unchanged
            batch.save(update_fields=["rows", "created", "updated", "unchanged"])
            file_report.batch = batch


def apply(chunk, values, file_report, batch, now, save):
    """Creates and updates one chunk of validated rows; counts what it did."""
    existing = Project.objects.filter(code__in=[v["code"] for v in values]).only("pk", *FIELDS)
    existing = {project.code: project for project in existing.iterator()}
    new, changed = [], []
    for (number, _), row in zip(chunk, values, strict=True):
        county = row.pop("county")
        row["county_id"] = county.pk
        project = existing.get(row["code"])
        if project is None:
            project = Project(**row, import_batch=batch)
            new.append(project)
            kind = "new"
        elif any(getattr(project, name) != row[name] for name in ATTRIBUTES):
            for name in ATTRIBUTES:
                setattr(project, name, row[name])
            project.import_batch = batch
            project.updated_at = now
            changed.append(project)
            kind = "update"
        else:
            file_report.unchanged += 1
            continue
        if len(file_report.preview) < PREVIEW_ROWS:
            file_report.preview.append((number, kind, row, county))
    file_report.created += len(new)
    file_report.updated += len(changed)
    if save:
        Project.objects.bulk_create(new, batch_size=CHUNK)
        Project.objects.bulk_update(
            changed, [*FIELDS, "import_batch", "updated_at"], batch_size=CHUNK
        )
