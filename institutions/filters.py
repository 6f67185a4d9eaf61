import django_filters
from django.db.models import Q

from counties.filters import (
    PlaceFilterSet,
    SortFilter,
    YearFilter,
    county_filter,
    prefecture_filter,
    search_filter,
)
from counties.models import ShanghaiDistrict

from .models import Institution, InstitutionPairing, located_in


def district_filter(field_name):
    return django_filters.ModelChoiceFilter(
        label="上海市辖区",
        field_name=field_name,
        queryset=ShanghaiDistrict.objects.all(),
        to_field_name="code",
        empty_label="全部区",
        error_messages={"invalid_choice": "没有区划代码为%(value)s的上海市辖区。"},
    )


class InstitutionFilter(PlaceFilterSet):
    kind = django_filters.ChoiceFilter(
        label="类别",
        choices=Institution.Kind.choices,
        empty_label="全部类别",
        error_messages={"invalid_choice": "没有“%(value)s”这个机构类别。"},
    )
    side = django_filters.ChoiceFilter(
        label="所在省市",
        choices=Institution.Side.choices,
        empty_label="上海和云南",
        error_messages={"invalid_choice": "所在省市须为上海或云南。"},
    )
    prefecture = prefecture_filter(method="in_prefecture")
    county = county_filter()
    district = district_filter("district")
    q = search_filter("名称或统一社会信用代码", "search")
    o = SortFilter(
        fields=[("name", "name"), ("kind", "kind"), ("side", "side")],
        field_labels={"name": "名称", "kind": "类别", "side": "所在省市"},
    )

    class Meta:
        model = Institution
        fields = []

    def in_prefecture(self, queryset, name, prefecture):
        return queryset.filter(Q(prefecture=prefecture) | Q(county__prefecture=prefecture))

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__iexact=value))


class InstitutionPairingFilter(PlaceFilterSet):
    kind = django_filters.ChoiceFilter(
        label="结对类型",
        choices=InstitutionPairing.Kind.choices,
        empty_label="全部类型",
        error_messages={"invalid_choice": "没有“%(value)s”这种结对类型。"},
    )
    year = YearFilter(label="在结对年度", method="in_force")
    prefecture = prefecture_filter(method="in_prefecture")
    county = county_filter(method="in_counties")
    district = district_filter("helper__district")
    q = search_filter("机构名称", "search")
    o = SortFilter(
        fields=[("from_year", "from_year"), ("to_year", "to_year"), ("kind", "kind")],
        field_labels={"from_year": "起始年度", "to_year": "终止年度", "kind": "结对类型"},
    )

    class Meta:
        model = InstitutionPairing
        fields = []

    def in_force(self, queryset, name, year):
        return queryset.active_in(year)

    def in_prefecture(self, queryset, name, prefecture):
        # The Yunnan side: the prefecture itself, one of its institutions, or a county, an
        # institution or a village in it.
        return queryset.filter(
            Q(partner_prefecture=prefecture)
            | Q(partner__prefecture=prefecture)
            | located_in(prefecture.counties.values("pk"))
        )

    def in_counties(self, queryset, name, counties):
        if not counties:  # nothing chosen: django-filter passes the empty choice along
            return queryset
        return queryset.filter(located_in([county.pk for county in counties]))

    def search(self, queryset, name, value):
        return queryset.filter(Q(helper__name__icontains=value) | Q(partner__name__icontains=value))
