"""Administering users is itself scoped: who may manage which users, grant which roles and
which places, and the audit trail of it all.

Superusers manage everyone. Any other administrator manages only what it could have granted:
users who are not superusers, hold no role that administers users, and whose 数据范围 lies
wholly inside its own; it grants only such roles and places, and never changes its own roles,
permissions, scope or flags. Role definitions (groups) are for superusers only.

This module holds the user, scope and group admin; counties/admin.py imports it after the
audit helpers it builds on.
"""

from types import SimpleNamespace

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.functional import cached_property

from . import accounts
from .admin import AuditedAdmin, DeletionSummary, ForbiddenOutside, record, snapshot
from .models import AuditEntry, County, Prefecture, Scope, ShanghaiDistrict
from .scopes import scope_of

User = get_user_model()

ROLE_REFUSAL = "只有超级用户才能授予“%(names)s”角色。"
PLACE_REFUSALS = {
    "prefectures": "州市“%(names)s”不在您的数据范围内，不能授予。",
    "counties": "县市区“%(names)s”不在您的数据范围内，不能授予。",
    "districts": "上海结对区“%(names)s”当年结对的县市区不全在您的数据范围内，不能授予。",
}


def administering_roles():
    """Roles holding any permission on users, groups or permissions (系统管理员 holds every
    permission): only superusers grant them or manage the users who hold them."""
    return Group.objects.filter(permissions__content_type__app_label="auth")


def paired_county_ids(district):
    """The ids of the counties a Shanghai district is paired with this year, as a subquery."""
    # Scope.county_ids is the one rule for this. It reads its places through querysets, so a
    # stand-in holding just this district asks it without saving a scope.
    draft = SimpleNamespace(
        everywhere=False,
        prefectures=Prefecture.objects.none(),
        counties=County.objects.none(),
        districts=ShanghaiDistrict.objects.filter(pk=district.pk),
    )
    return Scope.county_ids(draft)


class Grants:
    """What a staff user may hand out on the user screens, read from its own scope
    (counties.scopes): the places inside it, and the roles that do not administer users (all
    of them for superusers). The users it manages are those it could have set up itself."""

    def __init__(self, user):
        self.user = user
        scope = scope_of(user)
        self.everywhere = scope.everywhere
        self.counties = County.objects.visible_to(scope)
        # Whole prefectures, as the scope opens a prefecture's own rows (cadres posted to
        # it): holding all its counties one by one does not open those.
        self.prefectures = Prefecture.objects.visible_to(scope)
        if user.is_superuser:
            self.roles = Group.objects.all()
        else:
            self.roles = Group.objects.exclude(pk__in=administering_roles().values("pk"))

    @cached_property
    def districts(self):
        """Districts all of whose counties this year lie inside the scope; one query each."""
        if self.everywhere:
            return ShanghaiDistrict.objects.all()
        inside = [
            district.pk
            for district in ShanghaiDistrict.objects.all()
            if not County.objects.filter(pk__in=paired_county_ids(district))
            .exclude(pk__in=self.counties)
            .exists()
        ]
        return ShanghaiDistrict.objects.filter(pk__in=inside)

    def manageable(self, users):
        """The users among `users` this one may administer, itself included."""
        if self.user.is_superuser:
            return users
        administrators = User.objects.filter(
            Q(groups__in=administering_roles())
            | Q(user_permissions__content_type__app_label="auth")
        )
        outside = Q(is_superuser=True) | Q(pk__in=administrators.values("pk"))
        if not self.everywhere:
            # A user without a scope sees nothing, which lies inside any scope.
            wider = Scope.objects.filter(
                Q(everywhere=True)
                | Q(prefectures__in=Prefecture.objects.exclude(pk__in=self.prefectures))
                | Q(counties__in=County.objects.exclude(pk__in=self.counties))
                | Q(districts__in=ShanghaiDistrict.objects.exclude(pk__in=self.districts))
            )
            outside |= Q(pk__in=wider.values("user"))
        return users.filter(~outside | Q(pk=self.user.pk))


def grants(request):
    """The request user's Grants, read once per request."""
    if not hasattr(request, "user_grants"):
        request.user_grants = Grants(request.user)
    return request.user_grants


def edits_itself(request, user):
    """A non-superuser on its own page: it may change its name, email and password only."""
    return not request.user.is_superuser and user is not None and user.pk == request.user.pk


