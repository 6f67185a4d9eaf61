from django.contrib import admin

from .models import Fund, FundAllocation, ImportBatch, IndustrialPark, Project, plain


class AllocationInline(admin.TabularInline):
    model = FundAllocation
    extra = 2
    autocomplete_fields = ["fund"]
    verbose_name = "资金分配"
    verbose_name_plural = "资金分配（每笔资金的分配合计不能超过该资金金额）"


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "county",
        "year",
        "category",
        "status",
        "shanghai_funds",
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


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
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
class FundAllocationAdmin(admin.ModelAdmin):
    list_display = ["fund", "project", "amount"]
    list_filter = ["fund__source", "fund__year", "fund__county__prefecture"]
    list_select_related = ["fund__county", "project"]
    search_fields = ["project__code", "project__name", "fund__county__name", "fund__donor"]
    autocomplete_fields = ["fund", "project"]


@admin.register(IndustrialPark)
class IndustrialParkAdmin(admin.ModelAdmin):
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
    ]
    list_filter = ["kind", "channel", "imported_at"]
    list_select_related = ["user"]
    search_fields = ["file_name", "file_sha256", "user__username"]
    date_hierarchy = "imported_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
