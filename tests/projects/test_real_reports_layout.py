"""Yearly reports laid out as county offices really lay them out: title rows, two-row headers
with merged group cells, 序号 columns, 合计 rows and footers, cells merged down, hidden rows
and sheets, one sheet per county, and explaining sheets beside the data. Each file is built
here with openpyxl as Excel or WPS would save it; the stored values and the exact notices,
warnings and errors are asserted, and nothing is written on refusal."""

import datetime
from decimal import Decimal

import pytest

from projects.models import ImportBatch, Project

from .reference_counties import LANCANG, MENGLIAN, lancang_fixture, menglian_fixture  # noqa: F401
from .report_files import (
    HEADERS,
    SHORT_HEADER,
    import_files,
    refused,
    stored,
    workbook_bytes,
    write,
)

pytestmark = pytest.mark.usefixtures("reference")


TITLE = "2023年度普洱市沪滇协作项目实施情况统计表"


def project(code, county=LANCANG, funds=100, **cells):
    """A row of a county's usual layout: 序号, code, name, year, county, category, status,
    Shanghai funds, other funds, start date, notes."""
    values = {
        "name": "项目%s" % code,
        "year": 2023,
        "category": "产业发展类",
        "status": "已完工",
        "other": 0,
        "start": datetime.datetime(2023, 3, 1),
        "notes": None,
        **cells,
    }
    return [
        code,
        values["name"],
        values["year"],
        county,
        values["category"],
        values["status"],
        funds,
        values["other"],
        values["start"],
        values["notes"],
    ]


# A two-row header: 资金（万元） merged over its two sub-headers, the others merged down.
GROUP_HEADER = [
    [
        "序号",
        "项目编号",
        "项目名称",
        "年度",
        "县（市、区）",
        "项目类别",
        "项目状态",
        "资金（万元）",
        None,
        "开工时间",
        "备注说明",
    ],
    [None, None, None, None, None, None, None, "上海援助资金", "其他资金", None, None],
]
GROUP_MERGES = [
    "H3:I3",
    "A3:A4",
    "B3:B4",
    "C3:C4",
    "D3:D4",
    "E3:E4",
    "F3:F4",
    "G3:G4",
    "J3:J4",
    "K3:K4",
]


def county_sheet(rows, *, footer=True, total=None):
    """A county's sheet: title, two-row header, numbered rows, 合计 and a footer."""
    lines = [[TITLE], ["填报单位：普洱市乡村振兴局"], *GROUP_HEADER]
    for number, cells in enumerate(rows, start=1):
        lines.append([number, *cells])
    if total is not None:
        lines.append(["合计", None, None, None, None, None, None, total, None, None, None])
    if footer:
        lines.append([])
        lines.append(
            ["填报人：测试甲", None, None, "审核人：测试乙", None, None, "联系电话：0879-0000000"]
        )
    return lines


def notices(lines):
    return [line for line in lines if line.startswith(("提示：", "警告："))]


def test_a_county_workbook_with_title_group_header_total_and_footer_imports(tmp_path, lancang):
    rows = [project("LC-1", funds=120.5), project("LC-2", funds=79.5)]
    content = workbook_bytes(
        ("澜沧县", county_sheet(rows, total=200)), merges={"澜沧县": GROUP_MERGES}
    )

    lines = import_files(write(tmp_path, "澜沧县2023年报表.xlsx", content), quiet=True)

    assert lines[-1] == "created=2 updated=0 unchanged=0"
    first = stored("LC-1")
    assert (first.shanghai_funds, first.category, first.status) == (
        Decimal("120.5"),
        "industry",
        "completed",
    )
    assert first.start_date == datetime.date(2023, 3, 1)
    assert notices(lines) == [
        "提示：第4行表头中以下列不属于本报表，未导入：序号",
        "提示：第7行是合计行，未导入",
        "提示：第9行是表尾（填报人、审核人等），未导入",
    ]


def test_a_total_that_does_not_add_up_is_a_warning(tmp_path, lancang):
    rows = [project("LC-1", funds=120.5), project("LC-2", funds=79.5)]
    content = workbook_bytes(
        ("澜沧县", county_sheet(rows, total=210)), merges={"澜沧县": GROUP_MERGES}
    )

    lines = import_files(write(tmp_path, "报表.xlsx", content), quiet=True)

    assert lines[-1] == "created=2 updated=0 unchanged=0"
    assert (
        "警告：第7行是合计行，未导入；其中上海援助资金（万元）为210，上方各行之和为200，请核对"
        in lines
    )


