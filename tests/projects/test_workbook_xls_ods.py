"""The XLS and ODS readers (projects.importers.workbook): the OLE container and its BIFF8
workbook stream, passwords, DIMENSIONS records and shared strings that would blow the
memory; ODS hidden, repeated and merged rows and cells; and the files either refuses.

The XLS and ODS samples were made by LibreOffice (tests/data/make_office_samples.py).
"""

import io
import struct
import zipfile
from xml.sax.saxutils import escape

import pytest

from projects.importers import workbook

from .workbook_files import DATA, ENTITIES, LAUGHS, REPORT_ROWS, TOO_LARGE, opened, read, refusal

PASSWORD = "文件已设置打开密码，请取消密码后再上传。"
NOT_XLS = (
    "无法读取XLS文件：文件已损坏、加密或不是Excel文件。请在Excel或WPS中打开后另存为XLSX再上传。"
)


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
    monkeypatch.setattr(
        workbook.calamine, "open_calamine", lambda *a: pytest.fail("calamine read it")
    )

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
    monkeypatch.setattr(
        workbook.calamine, "open_calamine", lambda *a: pytest.fail("calamine read it")
    )
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
    monkeypatch.setattr(
        workbook.calamine, "open_calamine", lambda *a: pytest.fail("calamine read it")
    )

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
    monkeypatch.setattr(
        workbook.calamine, "open_calamine", lambda *a: pytest.fail("calamine read it")
    )

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
