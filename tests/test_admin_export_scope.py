"""The admin's export keeps to the user's scope (counties/exports.py): a county user, selecting
all, exporting the whole list, posting another county's ids or filtering by another county,
exports only the county's records and names only the project cadres inside the scope; a
filtered list exports only its records; the province exports every county's."""

import datetime

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from personnel.models import Cadre
from projects.models import Project
from tests.admin_export_cast import (  # noqa: F401
    FORMATS,
    admin_url,
    export,
    export_list,
    registry_fixture,
    staff,
    table,
)
from tests.cast import make_project


@pytest.fixture
def menghai_records(menghai, registry):
    """A project and a cadre of 勐海, outside a 澜沧 user's scope."""
    return {
        Project: make_project(county=menghai, code="2023-MH-001", name="勐海茶园"),
        Cadre: Cadre.objects.create(
            name="王芳",
            gender="female",
            kind="teacher",
            sending_unit="黄浦区教育局",
            post="勐海县第一中学副校长",
            county=menghai,
            term_start=datetime.date(2023, 8, 1),
        ),
    }


@pytest.fixture
def lancang_clerk(client, django_user_model, county):
    """A 录入员 of 澜沧 only."""
    client.force_login(staff(django_user_model, "lancang", "录入员", counties=[county]))
    return client


@pytest.mark.parametrize("model", [Project, Cadre], ids=["project", "cadre"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_county_user_selecting_all_exports_only_the_county_records(
    lancang_clerk, registry, menghai_records, model, fmt
):
    # The browser sends the page's rows with 选择全部; the list holds only the county's.
    response = export(lancang_clerk, model, fmt, selected=[registry[model].pk], select_across=True)

    header, *rows = table(response, fmt)
    first = header.index("项目编号" if model is Project else "姓名")
    assert [row[first] for row in rows] == ["2023-LC-001" if model is Project else "张伟"]


@pytest.mark.parametrize("model", [Project, Cadre], ids=["project", "cadre"])
def test_a_county_user_exporting_the_whole_list_gets_only_the_county_records(
    lancang_clerk, registry, menghai_records, model
):
    response = export_list(lancang_clerk, model, "csv")

    header, *rows = table(response, "csv")
    assert len(rows) == 1
    assert "勐海" not in response.content.decode("utf-8")


@pytest.mark.parametrize("model", [Project, Cadre], ids=["project", "cadre"])
def test_a_county_user_posting_ids_of_another_county_exports_none_of_them(
    lancang_clerk, registry, menghai_records, model
):
    outside = menghai_records[model]

    response = lancang_clerk.post(
        admin_url(model, "export"),
        {"format": FORMATS["csv"], "export_items": [registry[model].pk, outside.pk]},
    )

    # The selection may name only records of the user's list, as a choice in any form may.
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assertContains(response, "%d 不在可用的选项中" % outside.pk)
    assertNotContains(response, "勐海")


@pytest.mark.parametrize("model", [Project, Cadre], ids=["project", "cadre"])
def test_a_county_user_filtering_by_another_county_exports_nothing(
    lancang_clerk, registry, menghai_records, menghai, model
):
    response = export_list(lancang_clerk, model, "xlsx", query="?county__id__exact=%d" % menghai.pk)

    header, *rows = table(response, "xlsx")
    assert header[0] in ("项目编号", "批次")  # the cadres by the import's columns
    assert rows == []


def test_a_county_user_sees_only_the_project_cadres_inside_the_scope(
    lancang_clerk, registry, menghai_records
):
    project = registry[Project]
    project.cadres.add(menghai_records[Cadre])  # a link the related-scope rules would refuse

    header, row = table(export(lancang_clerk, Project, "csv", selected=[project.pk]), "csv")

    assert dict(zip(header, row, strict=True))["负责干部"] == "张伟（党政干部）"


@pytest.mark.parametrize("how", ["button", "select all"])
def test_the_filtered_list_exports_only_its_records(admin_client, registry, county, how):
    make_project(county=county, code="2023-LC-002", name="幼儿园", category="education")
    query = "?category__exact=education"

    if how == "button":
        response = export_list(admin_client, Project, "csv", query=query)
    else:
        project = Project.objects.get(code="2023-LC-002")
        response = export(
            admin_client, Project, "csv", selected=[project.pk], select_across=True, query=query
        )

    header, *rows = table(response, "csv")
    assert [row[:2] for row in rows] == [["2023-LC-002", "幼儿园"]]


def test_the_province_sees_every_county_in_the_export(admin_client, registry, menghai_records):
    header, *rows = table(export_list(admin_client, Project, "csv"), "csv")

    assert sorted(row[0] for row in rows) == ["2023-LC-001", "2023-MH-001"]