def test_one_sheet_per_county_imports_every_sheet_and_names_them(tmp_path, lancang, menglian):
    """Silent failure: only the first sheet was read; the second county's projects were lost."""
    content = workbook_bytes(
        ("填表说明", [["本表由各县填报"], ["项目编号", "每个项目唯一"]]),
        ("澜沧县", county_sheet([project("LC-1")])),
        (
            "孟连县",
            county_sheet([project("ML-1", county="孟连县"), project("ML-2", county="孟连")]),
        ),
        merges={"澜沧县": GROUP_MERGES, "孟连县": GROUP_MERGES},
    )

    lines = import_files(write(tmp_path, "普洱市报表.xlsx", content), quiet=True)

    assert lines[-1] == "created=3 updated=0 unchanged=0"
    assert stored("ML-2").county == menglian
    assert "提示：孟连县 第5行 县（市、区）：“孟连县”按“%s”（530827）导入" % MENGLIAN in lines
    assert "提示：孟连县 第6行 县（市、区）：“孟连”按“%s”（530827）导入" % MENGLIAN in lines


def test_a_hidden_row_and_a_hidden_sheet_are_not_imported_and_are_named(tmp_path, lancang):
    """Silent failure: a row the county hid (a cancelled project) was imported."""
    rows = [project("LC-1"), project("LC-CANCELLED"), project("LC-3")]
    content = workbook_bytes(
        ("澜沧县", county_sheet(rows, footer=False)),
        ("旧数据", county_sheet([project("OLD-1")], footer=False)),
        hidden_rows={"澜沧县": [6]},
        hidden_sheets=["旧数据"],
        merges={"澜沧县": GROUP_MERGES},
    )

    lines = import_files(write(tmp_path, "报表.xlsx", content), quiet=True)

    assert sorted(Project.objects.values_list("code", flat=True)) == ["LC-1", "LC-3"]
    assert "提示：澜沧县 第6行已隐藏，未导入" in lines
    assert "提示：工作表“旧数据”已隐藏，未导入" in lines


def test_cells_merged_down_over_a_countys_rows_fill_them(tmp_path, lancang, menglian):
    """A 县市区 cell merged over three rows holds its name in the first only: all three are
    its projects (they were refused as 不能为空)."""
    header = SHORT_HEADER
    rows = [
        header,
        ["A-1", "一", 2023, LANCANG, "产业发展", "在建", 10],
        ["A-2", "二", None, None, "产业发展", "在建", 20],
        ["A-3", "三", None, None, "产业发展", "在建", 30],
        ["B-1", "四", 2023, MENGLIAN, "产业发展", "在建", 40],
    ]
    content = workbook_bytes(("报表", rows), merges={"报表": ["C2:C4", "D2:D4"]})

    import_files(write(tmp_path, "报表.xlsx", content), quiet=True)

    assert {p.code: (p.county.code, p.year) for p in Project.objects.all()} == {
        "A-1": ("530828", 2023),
        "A-2": ("530828", 2023),
        "A-3": ("530828", 2023),
        "B-1": ("530827", 2023),
    }


def test_a_semicolon_csv_with_a_title_imports(tmp_path, lancang):
    lines = [TITLE, ";".join(HEADERS)]
    lines.append("LC-1;茶厂;2023;普洱市;澜沧县;产业发展;在建;12,5;;;;;")
    content = "\r\n".join(lines).encode("gb18030")

    errors, _ = refused(write(tmp_path, "报表.csv", content))

    # A decimal comma is not read as a thousands separator: the row says why.
    assert errors == ["第3行 上海援助资金（万元）：千分位逗号位置不对：“12,5”"]
    content = content.replace(b"12,5", b"12.5")
    assert import_files(write(tmp_path, "报表.csv", content), quiet=True)[-1] == (
        "created=1 updated=0 unchanged=0"
    )
    assert ImportBatch.objects.count() == 1


def test_only_explaining_sheets_are_skipped_by_name_and_each_is_named(tmp_path, lancang):
    header = SHORT_HEADER
    content = workbook_bytes(
        ("填表说明", [["项目编号请填写文本"]]),
        ("项目清单", [header, ["A-1", "一", 2023, LANCANG, "产业发展", "在建", 10]]),
        ("县市区代码表", [["县市区", "区划代码", "州市"], [LANCANG, "530828", "普洱市"]]),
    )

    lines = import_files(write(tmp_path, "报表.xlsx", content), quiet=True)

    assert lines[-1] == "created=1 updated=0 unchanged=0"
    assert "提示：工作表“填表说明”是说明或代码表，未导入" in lines
    assert "提示：工作表“县市区代码表”是说明或代码表，未导入" in lines
