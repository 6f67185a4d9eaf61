"""The smallest cast shared by the app test packages: one prefecture, one county, one district."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command

from counties.models import County, Prefecture, Scope, ShanghaiDistrict

ROLE_MIGRATIONS = [
    ("projects.migrations.0005_roles", "create_roles"),
    ("projects.migrations.0009_indicator_catalogue", "grant"),
    ("projects.migrations.0011_browse_role", "grant"),
]


@pytest.fixture(autouse=True)
def roles(request):
    """The roles come from migrations; a transactional test elsewhere flushes every table
    (permissions come back by themselves, groups do not), so put them back the same way
    for every test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    if not marker and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    request.getfixturevalue(
        "transactional_db" if marker and marker.kwargs.get("transaction") else "db"
    )
    if not Group.objects.filter(name="查看者").exists():
        for module, function in ROLE_MIGRATIONS:
            getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def prefecture(db):
    return Prefecture.objects.create(code="530800", name="普洱市", division_type="地级市")


@pytest.fixture
def county(prefecture):
    return County.objects.create(
        code="530828",
        name="澜沧拉祜族自治县",
        prefecture=prefecture,
        division_type="自治县",
        is_former_poverty=True,
        poverty_exit_year=2020,
        is_border=True,
    )


@pytest.fixture
def district(db):
    return ShanghaiDistrict.objects.create(code="310101", name="黄浦区")


@pytest.fixture
def user_client(client, django_user_model):
    """A client logged in as an ordinary (non-staff) 查看者 who may read the whole province:
    the site needs a login, the role and a scope, not the admin."""
    user = django_user_model.objects.create_user("reader", password="not-used-by-force-login")
    user.groups.add(Group.objects.get(name="查看者"))
    Scope.objects.create(user=user, everywhere=True)
    client.force_login(user)
    # The first request after a login saves the session's idle clock (hujin.middleware):
    # make it here, so that query counts measure the page alone.
    client.get("/accounts/password_change/")
    return client


@pytest.fixture
def indicators(db):
    """The indicator catalogue, by code. It comes from a migration; a transactional test
    elsewhere flushes every table, so put it back the same way when it is missing."""
    from projects.models import Indicator

    if not Indicator.objects.exists():
        migration = importlib.import_module("projects.migrations.0009_indicator_catalogue")
        migration.create_catalogue(apps, None)
    return {indicator.code: indicator for indicator in Indicator.objects.all()}


@pytest.fixture
def reference(db):
    call_command("loaddata", "reference", verbosity=0)


def pytest_collection_modifyitems(config, items):
    """Skip tests marked postgres on other databases, with the reason shown in the summary."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL; this run uses {connection.vendor}")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
