"""Fuzzing the import: random bytes, damaged files and near-valid rows must each end in a
clean outcome, a Report or ImportFailed, never another exception, and a refusal writes
nothing; a refused near-valid row is refused by its row ("第2行 …").

The examples are derived from each test's name, so the suite gives the same answer every
run; FUZZ_EXPLORE=1 draws new random examples instead (and FUZZ_EXAMPLES=2000 draws more).
Hypothesis prints a failing example to replay. Examples it found are kept below as tests.
"""

import datetime
import io
import os
import re
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from projects.importers import ImportFailed, import_yearly_report
from projects.models import ImportBatch, Project

from .report_files import HEADERS, KEYS, XLSX_CELLS, csv_bytes, row, xlsx_bytes, xlsx_row

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    derandomize=not os.environ.get("FUZZ_EXPLORE"),
    deadline=None,
    database=None,  # nothing written into the checkout; a failure prints its example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The tests' county fixture is the same for every example; only the import varies.


def state():
    """What an import may change: the projects with their values, and the batches."""
    return list(Project.objects.order_by("code").values()), ImportBatch.objects.count()


def outcome(name, content):
    """Imports one file; returns the error lines, or None when it was imported."""
    before = state()
    try:
        import_yearly_report(files=[(name, io.BytesIO(content))])
    except ImportFailed as failure:
        assert failure.errors, "a refusal without a reason"
        assert all(isinstance(line, str) and line.strip() for line in failure.errors)
        assert state() == before, "a refused import wrote something"
        return failure.errors
    return None


# Whole files


@FUZZ
@given(content=st.binary(max_size=2048), name=st.sampled_from(["报表.csv", "报表.xlsx", "a.txt"]))
def test_random_bytes_are_refused_cleanly(county, content, name):
    outcome(name, content)


def mutated(original, data):
    """The bytes with a few of them replaced, some cut off or some repeated."""
    content = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8), label="changes")):
        at = data.draw(st.integers(0, len(content) - 1), label="at")
        how = data.draw(st.sampled_from(["byte", "cut", "repeat"]), label="how")
        if how == "byte":
            content[at] = data.draw(st.integers(0, 255), label="byte")
        elif how == "cut":
            del content[at : at + data.draw(st.integers(1, 64), label="length")]
        else:
            content[at:at] = content[at : at + data.draw(st.integers(1, 64), label="length")]
        if not content:
            break
    return bytes(content)


GOOD_CSV = csv_bytes([row(), row("2023-LC-002", notes="第二行")], title="2023年度项目统计表")
GOOD_CSV_GBK = csv_bytes([row()], encoding="gbk")
GOOD_XLSX = xlsx_bytes([xlsx_row(), xlsx_row("2023-LC-002")])


@FUZZ
@given(original=st.sampled_from([GOOD_CSV, GOOD_CSV_GBK]), data=st.data())
def test_a_damaged_csv_is_imported_or_refused_cleanly(county, original, data):
    outcome("报表.csv", mutated(original, data))


@FUZZ
@given(data=st.data())
def test_a_damaged_xlsx_is_imported_or_refused_cleanly(county, data):
    outcome("报表.xlsx", mutated(GOOD_XLSX, data))


