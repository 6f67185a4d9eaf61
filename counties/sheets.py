"""Every XLSX hujin writes, laid out as a report that opens and prints readably.

Each column is as wide as its header and its kind of values need (a date, a code, a name, an
amount), in that kind's number format; amounts in 万元 show thousands separators and two
decimals while the cell keeps the exact value. The header row is frozen and repeated on every
printed page; a sheet prints on A4 with its grid, fitted to the page's width, landscape when
it is wide. An optional title row goes above the header, and a 合计 row below the records.

Sheets are written in openpyxl's write-only mode (rows stream to the file, memory stays flat):
widths, frozen panes and sheet properties must be set before the first row, which is why a
ReportSheet sets them all when it is made. Every cell passes through counties.cells.

Below the sheets, what the list pages' exports share: the page's filters and scope, the
title naming the filters, the file's name.
"""

import math
import tempfile
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, HttpResponseBadRequest
from django.utils import timezone

from .cells import xlsx_value
from .scopes import scope_of
from .views import filter_summary


@dataclass(frozen=True)
class Kind:
    """What a column holds: how many characters its values need, their number format (None:
    Excel's General), `whole_format` for a value without decimals if it differs, and whether
    long text wraps within the column."""

    width: int
    number_format: str | None = None
    whole_format: str | None = None
    wrap: bool = False

    def format_of(self, value):
        if self.whole_format and isinstance(value, int | Decimal) and value == int(value):
            return self.whole_format
        return self.number_format


TEXT = Kind(10)  # a choice, a yes or no, a person's name
NAME = Kind(30)  # a project's, a park's or a unit's name
PLACE = Kind(18)  # a county's name (孟连傣族拉祜族佤族自治县 takes 24)
NOTE = Kind(40)
WRAPPED = Kind(60, wrap=True)  # sentences: a rule of the template
REMARK = Kind(24, wrap=True)  # a few words beside the numbers
CODE = Kind(12, "@")  # kept as text: Excel would turn a long code into a number
DATE = Kind(12, "yyyy-mm-dd")
DATETIME = Kind(20, "yyyy-mm-dd hh:mm:ss")
YEAR = Kind(8, "0")
MONEY = Kind(14, "#,##0.00")  # 万元
COUNT = Kind(10, "#,##0")  # people, enterprises, records
# An indicator's figure in a unit other than 万元 (人, 个, 家): whole numbers as counts, the
# rare fraction with the decimals it has (figures keep four).
FIGURE = Kind(12, "#,##0.####", whole_format="#,##0")
RATE = Kind(10, "0.0")  # percent, one decimal as the reports write it

# Header text past this many characters wraps rather than widening its column.
MAX_WIDTH = 60
# What a portrait A4 page holds across at about 80% (95 characters at 100%); a wider
# sheet prints landscape.
PORTRAIT_WIDTH = 115
PAGE_NUMBERS = "第 &P 页，共 &N 页"
LINE_HEIGHT = 15  # points, of a line of 11-point text


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header (with the unit, as 金额（万元）; "" for none), its
    kind, and a width in characters it needs at least (0: as its kind and header need)."""

    header: str
    kind: Kind = TEXT
    width: int = 0

    @property
    def fitted_width(self):
        return min(max(self.kind.width, self.width, text_width(self.header) + 2), MAX_WIDTH)


def text_width(text):
    """How many characters wide Excel shows `text`: a Chinese character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def widest(words):
    """The width of a column holding any of `words` (the labels of a choice)."""
    return max(text_width(word) for word in words) + 2


def letter(position):
    from openpyxl.utils import get_column_letter

    return get_column_letter(position)


