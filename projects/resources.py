"""The yearly reports in the admin, on django-import-export's upload → preview → confirm screens.

import-export supplies the screens, the temporary copy of the upload, the confirm step and
the permission checks. Reading and validating the file is the same engine as the
import_…_report commands (projects.importers): import-export's own CSV reading does no
encoding detection and its row-by-row import would commit valid rows of a bad file.
Each report type is a resource (ReportResource) naming its import function and template.

What an import leaves in the temporary directory (hujin-…): the upload between preview and
confirm, with the name it was uploaded as; a refused file's rows and its full list of errors,
behind a random token. Each is readable by its owner only and goes after TEMP_KEPT_SECONDS;
the oldest go first once they take more than TEMP_MAX_BYTES together.
"""

import contextlib
import hashlib
import io
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

import tablib
from import_export import resources
from import_export.formats import base_formats
from import_export.results import Result, RowResult
from import_export.tmp_storages import TempFolderStorage

from .importers import (
    ImportFailed,
    RefusalFiles,
    Source,
    exporting,
    import_yearly_report,
)
from .importers.rows import FIELDS
from .importers.staging import PREVIEW_HEADERS
from .importers.workbook import open_workbook
from .models import ImportBatch, Project

BAD_ROWS_PREFIX = "hujin-bad-rows-"
ERRORS_PREFIX = "hujin-errors-"
UPLOAD_PREFIX = "hujin-upload-"
# The name of an upload kept between preview and confirm, as tempfile makes it.
UPLOAD_NAME = re.compile(r"%s[a-z0-9_]{8}" % UPLOAD_PREFIX)
# The bytes giving the length of the name an upload's copy starts with.
NAME_LENGTH = 2
TEMP_KEPT_SECONDS = 24 * 3600
TEMP_MAX_BYTES = 500 << 20


class UploadDataset(tablib.Dataset):
    """Carries the uploaded bytes to the resource untouched; our engine reads them."""

    def __init__(self, raw, kind):
        super().__init__()
        self.raw, self.kind = raw, kind

    def __bool__(self):
        return bool(self.raw)


class ReportFormat:
    kind = None  # "csv", "xlsx", "xls" or "ods": what the file's content must be

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        return UploadDataset(bytes(in_stream), self.kind)

    def can_export(self):
        return False


# Their titles stay import-export's: it picks the format from the file's extension.
class ReportCSV(ReportFormat, base_formats.CSV):
    kind = "csv"


class ReportXLSX(ReportFormat, base_formats.XLSX):
    kind = "xlsx"


class OwnFormat(ReportFormat, base_formats.Format):
    """A format only our engine reads (tablib's own XLS and ODS need packages we do not use:
    python-calamine reads both)."""

    extension = ""

    def get_title(self):
        return self.extension

    def get_extension(self):
        return self.extension

    def get_content_type(self):
        return "application/octet-stream"

    @classmethod
    def is_available(cls):
        return True

    def can_import(self):
        return True


class ReportXLS(OwnFormat):
    kind = extension = "xls"


class ReportODS(OwnFormat):
    kind = extension = "ods"


class UploadStorage(TempFolderStorage):
    """import-export's copy of an upload between preview and confirm: a file named
    hujin-upload-… in the temporary directory, which the confirm step checks it is reading.
    It starts with the name the file was uploaded as (NAME_LENGTH bytes giving its length,
    then the name in UTF-8): the batch keeps that name, never one the page posts back."""

    def save_chunks(self, chunks, original_name):
        """Writes the upload as it comes (import-export would first join it in memory), mode
        0600 (tempfile's); first clears out what earlier imports left."""
        sweep()
        name = original_name[-255:].encode("utf-8")
        with tempfile.NamedTemporaryFile(prefix=UPLOAD_PREFIX, delete=False) as file:
            file.write(len(name).to_bytes(NAME_LENGTH, "big") + name)
            for chunk in chunks:
                file.write(chunk)
        self.name = os.path.basename(file.name)

    def read(self):
        """The uploaded bytes, after the name."""
        with open(self.get_full_path(), "rb") as file:
            file.seek(NAME_LENGTH + int.from_bytes(file.read(NAME_LENGTH), "big"))
            return file.read()

    def original_name(self):
        """The name the file was uploaded as; "" if it is not known."""
        if not self.exists():
            return ""
        try:
            with open(self.get_full_path(), "rb") as file:
                length = int.from_bytes(file.read(NAME_LENGTH), "big")
                return file.read(length).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def exists(self):
        """Whether the name is an upload's, and the file is still there."""
        name_ok = bool(UPLOAD_NAME.fullmatch(self.name or ""))
        return name_ok and os.path.isfile(self.get_full_path())

    def remove(self):
        # It may have gone already: a second request, or the sweep.
        remove(self.get_full_path())


