"""The cell readers of projects.importers.values as the import calls them, with the raw cell
and parsing.text of it; the refusal a reader raises; and, for the properties, every kind of
cell a sheet may hold and what a reader makes of it.

PROPERTY derives the examples from each test's name (derandomize), so the suite gives the
same answer every run.
"""

import pytest
from hypothesis import settings
from hypothesis import strategies as st

from projects.importers.parsing import text
from projects.importers.values import read_code, read_count, read_date, read_money, read_year

PROPERTY = settings(max_examples=400, derandomize=True, deadline=None, database=None)


def money(raw, unit="万元"):
    return read_money(raw, text(raw), unit)


def count(raw, unit="人"):
    return read_count(raw, text(raw), unit)


def year(raw):
    return read_year(raw, text(raw), 1996, 2026)


def date(raw):
    return read_date(raw, text(raw))


def code(raw, max_length=40):
    return read_code(raw, text(raw), max_length)


def refused(read, raw, *args):
    """The message a reader refuses a cell with."""
    with pytest.raises(ValueError) as caught:
        read(raw, *args)
    return str(caught.value)


# What a cell may hold: any text, and the types openpyxl gives.
MONEY_ALPHABET = "0123456789０１２３.,，．-+−eE¥￥ 　万元亿千人户%年月日/:T无—"
TEXT = st.one_of(st.text(max_size=40), st.text(alphabet=MONEY_ALPHABET, max_size=30))
CELLS = st.one_of(
    TEXT,
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.none(),
)


def outcome(read, raw, *args):
    """What a reader makes of a cell: (parsed, warnings), or None when refused in Chinese."""
    try:
        parsed, warnings = read(raw, text(raw), *args)
    except ValueError as error:
        message = str(error)
        assert message and any("\u4e00" <= char <= "\u9fff" for char in message), message
        return None
    assert isinstance(warnings, list) and all(isinstance(w, str) and w for w in warnings)
    return parsed, warnings
