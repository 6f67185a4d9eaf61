"""A report with any bad row is refused whole: every problem on its own line, in Chinese, with
the spreadsheet row and the column header as written in the file; nothing is written."""

import datetime

import pytest

from counties.models import County
from projects.models import ImportBatch, Project
from tests.cast import make_project

from .report_files import (
    HEADERS,
    KEYS,
    TITLE,
    csv_bytes,
    import_files,
    numbered,
    refused,
    row,
    write,
    xlsx_bytes,
    xlsx_row,
)

NEXT_YEAR = datetime.date.today().year + 1
DATE_FORMS = "（可写作2022-03-01、2022/3/1或2022年3月1日）"
CATEGORIES = "产业发展、劳务协作、教育帮扶、医疗帮扶、消费帮扶、基础设施、乡村建设、社会帮扶、其他"


def one_error(count=1):
    return "导入失败：共%d处错误，未写入任何数据。" % count


def assert_nothing_written():
    assert not Project.objects.exists()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("cells", "error"),
    [
        ({"code": ""}, "第2行 项目编号：不能为空"),
        ({"code": "2023-LC-" + "0" * 33}, "第2行 项目编号：超过40个字"),
        ({"name": ""}, "第2行 项目名称：不能为空"),
        ({"year": ""}, "第2行 年度：不能为空"),
        ({"year": "1995"}, "第2行 年度：年度须为1996至%d之间的整数，而不是“1995”" % NEXT_YEAR),
        (
            {"year": str(NEXT_YEAR + 1)},
            "第2行 年度：年度须为1996至%d之间的整数，而不是“%d”" % (NEXT_YEAR, NEXT_YEAR + 1),
        ),
        (
            {"year": "二〇二三"},
            "第2行 年度：年度须为1996至%d之间的整数，而不是“二〇二三”" % NEXT_YEAR,
        ),
        ({"prefecture": "火星州"}, "第2行 州市：未知的州市“火星州”"),
        ({"county": "火星县"}, "第2行 县市区：未知的县市区“火星县”"),
        ({"county": "999999"}, "第2行 县市区：未知的县市区“999999”"),
        ({"county": ""}, "第2行 县市区：不能为空"),
        ({"category": ""}, "第2行 项目类别：不能为空"),
        ({"category": "修路"}, "第2行 项目类别：未知的取值“修路”（可填：%s）" % CATEGORIES),
        (
            {"status": "已验收"},
            "第2行 项目状态：未知的取值“已验收”（可填：计划、在建、完工、暂停）",
        ),
        ({"shanghai_funds": ""}, "第2行 上海援助资金（万元）：不能为空"),
        ({"shanghai_funds": "约100"}, "第2行 上海援助资金（万元）：不是数字：“约100”"),
        ({"shanghai_funds": "-5"}, "第2行 上海援助资金（万元）：金额不能为负数：“-5”"),
        ({"shanghai_funds": "1.23456"}, "第2行 上海援助资金（万元）：最多4位小数：“1.23456”"),
        ({"shanghai_funds": "1,23.4"}, "第2行 上海援助资金（万元）：千分位逗号位置不对：“1,23.4”"),
        ({"other_funds": "-0.5"}, "第2行 其他资金（万元）：金额不能为负数：“-0.5”"),
        ({"beneficiaries": "-3"}, "第2行 受益人数：须为不小于0的整数，而不是“-3”"),
        ({"beneficiaries": "12.5"}, "第2行 受益人数：须为不小于0的整数，而不是“12.5”"),
        ({"start_date": "2023-02-30"}, "第2行 开工日期：日期不存在：“2023-02-30”" + DATE_FORMS),
        ({"end_date": "下个月"}, "第2行 完工日期：不是日期：“下个月”" + DATE_FORMS),
        (
            {"start_date": "2023-05-01", "end_date": "2023-04-30"},
            "第2行 完工日期：完工日期不能早于开工日期",
        ),
    ],
)
def test_a_bad_cell_is_refused_with_its_row_column_and_reason(tmp_path, county, cells, error):
    path = write(tmp_path, "报表.csv", csv_bytes([row(**cells)]))

    errors, failure = refused(path)

    assert errors == [error]
    assert failure == one_error()
    assert_nothing_written()


