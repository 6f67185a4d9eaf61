"""Writes real Excel 97-2003 (.xls) and OpenDocument (.ods) samples next to this script, made
by LibreOffice from workbooks written with openpyxl; run it again after changing them:

    apt-get install -y libreoffice-calc-nogui
    .venv/bin/python tests/data/make_office_samples.py

report_merged_hidden: the report as a county office lays it out, on two sheets: 报表 with a
title merged across the top, a two-row header whose 资金 group is merged over its two
columns (the others merged down), a hidden row, numbers, dates and a formula (LibreOffice
saves its result); and 填表说明, a hidden sheet. tests/projects/test_workbook.py builds the
same workbook as XLSX (build_report) and expects the same of all three.

far_cell: one cell in A1 and one at the far corner a format allows (XLS: IV65536; ODS:
AMJ1048576, LibreOffice's last column): calamine would build a rectangle of every cell in
between, so the reader refuses them before calamine opens them.
"""

import datetime
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent

TITLE = "2023年度沪滇协作项目统计表（澜沧县）"
# (row, values from column A): rows 1-3 are the title and the two-row header.
REPORT = [
    (1, [TITLE]),
    (2, ["项目编号", "项目名称", "资金（万元）", None, "开工日期", "备注"]),
    (3, [None, None, "上海援助", "其他", None, None]),
    (4, ["2023-LC-001", "茶叶初制所", 169.41, 20, datetime.datetime(2023, 3, 1), None]),
    (5, ["2023-LC-002", "易地搬迁安置点配套", 500, 0, datetime.datetime(2023, 2, 15), "已撤销"]),
    (
        6,
        [
            "2023-LC-003",
            "咖啡精深加工车间",
            1234.5,
            "=C6/5",
            datetime.datetime(2023, 4, 1),
            "含村组道路",
        ],
    ),
]
MERGED = ["A1:F1", "A2:A3", "B2:B3", "C2:D2", "E2:E3", "F2:F3"]
HIDDEN_ROW = 5
NOTES = [["填表说明"], ["金额单位：万元"]]


def build_report():
    """The report workbook, written by openpyxl (see the module's docstring)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报表"
    for number, values in REPORT:
        for col, value in enumerate(values, start=1):
            if value is not None:
                cell = sheet.cell(row=number, column=col, value=value)
                if isinstance(value, datetime.datetime):
                    cell.number_format = "yyyy-mm-dd"
    for ref in MERGED:
        sheet.merge_cells(ref)
    sheet.row_dimensions[HIDDEN_ROW].hidden = True
    notes = workbook.create_sheet("填表说明")
    for cells in NOTES:
        notes.append(cells)
    notes.sheet_state = "hidden"
    return workbook


def build_far_cell(far):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报表"
    sheet["A1"] = "项目编号"
    sheet[far] = 1
    return workbook


def convert(workbook, stem, target, directory):
    """`workbook` saved as XLSX, then converted by LibreOffice to `target` ("xls", "ods")."""
    source = Path(directory) / (stem + ".xlsx")
    workbook.save(source)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", target, "--outdir", str(directory), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    output = Path(directory) / ("%s.%s" % (stem, target))
    shutil.copyfile(output, HERE / output.name)
    print("wrote", output.name, output.stat().st_size, "bytes")


def main():
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install -y libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as directory:
        for target in ("xls", "ods"):
            convert(build_report(), "report_merged_hidden", target, directory)
        convert(build_far_cell("IV65536"), "far_cell", "xls", directory)
        convert(build_far_cell("AMJ1048576"), "far_cell", "ods", directory)


if __name__ == "__main__":
    main()
