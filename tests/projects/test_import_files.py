"""Yearly reports as real offices write them: every encoding, number and date form, XLSX cells,
title and blank rows, and header variants all import to the same projects."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from projects.models import Project

from .report_files import (
    HEADERS,
    KEYS,
    TITLE,
    csv_bytes,
    edited_xlsx,
    import_files,
    row,
    write,
    xlsx_bytes,
    xlsx_row,
)

DATA = Path(__file__).resolve().parent.parent / "data"
MARCH_1 = datetime.date(2022, 3, 1)


def imported(tmp_path, name, content, **options):
    """Imports one file through the command; returns its summary line."""
    return import_files(write(tmp_path, name, content), **options)[-1]


@pytest.mark.parametrize("newline", ["\r\n", "\n"], ids=["crlf", "lf"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_imports_in_each_encoding_and_line_ending(tmp_path, county, encoding, newline):
    rows = [row(notes="村集体经济分红"), row("2023-LC-002", name="澜沧江畔步道", notes="")]
    content = csv_bytes(rows, encoding=encoding, newline=newline)

    summary = imported(tmp_path, "报表.csv", content)

    assert summary == "created=2 updated=0 unchanged=0"
    project = Project.objects.get(code="2023-LC-001")
    assert (project.name, project.county, project.notes) == ("茶叶初制所", county, "村集体经济分红")
    assert Project.objects.get(code="2023-LC-002").name == "澜沧江畔步道"


def test_gbk_file_is_detected_without_being_told(tmp_path, county):
    content = csv_bytes([row()], encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")

    assert imported(tmp_path, "gbk.csv", content) == "created=1 updated=0 unchanged=0"
    assert Project.objects.get().county == county


def test_gb18030_file_keeps_characters_gbk_lacks(tmp_path, county):
    content = csv_bytes([row(notes="受益户含“𠮷”姓村民")], encoding="gb18030")

    imported(tmp_path, "gb18030.csv", content)

    assert Project.objects.get().notes == "受益户含“𠮷”姓村民"


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("169.41", Decimal("169.41")),
        ("1,234.50", Decimal("1234.5")),
        ("1,234,567.8901", Decimal("1234567.8901")),
        ("１２０．５", Decimal("120.5")),
        ("１，２３４．５", Decimal("1234.5")),
        (" 88 ", Decimal("88")),
        ("0", Decimal("0")),
    ],
)
def test_amounts_are_read_in_each_form(tmp_path, county, cell, amount):
    content = csv_bytes([row(shanghai_funds=cell, other_funds=cell)])
    # 1,234,567.8901万元 is beyond belief for one project: a person has said it is right.
    imported(tmp_path, "报表.csv", content, allow_large_amounts=True)

    project = Project.objects.get()
    assert project.shanghai_funds == amount
    assert project.other_funds == amount


def test_empty_optional_cells_import_as_zero_or_nothing(tmp_path, county):
    cells = {"other_funds": "", "beneficiaries": "", "start_date": "", "end_date": ""}
    imported(tmp_path, "报表.csv", csv_bytes([row(prefecture="", notes="", **cells)]))

    project = Project.objects.get()
    assert project.other_funds == 0
    assert project.beneficiaries is None
    assert project.start_date is None
    assert project.end_date is None
    assert project.notes == ""
    assert project.county == county


@pytest.mark.parametrize("cell", ["1200", "1,200", "１２００", " 1200 "])
def test_beneficiaries_are_read_in_each_form(tmp_path, county, cell):
    imported(tmp_path, "报表.csv", csv_bytes([row(beneficiaries=cell)]))

    assert Project.objects.get().beneficiaries == 1200


@pytest.mark.parametrize(
    "cell",
    ["2022-03-01", "2022/3/1", "2022/03/01", "2022年3月1日", "２０２２年３月１日", " 2022-3-1 "],
)
def test_dates_are_read_in_each_form(tmp_path, county, cell):
    content = csv_bytes([row(year="2022", start_date=cell, end_date=cell)])

    imported(tmp_path, "报表.csv", content)

    project = Project.objects.get()
    assert (project.start_date, project.end_date) == (MARCH_1, MARCH_1)


def test_category_status_and_places_may_be_given_by_code(tmp_path, county):
    cells = {"prefecture": "530800", "county": "530828", "category": "industry"}
    imported(tmp_path, "报表.csv", csv_bytes([row(status="completed", **cells)]))

    project = Project.objects.get()
    assert (project.county, project.category, project.status) == (county, "industry", "completed")


def test_stray_spaces_around_cells_are_ignored(tmp_path, county):
    cells = {
        "code": " 2023-LC-001 ",
        "name": "  茶叶初制所 ",
        "year": " 2023 ",
        "prefecture": " 普洱市",
        "county": "澜沧拉祜族自治县\u3000",
        "category": " 产业发展 ",
        "status": "在建 ",
        "notes": " 村集体经济分红 ",
    }
    imported(tmp_path, "报表.csv", csv_bytes([row(**cells)]))

    project = Project.objects.get()
    assert (project.code, project.name, project.year) == ("2023-LC-001", "茶叶初制所", 2023)
    assert (project.county, project.category, project.status) == (county, "industry", "building")
    assert project.notes == "村集体经济分红"


def test_fully_empty_rows_are_ignored_in_a_csv(tmp_path, county):
    rows = [[], row(), [""] * 13, [" "] * 13, row("2023-LC-002"), [], [""] * 13]

    assert imported(tmp_path, "报表.csv", csv_bytes(rows)) == "created=2 updated=0 unchanged=0"
    assert Project.objects.count() == 2


def test_title_row_above_the_header_is_skipped(tmp_path, county):
    content = csv_bytes([row()], title=TITLE, encoding="gbk")

    assert imported(tmp_path, "报表.csv", content) == "created=1 updated=0 unchanged=0"
    assert Project.objects.get().name == "茶叶初制所"


def test_english_aliases_are_accepted_as_headers(tmp_path, county):
    content = csv_bytes([row()], header=KEYS)

    assert imported(tmp_path, "report.csv", content) == "created=1 updated=0 unchanged=0"
    assert Project.objects.get().shanghai_funds == Decimal("169.41")


def test_headers_match_with_half_width_brackets_and_spaces(tmp_path, county):
    header = [" 项目编号", "项目名称 ", "\u3000年度", *HEADERS[3:7]]
    header += ["上海援助资金(万元)", "其他资金 ( 万元 )", *HEADERS[9:]]
    imported(tmp_path, "报表.csv", csv_bytes([row()], header=header))

    project = Project.objects.get()
    assert (project.shanghai_funds, project.other_funds) == (Decimal("169.41"), Decimal("20"))


def test_columns_may_come_in_any_order_and_optional_ones_may_be_missing(tmp_path, county):
    header = [
        "县市区",
        "项目名称",
        "项目编号",
        "上海援助资金（万元）",
        "年度",
        "项目状态",
        "项目类别",
    ]
    cells = ["澜沧拉祜族自治县", "茶叶初制所", "2023-LC-001", "169.41", "2023", "在建", "产业发展"]

    imported(tmp_path, "报表.csv", csv_bytes([cells], header=header))

    project = Project.objects.get()
    assert (project.code, project.county, project.year) == ("2023-LC-001", county, 2023)
    assert (project.other_funds, project.beneficiaries, project.notes) == (0, None, "")


def test_xlsx_number_cells_become_exact_decimals(tmp_path, county):
    rows = [
        xlsx_row(shanghai_funds=169.41, other_funds=20),
        xlsx_row("2023-LC-002", shanghai_funds=0.1, other_funds=1234.5678),
    ]

    imported(tmp_path, "报表.xlsx", xlsx_bytes(rows))

    first, second = Project.objects.order_by("code")
    assert (first.shanghai_funds, first.other_funds) == (Decimal("169.41"), Decimal("20"))
    assert (second.shanghai_funds, second.other_funds) == (Decimal("0.1"), Decimal("1234.5678"))


def test_xlsx_formula_total_imports_as_the_amount_excel_shows(tmp_path, county):
    """Excel saves a formula's result at full precision: =12.3+3.3 as 15.600000000000001,
    shown as 15.6 in the cell."""
    as_openpyxl_writes_it = '<c r="H2" t="n"><v>15.6</v></c>'
    as_excel_writes_it = '<c r="H2"><f>12.3+3.3</f><v>15.600000000000001</v></c>'
    content = edited_xlsx(
        xlsx_bytes([xlsx_row(shanghai_funds=15.6)]), {as_openpyxl_writes_it: as_excel_writes_it}
    )

    assert imported(tmp_path, "报表.xlsx", content) == "created=1 updated=0 unchanged=0"
    assert Project.objects.get().shanghai_funds == Decimal("15.6")


@pytest.mark.parametrize("dimension", ['<dimension ref="A1" />', '<dimension ref="A1:M2" />'])
def test_xlsx_rows_beyond_a_wrong_sheet_dimension_are_still_read(tmp_path, county, dimension):
    """Some programs write a <dimension> that does not cover the sheet (or just "A1")."""
    rows = [xlsx_row(), xlsx_row("2023-LC-002"), xlsx_row("2023-LC-003")]
    content = edited_xlsx(xlsx_bytes(rows), {'<dimension ref="A1:M4" />': dimension})

    assert imported(tmp_path, "报表.xlsx", content) == "created=3 updated=0 unchanged=0"


def test_xlsx_numeric_code_cells_are_not_written_with_a_decimal_point(tmp_path, county):
    rows = [
        xlsx_row(2023001, county=530828, prefecture=530800),
        xlsx_row(2023002.0, county=530828.0, year=2023.0),
    ]

    imported(tmp_path, "报表.xlsx", xlsx_bytes(rows))

    assert list(Project.objects.order_by("code").values_list("code", "county", "year")) == [
        ("2023001", county.pk, 2023),
        ("2023002", county.pk, 2023),
    ]


def test_xlsx_date_cells_and_date_text_are_both_read(tmp_path, county):
    rows = [
        xlsx_row(start_date=datetime.datetime(2022, 3, 1), end_date=datetime.date(2022, 12, 31)),
        xlsx_row("2023-LC-002", start_date="2022年3月1日", end_date="2022/12/31"),
    ]

    imported(tmp_path, "报表.xlsx", xlsx_bytes(rows))

    for project in Project.objects.all():
        assert (project.start_date, project.end_date) == (MARCH_1, datetime.date(2022, 12, 31))


def test_xlsx_with_a_title_row_and_empty_rows_imports(tmp_path, county):
    rows = [[], xlsx_row(), [], [None] * 13, xlsx_row("2023-LC-002"), []]

    summary = imported(tmp_path, "报表.xlsx", xlsx_bytes(rows, title=TITLE))

    assert summary == "created=2 updated=0 unchanged=0"
    assert Project.objects.count() == 2


@pytest.mark.usefixtures("reference")
def test_sample_gbk_csv_with_title_row_and_crlf_imports():
    path = DATA / "yearly_report_2023_gbk.csv"
    assert path.read_bytes().count(b"\r\n") == 8

    lines = import_files(str(path))

    assert lines[-1] == "created=5 updated=0 unchanged=0"
    project = Project.objects.get(code="2023-LC-003")
    assert project.county.name == "澜沧拉祜族自治县"
    assert project.shanghai_funds == Decimal("1234.5")
    assert project.start_date == datetime.date(2023, 4, 1)
    assert Project.objects.get(code="2023-MH-001").county.prefecture.name == "西双版纳傣族自治州"


@pytest.mark.usefixtures("reference")
def test_sample_xlsx_with_number_and_date_cells_imports():
    lines = import_files(str(DATA / "yearly_report_2023.xlsx"))

    assert lines[-1] == "created=4 updated=0 unchanged=0"
    project = Project.objects.get(code="530828001")
    assert project.shanghai_funds == Decimal("169.41")
    assert project.beneficiaries == 1200
    assert project.end_date == datetime.date(2023, 11, 30)
    assert Project.objects.get(code="2023-ML-001").county.code == "530827"


@pytest.mark.usefixtures("reference")
def test_sample_utf8_bom_csv_imports():
    lines = import_files(str(DATA / "yearly_report_2023_utf8_bom.csv"))

    assert lines[-1] == "created=3 updated=0 unchanged=0"
    assert Project.objects.get(code="2023-LC-101").category == "education"
