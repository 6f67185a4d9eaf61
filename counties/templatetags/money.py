"""Amounts of money as the browsing pages show them: `{% load money %}` … `{{ value|money }}`.

Every amount on an HTML page goes through `money`, in templates as the filter and in Python
(chart labels, template tags) as the function. Exports (CSV, XLSX) never do: they keep plain
numbers a spreadsheet reads (projects/importers/exporting.py).
"""

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django import template

register = template.Library()

# Amounts are 万元 to four decimals (projects.models.MONEY): 0.0001万元 is one yuan.
YUAN = Decimal("0.0001")
NOTHING = "—"


def plain(amount):
    """An amount as files hold it (exports, the audit trail): no thousands separators, no
    trailing zeros, no exponent. Decimal("169.4100") → "169.41"."""
    return f"{amount.normalize():f}"


@register.filter
def money(value):
    """An amount in 万元 as a Chinese statistical table writes it, exact to the yuan.

    - thousands separated by ",": 12345.5 → "12,345.50", 1234567.1234 → "1,234,567.1234";
    - two decimals, so that a column's amounts line up (120 → "120.00", 48.5 → "48.50"),
      and more when more are stored, up to four (one yuan): 169.4125 → "169.4125"; a finer
      value is rounded half up; nothing is ever rounded away to two decimals;
    - zero is "0.00" (never "-0"); a negative amount keeps its sign: "-1,234.50";
    - no amount (None or "") is "—";
    - never an exponent (1E+3 → "1,000.00"), never through float: the digits are the
      Decimal's.

    An int or a string of digits (the audit trail stores amounts as text) is read as a
    Decimal, a float through its shortest text; anything that is not a finite number
    (“（空）”, a value already formatted) comes back unchanged, as humanize's intcomma does.
    """
    if value is None or value == "":
        return NOTHING
    amount = as_decimal(value)
    if amount is None:
        return value
    if amount.as_tuple().exponent < -4:
        # A context wide enough for every digit left of the yuan: quantize never overflows.
        wide = Context(prec=max(28, amount.adjusted() + 6))
        amount = amount.quantize(YUAN, ROUND_HALF_UP, context=wide)
    if not amount:
        return "0.00"
    # Formatting with "f" keeps every digit; normalize() would round past 28 digits.
    whole, _, decimals = f"{amount:,f}".partition(".")
    decimals = decimals.rstrip("0")
    return "%s.%s" % (whole, decimals.ljust(2, "0"))


@register.filter
def figure(value):
    """A count or a figure that is no amount, with thousands separators and the decimals it
    has, trailing zeros dropped: 180110.0000 → "180,110", 12.50 → "12.5"; None → "—"."""
    if value is None or value == "":
        return NOTHING
    amount = as_decimal(value)
    if amount is None:
        return value
    if not amount:
        return "0"
    whole, _, decimals = f"{amount:,f}".partition(".")
    decimals = decimals.rstrip("0")
    return "%s.%s" % (whole, decimals) if decimals else whole


def as_decimal(value):
    """The value as a finite Decimal, or None when it is not a number."""
    if isinstance(value, bool):
        return None
    if not isinstance(value, Decimal):
        if not isinstance(value, int | float | str):
            return None
        try:
            value = Decimal(str(value))
        except InvalidOperation:
            return None
    return value if value.is_finite() else None
