"""The project list exported as a yearly report (CSV or XLSX): the template's columns, the list's
filters, formula-safe cells, and an export that imports back without changing anything."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertRedirects

from projects.models import Project

from .report_files import HEADERS, csv_records, import_files, write, xlsx_records

CSV = reverse("projects:export", kwargs={"fmt": "csv"})
XLSX = reverse("projects:export", kwargs={"fmt": "xlsx"})


@pytest.fixture
def projects(county, menghai):
    """Two projects in 澜沧 (普洱市), in two years, and one in 勐海 (西双版纳州)."""
    return [
        Project.objects.create(
            code="2023-LC-001",
            name="茶叶初制所",
            county=county,
            category="industry",
            status="building",
            year=2023,
            shanghai_funds=Decimal("169.41"),
            other_funds=Decimal("20"),
            beneficiaries=1200,
            start_date=datetime.date(2023, 3, 1),
            end_date=datetime.date(2023, 11, 30),
        ),
        Project.objects.create(
            code="2022-LC-001",
            name="澜沧江畔步道",
            county=county,
            category="infrastructure",
            status="completed",
            year=2022,
            shanghai_funds=Decimal("500"),
            notes="含村组道路",
        ),
        Project.objects.create(
            code="2023-MH-001",
            name="勐海县普洱茶初制所提升",
            county=menghai,
            category="industry",
            status="planned",
            year=2023,
            shanghai_funds=Decimal("120.5"),
        ),
    ]


@pytest.fixture
def formula_like(county):
    """Text a spreadsheet would run as a formula, in a name and in the notes."""
    return Project.objects.create(
        code="2023-LC-009",
        name='=HYPERLINK("http://example.com","点击领取补贴")',
        county=county,
        category="other",
        status="planned",
        year=2023,
        shanghai_funds=Decimal("12.5"),
        beneficiaries=30,
        notes="-村民自筹部分另计",
    )


def export(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content.decode()
    return response, response.getvalue()


def snapshot():
    return {
        p.code: (
            p.name,
            p.county_id,
            p.year,
            p.category,
            p.status,
            p.shanghai_funds,
            p.other_funds,
            p.beneficiaries,
            p.start_date,
            p.end_date,
            p.notes,
            p.updated_at,
            p.import_batch_id,
        )
        for p in Project.objects.all()
    }


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_export_needs_a_login(client, url):
    response = client.get(url)

    assertRedirects(response, "%s?next=%s" % (reverse("login"), url))


def test_csv_export_writes_the_template_columns_in_chinese(user_client, projects):
    response, content = export(user_client, CSV)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".csv" in response["Content-Disposition"]
    assert content.startswith(b"\xef\xbb\xbf")
    records = csv_records(content)
    assert records[0] == [*HEADERS, "村", "项目群"]
    # A reader sees the export is whole: it ends saying how many projects it holds.
    assert records[-1] == ["（导出完毕：共%d个项目）" % (len(records) - 2)]
    by_code = {record[0]: record for record in records[1:-1]}
    assert by_code["2023-LC-001"] == [
        "2023-LC-001",
        "茶叶初制所",
        "2023",
        "普洱市",
        "澜沧拉祜族自治县",
        "产业发展",
        "在建",
        "169.41",
        "20",
        "1200",
        "2023-03-01",
        "2023-11-30",
        "",
        "",
        "",
    ]
    assert by_code["2022-LC-001"][5:] == [
        "基础设施",
        "完工",
        "500",
        "0",
        "",
        "",
        "",
        "含村组道路",
        "",
        "",
    ]
    assert by_code["2023-MH-001"][3:5] == ["西双版纳傣族自治州", "勐海县"]
    assert len(records) == 5  # the header, three projects, the end


def test_xlsx_export_writes_numbers_and_dates_as_cells(user_client, projects):
    response, content = export(user_client, XLSX)

    assert ".xlsx" in response["Content-Disposition"]
    records = xlsx_records(content)
    assert records[0] == [*HEADERS, "村", "项目群"]
    by_code = {record[0]: record for record in records[1:]}
    assert len(by_code) == 3
    first = by_code["2023-LC-001"]
    assert first[:7] == [
        "2023-LC-001",
        "茶叶初制所",
        2023,
        "普洱市",
        "澜沧拉祜族自治县",
        "产业发展",
        "在建",
    ]
    assert first[7:10] == [169.41, 20, 1200]
    assert first[10:12] == [datetime.datetime(2023, 3, 1), datetime.datetime(2023, 11, 30)]
    assert first[12] in (None, "")
    assert by_code["2022-LC-001"][7:12] == [500, 0, None, None, None]


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({}, {"2023-LC-001", "2022-LC-001", "2023-MH-001"}),
        ({"prefecture": "532800"}, {"2023-MH-001"}),
        ({"county": ["530828"]}, {"2023-LC-001", "2022-LC-001"}),
        ({"county": ["530828", "532822"]}, {"2023-LC-001", "2022-LC-001", "2023-MH-001"}),
        ({"prefecture": "530800", "county": ["530828"]}, {"2023-LC-001", "2022-LC-001"}),
        ({"year": "2022"}, {"2022-LC-001"}),
        ({"category": "industry"}, {"2023-LC-001", "2023-MH-001"}),
        ({"status": "planned"}, {"2023-MH-001"}),
        ({"q": "步道"}, {"2022-LC-001"}),
        ({"q": "mh"}, {"2023-MH-001"}),
        ({"year": "2023", "county": ["530828"], "category": "industry"}, {"2023-LC-001"}),
        ({"year": "2021"}, set()),
    ],
)
def test_export_holds_only_the_projects_the_list_filters_show(user_client, projects, params, codes):
    _, content = export(user_client, CSV, params)

    records = csv_records(content)
    assert records[0] == [*HEADERS, "村", "项目群"]
    assert {record[0] for record in records[1:-1]} == codes
    assert records[-1] == ["（导出完毕：共%d个项目）" % len(codes)]


def test_xlsx_export_honours_the_filters_too(user_client, projects):
    _, content = export(user_client, XLSX, {"county": ["532822"], "year": "2023"})

    assert [record[0] for record in xlsx_records(content)[1:]] == ["2023-MH-001"]


@pytest.mark.parametrize("url", [CSV, XLSX])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, "年度须为1996至2100之间的整数，如2022或2022年，"),
        ({"year": ["2019", "abc"]}, "“abc”不是。"),
        ({"category": "修路"}, "没有“修路”这个项目类别。"),
        ({"county": ["999999"]}, "没有区划代码为999999的县市区，或它不属于所选州市。"),
        ({"prefecture": "530800", "county": ["532822"]}, "不属于所选州市"),
    ],
)
def test_an_invalid_filter_answers_400_in_chinese(user_client, projects, url, params, message):
    response = user_client.get(url, params)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_export_queries_do_not_grow_with_the_projects(user_client, county):
    def queries():
        with CaptureQueriesContext(connection) as context:
            export(user_client, CSV)
            export(user_client, XLSX)
        return len(context)

    Project.objects.create(code="A-1", name="一", county=county, category="other", year=2023)
    one = queries()
    for n in range(2, 12):
        Project.objects.create(
            code="A-%d" % n, name="多", county=county, category="other", year=2023
        )

    assert queries() == one


@pytest.mark.parametrize(("url", "name"), [(CSV, "export.csv"), (XLSX, "export.xlsx")])
def test_importing_an_export_changes_nothing(
    user_client, projects, formula_like, tmp_path, url, name
):
    before = snapshot()
    _, content = export(user_client, url)

    lines = import_files(write(tmp_path, name, content))

    assert lines[-1] == "created=0 updated=0 unchanged=4"
    assert snapshot() == before


def test_the_xlsx_in_its_report_layout_imports_back_unchanged(user_client, county, tmp_path):
    """Widths, formats and print settings are display only: a long code kept as text, an
    amount shown with two decimals but holding four, a count with thousands separators and
    dates read back as they were written."""
    Project.objects.create(
        code="530828202300100001",
        name="茶叶初制所",
        county=county,
        category="industry",
        status="building",
        year=2023,
        shanghai_funds=Decimal("12345.6789"),
        other_funds=Decimal("0.0001"),
        beneficiaries=12000,
        start_date=datetime.date(2023, 3, 1),
        end_date=datetime.date(2023, 11, 30),
    )
    before = snapshot()
    _, content = export(user_client, XLSX)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [sheet[cell].number_format for cell in ("A2", "H2", "J2", "K2")] == [
        "@",
        "#,##0.00",
        "#,##0",
        "yyyy-mm-dd",
    ]
    assert sheet.print_title_rows == "$1:$1"

    lines = import_files(write(tmp_path, "export.xlsx", content))

    assert lines[-1] == "created=0 updated=0 unchanged=1"
    assert snapshot() == before


def test_an_export_imports_into_an_empty_database_as_the_same_projects(
    user_client, projects, formula_like, tmp_path
):
    _, content = export(user_client, XLSX)
    before = {code: values[:11] for code, values in snapshot().items()}
    Project.objects.all().delete()

    lines = import_files(write(tmp_path, "export.xlsx", content))

    assert lines[-1] == "created=4 updated=0 unchanged=0"
    assert {code: values[:11] for code, values in snapshot().items()} == before


def test_csv_export_neutralises_text_a_spreadsheet_would_run(user_client, formula_like):
    _, content = export(user_client, CSV)

    record, end = csv_records(content)[1:]
    assert end == ["（导出完毕：共1个项目）"]
    assert record[1] == "'" + formula_like.name
    assert record[12] == "'-村民自筹部分另计"
    assert record[7:10] == ["12.5", "0", "30"]


def test_xlsx_export_neutralises_text_but_keeps_numbers_as_numbers(user_client, formula_like):
    _, content = export(user_client, XLSX)

    (record,) = xlsx_records(content)[1:]
    assert record[1] == "'" + formula_like.name
    assert record[12] == "'-村民自筹部分另计"
    assert record[2] == 2023
    assert record[7:10] == [12.5, 0, 30]


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+8613800000000", "-", "@SUM(A1:A2)", "\t缩进的名称", "\r回车开头"],
    ids=["equals", "plus", "minus", "at", "tab", "cr"],
)
@pytest.mark.parametrize(("url", "name"), [(CSV, "export.csv"), (XLSX, "export.xlsx")])
def test_each_formula_start_is_neutralised_and_imports_back_the_same(
    user_client, county, tmp_path, url, name, text
):
    project = Project.objects.create(
        code="2023-LC-010", name=text + "项目", county=county, category="other", year=2023
    )
    _, content = export(user_client, url)
    records = csv_records(content) if name.endswith(".csv") else xlsx_records(content)
    assert records[1][1] == "'" + project.name

    lines = import_files(write(tmp_path, name, content))

    assert lines[-1] == "created=0 updated=0 unchanged=1"
    assert Project.objects.get().name == project.name


@pytest.mark.parametrize(("url", "name"), [(CSV, "export.csv"), (XLSX, "export.xlsx")])
def test_notes_typed_on_two_lines_in_the_admin_import_back_unchanged(
    user_client, county, tmp_path, url, name
):
    """The admin's textarea sends line breaks as CRLF, and they are stored as sent."""
    Project.objects.create(
        code="2023-LC-011",
        name="村级活动场所",
        county=county,
        category="village",
        year=2023,
        notes="一期：场地平整\r\n二期：房屋建设",
    )
    before = snapshot()
    _, content = export(user_client, url)

    lines = import_files(write(tmp_path, name, content))

    assert lines[-1] == "created=0 updated=0 unchanged=1"
    assert snapshot() == before


