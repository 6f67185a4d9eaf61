"""The reader of every spreadsheet a county office sends (projects.importers.workbook):
XLSX, XLS and ODS with their sheets, merged header groups and hidden rows and sheets, CSV
with any delimiter, and the hostile files it must survive without a crash or a blown memory.

The XLS and ODS samples were made by LibreOffice (tests/data/make_office_samples.py) from
the workbook build_report writes; the XLSX tests write that workbook themselves.
"""

import collections
import datetime
import io
import struct
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from projects.importers import workbook
from projects.importers.parsing import MAX_COLUMNS, FileError
from projects.importers.workbook import open_workbook
from tests.data.make_office_samples import build_report

DATA = Path(__file__).resolve().parent.parent / "data"
D = datetime.date
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
ENTITIES = "%s文件含有不允许的XML实体声明（可能是恶意文件），已拒绝。"
TOO_LARGE = (
    "%s文件展开后过大（约%d MB，上限256 MB），无法读取：请删除多余的行列"
    "（例如远处误填或设了格式的单元格），或在Excel/WPS中另存为XLSX后再上传。"
)
PASSWORD = "文件已设置打开密码，请取消密码后再上传。"
NOT_XLS = (
    "无法读取XLS文件：文件已损坏、加密或不是Excel文件。请在Excel或WPS中打开后另存为XLSX再上传。"
)


def opened(content, name):
    return open_workbook(io.BytesIO(content), name)


def refusal(content, name):
    with pytest.raises(FileError) as caught:
        opened(content, name)
    return caught.value.message


def read(sheet, width=None):
    """The rows of a sheet, trailing empty cells dropped (readers pad differently)."""
    stream = sheet.rows()
    if width is not None:
        stream.width = width
    rows = []
    for number, cells, hidden in stream:
        cells = list(cells)
        while cells and cells[-1] in ("", None):
            cells.pop()
        rows.append((number, cells, hidden))
    return rows


def xlsx(workbook_):
    buffer = io.BytesIO()
    workbook_.save(buffer)
    return buffer.getvalue()


# The report, in every format


REPORT_ROWS = [
    (1, ["2023年度沪滇协作项目统计表（澜沧县）"], False),
    (2, ["项目编号", "项目名称", "资金（万元）", "", "开工日期", "备注"], False),
    (3, ["", "", "上海援助", "其他"], False),
    (4, ["2023-LC-001", "茶叶初制所", 169.41, 20, D(2023, 3, 1)], False),
    (5, ["2023-LC-002", "易地搬迁安置点配套", 500, 0, D(2023, 2, 15), "已撤销"], True),
    (6, ["2023-LC-003", "咖啡精深加工车间", 1234.5, 246.9, D(2023, 4, 1), "含村组道路"], False),
]
REPORT_MERGED = [(1, 0, 1, 5), (2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 2, 3), (2, 4, 3, 4), (2, 5, 3, 5)]


def report_xlsx():
    """build_report's workbook as XLSX, with the formula's cached value LibreOffice saves."""
    content = xlsx(build_report())
    return with_xml(
        content,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("<f>C6/5</f><v />", "<f>C6/5</f><v>246.9</v>"),
    )


REPORTS = {
    "xlsx": ("report_merged_hidden.xlsx", report_xlsx),
    "xls": ("report_merged_hidden.xls", lambda: (DATA / "report_merged_hidden.xls").read_bytes()),
    "ods": ("report_merged_hidden.ods", lambda: (DATA / "report_merged_hidden.ods").read_bytes()),
}


@pytest.mark.parametrize("kind", REPORTS)
def test_the_report_reads_alike_in_every_format(kind):
    name, content = REPORTS[kind]

    with opened(content(), name) as book:
        assert book.kind == kind
        report, notes = book.sheets
        assert (report.name, report.index, report.hidden) == ("报表", 0, False)
        assert (notes.name, notes.index, notes.hidden) == ("填表说明", 1, True)
        assert report.merged == REPORT_MERGED
        assert report.knows_hidden_rows is True
        assert read(report) == REPORT_ROWS
        assert read(notes) == [(1, ["填表说明"], False), (2, ["金额单位：万元"], False)]


