from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .admin_filters import DropdownFilter
from .audit import audit_value
from .exports import RegistryExport
from .models import (
    AuditEntry,
    County,
    FormerDivision,
    Pairing,
    Prefecture,
    ShanghaiDistrict,
    Village,
    audit_place,
)
from .pickers import OwnCountyFirst
from .scopes import scope_of


def snapshot(obj):
    """Every field of a record, many-to-many ones included, as the audit trail stores them
    (counties/audit.py)."""
    values = {}
    for field in obj._meta.concrete_fields:
        # The entry has its own time; a record's timestamps would only repeat it.
        if not (
            field.primary_key
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            values[field.name] = audit_value(getattr(obj, field.name))
    if obj.pk:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(str(item) for item in getattr(obj, field.name).all())
    return values


def record(request, obj, action, before, after):
    """Writes one audit entry for an admin edit, with the fields that differ."""
    before, after = before or {}, after or {}
    names = [name for name in after or before if before.get(name) != after.get(name)]
    if action == AuditEntry.Action.CHANGE and not names:
        return
    county_id, prefecture_id = audit_place(obj)
    AuditEntry.objects.create(
        user=request.user,
        channel=AuditEntry.Channel.ADMIN,
        action=action,
        county_id=county_id,
        prefecture_id=prefecture_id,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes={name: [before.get(name), after.get(name)] for name in names},
    )


def link_models():
    """The models Django makes for many-to-many fields: each row only links two records."""
    return [
        field.remote_field.through
        for model in apps.get_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]


def without_links(items, prefixes):
    """A delete page's nested list of records without the lines starting with `prefixes`."""
    kept = []
    for item in items:
        if isinstance(item, list):
            item = without_links(item, prefixes)
            if item:
                kept.append(item)
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return kept


class DeletionSummary:
    """The delete pages list what a deletion removes, without the rows that only link two
    records (a role's permissions, a project's cadres): Django lists each, as
    "Group-permission关系: Group_permissions object (150)", and the records linked stay."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = [model._meta for model in link_models()]
        prefixes = tuple("%s: " % capfirst(opts.verbose_name) for opts in links)
        plurals = {str(opts.verbose_name_plural) for opts in links}
        counts = {name: count for name, count in counts.items() if str(name) not in plurals}
        return without_links(deleted, prefixes), counts, perms_needed, protected


class AuditedAdmin(DeletionSummary, admin.ModelAdmin):
    """Records every create, change and delete made on this screen and its inlines, with each
    field's value before and after; the record's 历史 page shows them."""

    object_history_template = "admin/audited_history.html"

    def save_model(self, request, obj, form, change):
        if change:
            old = type(obj)._default_manager.get(pk=obj.pk)
            request.audit_before = snapshot(old)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields and inlines are saved here, after the record itself.
        super().save_related(request, form, formsets, change)
        before = getattr(request, "audit_before", None) if change else None
        action = AuditEntry.Action.CHANGE if change else AuditEntry.Action.CREATE
        record(request, form.instance, action, before, snapshot(form.instance))

    def save_formset(self, request, form, formset, change):
        model = formset.model
        before = {
            f.instance.pk: snapshot(model._default_manager.get(pk=f.instance.pk))
            for f in formset.initial_forms
            if f.instance.pk and f.has_changed()
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record(request, obj, AuditEntry.Action.CREATE, None, snapshot(obj))
        for obj, _ in formset.changed_objects:
            record(request, obj, AuditEntry.Action.CHANGE, before.get(obj.pk), snapshot(obj))
        for obj in formset.deleted_objects:
            record(request, obj, AuditEntry.Action.DELETE, before.get(obj.pk), None)

    def delete_model(self, request, obj):
        before, pk = snapshot(obj), obj.pk
        super().delete_model(request, obj)
        obj.pk = pk
        record(request, obj, AuditEntry.Action.DELETE, before, None)

    def delete_queryset(self, request, queryset):
        doomed = [(obj, snapshot(obj)) for obj in queryset]
        super().delete_queryset(request, queryset)
        for obj, before in doomed:
            record(request, obj, AuditEntry.Action.DELETE, before, None)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        entries = AuditEntry.objects.for_object(obj) if obj else AuditEntry.objects.none()
        extra_context = {**(extra_context or {}), "audit_entries": entries}
        return super().history_view(request, object_id, extra_context)


class NarrowedChoices:
    """Foreign-key and many-to-many choices hold only records inside the user's scope,
    whenever the related model's own admin is scoped (ScopedAdmin.scope)."""

    def narrowed(self, db_field, request, kwargs):
        related = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related, ScopedAdmin) and "queryset" not in kwargs:
            manager = db_field.related_model._default_manager
            kwargs["queryset"] = manager.filter(related.scope(request))
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self.narrowed(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = self.narrowed(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ForbiddenOutside:
    """A record that exists but lies outside the admin's queryset (the user's scope) answers
    403 by its URL, rather than the admin's "no such record" redirect."""

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


class ScopedAdmin(ForbiddenOutside, NarrowedChoices, AuditedAdmin):
    """An admin that shows and accepts only records inside the user's scope (counties.scopes).

    Lists, autocompletes and foreign-key choices are narrowed; another scope's record
    reached by its URL answers 403.
    """

    scope_county = "county"
    scope_prefecture = None

    def scope(self, request):
        return scope_of(request.user).q(self.scope_county, self.scope_prefecture)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(self.scope(request))


class ScopedInline(NarrowedChoices, admin.TabularInline):
    """An inline whose foreign-key choices are narrowed like its screen's."""


@admin.register(Prefecture)
class PrefectureAdmin(RegistryExport, ScopedAdmin):
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
class CountyAdmin(RegistryExport, ScopedAdmin):
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
        ("prefecture", DropdownFilter),
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
class ShanghaiDistrictAdmin(RegistryExport, AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Pairing)
class PairingAdmin(RegistryExport, AuditedAdmin):
    list_display = ["district", "prefecture", "county", "from_year", "to_year", "basis"]
    list_filter = [
        ("district", DropdownFilter),
        ("prefecture", DropdownFilter),
        "basis",
        "from_year",
    ]
    list_select_related = ["district", "prefecture", "county"]
    search_fields = ["district__name", "prefecture__name", "county__name", "county__code"]
    autocomplete_fields = ["district", "prefecture", "county"]


@admin.register(FormerDivision)
class FormerDivisionAdmin(RegistryExport, AuditedAdmin):
    """Reference data from the division history; only superusers change it."""

    list_display = ["code", "name", "level", "in_use_from", "in_use_until", "current_codes"]
    list_filter = ["level"]
    search_fields = ["code", "name", "current_codes"]

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(Village)
class VillageAdmin(OwnCountyFirst, RegistryExport, ScopedAdmin):
    list_display = ["name", "township", "county", "is_revitalization_demo", "is_border_xiaokang"]
    list_filter = [
        ("county__prefecture", DropdownFilter),
        ("county", DropdownFilter),
        "is_revitalization_demo",
        "is_border_xiaokang",
    ]
    list_select_related = ["county"]
    search_fields = ["name", "township", "county__name"]
    autocomplete_fields = ["county"]


def empty_shown(value):
    return "（空）" if value is None else value


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail, read only: what was created, changed or deleted, by whom and how."""

    list_display = ["at", "user", "channel", "action", "content_type", "object_repr"]
    list_filter = ["channel", "action", ("content_type", DropdownFilter), "at"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "object_id", "user__username"]
    date_hierarchy = "at"
    # The changes as the record's 历史 page shows them, not the stored JSON (field names).
    fields = [
        "at",
        "user",
        "channel",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "changes_shown",
        "import_batch_id",
        "county",
        "prefecture",
    ]

    @admin.display(description="变更（修改前 → 修改后）")
    def changes_shown(self, obj):
        rows = (
            (label, empty_shown(before), empty_shown(after))
            for label, before, after in obj.changed_fields()
        )
        return format_html_join("\n", "<div>{}：{} → {}</div>", rows)

    def get_queryset(self, request):
        # Entries of records inside the scope only, by the place written with each entry;
        # user administration to superusers only.
        return super().get_queryset(request).visible_to(scope_of(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """The task queue's records (django-tasks' own screen, read only), for superusers' checks
    on the background work. Its model's labels are translated in locale/; the labels its
    admin writes in English are here, and a record shows what says something to a person
    (its task, state, times and error), not its arguments, paths and ids."""

    shown_fields = [
        "task_shown",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "display_run_after",
        "priority",
        "queue_name",
        "formatted_traceback",
    ]
    list_display = [
        "task_shown",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    ]

    def get_readonly_fields(self, request, obj=None):
        return self.shown_fields

    def get_fields(self, request, obj=None):
        return self.shown_fields

    def named(self, request, object_id):
        """The record as its pages name it: its own name is "DBTaskResult object (…)"."""
        obj = self.get_object(request, object_id)
        return "%s（%s）" % (obj.task_name, obj.get_status_display()) if obj else None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {"subtitle": self.named(request, object_id), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        name = self.named(request, object_id)
        extra_context = {
            "title": "变更历史：%s" % name,
            "record_name": name,
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context)

    @admin.display(description="任务")
    def task_shown(self, obj):
        return obj.task_name

    @admin.display(description="错误详情")
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description="最早执行时间")
    def display_run_after(self, obj):
        return super().display_run_after(obj)


def view_on_site(request, content_type_id, object_id):
    """The admin's 在前台查看 shortcut (/admin/r/…), behind the same check as the record's
    admin page: its model admin's permission and scoped queryset. Anything else is a 404, so
    the redirect names no record outside the user's scope."""
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404("没有这条记录，或它不在您的数据范围内。")
    try:
        visible = model_admin.get_queryset(request).filter(pk=object_id).exists()
    except (ValueError, ValidationError):
        visible = False
    if not visible:
        raise Http404("没有这条记录，或它不在您的数据范围内。")
    return shortcut(request, content_type_id, object_id)
