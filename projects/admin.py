from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.urls import path

from counties.admin import AuditedAdmin, ScopedAdmin, ScopedInline
from counties.admin_filters import ChoicesDropdownFilter, DropdownFilter
from counties.exports import RegistryExport
from counties.pickers import OwnCountyFirst
from counties.scopes import scope_of
from documents.admin import DocumentInline

from . import fund_picker, registry_admin
from .forms import AllocationFormSet, ProjectAdminForm
from .importers import RollbackRefused, exporting, import_yearly_report, rollback_batch
from .importers.registry import REGISTRIES
from .importers.screens import ReportImportAdmin, ReportType
from .importers.staging import PREVIEW_HEADERS
from .models import (
    Fund,
    FundAllocation,
    HeaderAlias,
    ImportBatch,
    IndustrialPark,
    IndustrialParkYear,
    Programme,
    Project,
    plain,
)
from .models.aliases import report_columns

YEARLY_REPORT = ReportType(
    kind=ImportBatch.Kind.YEARLY_REPORT,
    name="项目年度报表",
    run=import_yearly_report,
    # Every column the import writes; an update shows a changed cell as "new（原为old）".
    preview_headers=PREVIEW_HEADERS,
    template_xlsx=lambda: exporting.xlsx_file(None),
    template_csv=lambda: exporting.csv_lines(Project.objects.none(), closing=False),
    allow=("allow_moves", "allow_large_amounts"),
)


class ReportImport(ReportImportAdmin):
    """A report's import screens (projects/importers/screens.py), the upload form listing the
    report's columns by the Chinese headers its template has."""

    def render(self, request, **context):
        context.setdefault("columns", report_columns(self.report.kind))
        return super().render(request, **context)


class AllocationInline(ScopedInline):
    model = FundAllocation
    formset = AllocationFormSet  # their Shanghai funds within the project's 上海援助资金
    extra = 2
    autocomplete_fields = ["fund"]
    verbose_name = "资金分配"
    verbose_name_plural = "资金分配（每笔资金的分配合计不能超过该资金金额）"

    def get_queryset(self, request):
        # Allocations of funds outside the user's scope are neither shown nor touched.
        return super().get_queryset(request).visible_to(scope_of(request.user))


@admin.register(Project)
class ProjectAdmin(ReportImport, RegistryExport, ScopedAdmin):
    list_display = [
        "code",
        "name",
        "county",
        "year",
        "category",
        "status",
        "funds",
    ]
    list_filter = [
        "year",
        "category",
        "status",
        ("county__prefecture", DropdownFilter),
        ("county", DropdownFilter),
    ]
    list_select_related = ["county"]
    search_fields = ["code", "name", "county__name"]
    autocomplete_fields = ["county", "village", "park", "programme", "cadres"]
    inlines = [AllocationInline, DocumentInline]
    readonly_fields = ["created_at", "updated_at", "import_batch"]
    fieldsets = [
        (None, {"fields": ["code", "name", "category", "year", "status"]}),
        ("地点", {"fields": ["county", "village", "park", "programme"]}),
        ("进度", {"fields": ["start_date", "end_date"]}),
        ("资金与成效", {"fields": ["shanghai_funds", "other_funds", "beneficiaries"]}),
        ("说明", {"fields": ["description", "notes", "cadres"]}),
        ("记录", {"fields": ["created_at", "updated_at", "import_batch"], "classes": ["collapse"]}),
    ]

    form = ProjectAdminForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.scope = scope_of(request.user)  # a class made for this request by modelform_factory
        return form

    @admin.display(description="上海援助资金（万元）", ordering="shanghai_funds")
    def funds(self, obj):
        return plain(obj.shanghai_funds)

    report = YEARLY_REPORT
    import_template_name = "admin/projects/project/import.html"
    # Both buttons, 导入 and 导出 (the import screens are ours: ReportImportAdmin).
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"