def test_the_samples_are_small():
    for name in (
        "report_merged_hidden.xls",
        "report_merged_hidden.ods",
        "far_cell.xls",
        "far_cell.ods",
    ):
        assert (DATA / name).stat().st_size < 30_000


def test_a_wps_et_file_is_an_xls():
    content = (DATA / "report_merged_hidden.xls").read_bytes()

    with opened(content, "报表.ET") as book:
        assert book.kind == "xls"
        assert [sheet.name for sheet in book.sheets] == ["报表", "填表说明"]


# XLSX


def sheets_xlsx():
    book = openpyxl.Workbook()
    first = book.active
    first.title = "封面"
    first["A1"] = "目录"
    hidden = book.create_sheet("隐藏")
    hidden["A1"] = "x"
    hidden.sheet_state = "hidden"
    very = book.create_sheet("深藏")
    very["A1"] = "y"
    very.sheet_state = "veryHidden"
    data = book.create_sheet("数据")
    data["C5"] = "从C5开始"
    data["D6"] = 42
    data["E6"] = 1.5
    data["C7"] = True
    data["D7"] = datetime.time(10, 30)
    data["E7"] = datetime.timedelta(hours=30)
    data["C8"] = datetime.datetime(2024, 2, 29, 13, 45, 10)
    data["D8"] = datetime.datetime(2023, 3, 1)
    data["E8"] = "第一行_x000D_第二行"
    data.merge_cells("C5:E5")
    data.row_dimensions[7].hidden = True
    return xlsx(book)


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


