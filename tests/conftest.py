"""The smallest cast shared by the app test packages: one prefecture, one county, one district."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command

from counties.models import County, Prefecture, Scope, ShanghaiDistrict


def restore_roles():
    """The four roles as the migrations leave them (projects 0005, 0009, 0011, 0014, 0017,
    0020); those migrations name models by the app they had then, so the indicators' part is
    redone here under the app they have now."""
    from django.contrib.auth.models import Permission

    importlib.import_module("projects.migrations.0005_roles").create_roles(apps, None)
    catalogue = importlib.import_module("projects.migrations.0009_indicator_catalogue")
    for name, codenames in catalogue.ROLE_PERMISSIONS.items():
        Group.objects.get(name=name).permissions.add(
            *Permission.objects.filter(content_type__app_label="indicators", codename__in=codenames)
        )
    importlib.import_module("projects.migrations.0011_browse_role").grant(apps, None)
    importlib.import_module("projects.migrations.0014_header_alias").grant(apps, None)
    importlib.import_module("projects.migrations.0017_former_division_view").grant(apps, None)
    importlib.import_module("institutions.migrations.0002_roles").grant(apps, None)
    importlib.import_module("projects.migrations.0020_park_totals_to_years").grant(apps, None)
    Group.objects.get(name="系统管理员").permissions.set(Permission.objects.all())


def restore_catalogue():
    """The indicator catalogue as migration 0009 wrote it (it names the model's old app)."""
    from indicators.models import Indicator

    catalogue = importlib.import_module("projects.migrations.0009_indicator_catalogue")
    by_code = {}
    for position, (code, name, unit, group, parent) in enumerate(catalogue.CATALOGUE, start=1):
        by_code[code], _ = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "group": group,
                "parent": by_code.get(parent),
                "position": position * 10,
            },
        )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the tests' database is a file, not memory, so that a worker process started
    by a test (tests/projects/test_import_worker.py) reads the same database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create and log in thousands of users; production's deliberately slow hash
    (PBKDF2, a quarter of a second each) would make the suite slow and test nothing more.
    tests/test_security.py checks that production keeps it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: the dashboard keeps its sums per last audit
    entry, and a rolled-back test's ids come again in the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def files_dir(settings, tmp_path):
    """The folder the admin's report screens keep files in (STORAGES["uploads"]): one per
    test, so that no test writes into the checkout and each can see what is kept."""
    directory = tmp_path / "files"
    uploads = settings.STORAGES["uploads"]
    options = {**uploads["OPTIONS"], "location": directory}
    settings.STORAGES = {**settings.STORAGES, "uploads": {**uploads, "OPTIONS": options}}
    return directory


@pytest.fixture
def worker(files_dir):
    """Starts worker processes (tests.jobs.start_worker) for a transactional test; each is
    killed at the end if the test has not."""
    from tests.jobs import start_worker

    started = []

    def start():
        started.append(start_worker(files_dir))
        return started[-1]

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


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
        restore_roles()


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
def menghai(db):
    """A county of another prefecture: 勐海县 of 西双版纳傣族自治州."""
    xishuangbanna = Prefecture.objects.create(
        code="532800", name="西双版纳傣族自治州", division_type="自治州"
    )
    return County.objects.create(
        code="532822",
        name="勐海县",
        prefecture=xishuangbanna,
        division_type="县",
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
    from indicators.models import Indicator

    if not Indicator.objects.exists():
        restore_catalogue()
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
