"""The request's scope (counties.scopes): built once from the user, read in one query, and
the filter every page's visible_to() applies."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counties.models import Scope
from counties.scopes import scope_of
from projects.models import Project

from .indicators.scorecard_cast import cast_fixture, labour_fixture  # noqa: F401

DASHBOARD = reverse("dashboard:detail")


def reader(django_user_model, name, everywhere=False, **places):
    """A 查看者 with a scope of the given places (prefectures, counties, districts)."""
    user = django_user_model.objects.create_user(name, password="not-used")
    user.groups.add(Group.objects.get(name="查看者"))
    scope = Scope.objects.create(user=user, everywhere=everywhere)
    for field, values in places.items():
        getattr(scope, field).set(values)
    return user


def reading_the_scope(queries):
    """The queries that read the scope's tables (counties_scope and its many-to-many ones)."""
    return [query["sql"] for query in queries if "counties_scope" in query["sql"]]


def test_a_superuser_reaches_everywhere_without_a_query(cast, django_assert_num_queries):
    with django_assert_num_queries(0):
        scope = scope_of(cast["user"])

    assert (scope.everywhere, scope.nothing, scope.county_ids) == (True, False, None)
    assert scope.q() == Q()


def test_a_province_wide_scope_reaches_everywhere(cast, django_user_model):
    scope = scope_of(reader(django_user_model, "province", everywhere=True))

    assert (scope.everywhere, scope.nothing, scope.county_ids) == (True, False, None)
    assert scope.q(prefecture="prefecture") == Q()


def test_a_user_without_a_scope_reaches_nothing(cast, django_user_model):
    user = django_user_model.objects.create_user("nobody")

    scope = scope_of(user)

    assert (scope.everywhere, scope.nothing) == (False, True)
    assert (scope.county_ids, scope.prefecture_ids) == ([], [])
    assert scope.q() == Q(pk__in=[])
    assert not Project.objects.visible_to(scope).exists()


@pytest.mark.parametrize(
    "places, counties, prefectures",
    [
        ({"counties": ["lancang"]}, ["lancang"], []),
        ({"prefectures": ["puer"]}, ["lancang", "menglian"], ["puer"]),
        # 黄浦区 is paired with 澜沧 and 孟连: their counties, not 普洱's own rows.
        ({"districts": ["huangpu"]}, ["lancang", "menglian"], []),
    ],
    ids=["county", "prefecture", "district"],
)
def test_a_scope_of_places_reaches_their_counties_in_one_query(
    cast, django_user_model, django_assert_num_queries, places, counties, prefectures
):
    chosen = {field: [cast[name] for name in names] for field, names in places.items()}
    user = reader(django_user_model, "clerk", **chosen)

    with django_assert_num_queries(1):
        scope = scope_of(user)
        assert scope_of(user) is scope  # kept on the user object

    assert (scope.everywhere, scope.nothing) == (False, False)
    assert scope.county_ids == sorted(cast[name].pk for name in counties)
    assert scope.prefecture_ids == [cast[name].pk for name in prefectures]


def test_a_county_user_sees_no_project_of_another_county(cast, django_user_model):
    for code, county in (("P-LC", "lancang"), ("P-ML", "menglian"), ("P-MH", "menghai")):
        Project.objects.create(
            code=code, name="项目", county=cast[county], year=2023, category="other"
        )
    scope = scope_of(reader(django_user_model, "lancang", counties=[cast["lancang"]]))

    visible = Project.objects.visible_to(scope)

    assert list(visible.values_list("code", flat=True)) == ["P-LC"]


def test_the_dashboard_reads_the_scope_once_per_request(client, django_user_model, labour):
    province = reader(django_user_model, "province", everywhere=True)
    puer = reader(django_user_model, "puer", prefectures=[labour["puer"]])
    counted = {}
    for user in (province, puer):
        client.force_login(user)
        client.get("/accounts/password_change/")  # the session's idle clock, saved once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(DASHBOARD, {"year": 2023})
        assert response.status_code == 200
        counted[user.username] = (len(queries), len(reading_the_scope(queries)))

    # One read of the scope, its places included, however many filters the page builds
    # (before, each filter read the scope's places again: 7 of 普洱's 17 queries); a scope
    # of places costs no query more than the province's.
    assert counted["puer"] == counted["province"] == (counted["province"][0], 1)