def sweep(now=None):
    """Removes what imports left in the temporary directory after TEMP_KEPT_SECONDS, then the
    oldest while all of it takes more than TEMP_MAX_BYTES."""
    now = time.time() if now is None else now
    prefixes = (UPLOAD_PREFIX, BAD_ROWS_PREFIX, ERRORS_PREFIX)
    kept = []
    with os.scandir(tempfile.gettempdir()) as entries:
        for entry in entries:
            if not entry.name.startswith(prefixes):
                continue
            try:
                stat = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            if now - stat.st_mtime > TEMP_KEPT_SECONDS:
                remove(entry.path)
            else:
                kept.append((stat.st_mtime, stat.st_size, entry.path))
    total = sum(size for _, size, _ in kept)
    for _, size, path in sorted(kept):
        if total <= TEMP_MAX_BYTES:
            break
        remove(path)
        total -= size


def remove(path):
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


class ReportResult(Result):
    """import-export's result, holding our engine's report or its refusal; the token of a
    refusal's files, when they were written, for their downloads."""

    def __init__(self, report=None, failure=None, token="", preview_headers=()):
        super().__init__()
        self.report, self.failure = report, failure
        self.bad_rows_token = token if failure is not None and failure.bad_rows_kept else ""
        self.errors_token = token if failure is not None and failure.errors_kept else ""
        self.preview_headers = preview_headers
        if report is not None:
            self.totals[RowResult.IMPORT_TYPE_NEW] = report.total("created")
            self.totals[RowResult.IMPORT_TYPE_UPDATE] = report.total("updated")
            self.totals[RowResult.IMPORT_TYPE_SKIP] = report.total("unchanged")
            self.total_rows = report.total("rows")

    def has_errors(self):
        return self.failure is not None

    @property
    def file(self):
        return self.report.files[0] if self.report else None


class ReportResource(resources.ModelResource):
    """A yearly report type: its import function (`run`), the headers of its preview table
    (after 行号 and 操作) and its blank templates."""

    preview_headers = []

    def run(self, *, allow_moves, allow_large_amounts, **kwargs):
        """Runs the import; the two flags are the yearly report's (see its command)."""
        raise NotImplementedError

    def template_xlsx(self):
        """The blank template as a binary file, with a sheet of rules."""
        raise NotImplementedError

    def template_csv(self):
        """The blank template as CSV lines."""
        raise NotImplementedError

    def import_data(self, dataset, dry_run=False, **kwargs):
        """Runs the engine on the upload. `file_name` is the upload's own name: at the preview
        from the upload, at the confirm step from beside the stored copy (forms.py)."""
        raw = dataset.raw
        name = kwargs.get("file_name") or "upload"
        source = Source(
            name, hashlib.sha256(raw).hexdigest(), lambda: open_workbook(io.BytesIO(raw), name)
        )
        user = kwargs.get("user")
        # Only the preview offers a refusal's files; a refusal at confirm is a short message.
        token = secrets.token_hex(16) if dry_run else ""
        refusal = RefusalFiles(errors_path(token), bad_rows_path(token)) if token else None
        try:
            report = self.run(
                files=[source],
                user=user if user and user.is_authenticated else None,
                channel=ImportBatch.Channel.ADMIN,
                dry_run=dry_run,
                refusal=refusal,
                allow_moves=kwargs.get("allow_moves", False),
                allow_large_amounts=kwargs.get("allow_large_amounts", False),
            )
        except ImportFailed as failure:
            return ReportResult(failure=failure, token=token)
        return ReportResult(report=report, preview_headers=self.preview_headers)


class YearlyReportResource(ReportResource):
    # Every column the import writes; an update shows a changed cell as "new（原为old）".
    preview_headers = PREVIEW_HEADERS

    class Meta:
        model = Project
        name = "项目年度报表"
        import_id_fields = ["code"]
        fields = FIELDS  # shown on the import screen; the engine does the reading

    def run(self, **kwargs):
        return import_yearly_report(**kwargs)

    def template_xlsx(self):
        return exporting.xlsx_file(None)

    def template_csv(self):
        return exporting.csv_lines(Project.objects.none())


def bad_rows_path(token):
    """The refused rows of a token (CSV); the token is checked, so no other path is reached."""
    return token_path(BAD_ROWS_PREFIX, token, ".csv")


def errors_path(token):
    """The full list of errors of a token (text)."""
    return token_path(ERRORS_PREFIX, token, ".txt")


def token_path(prefix, token, suffix):
    if len(token) != 32 or not all(c in "0123456789abcdef" for c in token):
        return None
    return Path(tempfile.gettempdir()) / ("%s%s%s" % (prefix, token, suffix))
