"""Writing projects in the yearly report format, so that an export imports back unchanged,
and what the report templates share: the 填写说明 sheet. Sheets are laid out by
counties.sheets, cells made safe by counties.cells."""

import csv

from counties import sheets

# Safe cells are counties' (every app writes files); the old names still import from here,
# and so does saved (counties.sheets).
from counties.cells import ESCAPED, csv_text, xlsx_value  # noqa: F401
from counties.models import County
from counties.places import PlaceNames
from counties.sheets import saved

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


def kind_of(column):
    """How a report column's cells are shown (counties.sheets): codes as text, amounts in
    万元, counts of people, dates, the year; text as wide as the template's column."""
    if column.text_format:
        return sheets.CODE
    if column.unit == "万元":
        return sheets.MONEY
    if column.unit == "人":
        return sheets.COUNT
    if column.staging == "date":
        return sheets.DATE
    if column.staging == "integer":
        return sheets.YEAR
    return sheets.TEXT


def sheet_columns(columns):
    """The report's columns as counties.sheets lays them out, headed exactly as the import
    reads them."""
    return [sheets.Column(c.header, kind_of(c), c.width) for c in columns]


def xlsx_file(projects, counted=None):
    """The projects (None: none, for the blank template) as an XLSX workbook in a temporary
    file, written in streaming mode, with a sheet of the format's rules and one of every
    county with its code and the other names the import accepts.

    `counted(rows)`, if given, hears how many projects are written, every CSV_CHUNK.

    Laid out by counties.sheets, the header in the first row as the import reads it (no
    title, no 合计 row: the file is the import's format, and the template's): the code column
    formatted as text (Excel would turn a long code into a number and lose its last digits),
    amounts, counts and dates in their formats, the header frozen and printed on every page.
    The template has drop-down lists for 县市区, 项目类别 and 项目状态.
    """
    workbook = sheets.new_workbook()
    sheet = sheets.ReportSheet(workbook, "项目年度报表", sheet_columns(COLUMNS))
    if projects is None:
        add_lists(sheet.sheet)
    rows = 0
    for project in projects.iterator(chunk_size=CSV_CHUNK) if projects is not None else ():
        sheet.append(cells(project))
        rows += 1
        if counted is not None and rows % CSV_CHUNK == 0:
            counted(rows)
    if counted is not None:
        counted(rows)
    if projects is None:
        # The blank rows' code cells, formatted as text before anything is typed in them.
        as_text = [index for index, column in enumerate(COLUMNS) if column.text_format]
        for _ in range(TEMPLATE_ROWS):
            sheet.sheet.append(
                [sheet.cell(None, "@") if i in as_text else None for i in range(max(as_text) + 1)]
            )
    guide_sheet(workbook, COLUMNS, [column.rule for column in COLUMNS])
    if projects is None:
        county_sheet(workbook)
    return saved(workbook)


TEMPLATE_ROWS = 1000
COUNTY_SHEET = "县市区代码表"


def add_lists(sheet):
    """The template's drop-down lists for its first TEMPLATE_ROWS rows; 县市区 from the
    county sheet (a list too long to write inline)."""
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
    sheet = sheets.ReportSheet(
        workbook,
        COUNTY_SHEET,
        [
            sheets.Column("县市区", sheets.PLACE, 26),
            sheets.Column("区划代码", sheets.CODE),
            sheets.Column("州市", sheets.PLACE),
            sheets.Column("导入时也认可的写法", sheets.WRAPPED),
        ],
    )
    names = PlaceNames()
    accepted = names.accepted_county_forms()
    for code, county in sorted(names.counties.items()):
        written = [form for form in accepted.get(code, []) if form not in (county.name, code)]
        sheet.append([county.name, code, county.prefecture.name, "、".join(written)])


# The 填写说明 sheet's columns; a report may add more on the right for what it lists below.
GUIDE_COLUMNS = [
    sheets.Column("列名", sheets.TEXT, 22),
    sheets.Column("英文别名", sheets.TEXT, 30),
    sheets.Column("是否必填", sheets.TEXT),
    sheets.Column("说明", sheets.WRAPPED),
]


def guide_sheet(workbook, columns, rules, more=()):
    """The 填写说明 sheet of a template: each column's header, alias, whether it is required
    and its rule. Returns the ReportSheet, for more to be added below; `more` (Columns
    without a header) widens it on the right for what is added."""
    guide = sheets.ReportSheet(workbook, "填写说明", [*GUIDE_COLUMNS, *more])
    for column, rule in zip(columns, rules, strict=True):
        guide.append([column.header, column.key, "必填" if column.required else "选填", rule])
    return guide
