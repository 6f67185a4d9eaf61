"""The reader of every spreadsheet a county office sends (projects.importers.workbook), across
formats: the one report reads alike as XLSX, XLS and ODS, with its sheets, merged header
groups and hidden rows and sheets; and the content, not the name, decides the format.

The XLS and ODS samples were made by LibreOffice (tests/data/make_office_samples.py) from
the workbook build_report writes; the XLSX test writes that workbook itself.
"""

import pytest

from tests.data.make_office_samples import build_report

from .workbook_files import DATA, REPORT_ROWS, opened, read, refusal, sheets_xlsx, with_xml, xlsx

# The report, in every format


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
