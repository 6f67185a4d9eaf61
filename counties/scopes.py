"""A user's 数据范围 resolved once per request: which records it may see and work on.

`scope_of(user)` reads the user's Scope and keeps the answer, a Reach, on the user object;
request.user is one object per request, so all the filters of a request come from one read.
The pages filter through each model's `visible_to(scope)` QuerySet method, which names that
model's field paths; `scope.q()` is the filter for any other path (the admin's, the audit
trail's).
"""

from types import SimpleNamespace

from django.db.models import Case, CharField, F, IntegerField, Q, Value, When

from .models import Scope

# The kinds of row read_scope() returns.
HELD, EVERYWHERE, COUNTY, PREFECTURE = "scope", "everywhere", "county", "prefecture"
PLACE_FIELDS = ("prefectures", "counties", "districts")


class Reach:
    """What one user may see: everything (a superuser or a province-wide scope), nothing (no
    scope at all), or the counties inside its scope (`county_ids`) and the prefectures it
    holds whole (`prefecture_ids`): sorted lists, empty for nothing, None for everywhere.
    Holding each county of a prefecture, or a district paired with all of it, does not hold
    the prefecture's own rows (cadres posted to it, its figures).

    A superuser costs no query, anyone else one (read_scope); the filters built from it are
    lists of ids, so that the request's other queries read no scope table. The same query
    names the places (`places`: code and name of the prefectures held whole, then of the
    other counties inside), for a page to say whose view it is.
    """

    def __init__(self, user):
        self.user, self.superuser = user, user.is_superuser
        self.everywhere, self.nothing = user.is_superuser, False
        self.county_ids = self.prefecture_ids = None
        self.places = []
        if self.everywhere:
            return
        found = {HELD: [], EVERYWHERE: [], COUNTY: [], PREFECTURE: []}
        named = {COUNTY: [], PREFECTURE: []}
        for pk, kind, code, name, prefecture_id in read_scope(user):
            found[kind].append(pk)
            if kind in named:
                named[kind].append((code, name, prefecture_id))
        self.everywhere = bool(found[EVERYWHERE])
        self.nothing = not (self.everywhere or found[HELD])
        if not self.everywhere:
            self.county_ids, self.prefecture_ids = sorted(found[COUNTY]), sorted(found[PREFECTURE])
            whole = set(found[PREFECTURE])
            self.places = sorted((code, name) for code, name, _ in named[PREFECTURE]) + sorted(
                (code, name) for code, name, prefecture in named[COUNTY] if prefecture not in whole
            )

    def q(self, county="county", prefecture=None):
        """The filter keeping rows whose county (the lookup path `county`; "pk" for counties
        themselves, None for none) is inside the scope and, with `prefecture`, rows of a
        whole prefecture the scope holds (cadres posted to a prefecture; prefectures
        themselves with "pk"). Q() for everywhere; a filter matching nothing for no scope."""
        if self.everywhere:
            return Q()
        if self.nothing:
            return Q(pk__in=[])
        condition = Q(**{"%s__in" % county: self.county_ids}) if county else Q(pk__in=[])
        if prefecture:
            condition |= Q(**{"%s__in" % prefecture: self.prefecture_ids})
        return condition


def scope_of(user):
    """The user's Reach, built on first use and kept on the user object (for request.user,
    one request)."""
    try:
        return user._reach
    except AttributeError:
        user._reach = Reach(user)
        return user._reach


def read_scope(user):
    """The user's scope in one query, as (id, kind, code, name, prefecture id) rows: its own
    row ("everywhere" or "scope"); unless it is province-wide, a row per county inside it
    (Scope.county_ids, the one rule) and per prefecture it holds whole. No row at all: no
    scope."""
    own = Case(When(everywhere=True, then=Value(EVERYWHERE)), default=Value(HELD))
    draft = SimpleNamespace(everywhere=False, **{name: held(user, name) for name in PLACE_FIELDS})
    text, nothing = Value("", output_field=CharField()), Value(None, output_field=IntegerField())
    rows = [
        Scope.objects.filter(user=user).values_list("pk", own, text, text, nothing),
        Scope.county_ids(draft).values_list(
            "pk", Value(COUNTY), "code", "name", F("prefecture_id")
        ),
        draft.prefectures.values_list("pk", Value(PREFECTURE), "code", "name", nothing),
    ]
    first, *others = [each.order_by() for each in rows]
    return first.union(*others, all=True)


def held(user, name):
    """The places in the many-to-many field `name` of the user's scope, none when the scope
    is province-wide; a subquery."""
    field = Scope._meta.get_field(name)
    links = field.remote_field.through.objects.filter(scope__user=user, scope__everywhere=False)
    return field.related_model.objects.filter(pk__in=links.values(field.m2m_reverse_field_name()))
