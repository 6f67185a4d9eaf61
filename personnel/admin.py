from django.contrib import admin
from django.db.models import Count

from counties.admin import AuditedAdmin, ScopedAdmin
from counties.admin_filters import DropdownFilter
from counties.exports import RegistryExport

from .forms import CadreAdminForm
from .models import Batch, Cadre, ExchangePosting


@admin.register(Batch)
class BatchAdmin(RegistryExport, AuditedAdmin):
    list_display = ["__str__", "number", "start_year", "end_year", "cadre_count"]
    search_fields = ["number"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(cadre_count=Count("cadres"))

    @admin.display(description="人数", ordering="cadre_count")
    def cadre_count(self, obj):
        return obj.cadre_count


@admin.register(Cadre)
class CadreAdmin(RegistryExport, ScopedAdmin):
    scope_prefecture = "prefecture"
    form = CadreAdminForm

    list_display = [
        "name",
        "gender",
        "kind",
        "batch",
        "county",
        "prefecture",
        "post",
        "term_start",
        "term_end",
        "team",
    ]
    list_filter = [
        "batch",
        "kind",
        "team",
        "gender",
        ("county__prefecture", DropdownFilter),
        ("county", DropdownFilter),
        ("prefecture", DropdownFilter),
    ]
    list_select_related = ["batch", "county", "prefecture"]
    search_fields = ["name", "sending_unit", "post", "county__name", "prefecture__name"]
    autocomplete_fields = [
        "county",
        "prefecture",
        "batch",
        "sending_institution",
        "serving_institution",
    ]
    date_hierarchy = "term_start"
    fieldsets = [
        (None, {"fields": ["name", "gender", "kind", "batch", "team"]}),
        ("派出与挂职", {"fields": ["sending_unit", "post", "posted_to", "county", "prefecture"]}),
        ("机构", {"fields": ["sending_institution", "serving_institution", "role"]}),
        ("任期", {"fields": ["term_start", "term_end"]}),
    ]


@admin.register(ExchangePosting)
class ExchangePostingAdmin(RegistryExport, ScopedAdmin):
    list_display = [
        "name",
        "direction",
        "county",
        "district",
        "host_unit",
        "start_date",
        "end_date",
    ]
    list_filter = [
        "direction",
        ("district", DropdownFilter),
        ("county__prefecture", DropdownFilter),
        ("county", DropdownFilter),
    ]
    list_select_related = ["county", "district"]
    search_fields = ["name", "home_unit", "host_unit", "county__name"]
    autocomplete_fields = ["county", "district"]