def test_import_rejects_unknown_county_on_row_17(tmp_path, county):
    rows = numbered(16)
    rows[15][KEYS.index("county")] = "火星县"

    errors, _ = refused(write(tmp_path, "报表.csv", csv_bytes(rows)))

    assert errors == ["第17行 县市区：未知的县市区“火星县”"]
    assert_nothing_written()


def test_import_rejects_a_prefecture_that_does_not_contain_the_county(tmp_path, county, menghai):
    rows = [row(prefecture="普洱市", county="勐海县"), row("2023-LC-002", prefecture="532800")]

    errors, _ = refused(write(tmp_path, "报表.csv", csv_bytes(rows)))

    assert errors == [
        "第2行 州市：县市区“勐海县”不属于“普洱市”",
        "第3行 州市：县市区“澜沧拉祜族自治县”不属于“西双版纳傣族自治州”",
    ]
    assert_nothing_written()


def test_a_county_name_shared_by_two_prefectures_needs_the_prefecture(tmp_path, county, menghai):
    # Names are unique only within a prefecture; a second 澜沧拉祜族自治县 makes the name ambiguous.
    County.objects.create(
        code="532899", name=county.name, prefecture=menghai.prefecture, division_type="自治县"
    )
    path = write(tmp_path, "报表.csv", csv_bytes([row(prefecture="")]))

    errors, _ = refused(path)

    assert errors == ["第2行 县市区：县市区“澜沧拉祜族自治县”重名，请同时填写州市或改用区划代码"]
    lines = import_files(write(tmp_path, "补州市.csv", csv_bytes([row(prefecture="普洱市")])))
    assert lines[-1] == "created=1 updated=0 unchanged=0"
    assert Project.objects.get().county == county


def test_every_problem_is_reported_not_only_the_first(tmp_path, county):
    rows = [
        row("2023-LC-001"),
        row("2023-LC-002", county="火星县", shanghai_funds="-1"),
        row("2023-LC-003"),
        row("", name="", year="1990", status="搁置"),
        row("2023-LC-005", start_date="2023-09-01", end_date="2023-08-31"),
    ]

    errors, failure = refused(write(tmp_path, "报表.csv", csv_bytes(rows)))

    assert errors == [
        "第3行 县市区：未知的县市区“火星县”",
        "第3行 上海援助资金（万元）：金额不能为负数：“-1”",
        "第5行 项目编号：不能为空",
        "第5行 项目名称：不能为空",
        "第5行 年度：年度须为1996至%d之间的整数，而不是“1990”" % NEXT_YEAR,
        "第5行 项目状态：未知的取值“搁置”（可填：计划、在建、完工、暂停）",
        "第6行 完工日期：完工日期不能早于开工日期",
    ]
    assert failure == one_error(7)
    assert_nothing_written()


def test_row_numbers_count_the_title_row_and_blank_rows(tmp_path, county):
    rows = [row(), [""] * 13, row("2023-LC-002", county="火星县")]

    errors, _ = refused(write(tmp_path, "报表.csv", csv_bytes(rows, title=TITLE)))

    assert errors == ["第5行 县市区：未知的县市区“火星县”"]


def test_errors_name_the_column_as_the_file_writes_it(tmp_path, county):
    header = ["Code", "name", " 年度 ", *HEADERS[3:7], "上海援助资金(万元)", *HEADERS[8:]]
    header[KEYS.index("county")] = "county"
    rows = [row(code="", county="火星县", shanghai_funds="abc")]

    errors, _ = refused(write(tmp_path, "report.csv", csv_bytes(rows, header=header)))

    assert errors == [
        "第2行 Code：不能为空",
        "第2行 county：未知的县市区“火星县”",
        "第2行 上海援助资金(万元)：不是数字：“abc”",
    ]


def test_xlsx_errors_give_the_row_excel_shows(tmp_path, county):
    rows = [
        xlsx_row(),
        [],
        xlsx_row("2023-LC-002", shanghai_funds=-5, beneficiaries=12.5),
        xlsx_row(None),
    ]

    errors, _ = refused(write(tmp_path, "报表.xlsx", xlsx_bytes(rows, title=TITLE)))

    assert errors == [
        "第5行 上海援助资金（万元）：金额不能为负数：“-5”",
        "第5行 受益人数：须为不小于0的整数，而不是“12.5”",
        "第6行 项目编号：不能为空",
    ]
    assert_nothing_written()


