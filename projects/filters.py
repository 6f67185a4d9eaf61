import django_filters
from django import forms
from django.db.models import Q

from counties.filters import (
    PlaceFilterSet,
    SortFilter,
    YearFilter,
    county_filter,
    prefecture_filter,
    search_filter,
)

from .models import MONEY, Fund, IndustrialPark, Project


def money_filter(label, field_name, lookup_expr):
    return django_filters.NumberFilter(
        label=label,
        field_name=field_name,
        lookup_expr=lookup_expr,
        min_value=0,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        error_messages={
            "invalid": "请输入金额（万元），如12.5。",
            "min_value": "金额不能为负数。",
            "max_digits": "金额过大。",
            "max_decimal_places": "金额最多保留4位小数。",
            "max_whole_digits": "金额过大。",
        },
        widget=forms.NumberInput(attrs={"step": "any", "min": 0}),
    )


class ProjectFilter(PlaceFilterSet):
    prefecture = prefecture_filter()
    county = county_filter()
    year = YearFilter()
    category = django_filters.ChoiceFilter(
        label="项目类别",
        choices=Project.Category.choices,
        empty_label="全部类别",
        error_messages={"invalid_choice": "没有“%(value)s”这个项目类别。"},
    )
    status = django_filters.ChoiceFilter(
        label="项目状态",
        choices=Project.Status.choices,
        empty_label="全部状态",
        error_messages={"invalid_choice": "没有“%(value)s”这个项目状态。"},
    )
    q = search_filter("编号或名称", "search")
    funds_min = money_filter("上海援助资金不少于（万元）", "shanghai_funds", "gte")
    funds_max = money_filter("上海援助资金不超过（万元）", "shanghai_funds", "lte")
    o = SortFilter(
        fields=[
            ("code", "code"),
            ("name", "name"),
            ("county__code", "county"),
            ("year", "year"),
            ("category", "category"),
            ("status", "status"),
            ("shanghai_funds", "shanghai_funds"),
        ],
        field_labels={
            "code": "项目编号",
            "name": "项目名称",
            "county__code": "县市区",
            "year": "年度",
            "category": "项目类别",
            "status": "项目状态",
            "shanghai_funds": "上海援助资金",
        },
    )

    class Meta:
        model = Project
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class FundFilter(PlaceFilterSet):
    prefecture = prefecture_filter()
    county = county_filter()
    year = YearFilter()
    source = django_filters.ChoiceFilter(
        label="资金来源",
        choices=Fund.Source.choices,
        empty_label="全部来源",
        error_messages={"invalid_choice": "没有“%(value)s”这个资金来源。"},
    )
    o = SortFilter(
        fields=[
            ("year", "year"),
            ("county__code", "county"),
            ("source", "source"),
            ("amount", "amount"),
            ("allocated", "allocated"),
            ("remaining", "remaining"),
        ],
        field_labels={
            "year": "年度",
            "county__code": "县市区",
            "source": "资金来源",
            "amount": "金额",
            "allocated": "已分配",
            "remaining": "未分配",
        },
    )

    class Meta:
        model = Fund
        fields = []


class ParkFilter(PlaceFilterSet):
    prefecture = prefecture_filter()
    county = county_filter()
    is_demonstration = django_filters.BooleanFilter(
        label="示范园区",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
    )
    q = django_filters.CharFilter(
        label="名称", field_name="name", lookup_expr="icontains", max_length=100
    )
    o = SortFilter(
        fields=[
            ("name", "name"),
            ("county__code", "county"),
            ("year_founded", "year_founded"),
            ("enterprises", "enterprises"),
            ("investment", "investment"),
            ("jobs", "jobs"),
        ],
        field_labels={
            "name": "园区名称",
            "county__code": "所在县市区",
            "year_founded": "设立年度",
            "enterprises": "入驻企业",
            "investment": "累计投资",
            "jobs": "带动就业",
        },
    )

    class Meta:
        model = IndustrialPark
        fields = []
