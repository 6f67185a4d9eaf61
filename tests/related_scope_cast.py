"""The cast of the tests that linked records keep to their county and to the viewer's scope
(tests/test_related_scope_*.py): users with one role and a scope, 孟连 beside the tests'
澜沧 in 普洱市, and the cadres, projects, parks and allocations that link them. The fixtures
are imported by name, as tests/indicators/scorecard_cast.py's are; 勐海, in another
prefecture, is tests/conftest.py's."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from counties.models import County, Scope
from projects.models import Fund, FundAllocation, IndustrialPark
from tests.cast import make_cadre, make_project

MENGLIAN = "孟连傣族拉祜族佤族自治县"


def person(django_user_model, name, role="查看者", **scope):
    """A user with one role and a scope; staff unless a plain 查看者."""
    user = django_user_model.objects.create_user(name, password="x", is_staff=role != "查看者")
    user.groups.add(Group.objects.get(name=role))
    places = {k: scope.pop(k) for k in ("prefectures", "counties") if k in scope}
    user_scope = Scope.objects.create(user=user, **scope)
    for field, values in places.items():
        getattr(user_scope, field).set(values)
    return user


@pytest.fixture(name="puer_clerk")
def puer_clerk_fixture(client, django_user_model, prefecture):
    """A 录入员 for the whole of 普洱市: 澜沧 and 孟连 alike."""
    client.force_login(person(django_user_model, "puer", "录入员", prefectures=[prefecture]))
    return client


@pytest.fixture(name="administrator")
def administrator_fixture(client, django_user_model):
    """A 系统管理员 of the whole province."""
    client.force_login(person(django_user_model, "root", "系统管理员", everywhere=True))
    return client


@pytest.fixture(name="menglian")
def menglian_fixture(prefecture):
    return County.objects.create(
        code="530827", name=MENGLIAN, prefecture=prefecture, division_type="自治县"
    )


def cadre(name, county=None, prefecture=None):
    return make_cadre(name=name, county=county, prefecture=prefecture)


def project(code, county, **fields):
    return make_project(code=code, county=county, **fields)


def park(name, county):
    return IndustrialPark.objects.create(name=name, county=county, year_founded=2020)


def allocate(project, county, amount, source="city"):
    fund = Fund.objects.create(source=source, year=2023, county=county, amount=Decimal("100"))
    return FundAllocation.objects.create(fund=fund, project=project, amount=Decimal(amount))
