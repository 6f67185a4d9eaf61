"""The admin's export of every registry: the selected records (the action 导出选中的…) or the
filtered list (the 导出 button), as XLSX or CSV, through django-import-export.

What a user may export is what the admin's list shows them: the admin's own queryset (their
scope, the list's filters), and, for a many-to-many field, only the related records its own
admin shows them. Who may export: the view permission of the model and the reading rule of
the browsing pages' exports (counties.views.reader_refusal: the counties.browse permission
and a scope). Every cell written goes through counties.cells.
"""

import datetime
import functools
import io

import tablib
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import models
from django.db.models import Manager, Model, Prefetch
from django.utils import timezone
from django.utils.http import content_disposition_header
from import_export.admin import ExportActionMixin
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.forms import ExportForm
from import_export.resources import ModelResource, modelresource_factory
from import_export.widgets import Widget

from . import sheets
from .cells import csv_text
from .views import reader_refusal

# Names of the related records of a many-to-many field, in one cell.
SEPARATOR = "、"


class Cell(Widget):
    """A model field's value as its export cell: a related record by its name, a choice by
    its Chinese label, yes or no as 是/否, a time in local time; numbers and dates as they
    are, for the format to write natively (XLSX) or as text (CSV)."""

    def __init__(self, choices=None, column=None):
        super().__init__(coerce_to_string=False)
        self.choices = choices
        self.column = column  # how the XLSX shows it (counties.sheets.Column)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None
        if isinstance(value, Manager):  # many-to-many: what the export queryset prefetched
            return SEPARATOR.join(str(item) for item in value.all())
        if isinstance(value, Model):
            return str(value)
        if self.choices is not None:
            return str(self.choices.get(value, value))
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, datetime.datetime):
            # Excel holds no time zones; a time is written as the office reads it.
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            return value.replace(microsecond=0)
        return value


def related_paths(model):
    """The foreign keys of `model` and theirs: what the related records' names may read
    (a village's name starts with its county's, a fund's names its county)."""
    paths = []
    for field in model._meta.concrete_fields:
        if field.is_relation:
            paths.append(field.name)
            paths.extend(
                "%s__%s" % (field.name, inner.name)
                for inner in field.related_model._meta.concrete_fields
                if inner.is_relation
            )
    return paths


class RegistryResource(ModelResource):
    """Every field of a model, headed by its Chinese verbose_name; for export only."""

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        choices = dict(django_field.flatchoices) if django_field.choices else None
        column = sheet_column(django_field)
        return Field(
            attribute=field_name,
            column_name=column.header,
            widget=Cell(choices, column),
            readonly=True,
        )

    def get_user_visible_fields(self):
        # The export page lists these; import-export's default lists the import's.
        return self.get_export_fields()

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*related_paths(self._meta.model))

    def after_export(self, queryset, dataset, **kwargs):
        dataset.title = str(self._meta.model._meta.verbose_name_plural)  # the sheet's name
        # For SafeXLSX, by header: the export form may have left some fields out.
        dataset.sheet_columns = {
            field.column_name: field.widget.column
            for field in self.get_export_fields()
            if isinstance(field.widget, Cell)
        }


def sheet_column(field):
    """How the XLSX shows a model field (counties.sheets): its kind from the field's type,
    headed by its verbose_name (amounts' name their unit, 金额（万元）)."""
    header = str(field.verbose_name)
    if field.is_relation:
        kind = sheets.NAME  # the related record's name
    elif isinstance(field, models.DateTimeField):
        kind = sheets.DATETIME
    elif isinstance(field, models.DateField):
        kind = sheets.DATE
    elif isinstance(field, models.DecimalField):
        kind = sheets.MONEY if "万元" in header else sheets.FIGURE
    elif isinstance(field, models.BooleanField):
        kind = sheets.TEXT
    elif isinstance(field, models.IntegerField):
        is_year = "year" in field.name or header.endswith(("年度", "年份"))
        kind = sheets.YEAR if is_year else sheets.COUNT
    elif isinstance(field, models.SlugField) or field.name.endswith(("code", "codes")):
        return sheets.Column(header, sheets.CODE, min(field.max_length or 0, 22))
    elif isinstance(field, models.TextField):
        kind = sheets.NOTE
    elif field.choices:
        labels = [str(label) for _, label in field.flatchoices]
        return sheets.Column(header, sheets.TEXT, sheets.widest(labels))
    elif (field.max_length or 0) <= 12:
        kind = sheets.TEXT
    elif field.max_length <= 40:
        kind = sheets.PLACE
    else:
        kind = sheets.NAME
    return sheets.Column(header, kind)


@functools.cache
def registry_resource(model):
    """The export resource of `model`: all its fields but the database id."""
    return modelresource_factory(
        model,
        resource_class=RegistryResource,
        meta_options={
            "exclude": [model._meta.pk.name],
            "name": str(model._meta.verbose_name_plural),
        },
    )


