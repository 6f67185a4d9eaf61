"""The project list's XLSX export and the blank template as Excel opens and prints them: every
column wide enough for its header and values, codes as text, amounts with thousands
separators, dates as dates, the header frozen and printed on every page; the header in the
first row, exactly as the import reads it (tests/projects/test_export.py imports it back)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Project
from tests.excel_files import (
    DATE_WIDTH,
    assert_laid_out_as_a_report,
    column_width,
    formats,
    row,
    workbook_of,
)

from .report_files import HEADERS

XLSX = reverse("projects:export", kwargs={"fmt": "xlsx"})
TEMPLATE = reverse("admin:projects_project_import_template", args=["xlsx"])


@pytest.fixture
def project(county):
    return Project.objects.create(
        code="530828202300100001",
        name="澜沧县茶叶初制所及配套基础设施建设项目",
        county=county,
        category="industry",
        status="building",
        year=2023,
        shanghai_funds=Decimal("12345.6789"),
        other_funds=Decimal("20"),
        beneficiaries=12000,
        start_date=datetime.date(2023, 3, 1),
        end_date=datetime.date(2023, 11, 30),
    )


def test_the_export_keeps_the_imports_header_in_the_first_row(user_client, project):
    sheet = workbook_of(user_client.get(XLSX)).worksheets[0]

    assert row(sheet, 1) == [*HEADERS, "村", "项目群"]
    assert row(sheet, 2)[0] == "530828202300100001"
    assert sheet.max_row == 2  # no title, no 合计 row: it is the import's format


def test_the_export_is_laid_out_landscape_with_its_header_on_every_page(user_client, project):
    sheet = workbook_of(user_client.get(XLSX)).worksheets[0]

    assert_laid_out_as_a_report(sheet, orientation="landscape")
    assert sheet.freeze_panes == "A2"
    assert sheet.print_options.gridLines is True
    assert column_width(sheet, "开工日期") >= DATE_WIDTH
    assert column_width(sheet, "项目编号") >= 20  # an 18-digit code
    assert column_width(sheet, "上海援助资金（万元）") >= 13  # 12,345.68 and wider


def test_each_kind_of_cell_has_its_format_and_keeps_its_value(user_client, project):
    sheet = workbook_of(user_client.get(XLSX)).worksheets[0]

    assert formats(sheet, 2) == {
        "项目编号": "@",
        "项目名称": "General",
        "年度": "0",
        "州市": "General",
        "县市区": "General",
        "项目类别": "General",
        "项目状态": "General",
        "上海援助资金（万元）": "#,##0.00",
        "其他资金（万元）": "#,##0.00",
        "受益人数": "#,##0",
        "开工日期": "yyyy-mm-dd",
        "完工日期": "yyyy-mm-dd",
    }
    # Two decimals shown; the four the project holds kept.
    assert sheet["H2"].value == 12345.6789
    assert sheet["K2"].value == datetime.datetime(2023, 3, 1)


def test_the_template_is_laid_out_as_the_export_with_its_guide_and_county_sheets(
    admin_client, county
):
    workbook = workbook_of(admin_client.get(TEMPLATE))

    sheet = workbook["项目年度报表"]
    assert_laid_out_as_a_report(sheet, orientation="landscape")
    assert row(sheet, 1) == [*HEADERS, "村", "项目群"]
    assert sheet["A2"].number_format == sheet["A1001"].number_format == "@"
    guide = workbook["填写说明"]
    assert_laid_out_as_a_report(guide)
    assert row(guide, 1) == ["列名", "英文别名", "是否必填", "说明"]
    assert guide["D2"].alignment.wrap_text is True  # a rule wraps within its column
    counties = workbook["县市区代码表"]
    assert_laid_out_as_a_report(counties)
    assert row(counties, 2)[:3] == ["澜沧拉祜族自治县", "530828", "普洱市"]
    assert counties["B2"].number_format == "@"
