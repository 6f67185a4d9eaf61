from django import forms
from django.conf import settings
from import_export.forms import ConfirmImportForm, ImportForm

from counties.filters import YEAR_ERROR
from counties.models import FIRST_YEAR, LAST_YEAR, scope_filter

from .importers import FileError
from .importers.parsing import require_kind, sniff
from .models import IndicatorFigure, Project
from .resources import UploadStorage


def year_field():
    """An optional year of the registry's span, with the Chinese message of the filters."""
    return forms.IntegerField(
        label="年度",
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), YEAR_ERROR),
    )


class YearForm(forms.Form):
    """The landing page's year picker: the years that have projects, this year, and the one
    asked for."""

    year = year_field()

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        years = set(Project.objects.values_list("year", flat=True).distinct().order_by())
        years.add(today.year)
        if self.is_valid() and self.cleaned_data["year"]:
            years.add(self.cleaned_data["year"])
        self.fields["year"].widget = forms.Select(
            choices=[(y, "%s年" % y) for y in sorted(years, reverse=True)]
        )

    def chosen_year(self):
        """The year asked for; this year when none was asked for or the year is wrong."""
        if self.is_valid() and self.cleaned_data["year"]:
            return self.cleaned_data["year"]
        return self.today.year


class ReportImportForm(ImportForm):
    """The yearly report upload. Refuses a file over IMPORT_MAX_UPLOAD_MB, or whose content
    is not the format chosen, before anything stores or parses it."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats

    def clean(self):
        cleaned = super().clean()
        upload, chosen = cleaned.get("import_file"), cleaned.get("format")
        if upload is None:
            return cleaned
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            message = "文件过大（%(size).1f MB），上限为%(limit)d MB。更大的文件请用命令行导入。"
            self.add_error(
                "import_file", message % {"size": upload.size / (1 << 20), "limit": limit >> 20}
            )
            return cleaned
        try:
            found = sniff(upload)
            if chosen:
                require_kind(found, self.formats[int(chosen)].kind)
        except FileError as error:
            self.add_error("import_file", error.messages)
        return cleaned


class ReportConfirmForm(ConfirmImportForm):
    """The confirm step: it may only name an upload this site stored at the preview."""

    def clean_import_file_name(self):
        name = super().clean_import_file_name()
        if not UploadStorage(name=name).exists():
            raise forms.ValidationError("上传的文件已导入或已过期，请重新上传。")
        return name


class IndicatorFigureForm(forms.ModelForm):
    """A figure in the admin. The place choices are narrowed to the user's scope already;
    figures of the province or of a pairing belong to no county, so they are for users whose
    scope is the whole province, as in the import. `user` is set per request by the admin."""

    user = None

    class Meta:
        model = IndicatorFigure
        fields = [
            "indicator",
            "year",
            "level",
            "prefecture",
            "county",
            "district",
            "target",
            "result",
            "note",
        ]

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("level")
        scoped = self.user is not None and scope_filter(self.user, "pk")
        if scoped and level in (IndicatorFigure.Level.PROVINCE, IndicatorFigure.Level.PAIRING):
            self.add_error("level", "全省和上海区结对的指标须由数据范围为全省的用户录入。")
        return cleaned
