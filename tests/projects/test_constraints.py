"""Project and fund invariants: refused on the admin form in Chinese, and by the database."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from pytest_django.asserts import assertContains

from counties.models import County, Village
from projects.models import Fund, Project
from tests.cast import make_project

from .post_data import fund_data, project_data

ADD_PROJECT = reverse("admin:projects_project_add")


def test_admin_refuses_a_duplicate_project_code(admin_client, project_a):
    response = admin_client.post(ADD_PROJECT, project_data(project_a.county, code="2023-LC-001"))

    assertContains(response, "具有 项目编号 的 项目 已存在。")
    assert Project.objects.count() == 1


def test_database_refuses_a_duplicate_project_code(project_a):
    with pytest.raises(IntegrityError, match=r"projects_project[._]code"), transaction.atomic():
        make_project(code="2023-LC-001", name="另一个项目", county=project_a.county)
    assert Project.objects.count() == 1


def test_admin_refuses_end_date_before_start_date(admin_client, county):
    data = project_data(county, start_date="2023-05-01", end_date="2023-04-30")

    response = admin_client.post(ADD_PROJECT, data)

    assertContains(response, "完工日期不能早于开工日期。")
    assert Project.objects.count() == 0


def test_admin_accepts_completion_on_the_start_day(admin_client, county):
    data = project_data(county, start_date="2023-05-01", end_date="2023-05-01")

    response = admin_client.post(ADD_PROJECT, data)

    assert response.status_code == 302
    assert Project.objects.get().end_date == datetime.date(2023, 5, 1)


def test_database_refuses_end_date_before_start_date(county, project_a):
    with pytest.raises(IntegrityError, match="project_dates_in_order"), transaction.atomic():
        make_project(
            code="2023-LC-002",
            name="村组道路硬化",
            county=county,
            start_date=datetime.date(2023, 5, 1),
            end_date=datetime.date(2023, 4, 30),
        )
    with pytest.raises(IntegrityError, match="project_dates_in_order"), transaction.atomic():
        Project.objects.filter(pk=project_a.pk).update(
            start_date=datetime.date(2023, 5, 1), end_date=datetime.date(2023, 4, 30)
        )
    assert Project.objects.count() == 1
    project_a.refresh_from_db()
    assert project_a.start_date is None
    assert project_a.end_date is None


def test_admin_refuses_negative_shanghai_funds(admin_client, county):
    response = admin_client.post(ADD_PROJECT, project_data(county, shanghai_funds="-1"))

    assertContains(response, "金额不能为负数。")
    assert Project.objects.count() == 0


def test_database_refuses_negative_shanghai_funds(county, project_a):
    with (
        pytest.raises(IntegrityError, match="project_shanghai_funds_not_negative"),
        transaction.atomic(),
    ):
        make_project(
            code="2023-LC-002", name="村组道路硬化", county=county, shanghai_funds=Decimal("-1")
        )
    with (
        pytest.raises(IntegrityError, match="project_shanghai_funds_not_negative"),
        transaction.atomic(),
    ):
        Project.objects.filter(pk=project_a.pk).update(shanghai_funds=Decimal("-1"))
    assert Project.objects.count() == 1
    project_a.refresh_from_db()
    assert project_a.shanghai_funds == 0


def test_admin_refuses_a_negative_fund_amount(admin_client, fund):
    url = reverse("admin:projects_fund_change", args=[fund.pk])

    response = admin_client.post(url, fund_data(fund, amount="-1"))

    assertContains(response, "金额不能为负数。")
    fund.refresh_from_db()
    assert fund.amount == 100


def test_database_refuses_a_negative_fund_amount(fund):
    with pytest.raises(IntegrityError, match="fund_amount_not_negative"), transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(amount=Decimal("-1"))
    fund.refresh_from_db()
    assert fund.amount == 100


def test_admin_refuses_a_village_of_another_county(admin_client, county):
    menglian = County.objects.create(
        code="530827",
        name="孟连傣族拉祜族佤族自治县",
        prefecture=county.prefecture,
        division_type="自治县",
    )
    village = Village.objects.create(name="芒信村", township="芒信镇", county=menglian)

    response = admin_client.post(ADD_PROJECT, project_data(county, village=str(village.pk)))

    assertContains(response, "所选村不在该县市区。")
    assert Project.objects.count() == 0
