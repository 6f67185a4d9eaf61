import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import ExtractYear

from counties.filters import (
    CheckboxMenu,
    PlaceFilterSet,
    SortFilter,
    choices_filter,
    county_filter,
    district_filter,
    flag_filter,
    paired_with,
    prefecture_filter,
    search_filter,
)
from counties.models import Pairing

from .models import Batch, Cadre


class CadreFilter(PlaceFilterSet):
    prefecture = prefecture_filter(method="in_prefecture")
    county = county_filter()
    batch = django_filters.ModelMultipleChoiceFilter(
        label="批次",
        # With to_field_name the filter compares the field with the number, not the row.
        field_name="batch__number",
        queryset=Batch.objects.all(),
        to_field_name="number",
        distinct=False,
        widget=CheckboxMenu("全部批次"),
        error_messages={
            "invalid_choice": "没有第%(value)s批。",
            "invalid_list": "批次须为批次号的列表。",
        },
    )
    kind = choices_filter("类别", Cadre.Kind.choices, "全部类别", "没有“%(value)s”这个类别。")
    team = choices_filter(
        "组团式帮扶", Cadre.Team.choices, "不限", "没有“%(value)s”这种组团式帮扶。"
    )
    district = district_filter(
        "按任期开始那年派驻地的结对关系；派驻州市的，含与其下各县结对的区。",
        method="paired",
    )
    poverty = flag_filter("脱贫县", "county__is_former_poverty")
    key_assistance = flag_filter("重点帮扶县", "county__is_key_assistance")
    border = flag_filter("边境县", "county__is_border")
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

    def paired(self, queryset, name, districts):
        if not districts:  # an empty queryset, which a `method` is called with all the same
            return queryset
        year = ExtractYear(OuterRef("term_start"))
        # A cadre posted to a prefecture serves it whole: a district paired with it or with
        # one of its counties.
        at_prefecture = Pairing.objects.active_in(year).filter(
            Q(prefecture=OuterRef("prefecture")) | Q(county__prefecture=OuterRef("prefecture")),
            district__in=[district.pk for district in districts],
        )
        return queryset.filter(Q(paired_with(districts, year)) | Q(Exists(at_prefecture)))

    def on_post_at(self, queryset, name, date):
        return queryset.on_post(date)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(post__icontains=value) | Q(sending_unit__icontains=value)
        )
