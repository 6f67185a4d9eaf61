"""The CSV reader (projects.importers.workbook): the delimiter sniffed, any encoding and line
ending, Excel's Unicode text, rows cut to the width, and records and fields over their
bounds refused with a clear error.
"""

import pytest

from projects.importers import workbook
from projects.importers.parsing import FileError

from .workbook_files import opened


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
