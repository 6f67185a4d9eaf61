from django.contrib import admin

from counties.admin import ScopedAdmin
from counties.admin_filters import DropdownFilter
from counties.exports import RegistryExport
from counties.scopes import scope_of
from documents.admin import DocumentInline

from .models import Institution, InstitutionPairing, institutions_seen, pairings_seen


@admin.register(Institution)
class InstitutionAdmin(RegistryExport, ScopedAdmin):
    """Shanghai institutions are every scope's (any 录入员 may add the partner of a pairing
    of theirs); Yunnan ones are their county's or prefecture's."""

    list_display = ["name", "kind", "side", "place", "credit_code"]
    list_filter = [
        "kind",
        "side",
        ("district", DropdownFilter),
        ("county__prefecture", DropdownFilter),
        ("county", DropdownFilter),
    ]
    list_select_related = ["district", "prefecture", "county"]
    search_fields = ["name", "credit_code", "district__name", "prefecture__name", "county__name"]
    autocomplete_fields = ["district", "prefecture", "county"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "credit_code"]}),
        (
            "所在地",
            {
                "fields": ["side", "district", "prefecture", "county"],
                "description": "上海的机构填所在区（市级机构不填）；云南的机构填所在县市区，"
                "州市一级的机构改填所在州市。",
            },
        ),
    ]

    def scope(self, request):
        return institutions_seen(scope_of(request.user))

    @admin.display(description="所在地")
    def place(self, obj):
        return obj.place or "上海市级"


@admin.register(InstitutionPairing)
class InstitutionPairingAdmin(RegistryExport, ScopedAdmin):
    inlines = [DocumentInline]
    list_display = ["helper", "kind", "counterpart", "from_year", "to_year", "committed", "basis"]
    list_filter = ["kind", "from_year", "basis", ("helper__district", DropdownFilter)]
    list_select_related = [
        "helper",
        "partner",
        "partner_village__county",
        "partner_county",
        "partner_prefecture",
    ]
    search_fields = [
        "helper__name",
        "partner__name",
        "partner_village__name",
        "partner_county__name",
        "partner_prefecture__name",
    ]
    autocomplete_fields = [
        "helper",
        "partner",
        "partner_village",
        "partner_county",
        "partner_prefecture",
    ]
    fieldsets = [
        (None, {"fields": ["kind", "helper"]}),
        (
            "结对对象",
            {
                "fields": ["partner", "partner_village", "partner_county", "partner_prefecture"],
                "description": "填且只填一项：组团式帮扶填云南的医院或学校，村企结对填村，"
                "163百万公益行动填州市或县市区。",
            },
        ),
        ("期限与承诺", {"fields": ["from_year", "to_year", "committed"]}),
        ("依据", {"fields": ["basis", "source"]}),
    ]

    def scope(self, request):
        return pairings_seen(scope_of(request.user))

    @admin.display(description="结对对象")
    def counterpart(self, obj):
        return obj.counterpart
