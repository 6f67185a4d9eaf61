"""Administering users is scoped: a 系统管理员 who is not a superuser manages only the users
inside its own scope, grants only places inside it and roles that do not administer users,
never touches its own roles, scope or flags, nor superusers; every edit is an 操作记录."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import AuditEntry, County, Pairing, Prefecture, Scope, ShanghaiDistrict


@pytest.fixture
def places(db):
    puer = Prefecture.objects.create(code="530800", name="普洱市", division_type="地级市")
    chuxiong = Prefecture.objects.create(
        code="532300", name="楚雄彝族自治州", division_type="自治州"
    )
    lancang = County.objects.create(
        code="530828", name="澜沧拉祜族自治县", prefecture=puer, division_type="自治县"
    )
    dayao = County.objects.create(
        code="532326", name="大姚县", prefecture=chuxiong, division_type="县"
    )
    huangpu = ShanghaiDistrict.objects.create(code="310101", name="黄浦区")
    xuhui = ShanghaiDistrict.objects.create(code="310104", name="徐汇区")
    Pairing.objects.create(district=huangpu, county=lancang, from_year=2017)
    Pairing.objects.create(district=xuhui, county=dayao, from_year=2017)
    return {
        "puer": puer,
        "lancang": lancang,
        "dayao": dayao,
        "huangpu": huangpu,
        "xuhui": xuhui,
    }


def member(django_user_model, name, role=None, staff=True, **scope):
    user = django_user_model.objects.create_user(name, password="Lancang-2023!", is_staff=staff)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if scope:
        places = {k: scope.pop(k) for k in ("prefectures", "counties", "districts") if k in scope}
        user_scope = Scope.objects.create(user=user, **scope)
        for field, values in places.items():
            getattr(user_scope, field).set(values)
    return user


@pytest.fixture
def cast(django_user_model, places):
    """澜沧's 系统管理员 (not a superuser), the users around it, and a superuser."""
    return {
        "root": django_user_model.objects.create_superuser("root", "", "Root-2023!"),
        "lancang_admin": member(
            django_user_model, "lancang_admin", "系统管理员", counties=[places["lancang"]]
        ),
        "lancang_clerk": member(
            django_user_model, "lancang_clerk", "录入员", counties=[places["lancang"]]
        ),
        "huangpu_clerk": member(
            django_user_model, "huangpu_clerk", "录入员", districts=[places["huangpu"]]
        ),
        "dayao_clerk": member(
            django_user_model, "dayao_clerk", "录入员", counties=[places["dayao"]]
        ),
        "newcomer": member(django_user_model, "newcomer", staff=False),
        "province_admin": member(
            django_user_model, "province_admin", "系统管理员", everywhere=True
        ),
    }


@pytest.fixture
def lancang_admin(client, cast):
    client.force_login(cast["lancang_admin"])
    return client


@pytest.fixture
def province_admin(client, cast):
    client.force_login(cast["province_admin"])
    return client


@pytest.fixture
def root(client, cast):
    client.force_login(cast["root"])
    return client


def url(view, user):
    return reverse("admin:auth_user_%s" % view, args=[user.pk])


def form(user, changes=None):
    """The user's change form as the admin posts it, scope inline (prefix `scope`) included;
    True is a ticked box, False an unticked one."""
    scope = Scope.objects.filter(user=user).first()
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": [group.pk for group in user.groups.all()],
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "scope-TOTAL_FORMS": "1",
        "scope-INITIAL_FORMS": "1" if scope else "0",
        "scope-MIN_NUM_FORMS": "0",
        "scope-MAX_NUM_FORMS": "1",
        "scope-0-id": scope.pk if scope else "",
        "scope-0-user": user.pk,
        "scope-0-everywhere": bool(scope and scope.everywhere),
    }
    for name in ("prefectures", "counties", "districts"):
        data["scope-0-%s" % name] = [p.pk for p in getattr(scope, name).all()] if scope else []
    data.update(changes or {})
    return {k: "on" if v is True else v for k, v in data.items() if v is not False}


def role(name):
    return Group.objects.get(name=name).pk


def scope_of(user):
    scope = Scope.objects.get(user=user)
    return (
        scope.everywhere,
        sorted(c.name for c in scope.counties.all()),
        sorted(p.name for p in scope.prefectures.all()),
        sorted(d.name for d in scope.districts.all()),
    )


