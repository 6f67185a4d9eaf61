"""Yearly reports' headers as county offices really write them: amounts under a （元） or a
（万元） header, optional columns spelled their own way or left out, a column matched twice,
a header staff teach the import in the admin, and the year taken from the title when no
column holds it. Each file is built here with openpyxl as Excel or WPS would save it; the
stored values and the exact notices, warnings and errors are asserted, and nothing is written
on refusal."""

import datetime
from decimal import Decimal

import pytest

from projects.models import Project

from .reference_counties import LANCANG, lancang_fixture  # noqa: F401
from .report_files import (
    SHORT_HEADER,
    import_files,
    refused,
    stored,
    workbook_bytes,
    write,
)

pytestmark = pytest.mark.usefixtures("reference")


def test_amounts_in_yuan_under_a_yuan_header_are_converted(tmp_path, lancang):
    """Silent failure: amounts in 元 were stored 10,000 times too large. A header that says
    （元） converts them, with a notice."""
    header = [
        "项目编号",
        "项目名称",
        "年度",
        "县市区",
        "项目类别",
        "项目状态",
        "上海援助资金（元）",
    ]
    content = workbook_bytes(
        ("报表", [header, ["LC-1", "茶厂", 2023, "澜沧县", "产业发展", "在建", 3_000_000]])
    )

    lines = import_files(write(tmp_path, "报表.xlsx", content), quiet=True)

    assert stored("LC-1").shanghai_funds == Decimal("300")
    assert "提示：“上海援助资金（元）”列按元填写，已换算为万元导入" in lines


def test_amounts_in_yuan_under_a_wan_header_stop_the_import(tmp_path, lancang):
    header = SHORT_HEADER
    content = workbook_bytes(
        ("报表", [header, ["LC-1", "茶厂", 2023, LANCANG, "产业发展", "在建", 3_000_000_000]])
    )

    errors, _ = refused(write(tmp_path, "报表.xlsx", content))

    assert errors == [
        "第2行 上海援助资金（万元）：3000000000万元超过单个项目上限20000万元，请核对本列是否实为元"
        "（表头写“上海援助资金（元）”即按元换算）；确认无误时，请加--allow-large-amounts"
        "（管理后台上传时或在出错页面勾选“确认大额资金无误”）后重新导入"
    ]
    assert not Project.objects.exists()
    import_files(write(tmp_path, "报表.xlsx", content), quiet=True, allow_large_amounts=True)
    assert stored("LC-1").shanghai_funds == Decimal("3000000000")


def test_optional_headers_as_reports_spell_them_do_not_wipe_what_is_stored(tmp_path, lancang):
    """Silent failure: 开工时间 / 竣工时间 / 受益人口（人） / 备注说明 were not recognised and a
    re-import wiped the stored dates, beneficiaries and notes."""
    Project.objects.create(
        code="LC-1",
        name="茶厂",
        county=lancang,
        category="industry",
        year=2023,
        start_date=datetime.date(2023, 3, 1),
        end_date=datetime.date(2023, 11, 30),
        beneficiaries=1200,
        notes="村集体分红",
        shanghai_funds=Decimal("100"),
    )
    header = [
        "项目编号",
        "项目名称",
        "年度",
        "县市区",
        "项目类别",
        "项目状态",
        "上海援助资金（万元）",
        "开工时间",
        "竣工时间",
        "受益人口（人）",
        "备注说明",
    ]
    content = workbook_bytes(
        (
            "报表",
            [
                header,
                [
                    "LC-1",
                    "茶厂",
                    2023,
                    LANCANG,
                    "产业发展",
                    "在建",
                    150,
                    "2023.4.1",
                    None,
                    "1500人",
                    None,
                ],
            ],
        )
    )

    lines = import_files(write(tmp_path, "报表.xlsx", content), quiet=True)

    assert lines[-1] == "created=0 updated=1 unchanged=0"
    project_ = stored("LC-1")
    assert project_.start_date == datetime.date(2023, 4, 1)
    assert project_.end_date == datetime.date(2023, 11, 30)  # blank: kept
    assert project_.beneficiaries == 1500
    assert project_.notes == "村集体分红"  # blank: kept
    assert project_.shanghai_funds == Decimal("150")


