"""Yearly report files as county offices send them, built in memory.

CSV as bytes in any encoding, line ending and title row; XLSX through openpyxl with real
number and date cells, in the template's one sheet or in sheets laid out freely
(`workbook_bytes`). The command is run through `call_command`, as an operator runs it, and
`stored` reads back the project it wrote.
"""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook
from openpyxl.utils.escape import unescape

from projects.models import Project

# The template's columns, written out here rather than imported: the tests pin the format.
HEADERS = [
    "项目编号",
    "项目名称",
    "年度",
    "州市",
    "县市区",
    "项目类别",
    "项目状态",
    "上海援助资金（万元）",
    "其他资金（万元）",
    "受益人数",
    "开工日期",
    "完工日期",
    "备注",
]
KEYS = [
    "code",
    "name",
    "year",
    "prefecture",
    "county",
    "category",
    "status",
    "shanghai_funds",
    "other_funds",
    "beneficiaries",
    "start_date",
    "end_date",
    "notes",
]
TITLE = "2023年度沪滇协作项目统计表（普洱市）"
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

# One valid project in the tests' county (conftest: 普洱市 530800, 澜沧拉祜族自治县 530828).
TEXT_CELLS = {
    "code": "2023-LC-001",
    "name": "茶叶初制所",
    "year": "2023",
    "prefecture": "普洱市",
    "county": "澜沧拉祜族自治县",
    "category": "产业发展",
    "status": "在建",
    "shanghai_funds": "169.41",
    "other_funds": "20",
    "beneficiaries": "1200",
    "start_date": "2023-03-01",
    "end_date": "2023-11-30",
    "notes": "",
}
# The same project as Excel holds it: numbers and dates as cells, not text.
XLSX_CELLS = {
    **TEXT_CELLS,
    "year": 2023,
    "shanghai_funds": 169.41,
    "other_funds": 20,
    "beneficiaries": 1200,
    "start_date": datetime.datetime(2023, 3, 1),
    "end_date": datetime.datetime(2023, 11, 30),
    "notes": None,
}


def row(code="2023-LC-001", **cells):
    """One CSV row of text cells, in template order; keyword arguments replace cells by key."""
    return [{**TEXT_CELLS, "code": code, **cells}[key] for key in KEYS]


def xlsx_row(code="2023-LC-001", **cells):
    """One XLSX row of typed cells (numbers, dates), in template order."""
    return [{**XLSX_CELLS, "code": code, **cells}[key] for key in KEYS]


def numbered(count, **cells):
    """`count` distinct valid CSV rows: codes 2023-LC-0001, 2023-LC-0002, …"""
    return [row("2023-LC-%04d" % n, **cells) for n in range(1, count + 1)]


def csv_bytes(rows, *, header=HEADERS, title=None, encoding="utf-8", newline="\r\n"):
    """A CSV file as Excel writes it: CRLF by default, an optional title row above the header."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator=newline)
    if title is not None:
        writer.writerow([title] + [""] * (len(header) - 1))
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADERS, title=None):
    """An XLSX workbook; each cell keeps its Python type (int, float, datetime, str, None).

    An empty row (`[]`) is left out of the sheet altogether, as Excel does.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "项目年度报表"
    if title is not None:
        sheet.append([title])
    sheet.append(header)
    for cells in rows:
        sheet.append(cells)
    for cell in sheet["K"] + sheet["L"]:
        if isinstance(cell.value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def edited_xlsx(content, replacements):
    """The workbook with its sheet XML edited as other programs write it, e.g. a formula with
    Excel's cached full-precision value, or a wrong <dimension>. Each old text must occur."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                for old, new in replacements.items():
                    assert old in xml, "%s not in the sheet XML" % old
                    xml = xml.replace(old, new)
                data = xml.encode()
            target.writestr(item, data)
    return buffer.getvalue()


def write(directory, name, content):
    """Writes bytes to directory/name and returns the path as a string."""
    path = directory / name
    path.write_bytes(content)
    return str(path)


def import_files(*paths, **options):
    """Runs the command as an operator would; returns its stdout lines."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_yearly_report", *paths, stdout=out, stderr=err, **options)
    except CommandError as error:
        raise AssertionError("%s\n%s" % (error, err.getvalue())) from error
    return out.getvalue().splitlines()


def refused(*paths, **options):
    """Runs the command expecting it to refuse; returns (stderr lines, CommandError text).

    Quiet unless asked otherwise, so that stderr holds the error lines alone.
    """
    out, err = io.StringIO(), io.StringIO()
    options.setdefault("quiet", True)
    with pytest.raises(CommandError) as failure:
        call_command("import_yearly_report", *paths, stdout=out, stderr=err, **options)
    return err.getvalue().splitlines(), str(failure.value)


def stored(code):
    return Project.objects.get(code=code)


def csv_records(content):
    """The records of a CSV export (bytes, UTF-8 with BOM), header first."""
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_records(content):
    """The cell values of an XLSX export's first sheet, header first."""
    workbook = load_workbook(io.BytesIO(content))
    # As Excel shows the cells: it stores a CR in text as _x000D_ and shows it as a CR.
    return [
        [unescape(cell) if isinstance(cell, str) else cell for cell in cells]
        for cells in workbook.worksheets[0].iter_rows(values_only=True)
    ]
