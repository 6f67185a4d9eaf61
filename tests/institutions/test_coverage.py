"""覆盖情况: which former poverty counties a Shanghai district is paired with in a year."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from counties.models import County, Pairing, Prefecture, ShanghaiDistrict
from counties.scopes import scope_of
from institutions.coverage import covered
from institutions.models import Institution, InstitutionPairing
from tests.institutions.cast import member, other_county

COVERAGE = reverse("institutions:coverage")


@pytest.fixture
def counties(county, menghai, district):
    """澜沧 paired itself with 黄浦 since 2017; 福贡 and 贡山 through the whole of 怒江 with 闵行
    since 2021; 勐海 (a poverty county here) only until 2016; 思茅 is no poverty county."""
    nujiang = Prefecture.objects.create(
        code="533300", name="怒江傈僳族自治州", division_type="自治州"
    )
    minhang = ShanghaiDistrict.objects.create(code="310112", name="闵行区")
    fugong = other_county(nujiang, "533323", "福贡县", is_former_poverty=True)
    gongshan = other_county(nujiang, "533324", "贡山独龙族怒族自治县", is_former_poverty=True)
    County.objects.filter(pk=menghai.pk).update(is_former_poverty=True)
    other_county(county.prefecture, "530802", "思茅区")
    Pairing.objects.create(district=district, county=county, from_year=2017)
    Pairing.objects.create(district=minhang, prefecture=nujiang, from_year=2021)
    Pairing.objects.create(district=district, county=menghai, from_year=2010, to_year=2016)
    hospital = Institution.objects.create(name="瑞金医院", kind="hospital", side="shanghai")
    lancang = Institution.objects.create(
        name="澜沧县医院", kind="hospital", side="yunnan", county=county
    )
    InstitutionPairing.objects.create(
        kind="medical", helper=hospital, partner=lancang, from_year=2023
    )
    return {"fugong": fugong, "gongshan": gongshan, "nujiang": nujiang}


def rows(response):
    return [
        (row.county.name, [p.district.name for p in row.pairings], row.paired)
        for row in response.context["rows"]
    ]


def test_coverage_lists_the_poverty_counties_with_their_districts_that_year(user_client, counties):
    response = user_client.get(COVERAGE, {"year": 2024})

    assert rows(response) == [
        ("澜沧拉祜族自治县", ["黄浦区"], True),
        ("勐海县", [], False),
        ("福贡县", ["闵行区"], True),
        ("贡山独龙族怒族自治县", ["闵行区"], True),
    ]
    assertContains(response, "已结对3个 / 共4个")
    assertContains(response, '<span class="flag">未结对</span>', count=1)
    assertContains(response, "闵行区<small>（整州）</small>", count=2)


def test_coverage_shows_the_institutions_paired_with_each_county(user_client, counties):
    response = user_client.get(COVERAGE, {"year": 2024})

    lancang = response.context["rows"][0]
    assert [p.helper.name for p in lancang.institution_pairings] == ["瑞金医院"]
    assertContains(response, "瑞金医院</a><small>（组团式医疗）</small>", html=False)


def test_a_pairing_over_before_the_year_leaves_the_county_unpaired(user_client, counties):
    assert rows(user_client.get(COVERAGE, {"year": 2015}))[1] == ("勐海县", ["黄浦区"], True)
    assertContains(user_client.get(COVERAGE, {"year": 2018}), "已结对1个 / 共4个")


def test_coverage_is_of_this_year_unless_asked(user_client, counties):
    assert user_client.get(COVERAGE).context["year"] == timezone.localdate().year


def test_covered_counts_the_paired_poverty_counties_of_the_scope(
    counties, county, django_user_model, django_assert_num_queries
):
    everyone = django_user_model.objects.create_superuser("boss", password="x")
    lancang = member(django_user_model, "lancang", "查看者", counties=[county])
    scope_of(everyone), scope_of(lancang)  # read once, as a request does

    with django_assert_num_queries(1):
        assert covered(2024, scope_of(everyone)) == (3, 4)
    assert covered(2024, scope_of(lancang)) == (1, 1)
    assert covered(2018, scope_of(everyone)) == (1, 4)


def test_coverage_queries_do_not_grow_with_the_counties(user_client, counties):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            user_client.get(COVERAGE, {"year": 2024})
        return len(captured)

    before = queries()
    nujiang = counties["nujiang"]
    for n in range(20):
        other_county(nujiang, "5333%02d" % (50 + n), "县%02d" % n, is_former_poverty=True)

    assert queries() == before


def test_a_county_reader_sees_the_coverage_of_the_county_only(
    client, django_user_model, counties, county
):
    client.force_login(member(django_user_model, "lancang", "查看者", counties=[county]))
    response = client.get(COVERAGE, {"year": 2024})

    assert rows(response) == [("澜沧拉祜族自治县", ["黄浦区"], True)]
    assertContains(response, "已结对1个 / 共1个")
