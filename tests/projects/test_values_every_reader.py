"""What every cell reader of projects.importers.values does alike: blank markers read as no
value, and the common cells take the fast path without reaching a slow helper."""

import datetime
from decimal import Decimal

import pytest

from projects.importers import parsing, values
from projects.importers.parsing import text
from projects.importers.values import is_blank
from projects.importers.words import (
    CATEGORY_LABELS,
    CATEGORY_WORDS,
    STATUS_LABELS,
    STATUS_WORDS,
    read_choice,
)

from .cell_readers import code, count, date, money, year

# Blank cells

BLANK_MARKERS = ["", "—", "——", "－", "-", "--", "/", "／", "\\", "无", "空", "暂无", "N/A", "n/a"]


@pytest.mark.parametrize("marker", BLANK_MARKERS)
def test_blank_markers(marker):
    assert is_blank(marker)
    assert is_blank("  %s\u3000" % marker)


@pytest.mark.parametrize(
    "value", ["0", "-5", "无锡", "无偿", "空心村", "N/A1", "NA", "/2", "a", "."]
)
def test_not_blank(value):
    assert not is_blank(value)


@pytest.mark.parametrize("marker", [None, "  ", *BLANK_MARKERS])
@pytest.mark.parametrize("read", [money, count, year, date, code])
def test_blank_cells_read_as_none(read, marker):
    assert read(marker) == (None, [])


@pytest.mark.parametrize("marker", [None, *BLANK_MARKERS])
def test_blank_choice_reads_as_none(marker):
    assert read_choice(text(marker), CATEGORY_WORDS, CATEGORY_LABELS) is None


class Forbidden:
    """Stands for a regular expression or function the fast path must not reach."""

    def __getattr__(self, name):
        raise AssertionError("the fast path used %s" % name)

    def __call__(self, *args):
        raise AssertionError("the fast path called a slow helper")


@pytest.fixture
def slow_path_forbidden(monkeypatch):
    for name in ("AMOUNT", "COUNT", "MONTH_ONLY", "WITH_TIME", "EXPONENT_FORM", "NUMBER_MONTH"):
        monkeypatch.setattr(values, name, Forbidden())
    for name in ("compact", "canonical"):
        monkeypatch.setattr(values, name, Forbidden())
    monkeypatch.setattr(parsing, "canonical", Forbidden())


def test_common_cells_take_the_fast_path(slow_path_forbidden):
    assert money(120.5) == (Decimal("120.5"), [])
    assert money("120.5") == (Decimal("120.5"), [])
    assert money(120) == (Decimal("120"), [])
    assert money("12345", "元") == (Decimal("1.2345"), [])
    assert count(1200) == (1200, [])
    assert count(1200.0) == (1200, [])
    assert count("1200") == (1200, [])
    assert year(2023) == (2023, [])
    assert year("2023") == (2023, [])
    assert date("2023-03-01") == (datetime.date(2023, 3, 1), [])
    assert date(datetime.datetime(2023, 3, 1)) == (datetime.date(2023, 3, 1), [])
    assert code("530828202300100001") == ("530828202300100001", [])
    assert code("2023-LC-001") == ("2023-LC-001", [])
    assert read_choice("产业发展", CATEGORY_WORDS, CATEGORY_LABELS) == "industry"
    assert read_choice("在建", STATUS_WORDS, STATUS_LABELS) == "building"
