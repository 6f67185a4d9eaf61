"""The XLSX reader (projects.importers.workbook): sheets in order with their visibility, the
used range, formulas' cached results, hidden rows and merged ranges; which sheets calamine
reads and which are streamed, so that no sheet blows the memory; and the hostile or broken
files it refuses (entity declarations, zip bombs, truncated or damaged parts).
"""

import collections
import datetime
import io
import zipfile
from xml.sax.saxutils import escape

import openpyxl
import pytest

from projects.importers import workbook
from projects.importers.parsing import MAX_COLUMNS, FileError

from .workbook_files import (
    ENTITIES,
    LAUGHS,
    D,
    opened,
    read,
    refusal,
    sheets_xlsx,
    with_xml,
    xlsx,
)


def test_an_xlsx_gives_every_sheet_in_order_with_its_visibility():
    with opened(sheets_xlsx(), "r.xlsx") as book:
        assert [(s.name, s.index, s.hidden) for s in book.sheets] == [
            ("封面", 0, False),
            ("隐藏", 1, True),
            ("深藏", 2, True),
            ("数据", 3, False),
        ]
        assert read(book.sheets[1]) == [(1, ["x"], False)]


def test_an_xlsx_used_range_starting_at_c5_keeps_its_row_numbers_and_columns():
    with opened(sheets_xlsx(), "r.xlsx") as book:
        data = book.sheets[3]

        assert data.streamed is False
        assert data.merged == [(5, 2, 5, 4)]
        assert read(data) == [
            (5, ["", "", "从C5开始"], False),
            (6, ["", "", "", 42, 1.5], False),
            (7, ["", "", True, "10:30:00", "30:00:00"], True),
            (
                8,
                [
                    "",
                    "",
                    datetime.datetime(2024, 2, 29, 13, 45, 10),
                    D(2023, 3, 1),
                    "第一行\r第二行",
                ],
                False,
            ),
        ]


def test_rows_are_cut_to_the_width_the_caller_sets():
    book = openpyxl.Workbook()
    for number in range(3):
        book.active.append(["a%d" % number, "b", "c", "d"])
    stream = opened(xlsx(book), "r.xlsx").sheets[0].rows()
    rows = iter(stream)

    assert stream.width == MAX_COLUMNS
    assert next(rows) == (1, ["a0", "b", "c", "d"], False)
    stream.width = 2
    assert [cells for _, cells, _ in rows] == [["a1", "b"], ["a2", "b"]]


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml."