class ReportSheet:
    """A sheet of a write-only workbook laid out as a report (see the module's docstring).

    `title`: a row above it all, merged across the columns. `groups`: a row of headers over
    the header row, each (text, how many columns it spans); "" over columns of their own,
    whose headers are merged down over both rows. `frozen_columns`: how many columns on the
    left stay in view as well as the header.
    """

    def __init__(self, workbook, name, columns, *, title=None, groups=None, frozen_columns=0):
        from openpyxl.styles import Alignment, Font

        self.sheet = sheet = workbook.create_sheet(name)
        self.columns = list(columns)
        self.bold, self.wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        self.heading = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.widths = [column.fitted_width for column in self.columns]
        for position, width in enumerate(self.widths, start=1):
            sheet.column_dimensions[letter(position)].width = width
        first_header = 1 + (title is not None)
        self.header_row = first_header + (groups is not None)
        sheet.freeze_panes = "%s%d" % (letter(frozen_columns + 1), self.header_row + 1)
        sheet.print_title_rows = "%d:%d" % (first_header, self.header_row)
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as the rows take
        sheet.page_setup.paperSize = 9  # A4 (Worksheet.PAPERSIZE_A4)
        wide = sum(self.widths) > PORTRAIT_WIDTH
        sheet.page_setup.orientation = "landscape" if wide else "portrait"
        sheet.print_options.gridLines = True
        sheet.oddFooter.center.text = PAGE_NUMBERS
        self.rows = 0
        if title is not None:
            centred = Alignment(horizontal="center", vertical="center")
            self.line(title, font=Font(bold=True, size=14), alignment=centred, height=24)
        merged_down = self.group_row(groups) if groups is not None else set()
        self.headings(
            [None if p in merged_down else c.header or None for p, c in enumerate(self.columns, 1)]
        )
        self.makers = [self.maker(column.kind) for column in self.columns]

    def cell(self, value, number_format=None, font=None, alignment=None):
        """A styled cell of this sheet, its value made safe (counties.cells)."""
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.sheet, xlsx_value(value))
        if number_format:
            cell.number_format = number_format
        if font is not None:
            cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def maker(self, kind):
        """The function turning a value of `kind` into its cell: the plain value where the
        kind has no format (a cell without a style costs nothing), a formatted cell else."""
        if kind.wrap:
            return lambda value: None if value is None else self.cell(value, alignment=self.wrapped)
        if kind.number_format is None:
            return xlsx_value

        def make(value):
            if value is None or (isinstance(value, str) and kind.number_format != "@"):
                return xlsx_value(value)  # a blank, or a word such as 在岗 among dates
            return self.cell(value, kind.format_of(value))

        return make

    def append(self, values, kinds=None):
        """One record's row; `kinds` (one per value) for a row whose kinds differ from the
        columns' (an indicator in 万元 among indicators in 人)."""
        makers = self.makers if kinds is None else [self.maker(kind) for kind in kinds]
        self.sheet.append([make(value) for make, value in zip(makers, values, strict=False)])
        self.rows += 1

    def headings(self, values):
        """A bold, centred row of headers (None: no cell)."""
        self.sheet.append(
            [
                None if v is None else self.cell(v, font=self.bold, alignment=self.heading)
                for v in values
            ]
        )
        self.rows += 1

    def line(self, text, font=None, alignment=None, height=None):
        """A row of one text merged across every column, as many lines high as it takes."""
        if height is None:
            lines = math.ceil(text_width(text) / max(sum(self.widths) - 2, 1))
            height = LINE_HEIGHT * lines if lines > 1 else None
        if height is not None:
            self.sheet.row_dimensions[self.rows + 1].height = height
        self.sheet.append([self.cell(text, font=font, alignment=alignment or self.wrapped)])
        self.rows += 1
        if len(self.columns) > 1:
            self.merge(1, self.rows, len(self.columns), self.rows)

    def section(self, text):
        """A bold row naming the records below it (a place), merged across."""
        self.line(text, font=self.bold)

    def total(self, values):
        """The 合计 row: bold, in the columns' formats."""
        cells = []
        for column, value in zip(self.columns, values, strict=False):
            number_format = None if isinstance(value, str) else column.kind.format_of(value)
            cells.append(self.cell(value, number_format, font=self.bold))
        self.sheet.append(cells)
        self.rows += 1

    def group_row(self, groups):
        """The headers over the header row, each merged across the columns it spans; those
        of columns of their own merged down. Returns those columns' positions."""
        row, down = [], set()
        for text, span in groups:
            first = len(row) + 1
            if text:
                row.extend([text] + [None] * (span - 1))
                if span > 1:
                    self.merge(first, self.rows + 1, first + span - 1, self.rows + 1)
            else:
                for position in range(first, first + span):
                    row.append(self.columns[position - 1].header)
                    self.merge(position, self.rows + 1, position, self.rows + 2)
                    down.add(position)
        self.headings(row)
        return down

    def merge(self, first_column, first_row, last_column, last_row):
        self.sheet.merged_cells.add(
            "%s%d:%s%d" % (letter(first_column), first_row, letter(last_column), last_row)
        )


def new_workbook():
    from openpyxl import Workbook

    return Workbook(write_only=True)


def saved(workbook):
    """The workbook written to a temporary file, rewound for the response (which closes it)."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 the response closes it
    workbook.save(output)
    output.seek(0)
    return output


# The list pages' exports --------------------------------------------------------------


def filtered(request, queryset, filterset_class):
    """The list page's filters (the request's query) over `queryset` inside the user's
    scope, as the page applies them; check is_valid() before reading .qs."""
    return filterset_class(request.GET, queryset=queryset.visible_to(scope_of(request.user)))


def filter_problems(filterset):
    """What is wrong with the filters, in words: 年度：…；州市：…."""
    return "；".join(
        "%s：%s" % (filterset.form.fields[name].label, "".join(errors))
        for name, errors in filterset.form.errors.items()
    )


def filter_refusal(filterset):
    """The 400 answer to filters that are wrong, saying what is wrong with each."""
    return HttpResponseBadRequest(
        "筛选条件有误：%s" % filter_problems(filterset), content_type="text/plain; charset=utf-8"
    )


def filtered_title(title, filterset):
    """A list's title with the filters in force: 资金（年度：2023；州市：普洱市）."""
    summary = "；".join("%s：%s" % pair for pair in filter_summary(filterset))
    return "%s（%s）" % (title, summary) if summary else title


def download(output, name):
    """The workbook file as an attachment named 名称-YYYYMMDD.xlsx."""
    file_name = "%s-%s.xlsx" % (name, timezone.localdate().strftime("%Y%m%d"))
    return FileResponse(output, as_attachment=True, filename=file_name)
