from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from import_export.admin import ImportMixin

from counties.admin import AuditedAdmin, ScopedAdmin, ScopedInline
from counties.exports import RegistryExport
from counties.scopes import scope_of

from .forms import ProjectAdminForm, ReportConfirmForm, ReportImportForm
from .importers import RollbackRefused, rollback_batch
from .importers.refusals import UNLISTED
from .models import (
    Fund,
    FundAllocation,
    HeaderAlias,
    ImportBatch,
    IndustrialPark,
    Project,
    plain,
)
from .resources import (
    ReportCSV,
    ReportODS,
    ReportXLS,
    ReportXLSX,
    UploadStorage,
    YearlyReportResource,
    bad_rows_path,
    errors_path,
)


class ReportImportMixin(ImportMixin):
    """A yearly report's import on import-export's upload → preview → confirm screens, with
    our engine (the resource's `run`, see projects/resources.py), the blank templates and the
    downloads of a refused file's rows and of its full list of errors."""

    # Errors listed in the message of an import refused at the confirm step.
    CONFIRM_ERRORS_SHOWN = 10

    formats = [ReportCSV, ReportXLSX, ReportXLS, ReportODS]
    skip_admin_log = True  # every import is recorded as an ImportBatch instead
    # Size and content are checked on upload; the confirm step reads only our own temp file.
    import_form_class = ReportImportForm
    confirm_form_class = ReportConfirmForm
    tmp_storage_class = UploadStorage

    def report(self):
        return self.resource_classes[0]()

    def url_name(self, name):
        return "%s_%s_%s" % (*self.get_model_info(), name)

    def get_urls(self):
        extra = [
            path(
                "import/template.<str:fmt>",
                self.admin_site.admin_view(self.template_view),
                name=self.url_name("import_template"),
            ),
            path(
                "import/bad-rows/<str:token>.csv",
                self.admin_site.admin_view(self.bad_rows_view),
                name=self.url_name("import_bad_rows"),
            ),
            path(
                "import/errors/<str:token>.txt",
                self.admin_site.admin_view(self.errors_view),
                name=self.url_name("import_errors"),
            ),
        ]
        return extra + super().get_urls()

    def template_view(self, request, fmt):
        """The blank report template, as XLSX (with a sheet of rules) or CSV."""
        report = self.report()
        name = "%s模板.%s" % (report.get_display_name(), fmt)
        if fmt == "xlsx":
            return FileResponse(report.template_xlsx(), as_attachment=True, filename=name)
        if fmt == "csv":
            response = HttpResponse(report.template_csv(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
        raise Http404

    def bad_rows_view(self, request, token):
        """The rows of a refused upload, each with its errors, for the sender to fix."""
        return self.refusal_file(request, bad_rows_path(token), "需修改的行.csv")

    def errors_view(self, request, token):
        """Every error of a refused upload, when there were more than the page lists."""
        return self.refusal_file(request, errors_path(token), "全部错误.txt")

    def refusal_file(self, request, path, filename):
        if not self.has_import_permission(request) or path is None:
            raise Http404
        try:
            file = open(path, "rb")  # noqa: SIM115 closed by the response
        except FileNotFoundError:  # never made, or swept (resources.sweep)
            raise Http404 from None
        return FileResponse(file, as_attachment=True, filename=filename)

    def add_success_message(self, result, request):
        file = result.file
        batch_url = reverse("admin:projects_importbatch_change", args=[file.batch.pk])
        messages.success(
            request,
            format_html(
                '导入完成：{}行，新增{}，更新{}，未变{}。<a href="{}">查看导入批次</a>',
                file.rows,
                file.created,
                file.updated,
                file.unchanged,
                batch_url,
            ),
        )

    def get_import_data_kwargs(self, **kwargs):
        """The preview's checkboxes, carried to the confirm step in its hidden fields."""
        form = kwargs.pop("form", None)
        data = getattr(form, "cleaned_data", None) or {}
        for name in ("allow_moves", "allow_large_amounts"):
            kwargs[name] = bool(data.get(name))
        return kwargs

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            for name in ("allow_moves", "allow_large_amounts"):
                initial[name] = bool(import_form.cleaned_data.get(name))
        return initial

    def write_to_tmp_storage(self, import_file, input_format):
        storage = UploadStorage(read_mode="rb")
        storage.save_chunks(import_file.chunks(), import_file.name)
        return storage

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        # Only an upload that can be confirmed is kept; a refused one goes at once.
        context = getattr(response, "context_data", None) or {}
        upload = getattr(context.get("form"), "cleaned_data", {}).get("import_file")
        name = getattr(upload, "tmp_storage_name", None)
        if name and not context.get("confirm_form"):
            UploadStorage(name=name).remove()
        return response

    def process_import(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            confirm = self.create_confirm_form(request)
            if not confirm.is_valid():
                # A second click on 确认导入, or a form not made by the preview.
                problems = confirm.errors.get("import_file_name") or ["确认信息不完整"]
                messages.error(request, "未导入：%s" % "；".join(problems))
                return HttpResponseRedirect(reverse("admin:" + self.url_name("import")))
        return super().process_import(request, **kwargs)

    def process_result(self, result, request):
        if result.has_errors():
            # Passed at the preview, refused now: the database changed in between.
            failure, limit = result.failure, self.CONFIRM_ERRORS_SHOWN
            shown = failure.errors[:limit]
            if failure.count > len(shown):
                shown.append(UNLISTED % (failure.count - len(shown)))
            messages.error(request, "导入失败，未写入任何数据：%s" % "；".join(shown))
            return HttpResponseRedirect(reverse("admin:" + self.url_name("import")))
        return super().process_result(result, request)


class AllocationInline(ScopedInline):
    model = FundAllocation
    extra = 2
    autocomplete_fields = ["fund"]
    verbose_name = "资金分配"
    verbose_name_plural = "资金分配（每笔资金的分配合计不能超过该资金金额）"

    def get_queryset(self, request):
        # Allocations of funds outside the user's scope are neither shown nor touched.
        return super().get_queryset(request).visible_to(scope_of(request.user))


@admin.register(Project)
class ProjectAdmin(ReportImportMixin, RegistryExport, ScopedAdmin):
    list_display = [
        "code",
        "name",
        "county",
        "year",
        "category",
        "status",
        "funds",
        "updated_at",
    ]
    list_filter = ["year", "category", "status", "county__prefecture", "county"]
    list_select_related = ["county"]
    search_fields = ["code", "name", "county__name"]
    autocomplete_fields = ["county", "village", "park", "cadres"]
    inlines = [AllocationInline]
    readonly_fields = ["created_at", "updated_at", "import_batch"]
    fieldsets = [
        (None, {"fields": ["code", "name", "category", "year", "status"]}),
        ("地点", {"fields": ["county", "village", "park"]}),
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

    resource_classes = [YearlyReportResource]
    import_template_name = "admin/projects/project/import.html"
    # Both buttons, 导入 and 导出 (ImportMixin's template has only the first).
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"


@admin.register(Fund)
class FundAdmin(RegistryExport, ScopedAdmin):
    list_display = ["__str__", "source", "year", "county", "amount", "allocated", "remaining"]
    list_filter = ["source", "year", "county__prefecture", "county"]
    list_select_related = ["county"]
    search_fields = ["county__name", "county__code", "donor", "document"]
    autocomplete_fields = ["county"]

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
    list_filter = ["fund__source", "fund__year", "fund__county__prefecture"]
    list_select_related = ["fund__county", "project"]
    search_fields = ["project__code", "project__name", "fund__county__name", "fund__donor"]
    autocomplete_fields = ["fund", "project"]


@admin.register(IndustrialPark)
class IndustrialParkAdmin(RegistryExport, ScopedAdmin):
    list_display = [
        "name",
        "county",
        "partner_district",
        "partner_name",
        "year_founded",
        "enterprises",
        "investment",
        "jobs",
        "is_demonstration",
    ]
    list_filter = ["is_demonstration", "year_founded", "county__prefecture", "partner_district"]
    list_select_related = ["county", "partner_district"]
    search_fields = ["name", "county__name", "partner_name"]
    autocomplete_fields = ["county", "partner_district"]
    fieldsets = [
        (None, {"fields": ["name", "county", "year_founded", "is_demonstration"]}),
        ("上海合作方", {"fields": ["partner_district", "partner_name"]}),
        ("成效", {"fields": ["enterprises", "investment", "jobs", "description"]}),
    ]


@admin.register(HeaderAlias)
class HeaderAliasAdmin(AuditedAdmin):
    """Headers a report import reads as one of its columns, taught by staff."""

    list_display = ["header", "column", "report", "note"]
    list_filter = ["report", "column"]
    fields = ["report", "column", "header", "note"]
    search_fields = ["header", "note"]


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
        return super().get_queryset(request).visible_to(request.user)

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

    def may_roll_back(self, request):
        """Undoing an import is for administrators (the 系统管理员 role may delete projects)."""
        return request.user.has_perm("projects.delete_project")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "may_roll_back": self.may_roll_back(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def rollback_view(self, request, pk):
        if request.method != "POST" or not self.may_roll_back(request):
            raise PermissionDenied
        batch = get_object_or_404(self.get_queryset(request), pk=pk)
        try:
            restored, deleted = rollback_batch(batch=batch, user=request.user)
        except RollbackRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, "已撤销该批导入：恢复%d个项目，删除%d个新增项目。" % (restored, deleted)
            )
        return redirect("admin:projects_importbatch_change", pk)
