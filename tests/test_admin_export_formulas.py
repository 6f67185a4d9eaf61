"""A formula in a text cell of the admin's export (counties/exports.py) is neutralised, in the
XLSX and the CSV alike, in a record's own fields and in the names of its related records."""

import io

import openpyxl
import pytest

from projects.models import IndustrialPark, Project
from tests.admin_export_cast import export, table
from tests.cast import make_project


@pytest.fixture
def formula_project(county):
    return make_project(
        county=county,
        code="2023-LC-009",
        name='=HYPERLINK("http://example.com","点击")',
        category="other",
        description="+1+1",
        notes="@SUM(A1:A9)",
    )


def test_a_formula_in_a_project_is_neutralised_in_the_xlsx(admin_client, formula_project):
    response = export(admin_client, Project, "xlsx", selected=[formula_project.pk])

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    name, description, notes = (
        sheet.cell(2, header.index(column) + 1) for column in ("项目名称", "项目内容", "备注")
    )
    assert name.value == '\'=HYPERLINK("http://example.com","点击")'
    assert description.value == "'+1+1"
    assert notes.value == "'@SUM(A1:A9)"
    assert {name.data_type, description.data_type, notes.data_type} == {"s"}


def test_a_formula_in_a_project_is_neutralised_in_the_csv(admin_client, formula_project):
    response = export(admin_client, Project, "csv", selected=[formula_project.pk])

    header, row = table(response, "csv")
    cells = dict(zip(header, row, strict=True))
    assert cells["项目名称"] == '\'=HYPERLINK("http://example.com","点击")'
    assert cells["项目内容"] == "'+1+1"
    assert cells["备注"] == "'@SUM(A1:A9)"


def test_a_formula_in_a_related_name_is_neutralised_too(admin_client, county):
    park = IndustrialPark.objects.create(name="-园区", county=county, year_founded=2020)
    project = make_project(
        county=county, code="2023-LC-010", name="项目", park=park, category="other"
    )

    header, row = table(export(admin_client, Project, "csv", selected=[project.pk]), "csv")

    assert dict(zip(header, row, strict=True))["所属园区"] == "'-园区"
