"""Every permission reads in Chinese where roles and users are given them: Django names a
model's permissions "Can add <model>" and the third-party apps their models in English;
every migrate renames them (counties/apps.py) and the apps have Chinese names."""

import re

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def permission_labels(page, field):
    """The options of a permission picker, as the page lists them."""
    select = re.search(r'<select name="%s"[^>]*>(.*?)</select>' % field, page, re.S).group(1)
    return re.findall(r"<option [^>]*>(.*?)</option>", select)


def test_every_permission_is_named_in_chinese(db):
    named = Permission.objects.values_list("name", flat=True)

    assert not [name for name in named if ENGLISH_WORD.search(name)]
    assert Permission.objects.get(codename="add_project").name == "可以添加项目"
    assert Permission.objects.get(codename="view_logentry").name == "可以查看操作日志"


def test_migrate_names_again_a_permission_named_in_english(db):
    Permission.objects.filter(codename="change_project").update(name="Can change 项目")
    Permission.objects.filter(codename="delete_accessattempt").update(
        name="Can delete access attempt"
    )

    call_command("migrate", verbosity=0)

    assert Permission.objects.get(codename="change_project").name == "可以修改项目"
    assert Permission.objects.get(codename="delete_accessattempt").name == "可以删除登录尝试"
    # Its own permissions keep the names their models give them.
    assert Permission.objects.get(codename="import_project").name == "可以导入项目年度报表"


def test_the_role_form_lists_every_permission_in_chinese(admin_client):
    role = Group.objects.get(name="查看者")

    page = admin_client.get(reverse("admin:auth_group_change", args=[role.pk])).content.decode()

    labels = permission_labels(page, "permissions")
    assert len(labels) == Permission.objects.count()
    assert not [label for label in labels if ENGLISH_WORD.search(label)]
    for label in [
        "项目与资金 | 项目 | 可以添加项目",
        "管理后台 | 操作日志 | 可以查看操作日志",
        "认证和授权 | 角色 | 可以修改角色",
        "会话 | 会话 | 可以删除会话",
        "内容类型 | 内容类型 | 可以查看内容类型",
        "登录保护 | 登录尝试 | 可以查看登录尝试",
        "登录保护 | 登录失败记录 | 可以查看登录失败记录",
        "登录保护 | 登录记录 | 可以查看登录记录",
        "后台任务队列 | 任务队列记录 | 可以查看任务队列记录",
    ]:
        assert label in labels


def test_the_user_form_lists_roles_and_permissions_in_chinese(admin_client, admin_user):
    page = admin_client.get(reverse("admin:auth_user_change", args=[admin_user.pk]))
    page = page.content.decode()

    assert not [
        label for label in permission_labels(page, "user_permissions") if ENGLISH_WORD.search(label)
    ]
    assert "查看者" in permission_labels(page, "groups")
    assert '<label for="id_groups">角色:</label>' in page