@admin.register(Fund)
class FundAdmin(RegistryExport, ScopedAdmin):
    inlines = [DocumentInline]
    list_display = ["__str__", "source", "year", "county", "amount", "allocated", "remaining"]
    list_filter = [
        "source",
        "year",
        ("county__prefecture", DropdownFilter),
        ("county", DropdownFilter),
    ]
    list_select_related = ["county"]
    search_fields = ["county__name", "county__code", "donor", "document"]
    search_help_text = "可按年度（2023或2023年）、资金来源、县市区、出资单位或文号查找。"
    autocomplete_fields = ["county"]

    def get_search_results(self, request, queryset, search_term):
        # By year, source label, county, donor or document; an allocation's picker on a
        # project's page offers that project's county's funds only (fund_picker).
        return fund_picker.picked(request, queryset, search_term)

    def get_queryset(self, request):
        # A GROUP BY drops Meta.ordering; keep autocomplete and paging stable.
        return (
            super().get_queryset(request).with_allocated().order_by("-year", "county__code", "pk")
        )

    @admin.display(description="已分配（万元）", ordering="allocated")
    def allocated(self, obj):
        return plain(obj.allocated)

    @admin.display(description="未分配（万元）", ordering="remaining")
    def remaining(self, obj):
        return plain(obj.remaining)


@admin.register(FundAllocation)
class FundAllocationAdmin(RegistryExport, ScopedAdmin):
    scope_county = "project__county"

    def scope(self, request):
        # Both ends inside the scope: the project's county and the fund's.
        return super().scope(request) & scope_of(request.user).q("fund__county")

    list_display = ["fund", "project", "amount"]
    list_filter = [
        "fund__source",
        "fund__year",
        ("fund__county__prefecture", DropdownFilter),
        ("fund__county", DropdownFilter),
    ]
    list_select_related = ["fund__county", "project"]
    search_fields = ["project__code", "project__name", "fund__county__name", "fund__donor"]
    autocomplete_fields = ["fund", "project"]


