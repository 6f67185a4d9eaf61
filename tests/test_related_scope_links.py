"""A project's links stay in its county, as the admin adds them: its cadres are posted to the
county or to the county's whole prefecture, its fund allocations, park and village are the
county's, and the admin refuses any other link, on the project's screen or the allocation's.
A county clerk neither sees nor drops the links outside the clerk's scope.
"""

from decimal import Decimal

from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import Village
from projects.models import Fund, FundAllocation, Project
from tests.projects.post_data import project_data
from tests.related_scope_cast import (  # noqa: F401
    MENGLIAN,
    administrator_fixture,
    allocate,
    cadre,
    menglian_fixture,
    park,
    person,
    project,
    puer_clerk_fixture,
)


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
