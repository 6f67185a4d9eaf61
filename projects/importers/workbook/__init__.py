"""One reader for every spreadsheet a county office sends: XLSX, XLS (Excel 97-2003 and WPS .et),
ODS and CSV, every sheet of it, with what a report needs to be read as people write it:
hidden sheets and rows, merged header groups, and rows numbered as the spreadsheet shows them.

    with open_workbook(binary, file_name) as workbook:
        for sheet in workbook.sheets:
            for row_number, cells, hidden in sheet.rows():
                ...

What a file is comes from its content (as in parsing.sniff); its name must agree. Cell
values of XLSX, XLS and ODS come from python-calamine (Rust, many times faster than
openpyxl). What calamine does not tell is read from the file itself, streaming: hidden rows
and merged cells from the XLSX worksheet XML and the ODS content.xml, hidden rows and error
cells from the XLS records.

Memory stays bounded whatever the file. Calamine holds a sheet as a dense rectangle from its
first to its last cell, every shared string copied into every cell that shows it: one stray
cell at XFD1048576, or thousands of cells pointing at one 30,000-character string, would
need gigabytes. So each file is measured before calamine reads it (MEMORY_BUDGET):

- an XLSX sheet beyond the budget, or one whose XML is not in the usual form (cells without
  an r="A1" reference, comments or CDATA), is read by openpyxl's streaming reader instead,
  row by row, as parsing.read_xlsx does;
- XLS and ODS have no streaming reader here, and calamine reads every sheet of them as the
  file is opened: a workbook beyond the budget is refused, with the way out (remove the far
  cells, or save it as XLSX).

This module is the interface and tells what a file is; the readers are its modules:

- sheets: Workbook, Sheet and RowStream, hidden rows, the limits and their refusals;
- calamine: calamine's reading, shared by XLSX, XLS and ODS;
- zipparts: the zip of an XLSX or ODS, its parts and their DOCTYPEs;
- xlsx and xlsx_scan: XLSX, and the streaming measure of its worksheets' XML;
- xls: XLS, its OLE container and BIFF records;
- ods: ODS, its content.xml;
- delimited: CSV, its delimiter sniffed.
"""

import zipfile
import zlib

from ..parsing import OLE_SIGNATURE, SNIFF_BYTES, ZIP_SIGNATURES, FileError, check_xlsx
from ..parsing import sniff as sniff_text
from .calamine import calamine_rows, open_calamine
from .delimited import open_csv, sniff_delimiter
from .ods import ODS_MIMETYPE, open_ods
from .sheets import RowStream, Sheet, Workbook
from .xls import OleFile, open_xls, read_all, sst_lengths
from .xlsx import open_xlsx
from .zipparts import check_sizes

__all__ = [
    # The interface
    "kind_mismatch",
    "open_workbook",
    "sniff",
    "Workbook",
    "Sheet",
    "RowStream",
    # Not the interface: the names the readers reach calamine through (see calamine), and
    # pieces the tests call by the package's name.
    "open_calamine",
    "calamine_rows",
    "OLE_SIGNATURE",
    "ODS_MIMETYPE",
    "OleFile",
    "sst_lengths",
    "sniff_delimiter",
]

KINDS = {"csv": "CSV", "xlsx": "XLSX", "xls": "XLS", "ods": "ODS"}
EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xls": "xls",
    ".et": "xls",  # WPS 表格 saves the Excel 97-2003 format under its own name
    ".ods": "ods",
}


def kind_mismatch(found, named):
    """The FileError for a file whose content (`found`) is not the kind its name or the
    chosen format says (`named`)."""
    return FileError(
        "文件实际是%(found)s文件，而文件名或所选格式是%(kind)s：请改正后重新上传。"
        % {"found": KINDS[found], "kind": KINDS[named]}
    )


def open_workbook(binary, file_name):
    """The workbook in `binary` (a seekable binary file), of the kind its content shows.

    The extension of `file_name` must agree with the content, as parsing.require_kind
    says; .xls and .et are the same kind. Raises FileError with a Chinese message.
    """
    named = EXTENSIONS.get(extension(file_name))
    kind = sniff(binary, named)
    if named is None:
        raise FileError("不支持的文件类型“%s”：请上传XLSX、XLS、ODS或CSV文件。" % file_name)
    if named != kind:
        raise kind_mismatch(kind, named)
    return OPENERS[kind](binary)


def extension(file_name):
    name = file_name.lower()
    dot = name.rfind(".")
    return name[dot:] if dot >= 0 else ""


def sniff(binary, named=None):
    """What the content is: "csv", "xlsx", "xls" or "ods"; a FileError for anything else.

    `named` (the kind the file name says) only chooses the words of a message about a zip
    that cannot be read. Reads the start of the file and, for a zip, its directory; for an
    OLE file (XLS), its directory of streams; rewinds it.
    """
    head = binary.read(SNIFF_BYTES)
    binary.seek(0)
    if head.startswith(OLE_SIGNATURE):
        try:
            OleFile(read_all(binary)).workbook_stream()
        finally:
            binary.seek(0)
        return "xls"
    if head.startswith(ZIP_SIGNATURES):
        return sniff_zip(binary, named)
    return sniff_text(binary)


def sniff_zip(binary, named):
    label = KINDS.get(named) if named in ("xlsx", "ods") else "XLSX或ODS"
    try:
        with zipfile.ZipFile(binary) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
            mimetype = b""
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                mimetype = archive.read("mimetype").strip()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
        zlib.error,
    ):
        raise FileError("无法读取%s文件：文件已损坏或不是%s。" % (label, label)) from None
    finally:
        binary.seek(0)
    if "xl/workbook.xml" in names:
        check_xlsx(binary)
        return "xlsx"
    if mimetype == ODS_MIMETYPE:
        if "content.xml" not in names:
            raise FileError("无法读取ODS文件：压缩包中没有工作表内容（content.xml）。")
        check_sizes(parts, "ODS")
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument."):
        raise FileError("文件是OpenDocument的文字或演示文稿，不是表格：请上传ODS表格。")
    if named == "ods":
        raise FileError("文件不是ODS：压缩包中没有ODS表格。")
    if named == "xlsx":
        raise FileError("文件不是XLSX：压缩包中没有Excel工作簿。")
    raise FileError("文件不是XLSX或ODS：压缩包中没有表格。")


OPENERS = {"csv": open_csv, "xlsx": open_xlsx, "xls": open_xls, "ods": open_ods}
