from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count

from .models import County, Pairing, Prefecture, Scope, ShanghaiDistrict, Village, scope_filter


class ScopedAdmin(admin.ModelAdmin):
    """An admin that shows and accepts only records inside the user's scope (scope_filter).

    Lists, autocompletes and foreign-key choices are narrowed; another scope's record
    reached by its URL answers 403.
    """

    scope_county = "county"
    scope_prefecture = None

    def scope(self, request):
        return scope_filter(request.user, self.scope_county, self.scope_prefecture)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(self.scope(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            field = self.model._meta.get_field(from_field) if from_field else self.model._meta.pk
            try:
                key = field.to_python(object_id)
            except ValidationError:
                return None
            if self.model._default_manager.filter(**{field.attname: key}).exists():
                raise PermissionDenied
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related, ScopedAdmin) and "queryset" not in kwargs:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(
                related.scope(request)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related, ScopedAdmin) and "queryset" not in kwargs:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(
                related.scope(request)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopeInline(admin.StackedInline):
    model = Scope
    can_delete = False
    filter_horizontal = ["prefectures", "counties", "districts"]
    verbose_name_plural = "数据范围（可查看和处理的地区）"


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class HujinUserAdmin(UserAdmin):
    """Users with their roles (groups) and their scope on one screen."""

    inlines = [ScopeInline]


@admin.register(Prefecture)
class PrefectureAdmin(ScopedAdmin):
    scope_county = None
    scope_prefecture = "pk"
    list_display = ["code", "name", "division_type", "county_count"]
    list_filter = ["division_type"]
    search_fields = ["code", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(county_count=Count("counties"))

    @admin.display(description="县市区数", ordering="county_count")
    def county_count(self, obj):
        return obj.county_count


@admin.register(County)
class CountyAdmin(ScopedAdmin):
    scope_county = "pk"

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
class VillageAdmin(ScopedAdmin):
    list_display = ["name", "township", "county", "is_revitalization_demo", "is_border_xiaokang"]
    list_filter = ["county__prefecture", "is_revitalization_demo", "is_border_xiaokang"]
    list_select_related = ["county"]
    search_fields = ["name", "township", "county__name"]
    autocomplete_fields = ["county"]
