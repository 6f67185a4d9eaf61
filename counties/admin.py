from django.contrib import admin
from django.db.models import Count

from .models import County, Pairing, Prefecture, ShanghaiDistrict, Village


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "county_count"]
    list_filter = ["division_type"]
    search_fields = ["code", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(county_count=Count("counties"))

    @admin.display(description="县市区数", ordering="county_count")
    def county_count(self, obj):
        return obj.county_count


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "prefecture",
        "division_type",
        "is_former_poverty",
        "poverty_exit_year",
        "is_key_assistance",
        "is_border",
    ]
    list_filter = [
        "prefecture",
        "division_type",
        "is_former_poverty",
        "poverty_exit_year",
        "is_key_assistance",
        "is_border",
    ]
    list_select_related = ["prefecture"]
    search_fields = ["code", "name", "prefecture__name"]
    autocomplete_fields = ["prefecture"]
    fieldsets = [
        (None, {"fields": ["code", "name", "prefecture", "division_type"]}),
        (
            "帮扶属性",
            {
                "fields": [
                    "is_former_poverty",
                    "poverty_exit_year",
                    "is_key_assistance",
                    "is_border",
                ]
            },
        ),
    ]


@admin.register(ShanghaiDistrict)
class ShanghaiDistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["district", "prefecture", "county", "from_year", "to_year", "basis"]
    list_filter = ["district", "prefecture", "basis", "from_year"]
    list_select_related = ["district", "prefecture", "county"]
    search_fields = ["district__name", "prefecture__name", "county__name", "county__code"]
    autocomplete_fields = ["district", "prefecture", "county"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "township", "county", "is_revitalization_demo", "is_border_xiaokang"]
    list_filter = ["county__prefecture", "is_revitalization_demo", "is_border_xiaokang"]
    list_select_related = ["county"]
    search_fields = ["name", "township", "county__name"]
    autocomplete_fields = ["county"]
