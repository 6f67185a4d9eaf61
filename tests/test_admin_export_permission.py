"""Who may export in the admin (counties/exports.py): a 导入员 sees no export and is refused it,
with the reason; a 查看者 exports what its role reads and is refused the registries it does
not."""

import pytest
from django.contrib.auth.models import Group, Permission
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import FormerDivision
from projects.models import Project
from tests.admin_export_cast import (  # noqa: F401
    FORMATS,
    PROJECT_HEADER,
    admin_url,
    export_list,
    registry_fixture,
    staff,
    table,
)


@pytest.fixture
def importer(client, django_user_model, county):
    """A 导入员 of 澜沧: reads projects in the admin, but neither the pages nor exports."""
    client.force_login(staff(django_user_model, "importer", "导入员", counties=[county]))
    return client


def test_an_importer_sees_no_export_on_the_project_list(importer, registry):
    response = importer.get(admin_url(Project, "changelist"))

    assertContains(response, "2023-LC-001")
    assertNotContains(response, "导出选中的")
    assertNotContains(response, 'href="%s?' % admin_url(Project, "export"))


def test_an_importer_is_refused_the_export_with_the_reason(importer, registry):
    for response in (
        importer.get(admin_url(Project, "export")),
        importer.post(admin_url(Project, "export"), {"format": FORMATS["csv"]}),
    ):
        assertContains(response, "需要“查看者”角色", status_code=403)


def test_an_importer_cannot_run_the_export_action(importer, registry):
    response = importer.post(
        admin_url(Project, "changelist"),
        {"action": "export_admin_action", "_selected_action": [registry[Project].pk]},
        follow=True,
    )

    assert response["Content-Type"].startswith("text/html")
    assertNotContains(response, "将导出所选")


def test_a_reader_without_the_view_permission_is_refused_that_export(
    client, django_user_model, registry
):
    # A reader whose role reads the counties but not the former divisions.
    user = staff(django_user_model, "reader", "查看者", everywhere=True)
    role = Group.objects.create(name="只看县市区")
    role.permissions.set(
        Permission.objects.filter(
            codename__in=["browse", "view_county"], content_type__app_label="counties"
        )
    )
    user.groups.set([role])
    client.force_login(user)

    response = client.get(admin_url(FormerDivision, "export"))

    assertContains(response, "您没有查看曾用区划的权限，不能导出。", status_code=403)


def test_a_reader_exports_what_its_role_reads(client, django_user_model, registry):
    client.force_login(staff(django_user_model, "reader", "查看者", everywhere=True))

    header, *rows = table(export_list(client, Project, "xlsx"), "xlsx")

    assert header == PROJECT_HEADER
    assert [row[0] for row in rows] == ["2023-LC-001"]
