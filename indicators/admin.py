from django.contrib import admin
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from counties.admin import AuditedAdmin, ScopedAdmin
from counties.admin_filters import DropdownFilter
from counties.exports import RegistryExport
from counties.scopes import scope_of
from projects.admin import ReportImport
from projects.importers.screens import ReportType
from projects.models import ImportBatch, plain

from .forms import IndicatorFigureForm
from .importers import exporting
from .importers.writing import import_indicator_report
from .models import Indicator, IndicatorFigure

INDICATOR_REPORT = ReportType(
    kind=ImportBatch.Kind.INDICATOR_REPORT,
    name="协作指标报表",
    run=import_indicator_report,
    preview_headers=["指标", "年度", "地点", "协议数", "完成数"],
    template_xlsx=lambda: exporting.indicator_xlsx_file(Indicator.objects.select_related("parent")),
    template_csv=exporting.indicator_csv_lines,
)


@admin.register(Indicator)
class IndicatorAdmin(RegistryExport, AuditedAdmin):
    """The catalogue; by the roles' permissions only 系统管理员 may change it."""

    list_display = ["position", "code", "name", "unit", "group", "parent"]
    list_display_links = ["code", "name"]
    list_filter = ["group"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(IndicatorFigure)
class IndicatorFigureAdmin(ReportImport, RegistryExport, ScopedAdmin):
    # County figures by county, prefecture figures by prefecture; province and pairing
    # figures match neither, so only province-wide users see them.
    scope_prefecture = "prefecture"

    list_display = [
        "indicator",
        "year",
        "level",
        "place",
        "target_shown",
        "result_shown",
        "updated_at",
    ]
    list_filter = [
        "year",
        "level",
        "indicator__group",
        ("indicator", DropdownFilter),
        ("prefecture", DropdownFilter),
        ("county", DropdownFilter),
    ]
    list_select_related = ["indicator"]
    search_fields = [
        "indicator__code",
        "indicator__name",
        "prefecture__name",
        "county__name",
        "district__name",
        "note",
    ]
    autocomplete_fields = ["prefecture", "county", "district"]
    readonly_fields = ["updated_at", "import_batch"]
    fieldsets = [
        (None, {"fields": ["indicator", "year", "level"]}),
        ("地点", {"fields": ["prefecture", "county", "district"]}),
        (None, {"fields": ["target", "result", "note"]}),
        ("记录", {"fields": ["updated_at", "import_batch"], "classes": ["collapse"]}),
    ]

    form = IndicatorFigureForm
    report = INDICATOR_REPORT
    import_template_name = "admin/indicators/indicatorfigure/import.html"
    # Both buttons, 导入 and 导出 (the import screens are ours: ReportImportAdmin).
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.scope = scope_of(request.user)  # a class made for this request by modelform_factory
        return form

    def get_queryset(self, request):
        place = Coalesce("county__name", "prefecture__name", "district__name", Value("全省"))
        return super().get_queryset(request).annotate(place_name_sort=place)

    @admin.display(description="地点", ordering="place_name_sort")
    def place(self, obj):
        return obj.place_name_sort

    @admin.display(description="协议数", ordering="target")
    def target_shown(self, obj):
        return plain(obj.target) if obj.target is not None else "—"

    @admin.display(description="完成数", ordering="result")
    def result_shown(self, obj):
        return plain(obj.result) if obj.result is not None else "—"

    def save_model(self, request, obj, form, change):
        # The model has no auto_now, so that imports can stamp their own time.
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
