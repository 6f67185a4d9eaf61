"""Safe cells in every XLSX and CSV hujin writes: text a spreadsheet would run as a formula
gets a leading "'", and an XLSX cell's control characters are escaped as Excel writes them.

Every app writes files (the yearly report, the indicators, the admin's exports), so the rule
lives here, below all of them; the report import reads the "'" back off (parsing.text).
"""

import datetime
import re

from .templatetags.money import plain

# A cell starting with one of these is a formula to Excel; exports prefix it with "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
# What an XLSX cell's text cannot hold raw: control characters (tab and LF aside) and CR.
ESCAPED = re.compile("[\x00-\x08\x0b-\x1f]")


def neutralise(value):
    """A text cell Excel will not run as a formula; numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return NEUTRALISER + value
    return value


def xlsx_value(value):
    """A value as an XLSX cell may safely hold it: text that Excel would run as a formula is
    neutralised (every text cell hujin writes goes through here or csv_text), control
    characters escaped; numbers and dates unchanged."""
    value = neutralise(value)
    if isinstance(value, str) and ESCAPED.search(value):
        # XML turns a raw CR into LF and cannot hold other control characters (openpyxl
        # refuses them); Excel writes them as _xHHHH_, and so do we. The import reads them
        # back.
        value = ESCAPED.sub(lambda match: "_x%04X_" % ord(match.group()), value)
    return value


def csv_text(value):
    """A value as a CSV cell: dates in ISO form, amounts without trailing zeros or exponent
    (counties.templatetags.money.plain), text neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "as_tuple"):  # Decimal
        return plain(value)
    return neutralise(value)
