"""Running a yearly project report import: validate every row, then write all or nothing.

Valid rows go straight into a temporary staging table while the files are read (COPY on
PostgreSQL), so a file is read once and memory holds only the project codes seen. Once every
row has passed, two set-based statements per file update the projects that changed and
insert the new ones; the counts come from the database. Any error rolls everything back.
"""

import functools

from ..models import HeaderAlias, ImportBatch
from .checks import StagedChecks
from .refusals import Findings
from .rows import COLUMNS, Places, RowReader
from .running import (
    FileReport,
    Progress,
    Report,
    in_one_transaction,
    lock_wait,
    sources,
    validate,
)
from .staging import Staging


def import_yearly_report(
    *,
    files,
    user=None,
    channel=ImportBatch.Channel.COMMAND,
    dry_run=False,
    progress=None,
    refusal=None,
    allow_moves=False,
    allow_large_amounts=False,
    sender=None,
):
    """Imports yearly project reports; all files are written in one transaction, or none.

    `files` is a list of Sources or of (name, seekable binary file) pairs. Raises
    ImportFailed with the first errors and their count; with `refusal` (RefusalFiles), the
    refused rows and the full list of errors are written there. Returns a Report, whose
    `remarks` hold the notices and warnings. A dry run reports the same counts, preview and
    remarks, and writes nothing. A row that would change a stored project's year or county
    is refused unless `allow_moves`; a 上海援助资金 beyond belief unless `allow_large_amounts`.
    `sender` (a County): whose office sent the files; its saved layout is read too.
    """
    files = sources(files)
    report = Report([FileReport(f.name, f.sha256) for f in files])
    progress = progress or Progress()
    findings = Findings(refusal)
    report.remarks = findings.remarks

    def work():
        places = Places(user)
        with Staging() as staging:
            reader = functools.partial(RowReader, places=places)
            for row in validate(
                files,
                report,
                progress,
                columns=COLUMNS,
                reader=reader,
                findings=findings,
                aliases=HeaderAlias.objects.by_column(),
                saved=HeaderAlias.objects.by_column(sender=sender) if sender else None,
                sender=str(sender or ""),
            ):
                staging.add(row)
            staging.flush()
            checks = StagedChecks(report, findings)
            checks.scope(places.allowed)
            checks.dates()
            if not allow_large_amounts:
                checks.large_amounts()
            if not allow_moves:
                checks.moves()
            checks.links()
            checks.allocated()
            for index, file_report in enumerate(report.files):
                progress.restart()
                staging.compare(index, file_report)
                if not dry_run:
                    staging.write(index, file_report, user, channel)
                stage_name = "已比对" if dry_run else "已写入"
                progress(stage_name, file_report.name, file_report.rows, final=True)

    in_one_transaction(work, dry_run=dry_run, wait=lock_wait(channel))
    return report
