"""What the report import commands share: their arguments, output and failure.

The leading underscore keeps this module out of the list of commands.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from counties.places import PlaceNames

from .refusals import ImportFailed
from .running import Progress


class ReportImportCommand(BaseCommand):
    """Imports the files named on the command line with `importer` (an import_…_report
    function); prints a line per file and, last, created=N updated=M unchanged=K. On failure,
    the first errors go to stderr (MAX_ERRORS_SHOWN of them, then how many more there are)
    and the command exits non-zero, having written nothing. Warnings (警告：…) and notices
    (提示：…) are printed either way: on success before the last line."""

    importer = None
    # The importer's own flags: (option, keyword, help).
    flags = []

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="XLSX、XLS、ODS或CSV文件（可多个）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只校验和比对，不写入")
        parser.add_argument("--quiet", action="store_true", help="不输出进度")
        parser.add_argument(
            "--sender",
            metavar="县市区",
            help="报送单位（县市区的名称、简称或区划代码）：也按该县市区保存的表头对应读取",
        )
        for option, keyword, text in self.flags:
            parser.add_argument(option, action="store_true", dest=keyword, help=text)

    def handle(self, *, paths, dry_run, quiet, sender=None, **options):
        missing = [p for p in paths if not Path(p).is_file()]
        if missing:
            raise CommandError("找不到文件：%s" % "、".join(missing))
        if sender is not None:
            # Written as the reports write a county: 澜沧县, a former name, a code.
            try:
                sender, _ = PlaceNames().county(sender)
            except ValueError as error:
                raise CommandError("报送单位：%s" % error) from None
        progress = Progress(None if quiet else self.progress)
        handles = [open(path, "rb") for path in paths]  # noqa: SIM115 closed below
        try:
            report = self.importer(
                files=[(Path(p).name, h) for p, h in zip(paths, handles, strict=True)],
                dry_run=dry_run,
                progress=progress,
                sender=sender,
                **{keyword: options[keyword] for _, keyword, _ in self.flags},
            )
        except ImportFailed as failure:
            for line in failure.errors:
                self.stderr.write(line)
            if failure.unlisted:
                self.stderr.write(failure.unlisted_line)
            raise CommandError("导入失败：共%d处错误，未写入任何数据。" % failure.count) from None
        finally:
            for handle in handles:
                handle.close()
        for file in report.files:
            batch = "（未写入，试运行）" if dry_run else "（导入批次 %d）" % file.batch.pk
            self.stdout.write(
                "%s：%d行，新增%d，更新%d，未变%d%s"
                % (file.name, file.rows, file.created, file.updated, file.unchanged, batch)
            )
        # Warnings and notices, always shown, before the last line (which scripts read).
        for line in report.remarks.lines():
            self.stdout.write(line)
        self.stdout.write(report.summary)

    def progress(self, line):
        self.stderr.write(line)
        self.stderr.flush()