def listed(client):
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    return sorted(user.username for user in response.context["cl"].result_list)


def user_entries(user):
    return list(AuditEntry.objects.for_object(user).order_by("pk"))


def test_a_county_administrator_cannot_make_itself_superuser(lancang_admin, cast):
    me = cast["lancang_admin"]

    page = lancang_admin.get(url("change", me))
    response = lancang_admin.post(
        url("change", me), form(me, {"is_superuser": True, "first_name": "伟"})
    )

    assertNotContains(page, 'name="is_superuser"')
    assert response.status_code == 302
    me.refresh_from_db()
    assert (me.first_name, me.is_superuser) == ("伟", False)


def test_a_county_administrator_cannot_widen_its_own_scope_to_the_province(
    lancang_admin, cast, places
):
    me = cast["lancang_admin"]
    changes = {"scope-0-everywhere": True, "scope-0-counties": [places["dayao"].pk]}

    page = lancang_admin.get(url("change", me))
    lancang_admin.post(url("change", me), form(me, changes))

    assertNotContains(page, 'name="scope-0-everywhere"')
    assertNotContains(page, 'name="scope-0-counties"')
    assert scope_of(me) == (False, ["澜沧拉祜族自治县"], [], [])


def test_a_county_administrator_cannot_change_its_own_roles_or_flags(lancang_admin, cast):
    me = cast["lancang_admin"]
    changes = {"groups": [role("系统管理员"), role("录入员"), role("导入员")], "is_staff": False}

    lancang_admin.post(url("change", me), form(me, changes))

    me.refresh_from_db()
    assert [group.name for group in me.groups.all()] == ["系统管理员"]
    assert me.is_staff


def test_a_county_administrator_changes_its_own_name_and_password(lancang_admin, cast):
    me = cast["lancang_admin"]

    lancang_admin.post(url("change", me), form(me, {"email": "lancang@example.cn"}))
    response = lancang_admin.post(
        url("password_change", me),
        {"password1": "Pu'er-Tea-2024", "password2": "Pu'er-Tea-2024", "usable_password": "true"},
    )

    assert response.status_code == 302
    me.refresh_from_db()
    assert me.email == "lancang@example.cn"
    assert me.check_password("Pu'er-Tea-2024")


def test_a_county_administrator_cannot_set_the_superusers_password(lancang_admin, cast):
    root = cast["root"]
    password = {"password1": "Taken-Over-1", "password2": "Taken-Over-1", "usable_password": "true"}

    assert lancang_admin.get(url("password_change", root)).status_code == 403
    assert lancang_admin.post(url("password_change", root), password).status_code == 403
    assert lancang_admin.get(url("change", root)).status_code == 403
    root.refresh_from_db()
    assert root.check_password("Root-2023!")


def test_a_county_administrator_lists_only_the_users_inside_its_scope(lancang_admin):
    # 黄浦's clerk works on 澜沧, the county 黄浦 is paired with; the newcomer has no scope yet.
    assert listed(lancang_admin) == ["huangpu_clerk", "lancang_admin", "lancang_clerk", "newcomer"]


@pytest.mark.parametrize("view", ["change", "password_change", "delete", "history"])
@pytest.mark.parametrize("name", ["dayao_clerk", "province_admin", "root"])
def test_a_user_outside_the_scope_is_forbidden_by_url(lancang_admin, cast, view, name):
    assert lancang_admin.get(url(view, cast[name])).status_code == 403


def test_a_user_of_another_county_cannot_be_changed_or_deleted(lancang_admin, cast):
    clerk = cast["dayao_clerk"]

    changed = lancang_admin.post(url("change", clerk), form(clerk, {"email": "x@example.cn"}))
    deleted = lancang_admin.post(url("delete", clerk), {"post": "yes"})

    assert (changed.status_code, deleted.status_code) == (403, 403)
    clerk.refresh_from_db()
    assert clerk.email == ""


def test_another_administrator_of_the_same_county_is_for_superusers_to_manage(
    lancang_admin, django_user_model, places
):
    peer = member(django_user_model, "peer", "系统管理员", counties=[places["lancang"]])

    assert "peer" not in listed(lancang_admin)
    assert lancang_admin.get(url("password_change", peer)).status_code == 403


