"""Headers staff teach the yearly report import: another way a county's report heads one
of its columns (项目实施单位所在县 for 县市区), added in the admin, no code changed."""

from django.core.exceptions import ValidationError
from django.db import models


def column_choices():
    """The yearly report's columns (imported late: the importers import these models)."""
    from ..importers.rows import COLUMNS

    return [(column.key, column.header) for column in COLUMNS]


class HeaderAliasQuerySet(models.QuerySet):
    def by_column(self):
        """{column key: [header, …]} for the import; one query."""
        aliases = {}
        for column, header in self.values_list("column", "header"):
            aliases.setdefault(column, []).append(header)
        return aliases


class HeaderAlias(models.Model):
    column = models.CharField("报表列", max_length=20, choices=column_choices)
    header = models.CharField(
        "表头写法", max_length=60, unique=True, help_text="报表中这一列的表头，如“项目所在县区”。"
    )
    note = models.CharField("说明", max_length=100, blank=True, help_text="如哪个县这样写。")

    objects = HeaderAliasQuerySet.as_manager()

    class Meta:
        verbose_name = "表头写法"
        verbose_name_plural = "表头写法"
        ordering = ["column", "header"]

    def __str__(self):
        return "%s → %s" % (self.header, self.get_column_display())

    def clean(self):
        from ..importers.columns import HeaderNames
        from ..importers.rows import COLUMNS

        known, _ = HeaderNames(COLUMNS).match(self.header)
        if known is not None and known.key != self.column:
            raise ValidationError(
                {"header": "“%s”已是“%s”列的写法，不能再指向其他列。" % (self.header, known.header)}
            )
