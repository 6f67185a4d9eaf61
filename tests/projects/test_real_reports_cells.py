"""Yearly reports' cells as county offices really fill them: codes Excel made numbers, a
project reported again with another year, places under their former or misspelt names,
and villages named within the row's county. Each file is built here with openpyxl as Excel
or WPS would save it; the stored values and the exact notices, warnings and errors are
asserted, and nothing is written on refusal."""

import pytest

from projects.models import Project

from .reference_counties import LANCANG, MENGLIAN, lancang_fixture, menglian_fixture  # noqa: F401
from .report_files import SHORT_HEADER, import_files, refused, stored, workbook_bytes, write

pytestmark = pytest.mark.usefixtures("reference")


def test_a_code_excel_made_a_number_is_kept_with_a_warning_or_refused(tmp_path, lancang):
    """Silent failure: 530828202300100001 typed in the template became a number cell and was
    stored as 530828202300099968."""
    header = SHORT_HEADER
    lost = workbook_bytes(
        ("报表", [header, [530828202300100001, "茶厂", 2023, LANCANG, "产业发展", "在建", 10]])
    )

    errors, _ = refused(write(tmp_path, "报表.xlsx", lost))

    assert errors == [
        "第2行 项目编号：项目编号“5.30828202300100E+17”已被Excel转成数字，"
        "超过15位的数字末几位已丢失，"
        "无法还原；请将该列设为文本格式后重新填写编号"
    ]
    assert not Project.objects.exists()

    kept = workbook_bytes(
        ("报表", [header, [530828202300100, "茶厂", 2023, LANCANG, "产业发展", "在建", 10]])
    )
    lines = import_files(write(tmp_path, "报表.xlsx", kept), quiet=True)
    assert stored("530828202300100").name == "茶厂"
    assert (
        "警告：第2行 项目编号：项目编号“530828202300100”在表格中是数字格式，"
        "已按数字“530828202300100”导入；"
        "如编号以0开头，开头的0可能已丢失，请将该列设为文本格式"
    ) in lines


def test_a_project_reported_with_another_year_is_refused_unless_allowed(tmp_path, lancang):
    """Found: re-reporting a code with another year silently moved the project to that year."""
    Project.objects.create(code="LC-1", name="茶厂", county=lancang, category="industry", year=2022)
    header = SHORT_HEADER
    content = workbook_bytes(
        ("报表", [header, ["LC-1", "茶厂", 2023, LANCANG, "产业发展", "在建", 10]])
    )

    errors, _ = refused(write(tmp_path, "报表.xlsx", content))

    assert errors == [
        "第2行 年度：项目“LC-1”已登记为2022年度、澜沧拉祜族自治县，"
        "本行为2023年度、澜沧拉祜族自治县；"
        "如确需变更，请加--allow-moves（管理后台上传时或在出错页面勾选“允许变更年度或县市区”）后重新导入"
    ]
    assert stored("LC-1").year == 2022
    import_files(write(tmp_path, "报表.xlsx", content), quiet=True, allow_moves=True)
    assert stored("LC-1").year == 2023


def test_former_names_are_read_as_today_with_a_notice(tmp_path, reference):
    header = [
        "项目编号",
        "项目名称",
        "年度",
        "州市",
        "县市区",
        "项目类别",
        "项目状态",
        "上海援助资金（万元）",
    ]
    content = workbook_bytes(
        (
            "报表",
            [
                header,
                [
                    "X-1",
                    "一",
                    "2023年度",
                    "迪庆州",
                    "香格里拉县",
                    "基础设施建设",
                    "实施中",
                    "120.5万元",
                ],
                ["X-2", "二", 2023, "思茅市", "思茅市", "产业发展", "未开工", 10],
            ],
        )
    )

    lines = import_files(write(tmp_path, "报表.xlsx", content), quiet=True)

    assert {p.code: (p.county.name, p.category, p.status) for p in Project.objects.all()} == {
        "X-1": ("香格里拉市", "infrastructure", "building"),
        "X-2": ("思茅区", "industry", "planned"),
    }
    assert "提示：第2行 县市区：“香格里拉县”按现名“香格里拉市”（533401）导入" in lines
    assert "提示：第3行 州市：“思茅市”按现名“普洱市”（530800）导入" in lines


def test_an_unknown_county_gets_the_nearest_names(tmp_path, reference):
    header = SHORT_HEADER
    content = workbook_bytes(
        ("报表", [header, ["X-1", "一", 2023, "澜仓县", "产业发展", "在建", 10]])
    )

    errors, _ = refused(write(tmp_path, "报表.xlsx", content))

    assert len(errors) == 1
    assert errors[0].startswith("第2行 县市区：未知的县市区“澜仓县”，是否为：“澜沧拉祜族自治县”")


def test_a_village_column_is_read_within_the_rows_county(tmp_path, lancang, menglian):
    """村 is an optional column: a village registered in the row's county, by its name or
    乡镇 + name; the export writes it back."""
    from counties.models import Village

    Village.objects.create(name="勐朗村", township="勐朗镇", county=lancang)
    Village.objects.create(name="新城村", township="勐朗镇", county=lancang)
    Village.objects.create(name="新城村", township="竹塘乡", county=lancang)
    Village.objects.create(name="勐朗村", township="娜允镇", county=menglian)
    header = [
        "项目编号",
        "项目名称",
        "年度",
        "县市区",
        "项目类别",
        "项目状态",
        "上海援助资金（万元）",
        "行政村",
    ]
    rows = [
        header,
        ["A-1", "一", 2023, LANCANG, "产业发展", "在建", 10, "勐朗村"],
        ["A-2", "二", 2023, LANCANG, "产业发展", "在建", 10, "竹塘乡新城村"],
        ["B-1", "三", 2023, MENGLIAN, "产业发展", "在建", 10, "勐朗村"],
    ]

    import_files(write(tmp_path, "报表.xlsx", workbook_bytes(("报表", rows))), quiet=True)

    assert {p.code: (p.village.township, p.village.county_id) for p in Project.objects.all()} == {
        "A-1": ("勐朗镇", lancang.pk),
        "A-2": ("竹塘乡", lancang.pk),
        "B-1": ("娜允镇", menglian.pk),
    }
    # The export writes 乡镇 + name, which imports back whatever villages share a name.
    from projects.importers import exporting

    lines = exporting.csv_lines(Project.objects.with_place().order_by("code"))
    export = "".join(lines).encode("utf-8")
    assert "竹塘乡新城村" in export.decode("utf-8")
    again = import_files(write(tmp_path, "导出.csv", export), quiet=True)
    assert again[-1] == "created=0 updated=0 unchanged=3"
    rows = [header, ["A-3", "四", 2023, LANCANG, "产业发展", "在建", 10, "新城村"]]
    rows.append(["A-4", "五", 2023, LANCANG, "产业发展", "在建", 10, "火星村"])
    errors, _ = refused(write(tmp_path, "报表.xlsx", workbook_bytes(("报表", rows))))
    assert errors == [
        "第2行 行政村：%s有多个“新城村”：勐朗镇新城村、竹塘乡新城村，请写明乡镇" % LANCANG,
        "第3行 行政村：“火星村”不是%s已登记的村（请先在管理后台登记，或写作“乡镇+村名”）" % LANCANG,
    ]