def test_places_outside_the_scope_cannot_be_granted(lancang_admin, cast, places):
    clerk = cast["lancang_clerk"]
    changes = {
        "scope-0-counties": [places["lancang"].pk, places["dayao"].pk],
        "scope-0-prefectures": [places["puer"].pk],
        "scope-0-districts": [places["xuhui"].pk],
    }

    response = lancang_admin.post(url("change", clerk), form(clerk, changes))

    assertContains(response, "县市区“大姚县”不在您的数据范围内，不能授予。")
    assertContains(response, "州市“普洱市”不在您的数据范围内，不能授予。")
    assertContains(response, "上海结对区“徐汇区”当年结对的县市区不全在您的数据范围内，不能授予。")
    assert scope_of(clerk) == (False, ["澜沧拉祜族自治县"], [], [])


def test_the_province_cannot_be_granted_by_a_county_administrator(lancang_admin, cast):
    clerk = cast["lancang_clerk"]

    page = lancang_admin.get(url("change", clerk))
    lancang_admin.post(url("change", clerk), form(clerk, {"scope-0-everywhere": True}))

    assertNotContains(page, 'name="scope-0-everywhere"')
    assert scope_of(clerk)[0] is False


def test_the_choices_offered_are_inside_the_scope(lancang_admin, cast):
    response = lancang_admin.get(url("change", cast["lancang_clerk"]))

    [scope_form] = response.context["inline_admin_formsets"][0].formset.forms
    fields = scope_form.fields
    assert [c.name for c in fields["counties"].queryset] == ["澜沧拉祜族自治县"]
    assert list(fields["prefectures"].queryset) == []
    assert [d.name for d in fields["districts"].queryset] == ["黄浦区"]
    roles = response.context["adminform"].form.fields["groups"].queryset
    assert sorted(group.name for group in roles) == ["导入员", "录入员", "查看者"]


def test_a_county_administrator_gives_a_new_user_a_scope_inside_its_own(
    lancang_admin, cast, places
):
    newcomer = cast["newcomer"]
    changes = {
        "is_staff": True,
        "groups": [role("查看者")],
        "scope-0-districts": [places["huangpu"].pk],
    }

    response = lancang_admin.post(url("change", newcomer), form(newcomer, changes))

    assert response.status_code == 302
    assert scope_of(newcomer) == (False, [], [], ["黄浦区"])
    assert [group.name for group in newcomer.groups.all()] == ["查看者"]


def test_the_administrator_role_is_granted_by_superusers_only(lancang_admin, cast):
    clerk = cast["lancang_clerk"]
    changes = {"groups": [role("录入员"), role("系统管理员")]}

    response = lancang_admin.post(url("change", clerk), form(clerk, changes))

    assertContains(response, "只有超级用户才能授予“系统管理员”角色。")
    assert [group.name for group in clerk.groups.all()] == ["录入员"]


def test_permissions_one_by_one_are_for_superusers_only(lancang_admin, cast):
    clerk = cast["lancang_clerk"]
    change_user = Permission.objects.get(codename="change_user")

    page = lancang_admin.get(url("change", clerk))
    lancang_admin.post(url("change", clerk), form(clerk, {"user_permissions": [change_user.pk]}))

    assertNotContains(page, 'name="user_permissions"')
    assert not clerk.user_permissions.exists()


def test_roles_are_defined_by_superusers_only(province_admin):
    clerks = Group.objects.get(name="录入员")
    delete_project = Permission.objects.get(codename="delete_project")
    change = reverse("admin:auth_group_change", args=[clerks.pk])
    data = {"name": "录入员", "permissions": [delete_project.pk]}

    assert province_admin.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert province_admin.get(change).status_code == 403
    assert province_admin.post(change, data).status_code == 403
    assert not clerks.permissions.filter(pk=delete_project.pk).exists()


