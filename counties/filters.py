"""Filters by place, year and column shared by every list page (projects, funds, parks, cadres,
counties).

They live here because places are this app's models; personnel and projects import them, never
the other way round. Choice filters take several values (`county=…&county=…`, checkboxes);
the others take one, and refuse two (FilterForm).
"""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .models import County, Pairing, Prefecture, ShanghaiDistrict
from .scopes import scope_of
from .years import YEAR_ERROR, YearField, YearsField, latest_year  # noqa: F401 YEAR_ERROR: projects/forms.py

ONE_VALUE = "只能有一个值，这里有%(count)d个：%(values)s。"
RANGE_ERROR = "%(low)s（%(from)s年）晚于%(high)s（%(to)s年），没有记录能同时符合。"
CHECKED = mark_safe(" checked")
SUMMARY_NAMED = 3  # a menu's summary names this many choices, then counts the rest


class CheckboxMenu(forms.CheckboxSelectMultiple):
    """Several choices picked without a modifier key: checkboxes in a <details> menu whose
    summary names what is chosen ("全部类别" for nothing). Plain form submission, no script
    needed; static/js/filters.js keeps the summary up to date and closes other menus."""

    def __init__(self, all_label, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.all_label = all_label

    def render(self, name, value, attrs=None, renderer=None):
        # Built here rather than by Django's templates, one include per choice: the county
        # picker's 129 choices took 9 ms of every list page that way.
        chosen = set(self.format_value(value))
        choices = [(str(v), str(label), v) for v, label in self.choices if str(v)]
        labels = [label for v, label, _ in choices if v in chosen]
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "data-all-label": self.all_label})
        return format_html(
            '<details class="menu"{}><summary>{}</summary><div class="menu-panel">{}</div>'
            "</details>",
            flatatt(attrs),
            summary(labels, self.all_label),
            self.panel(name, choices, chosen, attrs),
        )

    def panel(self, name, choices, chosen, attrs):
        return boxes(name, ((v, label, "", v in chosen) for v, label, _ in choices))

    def id_for_label(self, id_, index=None):
        # A group of checkboxes is labelled by its <fieldset>'s <legend> (use_fieldset).
        return ""


def summary(labels, all_label):
    """What a menu's summary says: the chosen labels, the first few and a count past those."""
    if not labels:
        return all_label
    if len(labels) <= SUMMARY_NAMED:
        return "、".join(labels)
    return "%s等%d个" % ("、".join(labels[:SUMMARY_NAMED]), len(labels))


def boxes(name, choices):
    """One labelled checkbox per (value, label, extra attributes (safe HTML), checked)."""
    return format_html_join(
        "",
        '<label><input type="checkbox" name="{}" value="{}"{}{}> {}</label>',
        (
            (name, value, extra, CHECKED if checked else "", label)
            for value, label, extra, checked in choices
        ),
    )


class CountyPicker(CheckboxMenu):
    """The county menu: its counties grouped by prefecture, each box carrying its prefecture
    code, and a box to type a name or code into. filters.js narrows the list to the chosen
    prefecture (`data-narrowed-by`) and to what is typed; without the script the find box
    stays hidden and the list scrolls."""

    def panel(self, name, choices, chosen, attrs):
        groups = {}
        for value, label, choice in choices:
            groups.setdefault(choice.instance.prefecture, []).append(
                (value, label, value in chosen)
            )
        # Each box carries its prefecture's code, an attribute built once per prefecture.
        groups = [
            (prefecture, format_html(' data-prefecture="{}"', prefecture.code), group)
            for prefecture, group in groups.items()
        ]
        find_id = "%s_find" % attrs.get("id", name)
        return format_html(
            '<p class="menu-find" hidden><label for="{}">查找</label> '
            '<input type="search" id="{}" autocomplete="off" placeholder="县名或区划代码"></p>'
            '{}<p class="menu-none" hidden>没有相符的县市区。</p>',
            find_id,
            find_id,
            format_html_join(
                "",
                '<fieldset data-prefecture="{}"><legend>{}</legend>{}</fieldset>',
                (
                    (p.code, p.name, boxes(name, ((v, lb, extra, c) for v, lb, c in group)))
                    for p, extra, group in groups
                ),
            ),
        )


class FilterForm(forms.Form):
    """The form of every list's filters: a filter that takes one value refuses two (rather than
    keeping the last), and a year range (`year_from`, `year_to`) must run forwards."""

    def clean(self):
        cleaned = super().clean()
        if hasattr(self.data, "getlist"):
            for name, field in self.fields.items():
                values = list(dict.fromkeys(v for v in self.data.getlist(name) if v.strip()))
                if len(values) > 1 and not getattr(field.widget, "allow_multiple_selected", 0):
                    count, shown = len(values), "、".join(values)
                    self.add_error(name, ONE_VALUE % {"count": count, "values": shown})
        low, high = cleaned.get("year_from"), cleaned.get("year_to")
        if low and high and low > high:
            labels = {"low": self.fields["year_from"].label, "high": self.fields["year_to"].label}
            self.add_error("year_from", RANGE_ERROR % {**labels, "from": low, "to": high})
        return cleaned