def with_xml(content, name, edit):
    """The zip with one XML part rewritten by `edit` (text → text)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == name:
                data = edit(data.decode()).encode()
            target.writestr(item, data)
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
    monkeypatch.setattr(workbook, "calamine_rows", lambda *a: pytest.fail("calamine read it"))

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


# The name and the content


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (sheets_xlsx, "r.csv", "文件实际是XLSX文件，而文件名或所选格式是CSV：请改正后重新上传。"),
        (
            lambda: (DATA / "report_merged_hidden.xls").read_bytes(),
            "r.xlsx",
            "文件实际是XLS文件，而文件名或所选格式是XLSX：请改正后重新上传。",
        ),
        (
            lambda: (DATA / "report_merged_hidden.ods").read_bytes(),
            "r.xls",
            "文件实际是ODS文件，而文件名或所选格式是XLS：请改正后重新上传。",
        ),
        (
            lambda: b"a,b\n1,2\n",
            "r.ods",
            "文件实际是CSV文件，而文件名或所选格式是ODS：请改正后重新上传。",
        ),
        (
            lambda: b"a,b\n1,2\n",
            "r.pdf",
            "不支持的文件类型“r.pdf”：请上传XLSX、XLS、ODS或CSV文件。",
        ),
        (
            lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "photo.csv",
            "文件不是CSV或XLSX：含有空字符（NUL），不是文本文件。",
        ),
    ],
)
def test_the_content_decides_and_the_name_must_agree(content, name, message):
    assert refusal(content(), name) == message


# XLS


def ole_file(streams):
    """An OLE compound file (MS-CFB version 3) holding `streams` (name → bytes), each padded
    to at least 4,096 bytes so that it lies in ordinary sectors."""
    sector = 512
    data = {name: value.ljust(4096, b"\0") for name, value in streams.items()}
    counts = [-(-len(value) // sector) for value in data.values()]
    fat_sectors = -(-(2 + sum(counts)) // (sector // 4 - 1)) or 1
    fat = [0xFFFFFFFD] * fat_sectors + [0xFFFFFFFE]  # the FAT's own sectors, the directory
    starts = []
    for count in counts:
        starts.append(len(fat))
        fat.extend(range(len(fat) + 1, len(fat) + count))
        fat.append(0xFFFFFFFE)
    fat.extend([0xFFFFFFFF] * (fat_sectors * sector // 4 - len(fat)))

    def entry(name, kind, start, size, child=0xFFFFFFFF, right=0xFFFFFFFF):
        encoded = name.encode("utf-16-le") + b"\0\0"
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(encoded), kind, 1, 0xFFFFFFFF, right, child)
            + bytes(36)
            + struct.pack("<IQ", start, size)
        )

    names = list(data)
    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)
    for number, name in enumerate(names, start=1):
        right = number + 1 if number < len(names) else 0xFFFFFFFF
        directory += entry(name, 2, starts[number - 1], len(data[name]), right=right)
    directory = directory.ljust(sector, b"\0")
    header = workbook.OLE_SIGNATURE + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    header += bytes(6) + struct.pack("<5I", 0, fat_sectors, fat_sectors, 0, 4096)
    header += struct.pack("<4I", 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<109I", *(list(range(fat_sectors)) + [0xFFFFFFFF] * (109 - fat_sectors)))
    body = struct.pack("<%dI" % len(fat), *fat) + directory
    body += b"".join(
        value.ljust(count * sector, b"\0")
        for value, count in zip(data.values(), counts, strict=True)
    )
    return header + body


def record(kind, data):
    return struct.pack("<HH", kind, len(data)) + data


def sample_workbook_stream():
    return workbook.OleFile((DATA / "report_merged_hidden.xls").read_bytes()).workbook_stream()


def test_the_ole_reader_finds_the_samples_workbook_stream_and_rebuilt_it_reads():
    stream = sample_workbook_stream()
    assert struct.unpack_from("<HHH", stream) == (0x0809, 16, 0x0600)  # BIFF8's BOF

    with opened(ole_file({"Workbook": stream}), "r.xls") as book:
        assert read(book.sheets[0]) == REPORT_ROWS


def test_an_encrypted_office_file_is_told_to_lose_its_password(monkeypatch):
    content = ole_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"PK"})
    monkeypatch.setattr(workbook, "open_calamine", lambda *a: pytest.fail("calamine read it"))

    # Excel saves a workbook with a password to open as an OLE file, under its .xlsx name.
    assert refusal(content, "报表.xlsx") == PASSWORD
    assert refusal(content, "报表.xls") == PASSWORD


def test_an_xls_with_a_password_is_refused_in_plain_words():
    stream = sample_workbook_stream()
    bof_end = 4 + struct.unpack_from("<H", stream, 2)[0]
    filepass = record(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48))
    content = ole_file({"Workbook": stream[:bof_end] + filepass + stream[bof_end:]})

    assert refusal(content, "r.xls") == "无法读取XLS文件：" + PASSWORD


@pytest.mark.parametrize(
    "content",
    [
        workbook.OLE_SIGNATURE + bytes(600),
        ole_file({"WordDocument": b"\xec\xa5"}),
        (DATA / "report_merged_hidden.xls").read_bytes()[:2000],
    ],
    ids=["zeros", "word-document", "truncated"],
)
def test_an_ole_file_that_is_no_readable_xls_is_refused(content):
    assert refusal(content, "r.xls") == NOT_XLS


def test_an_xls_cell_at_iv65536_is_refused_before_calamine_reads_it(monkeypatch):
    monkeypatch.setattr(workbook, "open_calamine", lambda *a: pytest.fail("calamine read it"))
    content = (DATA / "far_cell.xls").read_bytes()

    # calamine would reserve 40 bytes for each of the 16.8 million cells the DIMENSIONS
    # record names, then build the rectangle of them: 1 GB measured.
    assert refusal(content, "r.xls") == TOO_LARGE % ("XLS", 1664)


def test_an_xls_dimensions_record_that_lies_is_refused():
    stream = bytearray(sample_workbook_stream())
    at = bytes(stream).index(struct.pack("<HH", 0x0200, 14), 1)
    stream[at + 4 : at + 18] = struct.pack("<IIHHH", 0, 65536, 0, 256, 0)

    assert refusal(ole_file({"Workbook": bytes(stream)}), "r.xls") == TOO_LARGE % ("XLS", 640)


def biff8_stream(sst_pieces, unique, cells):
    """A Workbook stream of one sheet: an SST of `sst_pieces` (the first with the SST
    record's counts before it, the others CONTINUE records), then `cells` records."""
    bof = record(0x0809, struct.pack("<HHHH", 0x0600, 0x0005, 0, 1997) + bytes(8))
    sheet_bof = record(0x0809, struct.pack("<HHHH", 0x0600, 0x0010, 0, 1997) + bytes(8))
    sst = record(0x00FC, struct.pack("<II", unique, unique) + sst_pieces[0])
    sst += b"".join(record(0x003C, piece) for piece in sst_pieces[1:])
    name = "表".encode("utf-16-le")
    boundsheet_size = 4 + 8 + len(name)
    globals_size = len(bof) + boundsheet_size + len(sst) + 4
    boundsheet = record(0x0085, struct.pack("<IBBBB", globals_size, 0, 0, 1, 1) + name)
    stream = bof + boundsheet + sst + record(0x000A, b"")
    assert len(stream) == globals_size
    return stream + sheet_bof + b"".join(cells) + record(0x000A, b"")


def long_string_sst(length):
    """One string of `length` one-byte characters, cut across CONTINUE records as Excel does
    (each CONTINUE that goes on with its characters starts with their flags byte)."""
    pieces = [struct.pack("<HB", length, 0) + b"a" * 8000]
    left = length - 8000
    while left > 0:
        pieces.append(b"\x00" + b"a" * min(left, 8000))
        left -= 8000
    return pieces


def test_the_sst_lengths_follow_strings_across_continue_records():
    pieces = long_string_sst(30_000) + [struct.pack("<HB", 2, 1) + "沪滇".encode("utf-16-le")]
    pieces = [pieces[0], *pieces[1:-1], pieces[-1]]

    assert list(workbook.sst_lengths([struct.pack("<II", 2, 2) + pieces[0], *pieces[1:]])) == [
        30_000,
        2,
    ]


def test_many_xls_cells_of_one_long_shared_string_are_refused(monkeypatch):
    # 3,000 cells of 14 bytes each show one string of 30,000 characters: 270 MB to calamine.
    cells = [record(0x00FD, struct.pack("<HHHI", row, 0, 15, 0)) for row in range(3000)]
    content = ole_file({"Workbook": biff8_stream(long_string_sst(30_000), 1, cells)})
    assert len(content) < 100_000
    monkeypatch.setattr(workbook, "open_calamine", lambda *a: pytest.fail("calamine read it"))

    assert refusal(content, "r.xls") == TOO_LARGE % ("XLS", 257)


def test_a_few_xls_cells_of_a_long_string_are_read():
    cells = [record(0x00FD, struct.pack("<HHHI", row, 1, 15, 0)) for row in range(3)]
    cells.append(record(0x0205, struct.pack("<HHHBB", 3, 1, 15, 0x07, 1)))  # #DIV/0!
    # A formula whose cached result is the error #N/A (its tokens left out).
    result = struct.pack("<BBBBHH", 2, 0, 0x2A, 0, 0, 0xFFFF)
    cells.append(record(0x0006, struct.pack("<HHH", 4, 1, 15) + result + bytes(6) + b"\0\0"))
    content = ole_file({"Workbook": biff8_stream(long_string_sst(30_000), 1, cells)})

    with opened(content, "r.xls") as book:
        assert read(book.sheets[0]) == [
            (1, ["", "a" * 30_000], False),
            (2, ["", "a" * 30_000], False),
            (3, ["", "a" * 30_000], False),
            (4, ["", "#DIV/0!"], False),
            (5, ["", "#N/A"], False),
        ]


# ODS


ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'office:version="1.3"'
)


