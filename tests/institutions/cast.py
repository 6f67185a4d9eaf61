"""Helpers building institutions and readers for the institution tests."""

from django.contrib.auth.models import Group

from counties.models import County, Scope
from institutions.models import Institution

SH, YN = Institution.Side.SHANGHAI, Institution.Side.YUNNAN


def institution(name, kind, **place):
    side = SH if "district" in place or not place else YN
    return Institution.objects.create(name=name, kind=kind, side=side, **place)


def member(django_user_model, name, role, staff=False, **places):
    """A user of the role whose scope holds `places` (counties=[…], prefectures=[…])."""
    user = django_user_model.objects.create_user(name, password="x", is_staff=staff)
    user.groups.add(Group.objects.get(name=role))
    scope = Scope.objects.create(user=user)
    for field, values in places.items():
        getattr(scope, field).set(values)
    return user


def other_county(prefecture, code, name, **fields):
    return County.objects.create(
        code=code, name=name, prefecture=prefecture, division_type="县", **fields
    )
