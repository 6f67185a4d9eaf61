"""Linked records never leak across scopes: a page lists what its record links to only inside
the viewer's scope. A project's page shows only the cadres, fund allocations, park and village
the viewer may see; a park's, a cadre's and a county's pages only the projects and records of
the scope; and none of these pages' queries grow with the links in and out of the scope.
"""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import County, Prefecture, Village
from personnel.models import Cadre
from projects.models import Fund, FundAllocation, IndustrialPark, Project, cadres_elsewhere
from tests.pages import html, project_codes
from tests.projects.post_data import project_data
from tests.related_scope_cast import (  # noqa: F401
    allocate,
    cadre,
    menglian_fixture,
    park,
    person,
    project,
    puer_clerk_fixture,
)

CADRE_LINK = re.compile(r'<a href="/personnel/\d+/">([^<]+)</a>')
# Session, user, the role's permissions (two), scope, the record and its projects.
PAGE_QUERIES = 7
# The same, and a park's yearly records, its registered enterprises and its documents.
PARK_PAGE_QUERIES = PAGE_QUERIES + 3
# Session, user, permissions (two), scope, project, allocations, pairings, the audit trail's
# content type and entries, cadres, documents.
PROJECT_PAGE_QUERIES = 12


@pytest.fixture
def lancang_reader(client, django_user_model, county):
    """A 查看者 whose scope is 澜沧 alone."""
    client.force_login(person(django_user_model, "lancang", counties=[county]))
    return client


@pytest.fixture
def linked(county, menglian, prefecture):
    """A 澜沧 project with links inside and outside a 澜沧 reader's scope: a cadre posted to
    澜沧 and one posted to the whole of 普洱市 (allowed, but outside a county's scope); and,
    written straight to the database as records were before the links were checked, a 孟连
    cadre, a 孟连 fund's allocation, and a 孟连 park and village."""
    lancang = project(
        "2023-LC-001",
        county,
        park=park("孟连沪滇产业园", menglian),
        village=Village.objects.create(name="芒信村", township="芒信镇", county=menglian),
    )
    lancang.cadres.add(
        cadre("李静", county=county), cadre("王芳", prefecture=prefecture), cadre("赵强", menglian)
    )
    allocate(lancang, county, "30")
    allocate(lancang, menglian, "20", source="district")
    return lancang


# The pages


def test_project_page_lists_only_the_cadres_inside_the_scope(lancang_reader, linked):
    response = lancang_reader.get(linked.get_absolute_url())

    assert CADRE_LINK.findall(html(response)) == ["李静"]
    assertNotContains(response, "王芳")
    assertNotContains(response, "赵强")


def test_project_page_lists_and_sums_only_the_allocations_of_funds_inside_the_scope(
    lancang_reader, linked
):
    response = lancang_reader.get(linked.get_absolute_url())

    assertContains(response, '<tr><td>上海市级财政援助</td><td class="num">30.00</td></tr>')
    assertContains(response, '<td class="num">30.00</td></tr>', count=2)  # the sum and the row
    assertNotContains(response, "区级财政援助")


def test_project_page_shows_no_park_or_village_outside_the_scope(lancang_reader, linked):
    response = lancang_reader.get(linked.get_absolute_url())

    assertContains(response, "<dt>所属园区</dt><dd>—</dd>")
    assertNotContains(response, "孟连沪滇产业园")
    assertNotContains(response, "芒信")


def test_a_prefecture_reader_sees_every_link_of_the_prefecture(
    client, django_user_model, prefecture, linked
):
    client.force_login(person(django_user_model, "puer", prefectures=[prefecture]))

    response = client.get(linked.get_absolute_url())

    assert sorted(CADRE_LINK.findall(html(response))) == ["李静", "王芳", "赵强"]
    assertContains(response, "区级财政援助")
    assertContains(response, "孟连沪滇产业园")


def test_project_history_counts_the_cadres_outside_the_scope_instead_of_naming_them(
    puer_clerk, django_user_model, county, prefecture
):
    lancang = project("2023-LC-001", county)
    li, wang = cadre("李静", county=county), cadre("王芳", prefecture=prefecture)
    data = project_data(county, code=lancang.code, name=lancang.name, cadres=[li.pk, wang.pk])
    puer_clerk.post(reverse("admin:projects_project_change", args=[lancang.pk]), data)
    assert set(lancang.cadres.all()) == {li, wang}
    lancang_reader = Client()
    lancang_reader.force_login(person(django_user_model, "lancang", counties=[county]))

    response = lancang_reader.get(lancang.get_absolute_url())

    assertContains(response, "负责干部：（空） → 李静（党政干部）、另1名数据范围以外的干部")
    assertNotContains(response, "王芳")


def test_park_page_lists_only_the_projects_inside_the_scope(lancang_reader, county, menglian):
    shared = park("澜沧沪滇产业园", county)
    project("2023-LC-001", county, park=shared)
    project("2023-ML-001", menglian, park=shared)  # before the links were checked

    response = lancang_reader.get(shared.get_absolute_url())

    assert project_codes(response) == ["2023-LC-001"]
    assertContains(response, "园区内项目 <small>1个</small>")