def written_ods(tables, mimetype=workbook.ODS_MIMETYPE, prolog=""):
    """An ODS written by hand: `tables` is the XML of its table:table elements."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>%s<office:document-content %s><office:body>'
        "<office:spreadsheet>%s</office:spreadsheet></office:body></office:document-content>"
        % (prolog, ODS_NAMESPACES, tables)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0"/>',
        )
    return buffer.getvalue()


def cell(value):
    if isinstance(value, str):
        return (
            '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>'
            % escape(value)
        )
    return '<table:table-cell office:value-type="float" office:value="%s"/>' % value


def test_ods_hidden_rows_count_header_rows_groups_and_repeats():
    table = (
        '<table:table table:name="报表"><table:table-column table:number-columns-repeated="3"/>'
        "<table:table-header-rows><table:table-row>%s</table:table-row></table:table-header-rows>"
        '<table:table-row table:number-rows-repeated="2"><table:table-cell '
        'table:number-columns-repeated="3"/></table:table-row>'
        '<table:table-row table:visibility="collapse" table:number-rows-repeated="2">%s'
        "</table:table-row>"
        "<table:table-row-group>"
        '<table:table-row table:visibility="filter">%s</table:table-row>'
        "<table:table-row>%s</table:table-row></table:table-row-group>"
        "<table:table-row>%s%s</table:table-row>"
        "</table:table>"
        % (
            cell("编号") + cell("名称"),
            cell("隐") + cell(1),
            cell("筛") + cell(2),
            cell("显") + cell(3),
            '<table:table-cell table:number-columns-repeated="2" office:value-type="float" '
            'office:value="9"/>',
            '<table:table-cell table:formula="of:=1/0" office:value-type="string" '
            'office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>'
            "</table:table-cell>",
        )
    )

    with opened(written_ods(table), "r.ods") as book:
        (sheet,) = book.sheets
        assert sheet.knows_hidden_rows is True
        assert read(sheet) == [
            (1, ["编号", "名称"], False),
            (2, [], False),
            (3, [], False),
            (4, ["隐", 1.0], True),
            (5, ["隐", 1.0], True),
            (6, ["筛", 2.0], True),
            (7, ["显", 3.0], False),
            (8, [9.0, 9.0, "#DIV/0!"], False),
        ]


def test_ods_merged_cells_are_read_from_their_spans():
    table = (
        '<table:table table:name="表"><table:table-row><table:table-cell table:number-'
        'columns-spanned="3" table:number-rows-spanned="2" office:value-type="string"><text:p>'
        "资金</text:p></table:table-cell><table:covered-table-cell table:number-columns-"
        'repeated="2"/>%s</table:table-row><table:table-row><table:covered-table-cell '
        'table:number-columns-repeated="3"/>%s</table:table-row></table:table>'
        % (cell("备注"), cell("x"))
    )

    with opened(written_ods(table), "r.ods") as book:
        assert book.sheets[0].merged == [(1, 0, 2, 2)]
        assert read(book.sheets[0]) == [
            (1, ["资金", "", "", "备注"], False),
            (2, ["", "", "", "x"], False),
        ]


def test_an_ods_of_a_repeated_row_of_repeated_cells_is_refused_before_calamine(monkeypatch):
    table = (
        '<table:table table:name="表"><table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="float" '
        'office:value="1"/></table:table-row></table:table>'
    )
    monkeypatch.setattr(workbook, "open_calamine", lambda *a: pytest.fail("calamine read it"))

    assert refusal(written_ods(table), "r.ods") == TOO_LARGE % ("ODS", 2097152)


def test_an_ods_cell_at_the_far_corner_is_refused():
    assert refusal((DATA / "far_cell.ods").read_bytes(), "r.ods") == TOO_LARGE % ("ODS", 131072)


def test_an_ods_entity_declaration_is_refused():
    content = written_ods('<table:table table:name="表"/>', prolog=LAUGHS)

    assert refusal(content, "r.ods") == ENTITIES % "ODS"


def test_an_opendocument_text_is_no_spreadsheet():
    content = written_ods("", mimetype=b"application/vnd.oasis.opendocument.text")

    assert refusal(content, "letter.ods") == (
        "文件是OpenDocument的文字或演示文稿，不是表格：请上传ODS表格。"
    )


def test_an_ods_without_content_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", workbook.ODS_MIMETYPE)

    assert refusal(buffer.getvalue(), "r.ods") == (
        "无法读取ODS文件：压缩包中没有工作表内容（content.xml）。"
    )


# CSV


def csv_rows(content, name="r.csv"):
    with opened(content, name) as book:
        assert book.kind == "csv"
        (sheet,) = book.sheets
        assert (sheet.name, sheet.index, sheet.hidden, sheet.merged) == ("", 0, False, [])
        return list(sheet.rows())


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_csv_delimiter_is_sniffed(delimiter):
    lines = [
        "编号%s名称%s金额" % (delimiter, delimiter),
        '2023-LC-001%s"茶叶,初制所"%s1,5' % (delimiter, delimiter),
    ]
    if delimiter == ",":
        lines[1] = '2023-LC-001,"茶叶,初制所","1,5"'
    content = "\r\n".join(lines).encode()

    assert csv_rows(content) == [
        (1, ["编号", "名称", "金额"], False),
        (2, ["2023-LC-001", "茶叶,初制所", "1,5"], False),
    ]


def test_a_gb18030_csv_with_crlf_and_a_title_above_a_semicolon_header():
    text = (
        "2023年度沪滇协作项目统计表（澜沧县）\r\n"
        "项目编号;项目名称;上海援助资金（万元）\r\n"
        "2023-LC-001;茶叶初制所;169,41\r\n"
        '2023-LC-002;"易地搬迁;安置点";500\r\n'
    )

    assert csv_rows(text.encode("gb18030")) == [
        (1, ["2023年度沪滇协作项目统计表（澜沧县）"], False),
        (2, ["项目编号", "项目名称", "上海援助资金（万元）"], False),
        (3, ["2023-LC-001", "茶叶初制所", "169,41"], False),
        (4, ["2023-LC-002", "易地搬迁;安置点", "500"], False),
    ]


def test_excels_unicode_text_is_a_tab_separated_csv():
    content = "编号\t名称\r\n2023-LC-001\t茶叶初制所\r\n".encode("utf-16")

    assert csv_rows(content, "r.txt") == [
        (1, ["编号", "名称"], False),
        (2, ["2023-LC-001", "茶叶初制所"], False),
    ]


def test_a_csv_row_is_cut_to_the_width():
    with opened(b"a,b,c\n1,2,3\n", "r.csv") as book:
        stream = book.sheets[0].rows()
        stream.width = 2
        assert list(stream) == [(1, ["a", "b"], False), (2, ["1", "2"], False)]


def test_a_csv_record_over_its_bound_is_a_clear_error():
    # 600,000 short fields: 1.2 million characters in one record.
    content = b"a,b\n" + b"x," * 600_000 + b"\n"

    with opened(content, "r.csv") as book, pytest.raises(FileError) as caught:
        list(book.sheets[0].rows())
    assert caught.value.message == "CSV格式有误（第2行）：一行超过1048576个字符"


def test_a_csv_field_over_the_limit_is_a_clear_error():
    content = ("a,b\n1," + "长" * 140_000 + "\n").encode()

    with opened(content, "r.csv") as book, pytest.raises(FileError) as caught:
        list(book.sheets[0].rows())
    assert caught.value.message == "CSV格式有误（第2行）：单元格超过131072个字符"


def test_sniffing_picks_the_delimiter_most_records_agree_on():
    sample = "标题\n说明：金额单位万元\na;b;c\n1;2,5;3\n4;5,5;6\n"

    assert workbook.sniff_delimiter(sample) == ";"
    assert workbook.sniff_delimiter("只有一列\n第二行\n") == ","