def safe(dataset, cell):
    """A copy of `dataset` with every cell, the header row's too, passed through `cell`."""
    copy = tablib.Dataset(headers=[cell(name) for name in dataset.headers], title=dataset.title)
    for row in dataset:
        copy.append([cell(value) for value in row])
    return copy


def csv_cell(value):
    if isinstance(value, datetime.datetime):
        value = value.isoformat(sep=" ")
    return csv_text(value)


class SafeXLSX(base_formats.XLSX):
    """XLSX laid out by counties.sheets (widths, formats, frozen header, print settings),
    every cell through counties.cells.xlsx_value; the header in the first row, no title, as
    import-export reads a file back."""

    def export_data(self, dataset, **kwargs):
        known = getattr(dataset, "sheet_columns", {})
        columns = [known.get(header) or sheets.Column(str(header)) for header in dataset.headers]
        workbook = sheets.new_workbook()
        sheet = sheets.ReportSheet(workbook, dataset.title or "导出", columns)
        for row in dataset:
            sheet.append(row)
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()


class SafeCSV(base_formats.CSV):
    """CSV with every cell through counties.cells.csv_text; UTF-8 with a BOM, so that Excel
    opens it as Chinese."""

    CONTENT_TYPE = "text/csv; charset=utf-8"

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(safe(dataset, csv_cell), **kwargs)


class SelectionExportForm(ExportForm):
    """import-export's export form, saying how many records were selected in Chinese.

    Its template says it ("Export 3 selected items.", a sentence import-export has no Chinese
    for) whenever the form's `initial` holds the selection; the selection is kept here
    instead, and its hidden fields still carry it.
    """

    def __init__(self, formats, resources, **kwargs):
        initial = dict(kwargs.pop("initial", None) or {})
        self.selection = initial.pop("export_items", None)
        super().__init__(formats, resources, initial=initial, **kwargs)
        count = len(self.selection) if self.selection is not None else None
        if count is None and self.is_bound and "export_items" in self.data:
            count = len(self.data.getlist("export_items"))
        if count is not None:
            self.fields["format"].help_text = "将导出所选的%d条记录。" % count

    def get_initial_for_field(self, field, field_name):
        if field_name == "export_items" and self.selection is not None:
            return self.selection
        return super().get_initial_for_field(field, field_name)


class RegistryExport(ExportActionMixin):
    """The export action and button of a registry's admin; put it before the admin base
    (ScopedAdmin, AuditedAdmin). The resource is this model's RegistryResource unless the
    admin names one in `export_resource_class`; a report import's resources stay its own."""

    export_resource_class = None
    export_formats = [SafeXLSX, SafeCSV]
    export_form_class = SelectionExportForm
    # The change form keeps Django's own template; its 导出 button would save the record first.
    change_form_template = None
    show_change_form_export = False

    def export_refusal(self, request):
        """Why the user may not export this model, in words; None if they may."""
        if not self.has_view_permission(request):
            return "您没有查看%(name)s的权限，不能导出。" % {"name": self.opts.verbose_name}
        return reader_refusal(request.user)

    def has_export_permission(self, request):
        return self.export_refusal(request) is None

    def export_action(self, request):
        refusal = self.export_refusal(request)
        if refusal:
            raise PermissionDenied(refusal)
        return super().export_action(request)

    def get_export_resource_classes(self, request):
        return [self.export_resource_class or registry_resource(self.model)]

    def get_export_queryset(self, request):
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as error:
            raise BadRequest("筛选条件有误，未导出。") from error

    def get_valid_export_item_pks(self, request):
        # The selection posted back may name only records of the list (the scope), as a
        # foreign-key choice may (NarrowedChoices); import-export's default is every record.
        return self.get_queryset(request).order_by().values_list("pk", flat=True)

    def get_data_for_export(self, request, queryset, **kwargs):
        # Whichever way the queryset came (the list, an action, the change form's record),
        # only what the admin's own queryset holds is written.
        queryset = queryset.filter(pk__in=self.get_queryset(request).order_by().values("pk"))
        for field in self.model._meta.many_to_many:
            related = self.admin_site._registry.get(field.related_model)
            if related is not None:
                shown = related.get_queryset(request)
                queryset = queryset.prefetch_related(Prefetch(field.name, queryset=shown))
        return super().get_data_for_export(request, queryset, **kwargs)

    def get_export_filename(self, request, queryset, file_format):
        return "%s-%s.%s" % (
            self.opts.verbose_name_plural,
            timezone.localdate().strftime("%Y%m%d"),
            file_format.get_extension(),
        )

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form)
        # import-export writes the file name into the header raw, which no browser reads
        # when it is Chinese; Django's helper adds the RFC 6266 form.
        name = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