class ParkYearFormSet(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        # Django's names the field ("year"), not its label.
        return "每个年度只能填写一条年度情况，请修改重复的年度。"


class ParkYearInline(ScopedInline):
    model = IndustrialParkYear
    formset = ParkYearFormSet
    extra = 1
    fields = ["year", "enterprises", "investment", "construction_investment", "jobs", "note"]
    verbose_name = "年度情况"
    verbose_name_plural = "年度情况（指标看板按年度统计园区数、入驻企业、企业到位投资和带动就业）"

    def get_queryset(self, request):
        # The park is inside the scope (its screen is); its records are filtered all the same.
        return super().get_queryset(request).visible_to(scope_of(request.user))


@admin.register(IndustrialParkYear)
class IndustrialParkYearAdmin(RegistryExport, ScopedAdmin):
    """Every park's years in one list, for the registry's import and export; a park's own
    years are entered on its page (ParkYearInline)."""

    scope_county = "park__county"
    list_display = ["park", "year", "enterprises", "investment", "construction_investment", "jobs"]
    list_filter = ["year", ("park__county", DropdownFilter)]
    list_select_related = ["park"]
    search_fields = ["park__name"]
    autocomplete_fields = ["park"]


@admin.register(IndustrialPark)
class IndustrialParkAdmin(OwnCountyFirst, RegistryExport, ScopedAdmin):
    list_display = [
        "name",
        "county",
        "partner_district",
        "partner_name",
        "year_founded",
        "latest_year",
        "latest_enterprises",
        "latest_jobs",
        "is_demonstration",
    ]
    list_filter = [
        "is_demonstration",
        "year_founded",
        ("county__prefecture", DropdownFilter),
        ("county", DropdownFilter),
        ("partner_district", DropdownFilter),
    ]
    list_select_related = ["county", "partner_district"]
    search_fields = ["name", "county__name", "partner_name"]
    autocomplete_fields = ["county", "partner_district", "companies"]
    inlines = [ParkYearInline, DocumentInline]
    fieldsets = [
        (None, {"fields": ["name", "county", "year_founded", "is_demonstration"]}),
        ("上海合作方", {"fields": ["partner_district", "partner_name"]}),
        ("说明", {"fields": ["description", "companies"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_latest_year()

    @admin.display(description="最近年度", ordering="latest_year")
    def latest_year(self, obj):
        return obj.latest_year

    @admin.display(description="入驻企业（家）", ordering="enterprises")
    def latest_enterprises(self, obj):
        return obj.enterprises

    @admin.display(description="带动就业（人）", ordering="jobs")
    def latest_jobs(self, obj):
        return obj.jobs


@admin.register(Programme)
class ProgrammeAdmin(OwnCountyFirst, RegistryExport, ScopedAdmin):
    inlines = [DocumentInline]
    list_display = ["name", "county", "kind", "first_year", "last_year", "project_count"]
    list_filter = [
        "kind",
        ("county__prefecture", DropdownFilter),
        ("county", DropdownFilter),
    ]
    list_select_related = ["county"]
    search_fields = ["name", "county__name", "county__code"]
    autocomplete_fields = ["county"]
    fields = ["county", "name", "kind", "first_year", "last_year", "description"]

    def get_queryset(self, request):
        # A GROUP BY drops Meta.ordering; keep autocomplete and paging stable.
        return (
            super()
            .get_queryset(request)
            .annotate(project_count=Count("projects"))
            .order_by("county__code", "name", "pk")
        )

    @admin.display(description="项目数", ordering="project_count")
    def project_count(self, obj):
        return obj.project_count


@admin.register(HeaderAlias)
class HeaderAliasAdmin(AuditedAdmin):
    """Headers a report import reads as one of its columns, taught by staff; with a sender,
    that sender's saved layout (also saved from the import's refusal page)."""

    list_display = ["header", "column", "report", "sender", "note"]
    list_filter = [
        "report",
        ("column", ChoicesDropdownFilter),
        ("sender", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["sender"]
    search_fields = ["header", "note", "sender__name"]
    autocomplete_fields = ["sender"]
    fields = ["report", "column", "header", "sender", "note"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Batches are written by imports only; staff read them."""

    list_display = [
        "imported_at",
        "kind",
        "file_name",
        "user",
        "channel",
        "rows",
        "created",
        "updated",
        "unchanged",
        "rolled_back_at",
    ]
    list_filter = ["kind", "channel", "imported_at"]
    list_select_related = ["user"]
    search_fields = ["file_name", "file_sha256", "user__username"]
    date_hierarchy = "imported_at"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(scope_of(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    change_form_template = "admin/projects/importbatch/change_form.html"

    def get_urls(self):
        rollback = path(
            "<int:pk>/rollback/",
            self.admin_site.admin_view(self.rollback_view),
            name="projects_importbatch_rollback",
        )
        return [rollback, *super().get_urls()]

    def may_roll_back(self, request, kind):
        """Undoing an import is for those who may delete what it wrote: administrators (the
        系统管理员 role may delete projects), a registry's by its model's delete permission."""
        registry = REGISTRIES.get(kind)
        opts = registry.model._meta if registry else Project._meta
        return request.user.has_perm("%s.delete_%s" % (opts.app_label, opts.model_name))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self.get_object(request, object_id)
        undoable = batch is not None and (
            batch.kind == ImportBatch.Kind.YEARLY_REPORT or batch.kind in REGISTRIES
        )
        may = undoable and self.may_roll_back(request, batch.kind)
        extra_context = {**(extra_context or {}), "may_roll_back": may}
        return super().change_view(request, object_id, form_url, extra_context)

    def rollback_view(self, request, pk):
        kinds = [ImportBatch.Kind.YEARLY_REPORT, *REGISTRIES]
        if request.method != "POST" or not any(self.may_roll_back(request, k) for k in kinds):
            raise PermissionDenied
        batch = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.may_roll_back(request, batch.kind):
            raise PermissionDenied
        try:
            restored, deleted = rollback_batch(batch=batch, user=request.user)
        except RollbackRefused as refusal:
            messages.error(request, str(refusal))
        else:
            done = "恢复%d个项目，删除%d个新增项目"
            if batch.kind in REGISTRIES:
                done = "恢复%d条记录，删除%d条新增记录"
            messages.success(request, "已撤销该批导入：%s。" % (done % (restored, deleted)))
        return redirect("admin:projects_importbatch_change", pk)


# Last, once every app's admin is registered: each registry's admin gets its import screens
# and its export in the import's format (projects/registry_admin.py).
registry_admin.install(admin.site)