def test_the_same_code_twice_in_one_file_is_refused(tmp_path, county):
    rows = [row(), row("2023-LC-002"), row(" 2023-LC-001 ", name="另一个项目"), row()]

    errors, _ = refused(write(tmp_path, "报表.csv", csv_bytes(rows)))

    assert errors == [
        "第4行 项目编号：与第2行重复的项目编号“2023-LC-001”",
        "第5行 项目编号：与第2行重复的项目编号“2023-LC-001”",
    ]
    assert_nothing_written()


def test_the_same_code_in_two_files_of_one_import_is_refused(tmp_path, county):
    first = write(tmp_path, "普洱.csv", csv_bytes([row("2023-LC-001"), row("2023-LC-002")]))
    second = write(tmp_path, "澜沧.xlsx", xlsx_bytes([xlsx_row("2023-LC-003"), xlsx_row()]))

    errors, _ = refused(first, second)

    assert errors == ["澜沧.xlsx 第3行 项目编号：与普洱.csv 第2行重复的项目编号“2023-LC-001”"]
    assert_nothing_written()


def test_a_bad_row_in_the_second_file_keeps_the_first_file_out_too(tmp_path, county):
    first = write(tmp_path, "a.csv", csv_bytes([row("2023-LC-001")]))
    second = write(tmp_path, "b.csv", csv_bytes([row("2023-LC-002", county="火星县")]))

    errors, _ = refused(first, second)

    assert errors == ["b.csv 第2行 县市区：未知的县市区“火星县”"]
    assert_nothing_written()


def test_a_bad_last_row_of_1000_writes_nothing_at_all(tmp_path, county):
    make_project(code="2023-LC-0001", name="旧名称", county=county)
    rows = numbered(1000)
    rows[-1][KEYS.index("county")] = "火星县"

    errors, failure = refused(write(tmp_path, "报表.csv", csv_bytes(rows)))

    assert errors == ["第1001行 县市区：未知的县市区“火星县”"]
    assert failure == one_error()
    assert Project.objects.get().name == "旧名称"
    assert not ImportBatch.objects.exists()


FOUND = (
    "项目编号、项目名称、年度、州市、项目类别、项目状态、上海援助资金（万元）、其他资金（万元）、"
    "受益人数、开工日期、完工日期、备注"
)


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        (
            "报表.csv",
            csv_bytes([row()[:4] + row()[5:]], header=HEADERS[:4] + HEADERS[5:]),
            # What the header does hold is named, for a header the user thinks right.
            "缺少必填列：县市区。第1行表头中找到的列：%s。" % FOUND,
        ),
        (
            "报表.csv",
            csv_bytes([row()], header=["项目编号", *HEADERS[1:], "项目编号"]),
            "第1行表头中“项目编号”出现了两次，请删除或改名其中一列。"
            "表头中找到的列：项目编号、项目名称、年度、州市、县市区、项目类别、项目状态、"
            "上海援助资金（万元）、其他资金（万元）、受益人数、开工日期、完工日期、备注、项目编号。",
        ),
        (
            "报表.csv",
            "序号,单位,金额\n1,澜沧县,100\n".encode(),
            "未找到表头：前15行中没有“项目编号”“县市区”等列名。",
        ),
        (
            "报表.xls",
            csv_bytes([row()]),
            "文件实际是CSV文件，而文件名或所选格式是XLS：请改正后重新上传。",
        ),
        (
            "报表.pdf",
            csv_bytes([row()]),
            "不支持的文件类型“报表.pdf”：请上传XLSX、XLS、ODS或CSV文件。",
        ),
    ],
    ids=["missing-column", "column-twice", "no-header", "xls-named-csv", "pdf"],
)
def test_a_file_that_is_not_a_report_is_refused_in_chinese(tmp_path, county, name, content, error):
    errors, failure = refused(write(tmp_path, name, content))

    assert errors == [error]
    assert failure == one_error()
    assert_nothing_written()


def test_a_damaged_xlsx_is_refused_in_chinese(tmp_path, county):
    content = xlsx_bytes([xlsx_row()])[:300]

    errors, _ = refused(write(tmp_path, "报表.xlsx", content))

    assert len(errors) == 1
    assert errors[0].startswith("无法读取XLSX文件")
    assert_nothing_written()


def test_a_missing_file_is_refused_before_anything_is_read(tmp_path, county):
    missing = str(tmp_path / "没有这个文件.csv")

    _, failure = refused(missing)

    assert failure == "找不到文件：%s" % missing
    assert_nothing_written()
