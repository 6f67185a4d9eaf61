"""覆盖情况: whether each former poverty county (脱贫县) is paired with a Shanghai district in a
year, itself or through its whole prefecture (counties.Pairing, the one rule of
PairingQuerySet.for_county and active_in), and which institutions pair with it.

"上海结对云南88个脱贫县，实现了全覆盖": the landing page says how many of them are paired
(`covered`); the coverage page lists them (`coverage`).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from counties.models import County, Pairing

from .models import InstitutionPairing, located_in


def district_paired(year):
    """Whether a district pairing in force in `year` holds the county (the outer query's)
    itself or its whole prefecture; a subquery."""
    return Exists(
        Pairing.objects.active_in(year).filter(
            Q(county=OuterRef("pk")) | Q(prefecture=OuterRef("prefecture"))
        )
    )


def covered(year, scope):
    """(paired, total): how many of the former poverty counties inside the scope a Shanghai
    district is paired with in `year`, and how many there are. One query."""
    counts = (
        County.objects.former_poverty()
        .visible_to(scope)
        .aggregate(paired=Count("pk", filter=district_paired(year)), total=Count("pk"))
    )
    return counts["paired"], counts["total"]


@dataclass
class Coverage:
    """One former poverty county in a year: the pairings in force with it or its whole
    prefecture, of districts and of institutions."""

    county: County
    pairings: list = field(default_factory=list)
    institution_pairings: list = field(default_factory=list)

    @property
    def paired(self):
        return bool(self.pairings)


def coverage(year, scope):
    """The former poverty counties inside the scope, by prefecture and code, with who pairs
    each in `year`: three queries however many counties there are. Institution pairings
    are those the scope sees (InstitutionPairing.visible_to)."""
    counties = County.objects.former_poverty().visible_to(scope)
    rows = {
        county.pk: Coverage(county)
        for county in counties.select_related("prefecture").order_by("prefecture__code", "code")
    }
    by_prefecture = {}
    for row in rows.values():
        by_prefecture.setdefault(row.county.prefecture_id, []).append(row)

    def rows_of(county_id, prefecture_id):
        if county_id:
            return [rows[county_id]] if county_id in rows else []
        return by_prefecture.get(prefecture_id, [])

    ids, prefectures = counties.values("pk"), counties.values("prefecture")
    pairings = (
        Pairing.objects.active_in(year)
        .filter(Q(county__in=ids) | Q(prefecture__in=prefectures))
        .select_related("district")
        .order_by("district__code", "pk")
    )
    for pairing in pairings:
        for row in rows_of(pairing.county_id, pairing.prefecture_id):
            row.pairings.append(pairing)
    institution_pairings = (
        InstitutionPairing.objects.visible_to(scope)
        .active_in(year)
        .filter(located_in(ids) | Q(partner_prefecture__in=prefectures))
        .with_sides()
        .order_by("kind", "helper__name", "pk")
    )
    for pairing in institution_pairings:
        for row in rows_of(pairing.county_id, pairing.partner_prefecture_id):
            row.institution_pairings.append(pairing)
    return list(rows.values())
