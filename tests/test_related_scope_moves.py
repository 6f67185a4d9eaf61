"""What projects link to stays in their county: the admin refuses moving a fund, park, village
or cadre away from the projects that use it, names those projects, and lets the record move
once nothing links to it (a cadre may move up to the projects' prefecture).
"""

from decimal import Decimal

from django.urls import reverse
from pytest_django.asserts import assertContains

from counties.models import Village
from projects.models import Fund
from tests.projects.post_data import fund_data
from tests.related_scope_cast import (  # noqa: F401
    MENGLIAN,
    administrator_fixture,
    allocate,
    cadre,
    menglian_fixture,
    park,
    project,
    puer_clerk_fixture,
)


def park_data(moved, county):
    return {
        "name": moved.name,
        "county": str(county.pk),
        "year_founded": str(moved.year_founded),
        "partner_district": "",
        "partner_name": "",
        "description": "",
        # Its yearly records (the inline): none.
        "years-TOTAL_FORMS": "0",
        "years-INITIAL_FORMS": "0",
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