def test_a_superuser_still_does_all_of_it(root, cast, places, django_user_model):
    admin = cast["lancang_admin"]
    other_root = django_user_model.objects.create_superuser("root2", "", "Root-2023!")
    changes = {
        "is_superuser": True,
        "groups": [role("系统管理员"), role("录入员")],
        "scope-0-everywhere": True,
        "scope-0-counties": [places["dayao"].pk],
    }

    changed = root.post(url("change", admin), form(admin, changes))
    clerk = cast["dayao_clerk"]
    made_admin = root.post(url("change", clerk), form(clerk, {"groups": [role("系统管理员")]}))
    password = root.post(
        url("password_change", other_root),
        {"password1": "New-Root-2024", "password2": "New-Root-2024", "usable_password": "true"},
    )

    assert (changed.status_code, made_admin.status_code, password.status_code) == (302, 302, 302)
    admin.refresh_from_db()
    other_root.refresh_from_db()
    assert admin.is_superuser
    assert scope_of(admin) == (True, ["大姚县"], [], [])
    assert [group.name for group in clerk.groups.all()] == ["系统管理员"]
    assert other_root.check_password("New-Root-2024")
    assert listed(root) == sorted(django_user_model.objects.values_list("username", flat=True))
    assert root.get(reverse("admin:auth_group_changelist")).status_code == 200


def test_a_province_wide_administrator_manages_county_users_but_makes_no_superusers(
    province_admin, cast, places
):
    clerk = cast["dayao_clerk"]
    changes = {"is_superuser": True, "scope-0-everywhere": True}

    response = province_admin.post(url("change", clerk), form(clerk, changes))
    refused = province_admin.post(
        url("change", clerk), form(clerk, {"groups": [role("系统管理员")]})
    )

    assert listed(province_admin) == [
        "dayao_clerk",
        "huangpu_clerk",
        "lancang_clerk",
        "newcomer",
        "province_admin",
    ]
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_superuser is False
    assert scope_of(clerk)[0] is True
    assertContains(refused, "只有超级用户才能授予“系统管理员”角色。")
    assert province_admin.get(url("password_change", cast["root"])).status_code == 403


def test_every_user_edit_is_recorded_with_before_and_after(lancang_admin, cast, places):
    me, clerk = cast["lancang_admin"], cast["lancang_clerk"]
    changes = {
        "email": "clerk@example.cn",
        "groups": [role("查看者")],
        "scope-0-districts": [places["huangpu"].pk],
    }

    lancang_admin.post(url("change", clerk), form(clerk, changes))
    lancang_admin.post(
        url("password_change", clerk),
        {"password1": "Pu'er-Tea-2024", "password2": "Pu'er-Tea-2024", "usable_password": "true"},
    )

    edit, password = user_entries(clerk)
    assert (edit.user, edit.channel, edit.action) == (me, "admin", "change")
    assert edit.content_type == ContentType.objects.get_for_model(clerk)
    assert edit.changes == {
        "email": ["", "clerk@example.cn"],
        "groups": [["录入员"], ["查看者"]],
        "数据范围-上海结对区": [[], ["黄浦区"]],
    }
    assert password.changes == {"password": ["已设置", "已修改"]}
    clerk.refresh_from_db()
    assert clerk.password.split("$")[-1] not in str([edit.changes, password.changes])
    history = lancang_admin.get(url("history", clerk))
    assertContains(history, "数据范围-上海结对区：（空） → 黄浦区")
    assertContains(history, "密码：已设置 → 已修改")


def test_creating_and_deleting_a_user_are_recorded(lancang_admin, cast, places):
    lancang_admin.post(
        reverse("admin:auth_user_add"),
        {
            "username": "zhaolei",
            "usable_password": "true",
            "password1": "Menglian-2024",
            "password2": "Menglian-2024",
            "scope-TOTAL_FORMS": "1",
            "scope-INITIAL_FORMS": "0",
            "scope-MIN_NUM_FORMS": "0",
            "scope-MAX_NUM_FORMS": "1",
            "scope-0-counties": [places["lancang"].pk],
        },
    )
    new = Scope.objects.get(user__username="zhaolei").user
    lancang_admin.post(url("delete", new), {"post": "yes"})

    created, deleted = user_entries(new)
    assert created.action == "create"
    assert created.changes["username"] == [None, "zhaolei"]
    assert created.changes["password"] == [None, "已设置"]
    assert created.changes["数据范围-县市区"] == [None, ["澜沧拉祜族自治县"]]
    assert deleted.action == "delete"
    assert deleted.changes["数据范围-县市区"] == [["澜沧拉祜族自治县"], None]
    assert new.password.split("$")[-1] not in str([created.changes, deleted.changes])