@pytest.mark.parametrize(("url", "name"), [(CSV, "export.csv"), (XLSX, "export.xlsx")])
def test_a_control_character_pasted_in_the_admin_exports_and_imports_back(
    user_client, county, tmp_path, url, name
):
    """openpyxl cannot write a vertical tab raw (the XLSX export answered 500); Excel's
    _x000B_ escape carries it, and the import reads it back."""
    Project.objects.create(
        code="2023-LC-012", name="茶叶\x0b初制所", county=county, category="industry", year=2023
    )
    before = snapshot()
    _, content = export(user_client, url)

    lines = import_files(write(tmp_path, name, content))

    assert lines[-1] == "created=0 updated=0 unchanged=1"
    assert snapshot() == before


def test_an_export_imports_back_its_end_line_told_and_counted(user_client, projects, tmp_path):
    from .report_files import import_files

    _, content = export(user_client, CSV)
    whole = tmp_path / "whole.csv"
    whole.write_bytes(content)
    cut = tmp_path / "cut.csv"
    lines = content.decode("utf-8-sig").splitlines(keepends=True)
    cut.write_bytes(("\ufeff" + "".join([*lines[:2], lines[-1]])).encode("utf-8"))

    assert import_files(whole, quiet=True)[-2:] == [
        "提示：第5行是导出文件的结束行，未导入",
        "created=0 updated=0 unchanged=3",
    ]
    assert import_files(cut, quiet=True)[-2:] == [
        "警告：第3行写明导出时共3个项目，本表读到1个：如不是有意删改，文件可能不完整",
        "created=0 updated=0 unchanged=1",
    ]


@pytest.mark.postgres
def test_the_streamed_export_is_planned_for_all_its_rows(db):
    """A cursor read to its end (the CSV export) is planned for every row, not the first
    tenth PostgreSQL plans a cursor for by default: the filtered export's faster plan."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        assert cursor.fetchone()[0] == "1"