class PlaceFilterSet(django_filters.FilterSet):
    """Narrows the county choices to the chosen prefecture, and refuses a county outside it;
    its form is a FilterForm."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        code = (data or {}).get("prefecture")
        if code and "county" in self.filters:
            counties = self.form.fields["county"]
            counties.queryset = counties.queryset.filter(prefecture__code=code)
            # filters.js asks the server again when the prefecture is cleared.
            counties.widget.attrs["data-narrowed-to"] = code

    def get_form_class(self):
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        return type("%sForm" % type(self).__name__, (FilterForm,), fields)


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
        widget=CountyPicker("全部县市区", attrs={"data-narrowed-by": "prefecture"}),
        error_messages={
            "invalid_choice": "没有区划代码为%(value)s的县市区，或它不属于所选州市。",
            "invalid_list": "县市区须为区划代码的列表。",
        },
        **kwargs,
    )


def choices_filter(label, choices, all_label, unknown, **kwargs):
    """Any of several choices (`category=industry&category=health`), as a CheckboxMenu;
    `unknown` says what an unknown value is not ("没有“%(value)s”这个项目类别。")."""
    return django_filters.MultipleChoiceFilter(
        label=label,
        choices=choices,
        distinct=False,
        widget=CheckboxMenu(all_label),
        error_messages={"invalid_choice": unknown, "invalid_list": unknown},
        **kwargs,
    )


def flag_filter(label, field_name):
    """A yes/no question about the row's county (脱贫县, 边境县…): 全部, 是 or 否."""
    return django_filters.BooleanFilter(
        label=label,
        field_name=field_name,
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
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


class YearFilter(django_filters.Filter):
    """One year, 1996–2100, typed as people write it ("2022年", "２０２２"); `year=2022.5` or
    `year=abc` is a form error, not an empty list. With lookup_expr gte/lte, one end of a
    range (`year_from`, `year_to`, FilterForm checks their order)."""

    field_class = YearField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "年度")
        kwargs.setdefault("field_name", "year")
        super().__init__(**kwargs)


class YearsFilter(django_filters.Filter):
    """Any of several years: `year=2019&year=2020`, or "2019、2020" typed in the one box."""

    field_class = YearsField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "年度")
        kwargs.setdefault("field_name", "year")
        super().__init__(lookup_expr="in", **kwargs)


def paired_with(districts, year, county="county", prefecture="county__prefecture"):
    """For .filter(): the row's county (the lookup path `county`; its prefecture at
    `prefecture`) was paired with one of `districts` in `year` (a number, or an expression of
    the row such as OuterRef("year")), itself or with its whole prefecture. One EXISTS
    subquery over the pairings in force that year, no join."""
    pairings = (
        Pairing.objects.active_in(year)
        .filter(district__in=[district.pk for district in districts])
        .filter(Q(county=OuterRef(county)) | Q(prefecture=OuterRef(prefecture)))
    )
    return Exists(pairings)


def district_filter(help_text, **kwargs):
    """上海结对区: a menu of Shanghai's districts; the filter set's `method` says through
    which year's pairings (paired_with)."""
    return django_filters.ModelMultipleChoiceFilter(
        label="上海结对区",
        queryset=ShanghaiDistrict.objects.all(),
        to_field_name="code",
        distinct=False,
        widget=CheckboxMenu("全部结对区"),
        help_text=help_text,
        error_messages={
            "invalid_choice": "没有区划代码为%(value)s的上海市辖区。",
            "invalid_list": "上海结对区须为区划代码的列表。",
        },
        **kwargs,
    )


class SortFilter(django_filters.OrderingFilter):
    """The clickable column headers (`o=year`, `o=-year`).

    Rows that tie on the chosen column are ordered by primary key, so that no row shows on
    two pages and none is skipped. Rows without a value come last in either direction, on
    every database (PostgreSQL would put them first when descending, SQLite when ascending).
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
        return qs.order_by(*(self.blanks_last(param) for param in value if param), "pk")

    def blanks_last(self, param):
        ordering = self.get_ordering_value(param)
        column = F(ordering.lstrip("-"))
        if ordering.startswith("-"):
            return column.desc(nulls_last=True)
        return column.asc(nulls_last=True)


class CountyFilter(PlaceFilterSet):
    """The county list's filters. 上海结对区 goes through the pairings in force in 结对年度,
    by default the latest year with projects in the user's scope (one query)."""

    prefecture = prefecture_filter(field_name="prefecture")
    poverty = flag_filter("脱贫县", "is_former_poverty")
    key_assistance = flag_filter("重点帮扶县", "is_key_assistance")
    border = flag_filter("边境县", "is_border")
    district = district_filter("按结对年度在任的结对关系，含整州结对。", method="paired")
    year = YearFilter(label="结对年度", method="in_year")
    q = search_filter("名称或区划代码", "search")

    class Meta:
        model = County
        fields = []

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        counties = County.objects.visible_to(scope_of(request.user))
        latest = latest_year(counties, field="projects__year")
        self.default_year = latest or timezone.localdate().year
        field = self.form.fields["year"]
        field.initial = self.default_year
        why = "有项目的最新年度" if latest else "今年"
        field.help_text = "不填为%d年（%s）。" % (self.default_year, why)

    @property
    def pairing_year(self):
        """The year whose pairings 上海结对区 goes through."""
        cleaned = getattr(self.form, "cleaned_data", {})
        return cleaned.get("year") or self.default_year

    def paired(self, queryset, name, districts):
        if not districts:  # an empty queryset, which a `method` is called with all the same
            return queryset
        year = self.pairing_year
        return queryset.filter(paired_with(districts, year, county="pk", prefecture="prefecture"))

    def in_year(self, queryset, name, year):
        return queryset  # the year of 上海结对区 (paired), nothing by itself

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))
