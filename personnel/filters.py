import django_filters
from django import forms
from django.db.models import Q

from counties.filters import (
    PlaceFilterSet,
    SortFilter,
    county_filter,
    prefecture_filter,
    search_filter,
)

from .models import Batch, Cadre


class CadreFilter(PlaceFilterSet):
    prefecture = prefecture_filter(method="in_prefecture")
    county = county_filter()
    batch = django_filters.ModelChoiceFilter(
        label="批次",
        queryset=Batch.objects.all(),
        to_field_name="number",
        empty_label="全部批次",
        error_messages={"invalid_choice": "没有第%(value)s批。"},
    )
    kind = django_filters.ChoiceFilter(
        label="类别",
        choices=Cadre.Kind.choices,
        empty_label="全部类别",
        error_messages={"invalid_choice": "没有“%(value)s”这个类别。"},
    )
    team = django_filters.ChoiceFilter(
        label="组团式帮扶",
        choices=Cadre.Team.choices,
        empty_label="不限",
        error_messages={"invalid_choice": "没有“%(value)s”这种组团式帮扶。"},
    )
    on_post = django_filters.DateFilter(
        label="在岗日期",
        method="on_post_at",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入日期，格式为YYYY-MM-DD，如2024-07-01。"},
    )
    q = search_filter("姓名、岗位或派出单位", "search")
    o = SortFilter(
        fields=[
            ("name", "name"),
            ("kind", "kind"),
            ("batch__number", "batch"),
            ("term_start", "term_start"),
            ("term_end", "term_end"),
        ],
        field_labels={
            "name": "姓名",
            "kind": "类别",
            "batch__number": "批次",
            "term_start": "任期开始",
            "term_end": "任期结束",
        },
    )

    class Meta:
        model = Cadre
        fields = []

    def in_prefecture(self, queryset, name, prefecture):
        return queryset.in_prefecture(prefecture)

    def on_post_at(self, queryset, name, date):
        return queryset.on_post(date)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(post__icontains=value) | Q(sending_unit__icontains=value)
        )
