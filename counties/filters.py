"""Filters by place, year and column shared by every list page (projects, funds, parks, cadres).

They live here because places are this app's models; personnel and projects import them, never
the other way round.
"""

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from .models import FIRST_YEAR, LAST_YEAR, County, Prefecture

YEAR_ERROR = "年度须为%(first)s至%(last)s之间的整数。" % {"first": FIRST_YEAR, "last": LAST_YEAR}


class CountySelect(forms.SelectMultiple):
    """A county multi-select whose options carry their prefecture code, so that a small
    script can narrow the list when a prefecture is chosen."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["data-prefecture"] = value.instance.prefecture.code
        return option

    def render(self, name, value, attrs=None, renderer=None):
        # The same markup as Django's templates, built here: 129 options rendered one
        # template include each took 9 ms of every list page.
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


def prefecture_filter(**kwargs):
    kwargs.setdefault("field_name", "county__prefecture")
    return django_filters.ModelChoiceFilter(
        label="州市",
        queryset=Prefecture.objects.all(),
        to_field_name="code",
        empty_label="全部州市",
        error_messages={"invalid_choice": "没有区划代码为%(value)s的州市。"},
        **kwargs,
    )


def county_filter(**kwargs):
    return django_filters.ModelMultipleChoiceFilter(
        label="县市区",
        # With to_field_name the filter compares the field with the code, not the row.
        field_name="county__code",
        distinct=False,
        queryset=County.objects.select_related("prefecture"),
        to_field_name="code",
        widget=CountySelect(attrs={"size": 6, "data-narrowed-by": "prefecture"}),
        error_messages={
            "invalid_choice": "没有区划代码为%(value)s的县市区，或它不属于所选州市。",
            "invalid_list": "县市区须为区划代码的列表。",
        },
        help_text="可按住Ctrl或⌘多选。",
        **kwargs,
    )


def search_filter(label, method):
    """A text search box (the filter set's `method` decides where it looks)."""
    return django_filters.CharFilter(
        label=label,
        method=method,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": "搜索内容不能超过100个字。"},
    )


class YearFilter(django_filters.NumberFilter):
    """A whole year, 1996–2100; `year=2022.5` or `year=abc` is a form error, not an empty list."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "年度")
        kwargs.setdefault("field_name", "year")
        super().__init__(
            min_value=FIRST_YEAR,
            max_value=LAST_YEAR,
            error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), YEAR_ERROR),
            widget=forms.NumberInput(attrs={"placeholder": "如2022"}),
            **kwargs,
        )


class SortFilter(django_filters.OrderingFilter):
    """The clickable column headers (`o=year`, `o=-year`).

    Rows that tie on the chosen column are ordered by primary key, so that no row shows on
    two pages and none is skipped.
    """

    descending_fmt = "%s（降序）"

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "排序")
        kwargs.setdefault("help_text", "")
        kwargs.setdefault("error_messages", {"invalid_choice": "无法按“%(value)s”排序。"})
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.order_by(*(self.get_ordering_value(param) for param in value if param), "pk")


class PlaceFilterSet(django_filters.FilterSet):
    """Narrows the county choices to the chosen prefecture, and refuses a county outside it."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        code = (data or {}).get("prefecture")
        if code and "county" in self.filters:
            counties = self.form.fields["county"]
            counties.queryset = counties.queryset.filter(prefecture__code=code)
