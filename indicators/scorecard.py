"""Targets against results for one year and any place: the reads behind the dashboard.

A Ledger loads one year in a fixed number of queries (the places, the pairings in force,
the indicator figures, and the records the registry can count: funds, cadres, the parks'
yearly records, the villages institutions pair with) and
then answers for the province, a prefecture, a county or a Shanghai district's pairing.

Roll-ups follow geography, county → prefecture → province, so each county counts once. A
place's own reported figure wins over the sum of its parts, and both are kept so that a
difference shows. A district's pairing sums its partner counties (or partner prefectures);
districts are never added up into the province, where a county paired with two districts
would count twice.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from counties.models import County, Pairing, Prefecture, ShanghaiDistrict
from institutions.models import InstitutionPairing
from personnel.models import Cadre
from projects.models import ZERO, Fund, IndustrialParkYear

from .models import Indicator, IndicatorFigure

Level = IndicatorFigure.Level


@dataclass(frozen=True)
class Place:
    level: str
    obj: Prefecture | County | ShanghaiDistrict | None = None

    @property
    def name(self):
        if self.obj is None:
            return "全省"
        if self.level == Level.PAIRING:
            return "%s结对县市区" % self.obj.name
        return self.obj.name

    @property
    def key(self):
        return (self.level, self.obj.pk if self.obj else None)


PROVINCE = Place(Level.PROVINCE)


@dataclass
class Line:
    """One indicator at one place: the target, the results reported and counted, the rate."""

    indicator: Indicator
    target: Decimal | None = None
    target_summed: bool = False  # the target is its parts' sum, not agreed for the place
    reported: Decimal | None = None  # the place's own 完成数
    summed: Decimal | None = None  # the sum of its parts' results
    counted: Decimal | None = None  # counted from the registry's records, where it can be
    note: str = ""

    @property
    def result(self):
        return self.reported if self.reported is not None else self.summed

    @property
    def rate(self):
        """Result ÷ target in percent, to one decimal as the reports write it (450.3)."""
        if self.result is None or not self.target:
            return None
        return (self.result * 100 / self.target).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def mismatch(self):
        """The result differs from what the registry's own records count."""
        return self.counted is not None and self.result is not None and self.counted != self.result

    @property
    def counted_from(self):
        """Which records the counted result comes from, in words."""
        return COUNTED_FROM.get(self.indicator.code, "")

    @property
    def parts_differ(self):
        """The place reported a result other than the sum of its parts' results."""
        return (
            self.reported is not None and self.summed is not None and self.reported != self.summed
        )


def add(total, value):
    """Adds where there is something to add: None + None stays None (nothing reported)."""
    if value is None:
        return total
    return value if total is None else total + value


# What the registry counts itself, by indicator code: cadre kinds, fund sources, park sums.
CADRE_KINDS = {
    "cadres": [Cadre.Kind.OFFICIAL],
    "professionals": [Cadre.Kind.TEACHER, Cadre.Kind.DOCTOR, Cadre.Kind.PROFESSIONAL],
    "teachers": [Cadre.Kind.TEACHER],
    "doctors": [Cadre.Kind.DOCTOR],
    "other_professionals": [Cadre.Kind.PROFESSIONAL],
}
FUND_SOURCES = {
    "fiscal_aid": [Fund.Source.CITY, Fund.Source.DISTRICT],
    "social_funds": [Fund.Source.SOCIAL],
}
# A park's yearly record: 到位投资 is the enterprises' investment landed, not what was spent
# building the park (construction_investment).
PARK_SUMS = {"parks": "count", "enterprises": "enterprises", "investment": "investment"}
PARK_SUMS["park_jobs"] = "jobs"
PAIRED_VILLAGES = "paired_villages"
COUNTED = {*CADRE_KINDS, *FUND_SOURCES, *PARK_SUMS, PAIRED_VILLAGES}
COUNTED_FROM = {
    **dict.fromkeys(CADRE_KINDS, "援滇干部人才：当年在岗人数"),
    **dict.fromkeys(FUND_SOURCES, "资金：当年下达金额"),
    "parks": "共建产业园区：有当年年度情况的园区",
    "enterprises": "共建产业园区：当年的园区年度情况（入驻企业）",
    "investment": "共建产业园区：当年的园区年度情况（企业到位投资）",
    "park_jobs": "共建产业园区：当年的园区年度情况（带动就业）",
    PAIRED_VILLAGES: "机构结对：当年在结对的村（不重复计）",
}


