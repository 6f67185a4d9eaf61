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

    - thousands separated by ",": 12345.5 → "12,345.5", 1234567.1234 → "1,234,567.1234";
    - the decimals the amount has, trailing zeros dropped: 100.5000 → "100.5", 2000.0000 →
      "2,000"; at most four (one yuan), a finer value rounded half up;
    - zero is "0" (never "0.0000" or "-0"); a negative amount keeps its sign: "-1,234.5";
    - no amount (None or "") is "—";
    - never an exponent (1E+3 → "1,000"), never through float: the digits are the Decimal's.

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
        return "0"
    # Formatting with "f" keeps every digit; normalize() would round past 28 digits.
    text = f"{amount:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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
