"""Writing projects in the yearly report format, so that an export imports back unchanged,
and what every XLSX hujin writes shares: safe cells, the 填写说明 sheet, the temporary file."""

import csv
import datetime
import tempfile

# Safe cells are counties' (every app writes files); the old names still import from here.
from counties.cells import ESCAPED, csv_text, xlsx_value  # noqa: F401
from counties.models import County
from counties.places import PlaceNames

from .rows import COLUMNS, HEADERS

CSV_CHUNK = 2000


def cells(project):
    """One project as the template's cells; the project must come with its county and
    prefecture (Project.objects.with_place())."""
    return [column.export(project) for column in COLUMNS]


class Line:
    """A file-like that hands back what csv.writer writes, for streaming."""

    def write(self, value):
        return value


# The last line of a CSV export: a file cut short (a stream broken off) has none, and the
# import reads it as the end it is (tables.EXPORT_END), checking the count.
EXPORT_END = "（导出完毕：共%d个项目）"


def csv_lines(projects, closing=True):
    """UTF-8 with BOM (so Excel opens it as Chinese), CRLF, one project a line; with
    `closing`, last, the line EXPORT_END saying how many there are."""
    writer = csv.writer(Line())
    yield "\ufeff" + writer.writerow(HEADERS)
    count = 0
    for project in projects.iterator(chunk_size=CSV_CHUNK):
        count += 1
        yield writer.writerow([csv_text(value) for value in cells(project)])
    if closing:
        yield writer.writerow([EXPORT_END % count])


def xlsx_file(projects, counted=None):
    """The projects (None: none, for the blank template) as an XLSX workbook in a temporary
    file, written in streaming mode, with a sheet of the format's rules and one of every
    county with its code and the other names the import accepts.

    `counted(rows)`, if given, hears how many projects are written, every CSV_CHUNK.

    The code column is formatted as text (Excel would turn a long code into a number and
    lose its last digits), the header row is frozen, and the template has drop-down lists
    for 县市区, 项目类别 and 项目状态.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("项目年度报表")
    sheet.freeze_panes = "A2"
    for position, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    if projects is None:
        add_lists(sheet, workbook)
    sheet.append(HEADERS)
    as_text = {index for index, column in enumerate(COLUMNS) if column.text_format}

    def cell(index, value):
        if isinstance(value, datetime.date):
            date_cell = WriteOnlyCell(sheet, value)
            date_cell.number_format = "yyyy-mm-dd"
            return date_cell
        if index in as_text:
            text_cell = WriteOnlyCell(sheet, xlsx_value(value))
            text_cell.number_format = "@"
            return text_cell
        return xlsx_value(value)

    rows = 0
    for project in projects.iterator(chunk_size=CSV_CHUNK) if projects is not None else ():
        sheet.append([cell(index, value) for index, value in enumerate(cells(project))])
        rows += 1
        if counted is not None and rows % CSV_CHUNK == 0:
            counted(rows)
    if counted is not None:
        counted(rows)
    if projects is None:
        # The blank rows' code cells, formatted as text before anything is typed in them.
        for _ in range(TEMPLATE_ROWS):
            sheet.append([cell(i, None) if i in as_text else None for i in range(max(as_text) + 1)])
    guide_sheet(workbook, COLUMNS, [column.rule for column in COLUMNS])
    if projects is None:
        county_sheet(workbook)
    return saved(workbook)


TEMPLATE_ROWS = 1000
COUNTY_SHEET = "县市区代码表"


def add_lists(sheet, workbook):
    """The template's drop-down lists and its text-formatted code column, for its first
    TEMPLATE_ROWS rows; 县市区 from the county sheet (a list too long to write inline)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    counties = max(County.objects.count(), 1)
    for position, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(position)
        cells = "%s2:%s%d" % (letter, letter, TEMPLATE_ROWS + 1)
        if column.key == "county":
            formula = "'%s'!$A$2:$A$%d" % (COUNTY_SHEET, counties + 1)
        elif column.choices is not None:
            formula = '"%s"' % ",".join(column.choices())
        else:
            continue
        # Offices also write names the list does not hold (former names, short forms).
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.showErrorMessage = False
        validation.add(cells)
        sheet.data_validations.append(validation)


def county_sheet(workbook):
    """Every county with its code, prefecture and the other names an import accepts."""
    sheet = workbook.create_sheet(COUNTY_SHEET)
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["D"].width = 60
    sheet.append(["县市区", "区划代码", "州市", "导入时也认可的写法"])
    names = PlaceNames()
    accepted = names.accepted_county_forms()
    for code, county in sorted(names.counties.items()):
        written = [form for form in accepted.get(code, []) if form not in (county.name, code)]
        sheet.append(safe_row([county.name, code, county.prefecture.name, "、".join(written)]))


def safe_row(values):
    """A row of xlsx_value cells, for sheet.append()."""
    return [xlsx_value(value) for value in values]


def guide_sheet(workbook, columns, rules):
    """The 填写说明 sheet of a template: each column's header, alias, whether it is required
    and its rule. Returns the sheet, for more to be added below."""
    guide = workbook.create_sheet("填写说明")
    guide.append(["列名", "英文别名", "是否必填", "说明"])
    for column, rule in zip(columns, rules, strict=True):
        guide.append(
            safe_row([column.header, column.key, "必填" if column.required else "选填", rule])
        )
    return guide


def saved(workbook):
    """The workbook written to a temporary file, rewound for the response (which closes it)."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 the response closes it
    workbook.save(output)
    output.seek(0)
    return output
