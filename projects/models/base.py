"""What every model of projects shares: the money precision and the year fields."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from counties.models import (
    FIRST_YEAR,
    LAST_YEAR,
)
from counties.templatetags.money import plain  # noqa: F401 the models' and importers' name

# Amounts are 万元 as the reports write them; four decimals keep them exact to the yuan.
MONEY = {"max_digits": 16, "decimal_places": 4}
ZERO = Decimal("0")


def money_field(label, **kwargs):
    return models.DecimalField(
        f"{label}（万元）",
        validators=[MinValueValidator(ZERO, "金额不能为负数。")],
        **MONEY,
        **kwargs,
    )


def year_field(label, **kwargs):
    return models.PositiveSmallIntegerField(
        label,
        validators=[
            MinValueValidator(FIRST_YEAR, "年度不能早于1996年。"),
        ],
        **kwargs,
    )


def year_in_range(field):
    return Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR})
