"""Yearly reports as county offices really lay them out: title rows, two-row headers with
merged group cells, 序号 columns, 合计 rows and footers, cells merged down, hidden rows and
sheets, one sheet per county, places and words as people write them. Each file is built
here with openpyxl as Excel or WPS would save it; the stored values and the exact notices,
warnings and errors are asserted, and nothing is written on refusal."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from counties.models import County
from projects.models import ImportBatch, Project

from .report_files import HEADERS, import_files, refused, write

pytestmark = pytest.mark.usefixtures("reference")


@pytest.fixture
def lancang(reference):
    return County.objects.get(code="530828")


@pytest.fixture
def menglian(reference):
    return County.objects.get(code="530827")


MENGLIAN = "孟连傣族拉祜族佤族自治县"
LANCANG = "澜沧拉祜族自治县"
TITLE = "2023年度普洱市沪滇协作项目实施情况统计表"
# The required columns alone, as many county sheets hold them.
SHORT_HEADER = [
    "项目编号",
    "项目名称",
    "年度",
    "县市区",
    "项目类别",
    "项目状态",
    "上海援助资金（万元）",
]


def workbook_bytes(*sheets, hidden_sheets=(), hidden_rows=None, merges=None):
    """A workbook of (sheet name, rows) pairs; rows are lists of cells from A1 down."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for cells in rows:
            sheet.append(cells)
        for rows_hidden in (hidden_rows or {}).get(name, ()):
            sheet.row_dimensions[rows_hidden].hidden = True
        for merged in (merges or {}).get(name, ()):
            sheet.merge_cells(merged)
        if name in hidden_sheets:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def stored(code):
    return Project.objects.get(code=code)


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
        "（管理后台预览中勾选“确认大额资金无误”）后重新导入"
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
        "如确需变更，请加--allow-moves（管理后台预览中勾选“允许变更年度或县市区”）后重新导入"
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
    response = admin_client.post(url, {"column": "county", "header": "项目实施县", "note": "某县"})
    assert response.status_code == 302
    refused_twice = admin_client.post(url, {"column": "name", "header": "县（市、区）"})
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