def with_sheet_xml(content, edit):
    """The workbook re-zipped with its sheet's XML edited: a sound zip around damaged XML."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            target.writestr(item, data)
    return buffer.getvalue()


@FUZZ
@given(data=st.data())
def test_a_damaged_sheet_in_a_sound_zip_is_imported_or_refused_cleanly(county, data):
    outcome("报表.xlsx", with_sheet_xml(GOOD_XLSX, lambda xml: mutated(xml, data)))


# Near-valid rows: one cell of a valid row replaced


def date_texts():
    dates = st.dates(min_value=datetime.date(1, 1, 1))
    return st.one_of(
        dates.map(datetime.date.isoformat),
        dates.map(lambda d: "%d/%d/%d" % (d.year, d.month, d.day)),
        dates.map(lambda d: "%d年%d月%d日" % (d.year, d.month, d.day)),
        st.tuples(st.integers(-99999, 99999), st.integers(-99, 99), st.integers(-99, 99)).map(
            lambda t: "%d-%d-%d" % t
        ),
    )


def number_texts():
    return st.one_of(
        st.integers().map(str),
        st.floats().map(repr),
        st.decimals().map(str),
        st.integers(0, 10**9).map(lambda n: f"{n:,}"),
        st.integers(0, 10**6).map(lambda n: str(n).translate(FULL_WIDTH)),
    )


FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def huge_texts():
    # Longer than any field, shorter than csv's field limit: a row error, not a file error.
    return st.builds(
        lambda piece, times: piece * times,
        st.text(min_size=1, max_size=4),
        st.integers(1000, 10000),
    )


def cell_texts():
    return st.one_of(
        st.text(),
        st.just(""),
        st.sampled_from(
            [" ", "\u3000", "\ufeff", "'=1+1", "=SUM(A1)", "\r\n", "NULL", "_x0000_", "_x000B_"]
        ),
        number_texts(),
        date_texts(),
        huge_texts(),
    )


# A NUL byte in the first 64 KB of a CSV refuses the file as not text, before any row.
NUL_IN_CSV = "文件不是CSV或XLSX：含有空字符（NUL），不是文本文件。"


def only_row_errors(errors, number=2):
    if errors is not None and errors != [NUL_IN_CSV]:
        lines = [line for line in errors if not line.startswith("第%d行" % number)]
        assert not lines, lines


@FUZZ
@given(key=st.sampled_from(KEYS), value=cell_texts())
def test_a_csv_row_with_one_odd_cell_is_imported_or_refused_by_row(county, key, value):
    content = csv_bytes([row(**{key: value})])

    only_row_errors(outcome("报表.csv", content))


XML_SAFE = st.text().map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text))


def cell_values():
    """What an XLSX cell can hold: text, numbers, booleans, dates and times, nothing."""
    return st.one_of(
        XML_SAFE,
        cell_texts().map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)),
        st.integers(-(10**15), 10**15),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.none(),
        st.datetimes(
            min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 12, 31)
        ),
        st.dates(min_value=datetime.date(1900, 3, 1)),
        st.times(),
    )


@FUZZ
@given(key=st.sampled_from(KEYS), value=cell_values())
def test_an_xlsx_row_with_one_odd_cell_is_imported_or_refused_by_row(county, key, value):
    content = xlsx_bytes([xlsx_row(**{key: value})])

    only_row_errors(outcome("报表.xlsx", content))


@FUZZ
@given(
    cells=st.lists(cell_texts(), min_size=0, max_size=len(HEADERS) + 2),
    header=st.permutations(HEADERS),
)
def test_a_row_of_anything_under_any_column_order_is_refused_by_row(county, cells, header):
    content = csv_bytes([cells], header=list(header))

    only_row_errors(outcome("报表.csv", content))


def test_the_valid_rows_the_fuzzing_starts_from_are_imported(county):
    assert outcome("报表.csv", GOOD_CSV) is None
    assert outcome("报表.xlsx", GOOD_XLSX) is None
    assert re.fullmatch(r"\d{4}-LC-\d{3}", XLSX_CELLS["code"])


# Examples the fuzzing found


def test_a_nul_past_the_first_64_kb_of_a_csv_is_refused_by_row(county):
    # The start of a file is checked for NUL bytes; the rest reaches the rows. PostgreSQL
    # cannot store a NUL: the import failed with a DataError.
    content = csv_bytes([row("2023-LC-%03d" % n, notes="备注" * 100) for n in range(1, 200)])
    content += csv_bytes([row("2023-LC-999", name="茶叶\x00初制所")], header=[])[2:]

    assert outcome("报表.csv", content) == ["第201行 项目名称：含有空字符（NUL），请删除"]


def test_an_escaped_nul_in_an_xlsx_cell_is_refused_by_row(county):
    content = xlsx_bytes([xlsx_row(code="2023_x0000_LC", notes="备注_x0000_")])

    assert outcome("报表.xlsx", content) == [
        "第2行 项目编号：含有空字符（NUL），请删除",
        "第2行 备注：含有空字符（NUL），请删除",
    ]


def test_other_escaped_control_characters_are_kept(county):
    # The XLSX export writes them so (openpyxl cannot write them raw); they come back.
    assert outcome("报表.xlsx", xlsx_bytes([xlsx_row(notes="备注_x000B_说明")])) is None
    assert Project.objects.get().notes == "备注\x0b说明"


def test_a_zip_claiming_an_unknown_version_is_refused_as_damaged(county):
    # One changed byte made zipfile raise NotImplementedError ("zip file version 6.4").
    content = bytearray(GOOD_XLSX)
    at = content.index(b"PK\x01\x02") + 6  # the central directory's "version needed"
    content[at : at + 2] = (64).to_bytes(2, "little")

    assert outcome("报表.xlsx", bytes(content)) == ["无法读取XLSX文件：文件已损坏或不是XLSX。"]
