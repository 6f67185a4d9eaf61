"""Spreadsheets for the tests of the workbook reader (projects.importers.workbook), and how
those tests open and read them: the report every format holds, an XLSX of several sheets,
and the reader's exact refusals.

The XLS and ODS samples in tests/data were made by LibreOffice
(tests/data/make_office_samples.py) from the workbook build_report writes.
"""

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from projects.importers.parsing import FileError
from projects.importers.workbook import open_workbook

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


# The report build_report writes, as every format reads it.
REPORT_ROWS = [
    (1, ["2023年度沪滇协作项目统计表（澜沧县）"], False),
    (2, ["项目编号", "项目名称", "资金（万元）", "", "开工日期", "备注"], False),
    (3, ["", "", "上海援助", "其他"], False),
    (4, ["2023-LC-001", "茶叶初制所", 169.41, 20, D(2023, 3, 1)], False),
    (5, ["2023-LC-002", "易地搬迁安置点配套", 500, 0, D(2023, 2, 15), "已撤销"], True),
    (6, ["2023-LC-003", "咖啡精深加工车间", 1234.5, 246.9, D(2023, 4, 1), "含村组道路"], False),
]


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