def test_a_column_left_out_keeps_what_is_stored_and_clear_marker_clears(tmp_path, lancang):
    Project.objects.create(
        code="LC-1",
        name="茶厂",
        county=lancang,
        category="industry",
        year=2023,
        beneficiaries=1200,
        notes="旧备注",
        other_funds=Decimal("5"),
    )
    header = [
        "项目编号",
        "项目名称",
        "年度",
        "县市区",
        "项目类别",
        "项目状态",
        "上海援助资金（万元）",
        "备注",
    ]
    content = workbook_bytes(
        ("报表", [header, ["LC-1", "茶厂", 2023, LANCANG, "产业发展", "在建", 150, "（清空）"]])
    )

    import_files(write(tmp_path, "报表.xlsx", content), quiet=True)

    project_ = stored("LC-1")
    assert (project_.notes, project_.beneficiaries, project_.other_funds) == (
        "",
        1200,
        Decimal("5"),
    )


def test_the_header_matched_twice_names_what_it_found(tmp_path, lancang):
    header = [
        "项目编号",
        "项目名称",
        "年度",
        "县市区",
        "县（市、区）",
        "项目类别",
        "项目状态",
        "上海援助资金（万元）",
    ]
    content = workbook_bytes(("报表", [header]))

    errors, _ = refused(write(tmp_path, "报表.xlsx", content))

    assert errors == [
        "第1行表头中“县市区”和“县（市、区）”都对应“县市区”列，请删除或改名其中一列。"
        "表头中找到的列：项目编号、项目名称、年度、县市区、县（市、区）。"
    ]


def test_a_header_staff_taught_the_import_is_read_as_its_column(tmp_path, lancang, admin_client):
    """A county heads 县市区 its own way: staff add the header in the admin once (表头写法),
    and the import reads it from then on, without a change of code."""
    from django.urls import reverse

    header = ["项目编号", "项目名称", "年度", "项目实施县", "项目类别", "项目状态", "上海资金"]
    content = workbook_bytes(
        ("报表", [header, ["A-1", "一", 2023, "澜沧县", "产业发展", "在建", 10]])
    )
    errors, _ = refused(write(tmp_path, "报表.xlsx", content))
    assert errors[0].startswith("缺少必填列：县市区。")

    url = reverse("admin:projects_headeralias_add")
    taught = {"report": "yearly_report", "column": "county", "header": "项目实施县", "note": "某县"}
    response = admin_client.post(url, taught)
    assert response.status_code == 302
    refused_twice = admin_client.post(
        url, {"report": "yearly_report", "column": "name", "header": "县（市、区）"}
    )
    assert (
        "“县（市、区）”已是“县市区”列的写法，不能再指向其他列。" in refused_twice.content.decode()
    )

    lines = import_files(write(tmp_path, "报表.xlsx", content), quiet=True)
    assert lines[-1] == "created=1 updated=0 unchanged=0"
    assert stored("A-1").county == lancang


def test_without_a_year_column_the_year_comes_from_the_title(tmp_path, lancang):
    header = ["项目编号", "项目名称", "县市区", "项目类别", "项目状态", "上海援助资金（万元）"]
    rows = [
        ["2023年度澜沧县沪滇协作项目明细表"],
        header,
        ["A-1", "一", "澜沧县", "产业发展", "在建", 10],
    ]

    lines = import_files(write(tmp_path, "报表.xlsx", workbook_bytes(("报表", rows))), quiet=True)

    assert stored("A-1").year == 2023
    assert "提示：没有“年度”列，年度取自标题“2023年度澜沧县沪滇协作项目明细表”：2023" in lines
    errors, _ = refused(write(tmp_path, "报表.xlsx", workbook_bytes(("报表", rows[1:]))))
    assert errors[0].startswith("缺少必填列：年度。第1行表头中找到的列：项目编号、")
