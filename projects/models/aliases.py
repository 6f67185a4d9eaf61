"""Headers staff teach the report imports: another way a county's report heads one of a
report's columns (项目实施单位所在县 for 县市区), added in the admin, no code changed.

A header saved for a sender (报送单位: the county whose office sends the file) is its saved
layout: read only in that sender's files, each time with a notice. The admin's import saves
one when a file's required column is under a header hujin cannot infer (screens.py)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from counties.models import County

from .batches import ImportBatch

# Every report type whose headers staff may teach, by its ImportBatch.Kind: its columns and
# how its import reads a header (importers.columns.HeaderNames). Each report type registers
# itself where it defines its columns; its app's ready() imports that module.
REPORTS = {}


def register(kind, columns, names):
    """Makes a report type's columns known to the headers staff add."""
    REPORTS[kind] = (columns, names)
    return columns


def report_columns(report):
    """A report type's columns (ReportColumn), [] for one not registered."""
    return REPORTS[report][0] if report in REPORTS else []


def column_choices():
    """Every report's columns, each key once: a header names the same column in each report
    that has it (县市区 is a county's name in both)."""
    choices = {}
    for report in ImportBatch.Kind.values:
        for column in report_columns(report):
            choices.setdefault(column.key, column.header)
    return list(choices.items())


class HeaderAliasQuerySet(models.QuerySet):
    def by_column(self, report=ImportBatch.Kind.YEARLY_REPORT, sender=None):
        """{column key: [header, …]} of one report type, for its import: the headers for
        every sender, or with `sender` (a County) that sender's saved layout; one query."""
        aliases = {}
        chosen = self.filter(report=report, sender=sender)
        for column, header in chosen.values_list("column", "header"):
            aliases.setdefault(column, []).append(header)
        return aliases


class HeaderAlias(models.Model):
    report = models.CharField(
        "报表", max_length=20, choices=ImportBatch.Kind, default=ImportBatch.Kind.YEARLY_REPORT
    )
    column = models.CharField("报表列", max_length=20, choices=column_choices)
    header = models.CharField(
        "表头写法", max_length=60, help_text="报表中这一列的表头，如“项目所在县区”。"
    )
    note = models.CharField("说明", max_length=100, blank=True, help_text="如哪个县这样写。")
    sender = models.ForeignKey(
        County,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报送单位",
        help_text="只读该县市区报送的文件（导入时选定报送单位）；留空则所有文件都读。",
    )

    objects = HeaderAliasQuerySet.as_manager()

    class Meta:
        verbose_name = "表头写法"
        verbose_name_plural = "表头写法"
        ordering = ["report", "column", "header"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "header"],
                condition=Q(sender__isnull=True),
                name="header_alias_unique_in_report",
                violation_error_message="该报表已有这一表头写法。",
            ),
            models.UniqueConstraint(
                fields=["report", "sender", "header"],
                condition=Q(sender__isnull=False),
                name="header_alias_unique_for_sender",
                violation_error_message="该报送单位的这一报表已有这一表头写法。",
            ),
        ]

    def __str__(self):
        sender = "，%s报送" % self.sender if self.sender_id else ""
        report = self.get_report_display()
        return "%s → %s（%s%s）" % (self.header, self.get_column_display(), report, sender)

    def clean(self):
        columns = report_columns(self.report)
        if self.column and self.column not in {column.key for column in columns}:
            raise ValidationError(
                {
                    "column": "%s没有“%s”列。"
                    % (self.get_report_display(), self.get_column_display())
                }
            )
        if not columns:
            return
        known, _ = REPORTS[self.report][1].match(self.header)
        if known is not None and known.key != self.column:
            raise ValidationError(
                {"header": "“%s”已是“%s”列的写法，不能再指向其他列。" % (self.header, known.header)}
            )