def test_cadre_page_lists_only_the_projects_inside_the_scope(lancang_reader, county, menglian):
    li = cadre("李静", county=county)
    project("2023-LC-001", county).cadres.add(li)
    project("2023-ML-001", menglian).cadres.add(li)  # before the links were checked

    response = lancang_reader.get(li.get_absolute_url())

    assertContains(response, "负责项目 <small>1个</small>")
    assertContains(response, "2023-LC-001")
    assertNotContains(response, "2023-ML-001")


def test_county_page_lists_only_the_records_of_the_county_and_the_scope(
    lancang_reader, county, menglian, prefecture
):
    project("2023-LC-001", county)
    project("2023-ML-001", menglian)
    Fund.objects.create(source="city", year=2023, county=county, amount=Decimal("70"))
    Fund.objects.create(source="city", year=2023, county=menglian, amount=Decimal("90"))
    cadre("李静", county=county)
    cadre("王芳", prefecture=prefecture)
    cadre("赵强", county=menglian)
    park("澜沧沪滇产业园", county)
    park("孟连沪滇产业园", menglian)
    Village.objects.create(name="勐朗村", township="勐朗镇", county=county)
    Village.objects.create(name="芒信村", township="芒信镇", county=menglian)

    response = lancang_reader.get(county.get_absolute_url())

    assert project_codes(response) == ["2023-LC-001"]
    assertContains(response, "资金 <small>1笔</small>")
    assertContains(response, '<td class="num">70.00</td>')
    assert CADRE_LINK.findall(html(response)) == ["李静"]
    assertContains(response, "澜沧沪滇产业园")
    assertContains(response, "勐朗镇勐朗村")
    for elsewhere in ("2023-ML-001", "王芳", "赵强", "孟连沪滇产业园", "芒信村", ">90<"):
        assertNotContains(response, elsewhere)
    assert lancang_reader.get(menglian.get_absolute_url()).status_code == 404


def test_the_demo_project_of_shangri_la_shows_no_prefecture_cadres_to_a_shangri_la_reader(
    client, django_user_model
):
    call_command("loaddata", "reference", "demo", verbosity=0)
    shangri_la = County.objects.get(code="533401")
    diqing = Prefecture.objects.get(code="533400")
    demo = Project.objects.get(code="HD-2022-533401-001")
    client.force_login(person(django_user_model, "xianggelila", counties=[shangri_la]))

    response = client.get(demo.get_absolute_url())

    assert response.status_code == 200
    assert CADRE_LINK.findall(html(response)) == []
    for cadre_ in demo.cadres.all():
        assert cadre_.prefecture == diqing
        assertNotContains(response, cadre_.name)
        assert client.get(cadre_.get_absolute_url()).status_code == 404
    # Its allocation, from a fund of 香格里拉, is shown: the sum by source and the row.
    assertContains(response, '<td class="num">180.00</td></tr>', count=2)


def test_the_demo_data_keeps_every_link_in_its_place(db):
    call_command("loaddata", "reference", "demo", verbosity=0)

    for model in (Village, Cadre, IndustrialPark, Fund, FundAllocation):
        for record in model.objects.all():
            record.full_clean()
    for demo in Project.objects.select_related("county__prefecture"):
        demo.full_clean()
        assert cadres_elsewhere(demo.county, demo.cadres.select_related("county")) == []


def test_project_page_queries_do_not_grow_with_links_in_and_out_of_the_scope(
    lancang_reader, county, menglian, prefecture, django_assert_max_num_queries
):
    lancang = project("2023-LC-001", county)
    lancang_reader.get("/")  # the first request of a session refreshes its expiry
    counted = []
    for size in (5, 100):
        for place in (county, menglian):
            for n in range(size - lancang.allocations.filter(fund__county=place).count()):
                allocate(lancang, place, "1")
                lancang.cadres.add(cadre("%s干部%d" % (place.name[:2], n), county=place))
        with django_assert_max_num_queries(PROJECT_PAGE_QUERIES) as queries:
            response = lancang_reader.get(lancang.get_absolute_url())
        assert len(CADRE_LINK.findall(html(response))) == size
        counted.append(len(queries))

    assert counted[0] == counted[1]


def test_park_and_cadre_pages_queries_do_not_grow_with_their_projects(
    lancang_reader, county, menglian, django_assert_max_num_queries
):
    shared, li = park("澜沧沪滇产业园", county), cadre("李静", county=county)
    lancang_reader.get("/")  # the first request of a session refreshes its expiry
    counted = []
    for size in (5, 100):
        for place, prefix in ((county, "LC"), (menglian, "ML")):
            start = Project.objects.filter(county=place).count()
            for n in range(start, size):
                project("%s-%03d" % (prefix, n), place, park=shared).cadres.add(li)
        with django_assert_max_num_queries(PARK_PAGE_QUERIES) as park_queries:
            park_page = lancang_reader.get(shared.get_absolute_url())
        with django_assert_max_num_queries(PAGE_QUERIES) as cadre_queries:
            cadre_page = lancang_reader.get(li.get_absolute_url())
        assert len(project_codes(park_page)) == size
        assertContains(cadre_page, "负责项目 <small>%d个</small>" % size)
        counted.append((len(park_queries), len(cadre_queries)))

    assert counted[0] == counted[1]
