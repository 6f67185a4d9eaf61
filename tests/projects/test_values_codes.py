"""Project codes as cells hold them (projects.importers.values): text kept as written, codes
Excel made numbers kept with a warning or refused when their digits are lost; the property
checks that no cell makes the reader raise anything but ValueError.

The properties' examples are derived from each test's name (derandomize), so the suite gives
the same answer every run.
"""

import pytest
from hypothesis import given

from projects.importers.values import read_code

from .cell_readers import CELLS, PROPERTY, code, outcome, refused

CODE_LOST = (
    "项目编号“%s”已被Excel转成数字，超过15位的数字末几位已丢失，无法还原；"
    "请将该列设为文本格式后重新填写编号"
)
CODE_AS_NUMBER = (
    "项目编号“%s”在表格中是数字格式，已按数字“%s”导入；"
    "如编号以0开头，开头的0可能已丢失，请将该列设为文本格式"
)


# Codes


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("530828202300100001", "530828202300100001"),
        ("2023-LC-001", "2023-LC-001"),
        ("５３０８２８２０２３００１００００１", "530828202300100001"),
        ("ＬＣ－００１", "LC-001"),
        ("沪滇 2023 001", "沪滇 2023 001"),
        ("2023E05", "2023E05"),  # no sign: not Excel's exponent form
        ("x" * 40, "x" * 40),
    ],
)
def test_code_text(raw, expected):
    assert code(raw) == (expected, [])


@pytest.mark.parametrize(
    "raw, digits",
    [
        (530828202300100, "530828202300100"),
        (530828202300100.0, "530828202300100"),
        (999999999999999, "999999999999999"),
        (1001, "1001"),
    ],
)
def test_code_number(raw, digits):
    assert code(raw) == (digits, [CODE_AS_NUMBER % (digits, digits)])


@pytest.mark.parametrize(
    "raw, shown",
    [
        (10**15, "1.00000000000000E+15"),
        (530828202300100001, "5.30828202300100E+17"),
        (5.3082820230010003e17, "5.30828202300100E+17"),
        (1e15, "1.00000000000000E+15"),
        (1000000000000000.5, "1.00000000000000E+15"),
        (10**400, "1.00000000000000E+400"),
        ("5.30828E+17", "5.30828E+17"),
        ("5.30828e+17", "5.30828e+17"),
        ("5.30828202300100E+17", "5.30828202300100E+17"),
        ("５．３０８２８Ｅ＋１７", "５．３０８２８Ｅ＋１７"),
        ("5E-05", "5E-05"),
    ],
)
def test_code_lost_to_excel(raw, shown):
    assert refused(code, raw) == CODE_LOST % shown


@pytest.mark.parametrize(
    "raw, max_length, message",
    [
        (12.5, 40, "项目编号“12.5”在表格中是带小数的数字，无法还原原来的写法；"
         "请将该列设为文本格式后重新填写编号"),
        ("x" * 41, 40, "超过40个字"),
        ("12345678901", 10, "超过10个字"),
        (12345678901, 10, "超过10个字"),
        ("2023\x00001", 40, "含有空字符（NUL），请删除"),
    ],
)  # fmt: skip
def test_code_refused(raw, max_length, message):
    assert refused(code, raw, max_length) == message


@PROPERTY
@given(raw=CELLS)
def test_code_refuses_any_cell_with_a_value_error(raw):
    result = outcome(read_code, raw, 40)
    if result is not None and result[0] is not None:
        assert isinstance(result[0], str) and 0 < len(result[0]) <= 40