class Grantable(forms.ModelMultipleChoiceField):
    """Offers only what the administrator may grant, and refuses anything else by name
    (the stock message would give a bare id)."""

    def __init__(self, *args, refusal, **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = refusal

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:
            if getattr(error, "code", None) != "invalid_choice":
                raise
            refused = self.queryset.model._default_manager.filter(pk__in=value).exclude(
                pk__in=self.queryset.values("pk")
            )
            if not refused:
                raise
            names = "、".join(str(obj) for obj in refused)
            raise ValidationError(self.refusal, code="refused", params={"names": names}) from None


def user_snapshot(user):
    """A user as the audit trail stores it: its fields, roles and scope, and only whether it
    has a password (never the hash)."""
    values = snapshot(user)
    del values["last_login"]  # logging in is not an edit
    values["password"] = "已设置" if user.has_usable_password() else "未设置"
    scope = Scope.objects.filter(user=user).first() if user.pk else None
    label = Scope._meta.verbose_name
    values["%s-%s" % (label, Scope._meta.get_field("everywhere").verbose_name)] = bool(
        scope and scope.everywhere
    )
    for name in ("prefectures", "counties", "districts"):
        field = Scope._meta.get_field(name)
        places = sorted(str(place) for place in getattr(scope, name).all()) if scope else []
        values["%s-%s" % (label, field.verbose_name)] = places
    return values


class ScopeInline(admin.StackedInline):
    model = Scope
    can_delete = False
    filter_horizontal = ["prefectures", "counties", "districts"]
    verbose_name_plural = "数据范围（可查看和处理的地区）"

    def has_add_permission(self, request, obj):
        return not edits_itself(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not edits_itself(request, obj) and super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if grants(request).everywhere:
            return self.readonly_fields
        return [*self.readonly_fields, "everywhere"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in PLACE_REFUSALS:
            kwargs["form_class"] = Grantable
            kwargs["queryset"] = getattr(grants(request), db_field.name)
            kwargs["refusal"] = PLACE_REFUSALS[db_field.name]
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PasswordForm(AdminPasswordChangeForm):
    """Django's form for setting a user's password, its warning in Chinese: Django appends
    that sentence to the help text in English, outside its translations."""

    usable_password_help_text = (
        "是否允许该用户用密码登录；本系统只有密码登录，停用即不能登录。"
        '<ul id="id_unusable_warning" class="messagelist"><li class="warning">'
        "停用后，该用户现在的密码将失效。</li></ul>"
    )


admin.site.unregister(User)


@admin.register(User)
class HujinUserAdmin(DeletionSummary, ForbiddenOutside, UserAdmin):
    """Users with their roles (groups) and their scope on one screen, each administrator
    seeing only the users it manages (Grants); every edit is an 操作记录 of the user."""

    inlines = [ScopeInline]
    object_history_template = "admin/audited_history.html"
    change_password_form = PasswordForm

    def get_queryset(self, request):
        return grants(request).manageable(super().get_queryset(request))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Permissions granted one by one could exceed what the granter holds.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "user_permissions"]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        if edits_itself(request, obj):
            readonly += ["is_active", "is_staff", "groups"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["form_class"] = Grantable
            kwargs["queryset"] = grants(request).roles
            kwargs["refusal"] = ROLE_REFUSAL
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            request.audit_before = user_snapshot(type(obj)._default_manager.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        if not change:  # the password typed here is the administrator's, not the user's
            accounts.set_by_administrator(obj)

    def save_related(self, request, form, formsets, change):
        # Roles and the scope inline are saved here; the scope goes into the user's entry.
        super().save_related(request, form, formsets, change)
        before = request.audit_before if change else None
        action = AuditEntry.Action.CHANGE if change else AuditEntry.Action.CREATE
        record(request, form.instance, action, before, user_snapshot(form.instance))

    def delete_model(self, request, obj):
        before, pk = user_snapshot(obj), obj.pk
        super().delete_model(request, obj)
        obj.pk = pk
        record(request, obj, AuditEntry.Action.DELETE, before, None)

    def delete_queryset(self, request, queryset):
        doomed = [(obj, user_snapshot(obj)) for obj in queryset]
        super().delete_queryset(request, queryset)
        for obj, before in doomed:
            record(request, obj, AuditEntry.Action.DELETE, before, None)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        before = (user.password, user.has_usable_password()) if user else None
        response = super().user_change_password(request, id, form_url)
        if user is not None and request.method == "POST":
            user.refresh_from_db(fields=["password"])
            if user.password != before[0]:
                if user != request.user:  # to be changed at the user's next login
                    accounts.set_by_administrator(user)
                was = "已设置" if before[1] else "未设置"
                now = "已修改" if user.has_usable_password() else "已停用密码登录"
                record(
                    request, user, AuditEntry.Action.CHANGE, {"password": was}, {"password": now}
                )
        return response

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        entries = AuditEntry.objects.for_object(obj) if obj else AuditEntry.objects.none()
        extra_context = {**(extra_context or {}), "audit_entries": entries}
        return super().history_view(request, object_id, extra_context)


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(AuditedAdmin, GroupAdmin):
    """Roles (groups) and their permissions. Changing a role changes what each of its members
    may do, so only superusers see or edit roles."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
