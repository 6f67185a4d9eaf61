"""The smallest cast shared by the app test packages: one prefecture, one county, one district."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from counties.models import County, Prefecture, Scope, ShanghaiDistrict


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
    """A client logged in as an ordinary (non-staff) user who may read the whole province:
    the site needs a login and a scope, not the admin."""
    user = django_user_model.objects.create_user("reader", password="not-used-by-force-login")
    Scope.objects.create(user=user, everywhere=True)
    client.force_login(user)
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
