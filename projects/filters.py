import django_filters
from django import forms
from django.db.models import OuterRef, Q

from counties.filters import (
    PlaceFilterSet,
    SortFilter,
    YearFilter,
    YearsFilter,
    choices_filter,
    county_filter,
    district_filter,
    flag_filter,
    paired_with,
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


def in_its_year(queryset, name, districts):
    """上海结对区 for projects and funds: those whose county was paired with one of the
    districts in the row's own year (one EXISTS subquery)."""
    if not districts:  # an empty queryset, which a `method` is called with all the same
        return queryset
    return queryset.filter(paired_with(districts, OuterRef("year")))


class ProjectFilter(PlaceFilterSet):
    prefecture = prefecture_filter()
    county = county_filter()
    year = YearsFilter()
    year_from = YearFilter(label="起始年度", lookup_expr="gte")
    year_to = YearFilter(label="截止年度", lookup_expr="lte")
    category = choices_filter(
        "项目类别", Project.Category.choices, "全部类别", "没有“%(value)s”这个项目类别。"
    )
    status = choices_filter(
        "项目状态", Project.Status.choices, "全部状态", "没有“%(value)s”这个项目状态。"
    )
    district = district_filter(
        "按项目年度在任的结对关系（与县或整个州市结对）。", method=in_its_year
    )
    poverty = flag_filter("脱贫县", "county__is_former_poverty")
    key_assistance = flag_filter("重点帮扶县", "county__is_key_assistance")
    border = flag_filter("边境县", "county__is_border")
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
    year = YearsFilter()
    year_from = YearFilter(label="起始年度", lookup_expr="gte")
    year_to = YearFilter(label="截止年度", lookup_expr="lte")
    source = choices_filter(
        "资金来源", Fund.Source.choices, "全部来源", "没有“%(value)s”这个资金来源。"
    )
    district = district_filter(
        "按资金年度在任的结对关系（与县或整个州市结对）。", method=in_its_year
    )
    poverty = flag_filter("脱贫县", "county__is_former_poverty")
    key_assistance = flag_filter("重点帮扶县", "county__is_key_assistance")
    border = flag_filter("边境县", "county__is_border")
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
    district = district_filter(
        "园区登记的结对区；未登记的，按设立年度的结对关系。",
        method="partnered",
    )
    poverty = flag_filter("脱贫县", "county__is_former_poverty")
    key_assistance = flag_filter("重点帮扶县", "county__is_key_assistance")
    border = flag_filter("边境县", "county__is_border")
    is_demonstration = flag_filter("示范园区", "is_demonstration")
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
            "investment": "企业到位投资",
            "jobs": "带动就业",
        },
    )

    class Meta:
        model = IndustrialPark
        fields = []

    def partnered(self, queryset, name, districts):
        if not districts:
            return queryset
        paired = paired_with(districts, OuterRef("year_founded"))
        return queryset.filter(
            Q(partner_district__in=districts) | Q(paired, partner_district__isnull=True)
        )
