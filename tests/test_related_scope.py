"""Linked records never leak across scopes, and a project's links stay in its county.

A page lists what its record links to only inside the viewer's scope. A project's cadres,
fund allocations, park and village are in its county (a cadre may instead be posted to the
county's whole prefecture): the admin refuses other links, and refuses moving a fund, park,
village or cadre away from the projects that use it.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import County, Prefecture, Scope, Village
from personnel.models import Cadre
from projects.models import Fund, FundAllocation, IndustrialPark, Project, cadres_elsewhere
from tests.pages import html, project_codes
from tests.projects.post_data import fund_data, project_data

MENGLIAN = "孟连傣族拉祜族佤族自治县"
CADRE_LINK = re.compile(r'<a href="/personnel/\d+/">([^<]+)</a>')
# Session, user, the role's permissions (two), scope, the record and its projects.
PAGE_QUERIES = 7
# Session, user, permissions (two), scope, project, allocations, pairings, the audit trail's
# content type and entries, cadres.
PROJECT_PAGE_QUERIES = 11


def person(django_user_model, name, role="查看者", **scope):
    """A user with one role and a scope; staff unless a plain 查看者."""
    user = django_user_model.objects.create_user(name, password="x", is_staff=role != "查看者")
    user.groups.add(Group.objects.get(name=role))
    places = {k: scope.pop(k) for k in ("prefectures", "counties") if k in scope}
    user_scope = Scope.objects.create(user=user, **scope)
    for field, values in places.items():
        getattr(user_scope, field).set(values)
    return user


@pytest.fixture
def lancang_reader(client, django_user_model, county):
    """A 查看者 whose scope is 澜沧 alone."""
    client.force_login(person(django_user_model, "lancang", counties=[county]))
    return client


@pytest.fixture
def puer_clerk(client, django_user_model, prefecture):
    """A 录入员 for the whole of 普洱市: 澜沧 and 孟连 alike."""
    client.force_login(person(django_user_model, "puer", "录入员", prefectures=[prefecture]))
    return client


@pytest.fixture
def administrator(client, django_user_model):
    """A 系统管理员 of the whole province."""
    client.force_login(person(django_user_model, "root", "系统管理员", everywhere=True))
    return client


@pytest.fixture
def menglian(prefecture):
    return County.objects.create(
        code="530827", name=MENGLIAN, prefecture=prefecture, division_type="自治县"
    )


@pytest.fixture
def menghai(db):
    """A county of another prefecture."""
    xishuangbanna = Prefecture.objects.create(
        code="532800", name="西双版纳傣族自治州", division_type="自治州"
    )
    return County.objects.create(
        code="532822", name="勐海县", prefecture=xishuangbanna, division_type="县"
    )


def cadre(name, county=None, prefecture=None):
    return Cadre.objects.create(
        name=name,
        gender="male",
        kind="official",
        sending_unit="上海市黄浦区",
        post="挂职干部",
        county=county,
        prefecture=prefecture,
        term_start=datetime.date(2023, 1, 1),
    )


def project(code, county, **fields):
    return Project.objects.create(
        code=code, name="项目" + code, county=county, category="other", year=2023, **fields
    )


def park(name, county):
    return IndustrialPark.objects.create(name=name, county=county, year_founded=2020)


def allocate(project, county, amount, source="city"):
    fund = Fund.objects.create(source=source, year=2023, county=county, amount=Decimal("100"))
    return FundAllocation.objects.create(fund=fund, project=project, amount=Decimal(amount))


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

    assertContains(response, '<tr><td>上海市级财政援助</td><td class="num">30</td></tr>')
    assertContains(response, '<td class="num">30</td></tr>', count=2)  # the sum and the row
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
    assertContains(response, '<td class="num">70</td>')
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
    assertContains(response, '<td class="num">180</td></tr>', count=2)


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
        with django_assert_max_num_queries(PAGE_QUERIES) as park_queries:
            park_page = lancang_reader.get(shared.get_absolute_url())
        with django_assert_max_num_queries(PAGE_QUERIES) as cadre_queries:
            cadre_page = lancang_reader.get(li.get_absolute_url())
        assert len(project_codes(park_page)) == size
        assertContains(cadre_page, "负责项目 <small>%d个</small>" % size)
        counted.append((len(park_queries), len(cadre_queries)))

    assert counted[0] == counted[1]


# Adding links in the admin


def test_admin_refuses_a_cadre_of_another_county(puer_clerk, county, menglian):
    zhao = cadre("赵强", county=menglian)

    response = puer_clerk.post(
        reverse("admin:projects_project_add"), project_data(county, cadres=[zhao.pk])
    )

    assertContains(
        response,
        "干部“赵强”派驻在孟连傣族拉祜族佤族自治县，不能负责澜沧拉祜族自治县的项目："
        "负责干部须派驻在澜沧拉祜族自治县或普洱市。",
    )
    assert not Project.objects.exists()


def test_admin_refuses_a_cadre_posted_to_another_prefecture(administrator, county, menghai):
    zhao = cadre("赵强", prefecture=menghai.prefecture)

    response = administrator.post(
        reverse("admin:projects_project_add"), project_data(county, cadres=[zhao.pk])
    )

    assertContains(response, "干部“赵强”派驻在西双版纳傣族自治州，不能负责澜沧拉祜族自治县的项目")
    assert not Project.objects.exists()


def test_admin_accepts_cadres_of_the_county_and_of_its_prefecture(puer_clerk, county, prefecture):
    li, wang = cadre("李静", county=county), cadre("王芳", prefecture=prefecture)

    response = puer_clerk.post(
        reverse("admin:projects_project_add"), project_data(county, cadres=[li.pk, wang.pk])
    )

    assert response.status_code == 302
    assert set(Project.objects.get().cadres.all()) == {li, wang}


def test_admin_refuses_a_park_of_another_county(puer_clerk, county, menglian):
    elsewhere = park("孟连沪滇产业园", menglian)

    response = puer_clerk.post(
        reverse("admin:projects_project_add"), project_data(county, park=str(elsewhere.pk))
    )

    assertContains(
        response,
        "所选园区不在该县市区。孟连沪滇产业园位于孟连傣族拉祜族佤族自治县，"
        "项目在澜沧拉祜族自治县。",
    )
    assert not Project.objects.exists()


def test_admin_refuses_a_village_of_another_county(puer_clerk, county, menglian):
    village = Village.objects.create(name="芒信村", township="芒信镇", county=menglian)

    response = puer_clerk.post(
        reverse("admin:projects_project_add"), project_data(county, village=str(village.pk))
    )

    assertContains(
        response,
        "所选村不在该县市区。芒信镇芒信村位于孟连傣族拉祜族佤族自治县，项目在澜沧拉祜族自治县。",
    )
    assert not Project.objects.exists()


def test_admin_refuses_an_allocation_of_another_county_fund_on_the_project_screen(
    puer_clerk, county, menglian
):
    fund = Fund.objects.create(source="city", year=2023, county=menglian, amount=Decimal("50"))

    response = puer_clerk.post(
        reverse("admin:projects_project_add"), project_data(county, allocations=[(fund, "10")])
    )

    assertContains(response, "该资金拨付给%s，不能分配给澜沧拉祜族自治县的项目。" % MENGLIAN)
    assert not Project.objects.exists()


def test_admin_refuses_an_allocation_of_another_county_fund_on_the_allocation_screen(
    puer_clerk, county, menglian
):
    lancang = project("2023-LC-001", county)
    fund = Fund.objects.create(source="city", year=2023, county=menglian, amount=Decimal("50"))

    response = puer_clerk.post(
        reverse("admin:projects_fundallocation_add"),
        {"fund": str(fund.pk), "project": str(lancang.pk), "amount": "10", "_save": "保存"},
    )

    assertContains(response, "该资金拨付给%s，不能分配给澜沧拉祜族自治县的项目。" % MENGLIAN)
    assert not FundAllocation.objects.exists()


def test_admin_refuses_moving_a_project_away_from_its_cadres_and_allocations(
    puer_clerk, county, menglian
):
    lancang = project("2023-LC-001", county)
    li = cadre("李静", county=county)
    lancang.cadres.add(li)
    allocation = allocate(lancang, county, "30")
    data = project_data(menglian, code=lancang.code, name=lancang.name, cadres=[li.pk])
    data.update(
        {
            "allocations-TOTAL_FORMS": "1",
            "allocations-INITIAL_FORMS": "1",
            "allocations-0-id": str(allocation.pk),
            "allocations-0-project": str(lancang.pk),
            "allocations-0-fund": str(allocation.fund_id),
            "allocations-0-amount": "30",
        }
    )

    response = puer_clerk.post(reverse("admin:projects_project_change", args=[lancang.pk]), data)

    assertContains(response, "干部“李静”派驻在澜沧拉祜族自治县，不能负责%s的项目" % MENGLIAN)
    assertContains(response, "该资金拨付给澜沧拉祜族自治县，不能分配给%s的项目。" % MENGLIAN)
    lancang.refresh_from_db()
    assert lancang.county == county


def test_a_county_clerk_keeps_the_prefecture_cadres_the_clerk_cannot_see(
    client, django_user_model, county, prefecture
):
    lancang = project("2023-LC-001", county)
    li, wang = cadre("李静", county=county), cadre("王芳", prefecture=prefecture)
    lancang.cadres.add(li, wang)
    client.force_login(person(django_user_model, "lc", "录入员", counties=[county]))
    url = reverse("admin:projects_project_change", args=[lancang.pk])

    assertNotContains(client.get(url), "王芳")
    # The form shows 李静 alone, and the browser sends back what it shows.
    data = project_data(county, code=lancang.code, name="茶叶精制厂", cadres=[li.pk])
    response = client.post(url, data)

    assert response.status_code == 302
    lancang.refresh_from_db()
    assert lancang.name == "茶叶精制厂"
    assert set(lancang.cadres.all()) == {li, wang}


def test_a_county_clerk_neither_sees_nor_drops_an_allocation_of_a_fund_outside_the_scope(
    client, django_user_model, county, menglian
):
    lancang = project("2023-LC-001", county)
    allocate(lancang, menglian, "20", source="district")  # before the links were checked
    client.force_login(person(django_user_model, "lc", "录入员", counties=[county]))
    url = reverse("admin:projects_project_change", args=[lancang.pk])

    assertNotContains(client.get(url), MENGLIAN)
    response = client.post(url, project_data(county, code=lancang.code, name="茶叶精制厂"))

    assert response.status_code == 302
    assert lancang.allocations.count() == 1


# Moving what projects link to


def park_data(moved, county):
    return {
        "name": moved.name,
        "county": str(county.pk),
        "year_founded": str(moved.year_founded),
        "partner_district": "",
        "partner_name": "",
        "enterprises": "0",
        "investment": "0",
        "jobs": "0",
        "description": "",
        "_save": "保存",
    }


def village_data(moved, county):
    return {
        "name": moved.name,
        "township": moved.township,
        "county": str(county.pk),
        "_save": "保存",
    }


def cadre_data(moved, county=None, prefecture=None):
    return {
        "name": moved.name,
        "gender": moved.gender,
        "kind": moved.kind,
        "batch": "",
        "team": "",
        "sending_unit": moved.sending_unit,
        "post": moved.post,
        "county": str(county.pk) if county else "",
        "prefecture": str(prefecture.pk) if prefecture else "",
        "term_start": "2023-01-01",
        "term_end": "",
        "_save": "保存",
    }


def test_a_fund_allocated_to_projects_cannot_move_to_another_county(puer_clerk, county, menglian):
    allocation = allocate(project("2023-LC-001", county), county, "30")
    fund = allocation.fund
    url = reverse("admin:projects_fund_change", args=[fund.pk])

    response = puer_clerk.post(url, fund_data(fund, county=str(menglian.pk)))

    assertContains(
        response,
        "该资金已分配给1个项目（2023-LC-001），受援县市区不能改为%s："
        "资金只能分配给本县市区的项目，请先删除这些资金分配。" % MENGLIAN,
    )
    fund.refresh_from_db()
    assert fund.county == county


def test_a_fund_moves_once_nothing_is_allocated_from_it(puer_clerk, county, menglian):
    fund = Fund.objects.create(source="city", year=2023, county=county, amount=Decimal("100"))
    url = reverse("admin:projects_fund_change", args=[fund.pk])

    response = puer_clerk.post(url, fund_data(fund, county=str(menglian.pk)))

    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.county == menglian


def test_a_park_with_projects_cannot_move_and_names_them(puer_clerk, county, menglian):
    moved = park("澜沧沪滇产业园", county)
    for n in range(1, 8):
        project("2023-LC-%03d" % n, county, park=moved)
    url = reverse("admin:projects_industrialpark_change", args=[moved.pk])

    response = puer_clerk.post(url, park_data(moved, menglian))

    assertContains(
        response,
        "园区内登记有2023-LC-001、2023-LC-002、2023-LC-003、2023-LC-004、2023-LC-005等7个项目，"
        "所在县市区不能改为%s：项目须与所属园区在同一县市区，请先在这些项目中取消所属园区。"
        % MENGLIAN,
    )
    moved.refresh_from_db()
    assert moved.county == county


def test_a_park_moves_once_no_project_is_in_it(puer_clerk, county, menglian):
    moved = park("澜沧沪滇产业园", county)
    project("2023-LC-001", county)
    url = reverse("admin:projects_industrialpark_change", args=[moved.pk])

    response = puer_clerk.post(url, park_data(moved, menglian))

    assert response.status_code == 302
    moved.refresh_from_db()
    assert moved.county == menglian


def test_a_village_with_projects_cannot_move(puer_clerk, county, menglian):
    moved = Village.objects.create(name="勐朗村", township="勐朗镇", county=county)
    project("2023-LC-001", county, village=moved)
    url = reverse("admin:counties_village_change", args=[moved.pk])

    response = puer_clerk.post(url, village_data(moved, menglian))

    assertContains(
        response,
        "该村登记有1个项目（2023-LC-001），所属县市区不能改为%s："
        "项目须与所在村在同一县市区，请先在这些项目中取消该村。" % MENGLIAN,
    )
    moved.refresh_from_db()
    assert moved.county == county


def test_a_village_moves_once_no_project_is_in_it(puer_clerk, county, menglian):
    moved = Village.objects.create(name="勐朗村", township="勐朗镇", county=county)
    url = reverse("admin:counties_village_change", args=[moved.pk])

    response = puer_clerk.post(url, village_data(moved, menglian))

    assert response.status_code == 302
    moved.refresh_from_db()
    assert moved.county == menglian


def test_a_cadre_with_projects_cannot_be_posted_to_another_county(puer_clerk, county, menglian):
    li = cadre("李静", county=county)
    project("2023-LC-001", county).cadres.add(li)
    url = reverse("admin:personnel_cadre_change", args=[li.pk])

    response = puer_clerk.post(url, cadre_data(li, county=menglian))

    assertContains(
        response,
        "该干部负责1个项目（2023-LC-001），派驻地不能改为%s：负责干部须派驻在"
        "项目所在县市区或其州市，请先在这些项目中取消该干部。" % MENGLIAN,
    )
    li.refresh_from_db()
    assert li.county == county


def test_a_cadre_with_projects_cannot_be_posted_to_another_prefecture(
    administrator, county, menghai
):
    li = cadre("李静", county=county)
    project("2023-LC-001", county).cadres.add(li)
    url = reverse("admin:personnel_cadre_change", args=[li.pk])

    response = administrator.post(url, cadre_data(li, prefecture=menghai.prefecture))

    assertContains(response, "该干部负责1个项目（2023-LC-001），派驻地不能改为西双版纳傣族自治州")
    li.refresh_from_db()
    assert li.county == county


def test_a_cadre_may_move_up_to_the_prefecture_of_the_projects(puer_clerk, county, prefecture):
    li = cadre("李静", county=county)
    project("2023-LC-001", county).cadres.add(li)
    url = reverse("admin:personnel_cadre_change", args=[li.pk])

    response = puer_clerk.post(url, cadre_data(li, prefecture=prefecture))

    assert response.status_code == 302
    li.refresh_from_db()
    assert (li.county, li.prefecture) == (None, prefecture)


def test_a_cadre_without_projects_moves_anywhere(puer_clerk, county, menglian):
    li = cadre("李静", county=county)
    url = reverse("admin:personnel_cadre_change", args=[li.pk])

    response = puer_clerk.post(url, cadre_data(li, county=menglian))

    assert response.status_code == 302
    li.refresh_from_db()
    assert li.county == menglian
