"""The admin's XLSX export of every registry (counties/exports.py SafeXLSX) as Excel opens and
prints it: the Chinese field names in the first row, frozen and printed on every page, each
column wide enough for its header and values, codes as text, dates, times, amounts, counts
and years in their formats."""

import pytest

from counties.models import County
from indicators.models import IndicatorFigure
from personnel.models import Cadre
from projects.models import Fund, IndustrialPark, Project
from tests.admin_export_cast import REGISTRIES, export, registry_fixture  # noqa: F401
from tests.excel_files import (
    DATE_WIDTH,
    assert_laid_out_as_a_report,
    column_width,
    formats,
    workbook_of,
)


def exported_sheet(client, registry, model):
    response = export(client, model, "xlsx", selected=[registry[model].pk])
    assert response.status_code == 200
    return workbook_of(response).worksheets[0]


@pytest.mark.parametrize("model", REGISTRIES, ids=lambda model: model._meta.label)
def test_every_registry_exports_a_sheet_laid_out_as_a_report(admin_client, registry, model):
    sheet = exported_sheet(admin_client, registry, model)

    assert sheet.title == model._meta.verbose_name_plural
    assert_laid_out_as_a_report(sheet)
    assert sheet.freeze_panes == "A2"


def test_a_projects_cells_have_the_formats_of_their_kinds(admin_client, registry):
    sheet = exported_sheet(admin_client, registry, Project)

    shown = formats(sheet, 2)
    assert shown["项目编号"] == "@"
    assert shown["年度"] == "0"
    assert shown["开工日期"] == "yyyy-mm-dd"
    assert shown["上海援助资金（万元）"] == "#,##0.00"
    assert shown["其他资金（万元）"] == "#,##0.00"
    assert shown["受益人数"] == "#,##0"
    assert shown["创建时间"] == "yyyy-mm-dd hh:mm:ss"
    assert shown["项目名称"] == shown["县市区"] == shown["项目类别"] == "General"
    assert column_width(sheet, "开工日期") >= DATE_WIDTH
    assert column_width(sheet, "完工日期") >= DATE_WIDTH
    assert column_width(sheet, "创建时间") >= 19  # 2023-03-15 08:30:00
    assert sheet.page_setup.orientation == "landscape"


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (County, {"区划代码": "@", "摘帽年度": "0"}),
        (Fund, {"金额（万元）": "#,##0.00", "年度": "0"}),
        (IndustrialPark, {"设立年度": "0"}),
        (Cadre, {"任期开始": "yyyy-mm-dd"}),
        # Figures in 人, 个 or 万元 alike: whole numbers with separators, fractions kept.
        (IndicatorFigure, {"年度": "0", "协议数": "#,##0", "完成数": "#,##0.####"}),
    ],
    ids=["county", "fund", "park", "cadre", "figure"],
)
def test_each_registry_formats_its_codes_years_amounts_and_dates(
    admin_client, registry, model, expected
):
    sheet = exported_sheet(admin_client, registry, model)

    shown = formats(sheet, 2)
    assert {header: shown.get(header) for header in expected} == expected
