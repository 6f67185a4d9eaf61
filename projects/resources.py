"""The yearly reports in the admin, on django-import-export's upload → preview → confirm screens.

import-export supplies the screens, the temporary copy of the upload, the confirm step and
the permission checks. Reading and validating the file is the same engine as the
import_…_report commands (projects.importers): import-export's own CSV reading does no
encoding detection and its row-by-row import would commit valid rows of a bad file.
Each report type is a resource (ReportResource) naming its import function and template.
"""

import csv
import hashlib
import io
import os
import re
import secrets
import tempfile
from pathlib import Path

import tablib
from import_export import resources
from import_export.formats import base_formats
from import_export.results import Result, RowResult
from import_export.tmp_storages import TempFolderStorage

from .importers import (
    ImportFailed,
    Source,
    exporting,
    import_indicator_report,
    import_yearly_report,
    indicator_rows,
)
from .importers.parsing import neutralise, read_as, text
from .importers.rows import FIELDS
from .models import ImportBatch, Indicator, IndicatorFigure, Project

BAD_ROWS_PREFIX = "hujin-bad-rows-"
UPLOAD_PREFIX = "hujin-upload-"
# The name of an upload kept between preview and confirm, as tempfile makes it.
UPLOAD_NAME = re.compile(r"%s[a-z0-9_]{8}" % UPLOAD_PREFIX)


class UploadDataset(tablib.Dataset):
    """Carries the uploaded bytes to the resource untouched; our engine reads them."""

    def __init__(self, raw, kind):
        super().__init__()
        self.raw, self.kind = raw, kind

    def __bool__(self):
        return bool(self.raw)


class ReportFormat:
    kind = None  # "csv" or "xlsx": what the file's content must be

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        return UploadDataset(bytes(in_stream), self.kind)

    def can_export(self):
        return False


# Their titles stay "csv" and "xlsx": import-export picks the format from the file's extension.
class ReportCSV(ReportFormat, base_formats.CSV):
    kind = "csv"


class ReportXLSX(ReportFormat, base_formats.XLSX):
    kind = "xlsx"


class UploadStorage(TempFolderStorage):
    """import-export's copy of an upload between preview and confirm: a file named
    hujin-upload-… in the temporary directory, which the confirm step checks it is reading."""

    def save_chunks(self, chunks):
        """Writes the upload as it comes (import-export would first join it in memory)."""
        with tempfile.NamedTemporaryFile(prefix=UPLOAD_PREFIX, delete=False) as file:
            for chunk in chunks:
                file.write(chunk)
        self.name = os.path.basename(file.name)

    def exists(self):
        """Whether the name is an upload's, and the file is still there."""
        name_ok = bool(UPLOAD_NAME.fullmatch(self.name or ""))
        return name_ok and os.path.isfile(self.get_full_path())


class ReportResult(Result):
    """import-export's result, holding our engine's report or its refusal."""

    def __init__(self, report=None, failure=None, bad_rows_token="", preview_headers=()):
        super().__init__()
        self.report, self.failure, self.bad_rows_token = report, failure, bad_rows_token
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

    def run(self, **kwargs):
        raise NotImplementedError

    def template_xlsx(self):
        """The blank template as a binary file, with a sheet of rules."""
        raise NotImplementedError

    def template_csv(self):
        """The blank template as CSV lines."""
        raise NotImplementedError

    def import_data(self, dataset, dry_run=False, **kwargs):
        raw = dataset.raw
        name = kwargs.get("file_name") or "upload"
        source = Source(
            name, hashlib.sha256(raw).hexdigest(), lambda: read_as(io.BytesIO(raw), dataset.kind)
        )
        user = kwargs.get("user")
        try:
            report = self.run(
                files=[source],
                user=user if user and user.is_authenticated else None,
                channel=ImportBatch.Channel.ADMIN,
                dry_run=dry_run,
            )
        except ImportFailed as failure:
            return ReportResult(failure=failure, bad_rows_token=save_bad_rows(failure))
        return ReportResult(report=report, preview_headers=self.preview_headers)


class YearlyReportResource(ReportResource):
    preview_headers = ["项目编号", "项目名称", "年度", "县市区", "上海援助资金（万元）"]

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


class IndicatorReportResource(ReportResource):
    preview_headers = ["指标", "年度", "地点", "协议数", "完成数"]

    class Meta:
        model = IndicatorFigure
        name = "协作指标报表"
        import_id_fields = ["indicator", "year", "level"]
        # Shown on the import screen; the engine does the reading.
        fields = [c.key for c in indicator_rows.COLUMNS]

    def run(self, **kwargs):
        return import_indicator_report(**kwargs)

    def template_xlsx(self):
        indicators = Indicator.objects.select_related("parent")
        return exporting.indicator_xlsx_file(indicators)

    def template_csv(self):
        return exporting.indicator_csv_lines()


def save_bad_rows(failure):
    """Writes the refused rows, with an error column, to a temporary CSV; returns its token."""
    if not failure.bad_rows:
        return ""
    token = secrets.token_hex(16)
    with open(bad_rows_path(token), "w", encoding="utf-8-sig", newline="") as output:
        writer = csv.writer(output)
        header = failure.bad_rows[0][1]
        writer.writerow(["原行号", *[neutralise(cell) for cell in header], "错误说明"])
        for _, _, number, cells, problems in failure.bad_rows:
            cells = [neutralise(text(cell)) for cell in cells] + [""] * (len(header) - len(cells))
            writer.writerow([number, *cells, neutralise("；".join(problems))])
    return token


def bad_rows_path(token):
    """The file of a token; the token is checked, so no other path can be reached."""
    if len(token) != 32 or not all(c in "0123456789abcdef" for c in token):
        return None
    return Path(tempfile.gettempdir()) / ("%s%s.csv" % (BAD_ROWS_PREFIX, token))
