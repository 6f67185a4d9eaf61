"""Each registry's import screens and export on its model's admin (importers/registries.py).

The registries' models belong to apps below this one (counties, institutions, personnel), whose
admins cannot know the import engine; install() gives each registered admin the screens by
subclassing it, so that the import and the export of a registry are one format: what the
admin's 导出 writes, its 导入 reads back unchanged.
"""

import csv
import functools

from import_export.fields import Field

from counties import sheets
from counties.exports import Cell, RegistryResource

from .importers.exporting import Line, guide_sheet, kind_of, sheet_columns
from .importers.registries import ALL
from .importers.registry import import_registry
from .importers.reports import ReportType
from .importers.screens import ReportImportAdmin
from .models.aliases import report_columns

TEMPLATE_ROWS = 200


def template_xlsx(registry):
    """The registry's blank template: its columns, then a sheet of their rules."""
    workbook = sheets.new_workbook()
    sheets.ReportSheet(workbook, registry.name, sheet_columns(registry.columns))
    rules = [
        column.rule + ("（用于查找已登记记录）" if column.key in registry.key else "")
        for column in registry.columns
    ]
    guide = guide_sheet(workbook, registry.columns, rules)
    guide.append([])
    guide.append(["", "", "", registry.intro])
    return sheets.saved(workbook)


def template_csv(registry):
    yield "\ufeff" + csv.writer(Line()).writerow(registry.headers)


def report_type(registry):
    headers = {c.key: c.header for c in registry.columns}
    meta = registry.model._meta
    return ReportType(
        kind=registry.kind,
        name=registry.name,
        run=functools.partial(import_registry, registry),
        # A derived key (an allocation's fund) by its field's name.
        preview_headers=[
            headers.get(key) or str(meta.get_field(registry.field_of(key)).verbose_name)
            for key in registry.preview_keys
        ],
        template_xlsx=functools.partial(template_xlsx, registry),
        template_csv=functools.partial(template_csv, registry),
    )


class RegistryField(Field):
    """An export column of a registry: the cell its import reads back."""

    def __init__(self, column):
        super().__init__(
            attribute=column.key,
            column_name=column.header,
            widget=Cell(None, sheets.Column(column.header, kind_of(column), column.width)),
            readonly=True,
        )
        self.column = column

    def export(self, instance, **kwargs):
        return self.widget.render(self.column.export(instance))


def export_resource(registry):
    """The admin export of a registry: its import's columns, in their order."""
    declared = {"registry_%d" % i: RegistryField(c) for i, c in enumerate(registry.columns)}

    class Meta:
        model = registry.model
        fields = tuple(declared)
        export_order = tuple(declared)
        name = registry.name

    def filter_export(self, queryset, **kwargs):
        return registry.export_queryset(queryset)

    return type(
        "%sResource" % registry.model.__name__,
        (RegistryResource,),
        {
            "Meta": Meta,
            "filter_export": filter_export,
            **declared,
        },
    )


class RegistryImport(ReportImportAdmin):
    """The import screens of a registry on its model's admin."""

    registry = None
    import_template_name = "admin/registry/import.html"
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"

    def has_import_permission(self, request):
        """Whoever may add and change the registry's records by hand may import them."""
        opts = self.model._meta
        return request.user.has_perm(
            "%s.add_%s" % (opts.app_label, opts.model_name)
        ) and request.user.has_perm("%s.change_%s" % (opts.app_label, opts.model_name))

    def render(self, request, **context):
        context.setdefault("columns", report_columns(self.report.kind))
        context.setdefault("registry", self.registry)
        return super().render(request, **context)


def install(site):
    """Gives each registry's admin on `site` its import screens and its export format."""
    for registry in ALL:
        current = site._registry.get(registry.model)
        if current is None:
            continue
        admin_class = type(
            type(current).__name__,
            (RegistryImport, type(current)),
            {
                "registry": registry,
                "report": report_type(registry),
                "export_resource_class": export_resource(registry),
                "__module__": type(current).__module__,
            },
        )
        site.unregister(registry.model)
        site.register(registry.model, admin_class)
