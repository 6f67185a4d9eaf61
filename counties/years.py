"""Years as the pages read them: the year a page opens on (the latest with data in the user's
scope), and a year as people type it (2022, 2022年, ２０２２年度).

Every page that picks a year by itself uses latest_year; every filter that reads a typed year
uses read_year (counties/filters.py YearFilter, YearsFilter)."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max, Value

from .models import FIRST_YEAR, LAST_YEAR

YEAR_ERROR = "年度须为%(first)s至%(last)s之间的整数。" % {"first": FIRST_YEAR, "last": LAST_YEAR}
YEARS_ERROR = (
    "年度须为%(first)s至%(last)s之间的整数，如2022或2022年，多个年度用逗号或顿号隔开；"
    % {"first": FIRST_YEAR, "last": LAST_YEAR}
    + "“%(value)s”不是。"
)
# Between the years of one box: spaces and commas, full-width or not, and 顿号.
SEPARATORS = re.compile(r"[\s,，、;；]+")


def latest_year(*querysets, field="year", until=None):
    """The latest `field` (a year, or a lookup path to one) among the rows of the querysets, none
    later than `until` when it is given; None when there is no such row. One query: each
    queryset's MAX (an index reads it), in a UNION when there are several."""
    latest = []
    for queryset in querysets:
        queryset = queryset.filter(**{"%s__isnull" % field: False})
        if until is not None:
            queryset = queryset.filter(**{"%s__lte" % field: until})
        latest.append(
            queryset.order_by()
            .annotate(everything=Value(1))
            .values("everything")
            .annotate(latest=Max(field))
            .values_list("latest", flat=True)
        )
    first, *others = latest
    found = first.union(*others, all=True) if others else first
    return max((year for year in found if year is not None), default=None)


def read_year(text):
    """The year written in `text` — "2022", "2022年", "2022年度", in full-width digits too —
    or None when it is not a whole year of the registry's span."""
    text = unicodedata.normalize("NFKC", text).strip().removesuffix("年度").removesuffix("年")
    if not (text.isascii() and text.isdigit()):
        return None
    year = int(text)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


class YearField(forms.Field):
    """One year, as read_year reads it; blank for none."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "如2022"})
    default_error_messages = {"invalid": YEAR_ERROR}

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        if isinstance(value, int):
            year = value if FIRST_YEAR <= value <= LAST_YEAR else None
        else:
            year = read_year(str(value))
        if year is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return year


class YearsInput(forms.TextInput):
    """One text box for several years: it reads every value the query string gives
    (`year=2019&year=2020`) and shows them in one line, "2019、2020"."""

    # Read by counties.filters.FilterForm: this field takes several values.
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        return [data[name]] if data.get(name) is not None else []

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def format_value(self, value):
        if isinstance(value, list | tuple):
            value = "、".join(str(v) for v in value if str(v).strip())
        return super().format_value(value)


class YearsField(forms.Field):
    """Any number of years, each as read_year reads it, in one box or in several values: the
    years in order, without repeats; an empty list for none."""

    widget = YearsInput(attrs={"inputmode": "numeric", "placeholder": "如2022或2021、2022"})
    default_error_messages = {"invalid": YEARS_ERROR}

    def to_python(self, value):
        if value is None:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        words = [w for v in values for w in SEPARATORS.split(unicodedata.normalize("NFKC", str(v)))]
        words = [w for w in words if w]
        years = {word: read_year(word) for word in words}
        wrong = [word for word, year in years.items() if year is None]
        if wrong:
            raise ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"value": "”、“".join(wrong)},
            )
        return sorted(set(years.values()))
