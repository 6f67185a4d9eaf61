"""Reading back the XLSX files hujin writes, as Excel would lay them out and print them, for
the tests/test_excel_*.py files: column widths, number formats, the frozen header, the print
settings. Measured here independently of counties/sheets.py: a character's width is its
length in GB18030, two bytes for a Chinese character, one for a digit or letter."""

import io
import re

from openpyxl import load_workbook

A4 = 9  # openpyxl's Worksheet.PAPERSIZE_A4
# yyyy-mm-dd takes ten characters; Excel shows ### in a column narrower than the text.
DATE_WIDTH = 11
CODE_LIKE = re.compile(r"^[a-z0-9_]+$")  # fiscal_aid, labour_jobs: not a header for a reader


def workbook_of(response):
    """The workbook of a response, streamed (FileResponse) or not."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return load_workbook(io.BytesIO(content))


def shown_width(text):
    return len(str(text).encode("gb18030"))


def widths(sheet):
    """{column number: width}; a <col> element may span several columns of one width."""
    found = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.width:
            for number in range(dimension.min, dimension.max + 1):
                found[number] = dimension.width
    return found


def row(sheet, number):
    """The values of one row, without the empty cells openpyxl pads it with."""
    values = [cell.value for cell in sheet[number]]
    while values and values[-1] is None:
        values.pop()
    return values


def column_of(sheet, header, header_row=1):
    """The number of the column headed `header`."""
    return row(sheet, header_row).index(header) + 1


def assert_laid_out_as_a_report(sheet, header_row=1, orientation=None, first_header=None):
    """What every sheet hujin writes promises: each column as wide as its header, the header
    frozen and printed on every page (from `first_header`, a group row above it), A4 fitted
    to the page's width; `orientation` if given."""
    sized = widths(sheet)
    headers = row(sheet, header_row)
    for number, header in enumerate(headers, start=1):
        assert sized.get(number, 0) >= shown_width(header or "") + 2, (header, sized)
        assert not (isinstance(header, str) and CODE_LIKE.match(header)), header
    assert sheet.freeze_panes.endswith(str(header_row + 1))
    assert sheet.print_title_rows == "$%d:$%d" % (first_header or header_row, header_row)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.page_setup.paperSize == A4
    if orientation is not None:
        assert sheet.page_setup.orientation == orientation


def formats(sheet, number, header_row=1):
    """{header: number format} of one row's cells that hold a value."""
    headers = row(sheet, header_row)
    return {
        header: cell.number_format
        for header, cell in zip(headers, sheet[number], strict=False)
        if cell.value is not None
    }


def column_width(sheet, header, header_row=1):
    return widths(sheet)[column_of(sheet, header, header_row)]