def written_xlsx(sheet_data, strings=(), merge=""):
    """An XLSX written by hand: one sheet of `sheet_data` (the XML of its rows)."""
    parts = {
        "[Content_Types].xml": '<Types xmlns="%scontent-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="%ssheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="%sworksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="%ssharedStrings+xml"/>'
        "</Types>" % (PACKAGE, TYPES, TYPES, TYPES),
        "_rels/.rels": '<Relationships xmlns="%srelationships"><Relationship Id="rId1" '
        'Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % (PACKAGE, OFFICE),
        "xl/workbook.xml": '<workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="表" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>' % (MAIN, OFFICE),
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="%srelationships"><Relationship '
        'Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        'Type="%s/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        % (PACKAGE, OFFICE, OFFICE),
        "xl/sharedStrings.xml": '<sst xmlns="%s">%s</sst>'
        % (MAIN, "".join("<si><t>%s</t></si>" % escape(s) for s in strings)),
        "xl/worksheets/sheet1.xml": '<worksheet xmlns="%s"><sheetData>%s</sheetData>%s'
        "</worksheet>" % (MAIN, sheet_data, merge),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_formulas_give_their_cached_result_and_errors_their_text():
    content = written_xlsx(
        '<row r="2"><c r="A2"><v>21</v></c><c r="B2"><f>A2*2</f><v>42</v></c>'
        '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D2" t="e"><v>#N/A</v></c>'
        '<c r="E2" t="str"><f>"沪"&amp;"滇"</f><v>沪滇</v></c><c r="F2" t="s"><v>0</v></c></row>',
        strings=["共享"],
    )

    with opened(content, "r.xlsx") as book:
        assert read(book.sheets[0]) == [(2, [21.0, 42.0, "#DIV/0!", "#N/A", "沪滇", "共享"], False)]


def test_hidden_rows_written_as_true_or_with_other_attributes_are_found():
    content = written_xlsx(
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="2" spans="1:1" hidden="true"><c r="A2"><v>2</v></c></row>'
        '<row r="3" hidden="0"><c r="A3"><v>3</v></c></row>'
        '<row customHeight="1" ht="0" hidden="1" r="4"><c r="A4"><v>4</v></c></row>'
    )

    with opened(content, "r.xlsx") as book:
        assert [(n, hidden) for n, _, hidden in read(book.sheets[0])] == [
            (1, False),
            (2, True),
            (3, False),
            (4, True),
        ]


def test_a_cell_at_xfd1048576_is_read_by_the_streaming_reader(monkeypatch):
    content = written_xlsx(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>7</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
        strings=["项目编号"],
    )
    monkeypatch.setattr(
        workbook.calamine, "calamine_rows", lambda *a: pytest.fail("calamine read it")
    )

    with opened(content, "r.xlsx") as book:
        sheet = book.sheets[0]
        assert sheet.streamed is True
        rows = sheet.rows()
        first = next(iter(rows))
        assert first == (1, ["项目编号", 7], False)
        rows.width = 5
        (last,) = collections.deque(rows, maxlen=1)
    assert last == (1048576, [None] * 5, False)


def test_a_small_sheet_is_read_by_calamine():
    content = written_xlsx('<row r="1"><c r="A1"><v>1</v></c><c r="M1"><v>2</v></c></row>')

    with opened(content, "r.xlsx") as book:
        assert book.sheets[0].streamed is False
        assert read(book.sheets[0]) == [(1, [1.0] + [""] * 11 + [2.0], False)]


def test_a_far_column_on_many_rows_is_streamed_too():
    # 300 rows down to column XFD: 4.9 million cells to calamine, beyond MEMORY_BUDGET.
    content = written_xlsx(
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="300"><c r="XFD300"><v>2</v></c></row>'
    )

    with opened(content, "r.xlsx") as book:
        assert book.sheets[0].streamed is True


def test_cells_pointing_at_one_long_shared_string_are_streamed():
    # 13 x 800 cells of one 30,000-character string: 936 MB once calamine copies it to each.
    cell = '<c r="%s%d" t="s"><v>0</v></c>'
    rows = "".join(
        '<row r="%d">%s</row>' % (n, "".join(cell % (col, n) for col in "ABCDEFGHIJKLM"))
        for n in range(1, 801)
    )
    content = written_xlsx(rows, strings=["长" * 30_000])
    assert len(content) < 30_000

    with opened(content, "r.xlsx") as book:
        sheet = book.sheets[0]
        assert sheet.streamed is True
        number, cells, _ = next(iter(sheet.rows()))
    assert number == 1 and cells == ["长" * 30_000] * 13


def test_cells_without_references_are_streamed_and_placed_in_order():
    content = written_xlsx(
        '<row r="1"><c t="inlineStr"><is><t>甲</t></is></c><c><v>2</v></c></row>'
        '<row><c><v>3</v></c></row><row r="5" hidden="1"><c r="B5"><v>5</v></c></row>'
    )

    with opened(content, "r.xlsx") as book:
        sheet = book.sheets[0]
        assert sheet.streamed is True
        assert read(sheet) == [
            (1, ["甲", 2], False),
            (2, [3], False),
            (3, [], False),
            (4, [], False),
            (5, [None, 5], True),
        ]


def test_a_comment_in_the_sheet_sends_it_to_the_streaming_reader():
    content = written_xlsx('<row r="1"><!-- <c r="A1"> --><c r="A1"><v>1</v></c></row>')

    with opened(content, "r.xlsx") as book:
        assert book.sheets[0].streamed is True
        assert read(book.sheets[0]) == [(1, [1], False)]


def test_merged_ranges_are_read_from_the_sheet():
    content = written_xlsx(
        '<row r="1"><c r="A1"><v>1</v></c></row>',
        merge='<mergeCells count="3"><mergeCell ref="A1:C2"/><mergeCell ref="D1:D3"/>'
        '<mergeCell ref="AA10:AB10"/></mergeCells>',
    )

    with opened(content, "r.xlsx") as book:
        assert book.sheets[0].merged == [(1, 0, 2, 2), (1, 3, 3, 3), (10, 26, 10, 27)]


@pytest.mark.parametrize(
    "part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "_rels/.rels"]
)
def test_xml_entity_declarations_are_refused_in_every_xlsx_part(part):
    content = with_xml(
        written_xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings=["x"]),
        part,
        lambda xml: '<?xml version="1.0" encoding="UTF-8"?>\n' + LAUGHS + xml,
    )

    assert refusal(content, "r.xlsx") == ENTITIES % "XLSX"


def test_a_zip_that_is_no_spreadsheet_is_refused_in_the_words_of_its_name():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    content = buffer.getvalue()

    assert refusal(content, "letter.xlsx") == "文件不是XLSX：压缩包中没有Excel工作簿。"
    assert refusal(content, "letter.ods") == "文件不是ODS：压缩包中没有ODS表格。"
    assert refusal(content, "letter.csv") == "文件不是XLSX或ODS：压缩包中没有表格。"


def test_a_truncated_xlsx_is_refused():
    assert refusal(sheets_xlsx()[:3000], "r.xlsx") == "无法读取XLSX文件：文件已损坏或不是XLSX。"


def test_an_xlsx_part_compressed_beyond_reason_is_refused():
    buffer = io.BytesIO(sheets_xlsx())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(
            zipfile.ZipInfo("xl/media/image1.bin"), bytes(20 << 20), zipfile.ZIP_DEFLATED
        )

    assert refusal(buffer.getvalue(), "r.xlsx") == (
        "XLSX文件中的“xl/media/image1.bin”压缩比异常（超过100:1），不像正常的表格，已拒绝。"
    )


def test_a_damaged_sheet_is_a_clear_error():
    content = with_xml(sheets_xlsx(), "xl/worksheets/sheet4.xml", lambda xml: xml[: len(xml) // 2])

    with opened(content, "r.xlsx") as book, pytest.raises(FileError) as caught:
        read(book.sheets[3])
    assert caught.value.message.startswith("无法读取XLSX文件（工作表已损坏）：")