class Ledger:
    """One year's targets, results and counted records inside a user's scope.

    The places are those inside the scope (counties.scopes, scope_of(user)): a county
    when the scope holds it, a prefecture when it holds all its counties, the province and
    the districts' pairings only with a province-wide scope. With `county`, only that county
    is loaded (its page needs nothing else).
    """

    def __init__(self, year, scope, county=None):
        self.year = year
        counties = County.objects.visible_to(scope).select_related("prefecture")
        self.everything = scope.everywhere
        if county is not None:
            # One county's page: load that county only, as a user scoped to it would.
            counties, self.everything = counties.filter(pk=county.pk), False
        self.counties = {c.pk: c for c in counties.order_by("code")}
        self.prefectures = {}
        for each in self.counties.values():
            self.prefectures.setdefault(each.prefecture, []).append(each.pk)
        if county is not None:
            self.prefectures = {}
        elif not self.everything:
            whole = set(
                Prefecture.objects.annotate(size=Count("counties"))
                .filter(pk__in=[p.pk for p in self.prefectures])
                .values_list("pk", "size")
            )
            self.prefectures = {
                p: ids for p, ids in self.prefectures.items() if (p.pk, len(ids)) in whole
            }
        self.indicators = list(Indicator.objects.all())
        # Computed once per place: the roll-ups and the table of parts reuse them.
        self.lines, self.place_counties = {}, {}
        self.figures = self.load_figures()
        self.counts = self.count_records()
        self.partners = self.load_pairings() if self.everything else {}

    # Places ---------------------------------------------------------------------------

    def places(self):
        """Every place the user may look at: the province, prefectures, districts, counties."""
        places = [PROVINCE] if self.everything else []
        places += [Place(Level.PREFECTURE, p) for p in self.prefectures]
        places += [Place(Level.PAIRING, d) for d in self.partners]
        places += [Place(Level.COUNTY, c) for c in self.counties.values()]
        return places

    def parts(self, place):
        """The places whose results add up to this one's, each county once."""
        if place.level == Level.PROVINCE:
            return [Place(Level.PREFECTURE, p) for p in self.prefectures]
        if place.level == Level.PREFECTURE:
            return [Place(Level.COUNTY, self.counties[pk]) for pk in self.prefectures[place.obj]]
        if place.level == Level.PAIRING:
            return self.partners.get(place.obj, [])
        return []

    def county_ids(self, place):
        """The ids of the counties inside the place, each once."""
        if place.key not in self.place_counties:
            if place.level == Level.PROVINCE:
                ids = set(self.counties)
            elif place.level == Level.COUNTY:
                ids = {place.obj.pk}
            else:
                ids = set().union(*[self.county_ids(part) for part in self.parts(place)])
            self.place_counties[place.key] = ids
        return self.place_counties[place.key]

    def in_scope(self, county="county"):
        """Records of the counties loaded (the lookup path `county`): no filter for a
        province-wide reader (no long IN list)."""
        return Q() if self.everything else Q(**{"%s__in" % county: list(self.counties)})

    # Loading --------------------------------------------------------------------------

    def load_figures(self):
        """{(indicator id, level, place id): (target, result, note)}; one query."""
        figures = IndicatorFigure.objects.for_year(self.year).filter(
            Q(self.in_scope(), level=Level.COUNTY)
            | Q(level=Level.PREFECTURE, prefecture__in=[p.pk for p in self.prefectures])
            | (Q(level__in=[Level.PROVINCE, Level.PAIRING]) if self.everything else Q(pk__in=[]))
        )
        found = {}
        for indicator, level, *places, target, result, note in figures.order_by().values_list(
            "indicator", "level", "county", "prefecture", "district", "target", "result", "note"
        ):
            place = next((pk for pk in places if pk), None)
            found[(indicator, level, place)] = (target, result, note)
        return found

    def load_pairings(self):
        """{district: [partner places]} for the pairings in force this year; one query."""
        partners = {}
        pairings = (
            Pairing.objects.active_in(self.year)
            .select_related("district", "county", "prefecture")
            .order_by("district__code", "prefecture__code", "county__code")
        )
        for pairing in pairings:
            if pairing.county_id:
                place = Place(Level.COUNTY, self.counties[pairing.county_id])
            else:
                place = Place(Level.PREFECTURE, pairing.prefecture)
            found = partners.setdefault(pairing.district, [])
            if place not in found:
                found.append(place)
        # A county of a prefecture the district is paired with as a whole counts once, there.
        for district, places in partners.items():
            whole = {p.obj.pk for p in places if p.level == Level.PREFECTURE}
            partners[district] = [
                p for p in places if p.level != Level.COUNTY or p.obj.prefecture_id not in whole
            ]
        return partners

    def count_records(self):
        """{indicator code: {("county" or "prefecture", id): number}}; four grouped queries."""
        counts = {code: {} for code in COUNTED}
        funds = (
            Fund.objects.filter(self.in_scope(), year=self.year)
            .values("county", "source")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        for row in funds:
            for code, sources in FUND_SOURCES.items():
                if row["source"] in sources:
                    key = ("county", row["county"])
                    counts[code][key] = counts[code].get(key, ZERO) + row["total"]
        first, last = datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        cadres = (
            Cadre.objects.filter(
                Q()
                if self.everything
                else self.in_scope() | Q(prefecture__in=list(self.prefectures)),
                Q(term_end__isnull=True) | Q(term_end__gte=first),
                term_start__lte=last,
            )
            .values("county", "prefecture", "kind")
            .annotate(number=Count("pk"))
            .order_by()
        )
        for row in cadres:
            key = ("county", row["county"]) if row["county"] else ("prefecture", row["prefecture"])
            for code, kinds in CADRE_KINDS.items():
                if row["kind"] in kinds:
                    counts[code][key] = counts[code].get(key, ZERO) + row["number"]
        # One record per park and year (its unique constraint): counting records counts parks.
        parks = (
            IndustrialParkYear.objects.filter(self.in_scope("park__county"), year=self.year)
            .values("park__county")
            .annotate(
                count=Count("pk"),
                enterprises=Sum("enterprises"),
                investment=Sum("investment"),
                jobs=Sum("jobs"),
            )
            .order_by()
        )
        for row in parks:
            for code, column in PARK_SUMS.items():
                counts[code][("county", row["park__county"])] = Decimal(row[column])
        # A village paired by two enterprises counts once; a village lies in one county.
        villages = (
            InstitutionPairing.objects.active_in(self.year)
            .filter(self.in_scope("partner_village__county"), partner_village__isnull=False)
            .values("partner_village__county")
            .annotate(number=Count("partner_village", distinct=True))
            .order_by()
        )
        for row in villages:
            key = ("county", row["partner_village__county"])
            counts[PAIRED_VILLAGES][key] = Decimal(row["number"])
        return counts

    # Answers --------------------------------------------------------------------------

    def counted(self, indicator, place):
        """What the records count for the place, or None for an indicator they cannot count."""
        counts = self.counts.get(indicator.code)
        if counts is None:
            return None
        total = sum((counts.get(("county", pk), ZERO) for pk in self.county_ids(place)), ZERO)
        prefectures = self.prefecture_ids(place)
        return total + sum((counts.get(("prefecture", pk), ZERO) for pk in prefectures), ZERO)

    def prefecture_ids(self, place):
        """The prefectures whose own records (cadres posted to a prefecture) count here."""
        if place.level == Level.PROVINCE:
            return {p.pk for p in self.prefectures}
        if place.level == Level.PREFECTURE:
            return {place.obj.pk}
        if place.level == Level.PAIRING:
            return {p.obj.pk for p in self.parts(place) if p.level == Level.PREFECTURE}
        return set()

    def line(self, indicator, place):
        """The indicator at the place, its parts summed beneath it (computed once each)."""
        key = (indicator.pk, *place.key)
        if key not in self.lines:
            self.lines[key] = self.compute_line(indicator, place)
        return self.lines[key]

    def compute_line(self, indicator, place):
        figure = self.figures.get((indicator.pk, *place.key))
        line = Line(indicator, counted=self.counted(indicator, place))
        if figure is not None:
            line.target, line.reported, line.note = figure
        summed_target = None
        for part in self.parts(place):
            part_line = self.line(indicator, part)
            line.summed = add(line.summed, part_line.result)
            summed_target = add(summed_target, part_line.target)
        if line.target is None and summed_target is not None:
            line.target, line.target_summed = summed_target, True
        return line

    def scorecard(self, place):
        """Every indicator at the place, in the catalogue's order."""
        return [self.line(indicator, place) for indicator in self.indicators]

    def indicator(self, code):
        return next(i for i in self.indicators if i.code == code)
