"""The dashboard (/dashboard/): one year's targets against results at a glance.

Charts are SVG drawn on the server from the same numbers as the table printed beside each
of them: no charting library, no external service, and they print in black and white (solid
bars for one series, hatched bars for the other, every bar labelled with its number).
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from counties.models import AuditEntry
from counties.scopes import scope_of
from counties.templatetags.money import figure, money
from counties.views import reader_required
from projects.forms import year_field
from projects.models import ZERO, Fund, Project

from .importers.exporting import dashboard_xlsx
from .models import IndicatorFigure
from .scorecard import PROVINCE, Ledger

Level = IndicatorFigure.Level
# The indicators shown for each part (prefecture, county) in the table of parts.
HEADLINE = ["fiscal_aid", "labour_jobs", "consumption_aid", "parks"]
LABOUR = [
    ("到上海", "labour_shanghai", "labour_shanghai_poor"),
    ("省内", "labour_province", "labour_province_poor"),
    ("其他省份", "labour_elsewhere", "labour_elsewhere_poor"),
]
TREND_YEARS = 10


class DashboardForm(forms.Form):
    """The year and the place (an official code; none for the province)."""

    year = year_field()
    place = forms.CharField(label="地点", required=False, max_length=12)

    def chosen(self, today, scope):
        """(year, place code): the valid ones asked for, else the latest year and no place."""
        self.is_valid()  # cleaned_data keeps the valid fields of an invalid form
        cleaned = getattr(self, "cleaned_data", {})
        return cleaned.get("year") or default_year(today, scope), cleaned.get("place") or ""


def default_year(today, scope):
    """The latest year with figures or projects in the scope up to this one, in one query
    (counties.years.latest_year): the dashboard opens on something to read."""
    from counties.years import latest_year

    figures = IndicatorFigure.objects.visible_to(scope)
    projects = Project.objects.visible_to(scope)
    return latest_year(figures, projects, until=today.year) or today.year


def place_options(ledger):
    """(code, label) per place the user may choose, grouped by level, for the select."""
    groups = {}
    for place in ledger.places():
        code = place.obj.code if place.obj else ""
        label = place.name
        if place.level == Level.COUNTY:
            label = "%s（%s）" % (place.obj.name, place.obj.prefecture.name)
        groups.setdefault(place.level, []).append((code, label))
    names = dict(Level.choices)
    return [(names[level], options) for level, options in groups.items()]


def find_place(ledger, code):
    """The place with this code among those the user may see; Http404 for any other."""
    if not code:
        place = PROVINCE if ledger.everything else None
        return place or next(iter(ledger.places()), None) or PROVINCE
    for place in ledger.places():
        if place.obj is not None and place.obj.code == code:
            return place
    raise Http404("没有这个地点，或它不在您的数据范围内。")


# The dashboard's sums over every project are kept this long at most, and only while no
# record changes (AuditEntry.objects.last_write): a write through hujin starts anew.
DASHBOARD_CACHE_SECONDS = 300


def remembered(what, scope, version, compute, *keys):
    """compute(), from the cache when the same scope asked for the same `keys` at the same
    `version` of the records (AuditEntry.objects.last_write); the cache (CACHES) is each
    process's memory unless set otherwise. A write not through hujin's screens, imports or
    undo (a shell, loaddata) shows after DASHBOARD_CACHE_SECONDS."""
    reach = "all" if scope.everywhere else "%s/%s" % (scope.county_ids, scope.prefecture_ids)
    digest = hashlib.sha256(("%s|%s" % (reach, keys)).encode()).hexdigest()[:32]
    key = "dashboard:%s:%s:%d" % (what, digest, version)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, DASHBOARD_CACHE_SECONDS)
    return value


@reader_required
def dashboard(request):
    today = timezone.localdate()
    form = DashboardForm(request.GET or None)
    scope = scope_of(request.user)
    year, code = form.chosen(today, scope)
    ledger = Ledger(year, scope)
    place = find_place(ledger, code)
    lines = ledger.scorecard(place)
    by_code = {line.indicator.code: line for line in lines}
    version = AuditEntry.objects.last_write()
    projects = remembered(
        "projects", scope, version, lambda: ProjectMoney(scope, ledger, place).sums(), year, code
    )
    return render(
        request,
        "indicators/dashboard.html",
        {
            "form": form,
            "year": year,
            "years": remembered(
                "years", scope, version, lambda: year_choices(scope, today, year), year
            ),
            "place": place,
            "place_code": place.obj.code if place.obj else "",
            "place_options": place_options(ledger),
            "lines": lines,
            "headline": [line for line in lines if is_headline(line)],
            "rates": rate_chart(lines),
            "labour": labour_chart(by_code),
            "by_part": bar_chart(projects.by_part, ["上海援助资金（万元）"], skip_zero=True),
            "by_category": bar_chart(projects.by_category, ["上海援助资金（万元）"]),
            "trend": bar_chart(
                projects.trend,
                ["项目上海援助资金（万元）", "上海财政援助资金下达（万元）"],
                skip_zero=True,
            ),
            "parts": parts_table(ledger, place, projects),
            "part_label": PART_LABELS.get(place.level, ""),
        },
    )


def is_headline(line):
    """A whole indicator (not an "of which") with a result: a number for the top of the page."""
    return line.indicator.parent_id is None and line.result is not None


def year_choices(scope, today, chosen):
    """The years with figures or projects in the scope, this year and the one shown."""
    figures = IndicatorFigure.objects.visible_to(scope)
    projects = Project.objects.visible_to(scope)
    years = set(figures.values_list("year", flat=True).distinct().order_by())
    years |= set(projects.values_list("year", flat=True).distinct().order_by())
    years |= {today.year, chosen}
    return sorted(years, reverse=True)


PART_LABELS = {Level.PROVINCE: "州市", Level.PREFECTURE: "县市区", Level.PAIRING: "结对地区"}


class ProjectMoney:
    """The year's Shanghai aid in projects at the place: by part, by category, and by year
    (with the money the funds brought) — three grouped queries."""

    def __init__(self, scope, ledger, place):
        # The province needs no list of its counties: the scope is filter enough.
        within = Q() if place.level == Level.PROVINCE else Q(county__in=ledger.county_ids(place))
        projects = Project.objects.visible_to(scope).filter(within)
        rows = list(
            projects.for_year(ledger.year)
            .values("county", "category")
            .annotate(total=Sum("shanghai_funds"), count=Count("pk"))
            .order_by()
        )
        by_county = {}
        for row in rows:
            money, count = by_county.get(row["county"], (ZERO, 0))
            by_county[row["county"]] = (money + row["total"], count + row["count"])
        self.parts = {}
        for part in ledger.parts(place):
            ids = ledger.county_ids(part)
            money = sum((by_county.get(pk, (ZERO, 0))[0] for pk in ids), ZERO)
            count = sum(by_county.get(pk, (ZERO, 0))[1] for pk in ids)
            self.parts[part] = (money, count)
        self.by_part = [(part.name, [money]) for part, (money, _) in self.parts.items()]
        categories = {}
        for row in rows:
            categories[row["category"]] = categories.get(row["category"], ZERO) + row["total"]
        self.by_category = [
            (label, [categories[code]])
            for code, label in Project.Category.choices
            if code in categories
        ]
        first = ledger.year - TREND_YEARS + 1
        years = range(first, ledger.year + 1)
        project_years = dict(
            projects.filter(year__gte=first, year__lte=ledger.year)
            .values("year")
            .annotate(total=Sum("shanghai_funds"))
            .order_by()
            .values_list("year", "total")
        )
        fund_years = dict(
            Fund.objects.visible_to(scope)
            .filter(
                within,
                year__gte=first,
                year__lte=ledger.year,
                source__in=[Fund.Source.CITY, Fund.Source.DISTRICT],
            )
            .values("year")
            .annotate(total=Sum("amount"))
            .order_by()
            .values_list("year", "total")
        )
        # From the first year with money in it: empty early years say nothing.
        years = [y for y in years if y >= min([*project_years, *fund_years, ledger.year])]
        self.trend = [
            ("%d年" % y, [project_years.get(y, ZERO), fund_years.get(y, ZERO)]) for y in years
        ]

    def sums(self):
        """What the page reads, as plain values (kept in the cache)."""
        return Sums(self.parts, self.by_part, self.by_category, self.trend)


@dataclass
class Sums:
    parts: dict
    by_part: list
    by_category: list
    trend: list


def parts_table(ledger, place, projects):
    """One row per part of the place: its projects and its headline indicators."""
    headline = [ledger.indicator(code) for code in HEADLINE]
    rows = []
    for part, (amount, count) in projects.parts.items():
        lines = [ledger.line(indicator, part) for indicator in headline]
        rows.append({"place": part, "money": amount, "count": count, "lines": lines})
    return {"indicators": headline, "rows": rows}


# Charts -------------------------------------------------------------------------------

WIDTH = 640
LABEL_WIDTH = 150
VALUE_ROOM = 110  # room right of the longest bar for its number
BAR = 14
GAP = 8
TOP = 4


@dataclass
class Chart:
    rows: list  # [(label, [value per series])]
    series: list  # series names
    unit: str = ""
    reference: Decimal | None = None  # a vertical line, e.g. at 100%
    bars: list = field(default_factory=list)  # drawn: label, y, [(x, width, y, text, style)]
    height: int = 0
    reference_x: float | None = None
    legend: list = field(default_factory=list)  # drawn: x, name, style
    legend_y: int = 0


def bar_chart(rows, series, unit="", reference=None, text=None, skip_zero=False):
    """The geometry of a horizontal bar chart, one band per row, one bar per series.

    With `skip_zero`, rows that are all zero are left out of the drawing (they stay in the
    table beside it): sixteen prefectures of which three have money read better as three bars.
    """
    text = text or money
    chart = Chart(rows, series, unit, reference)
    values = [v for _, vs in rows for v in vs if v is not None]
    largest = max([*values, reference or 0, Decimal(0)])
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    band = len(series) * (BAR + 2) + GAP
    if skip_zero:
        rows = [(label, vs) for label, vs in rows if any(vs)]
    for index, (label, row_values) in enumerate(rows):
        top = TOP + index * band
        bars = []
        for position, value in enumerate(row_values):
            y = top + position * (BAR + 2)
            width = float(value / largest * room) if value and largest else 0
            bars.append(
                {
                    "x": LABEL_WIDTH,
                    "y": y,
                    "width": round(width, 1),
                    "text_x": round(LABEL_WIDTH + width + 4, 1),
                    "text_y": y + BAR - 3,
                    "text": "—" if value is None else text(value),
                    "style": "solid" if position == 0 else "hatched",
                }
            )
        chart.bars.append({"label": label, "label_y": top + BAR - 2, "bars": bars})
    chart.height = TOP + len(rows) * band + 4
    if len(series) > 1:
        # Inside the drawing, so that it prints with the bars.
        chart.legend_y = chart.height + 4
        chart.legend = [
            {"x": LABEL_WIDTH + i * 200, "name": name, "style": "solid" if i == 0 else "hatched"}
            for i, name in enumerate(series)
        ]
        chart.height += BAR + 12
    if reference and largest:
        chart.reference_x = round(LABEL_WIDTH + float(reference / largest * room), 1)
    return chart


def rate_chart(lines):
    """Completion rates of the indicators that have a target and a result, against 100%."""
    rows = [(line.indicator.name, [line.rate]) for line in lines if line.rate is not None]
    return bar_chart(rows, ["完成率"], "%", Decimal(100), text=percent)


def labour_chart(by_code):
    """Rural workers helped into jobs by destination, and the formerly poor among them."""
    rows = []
    for label, total, poor in LABOUR:
        values = [by_code[total].result, by_code[poor].result]
        if any(v is not None for v in values):
            rows.append((label, values))
    return bar_chart(rows, ["就业人数", "其中脱贫人口"], "人", text=figure)


def percent(value):
    return "%s%%" % value


# The dashboard as a report workbook ------------------------------------------------------


@reader_required
def dashboard_export(request):
    """The dashboard as a report workbook (indicators.importers.exporting.dashboard_xlsx):
    every indicator at the place and at each of its parts, and the table of parts."""
    form = DashboardForm(request.GET or None)
    scope = scope_of(request.user)
    year, code = form.chosen(timezone.localdate(), scope)
    ledger = Ledger(year, scope)
    place = find_place(ledger, code)
    projects = remembered(
        "projects",
        scope,
        AuditEntry.objects.last_write(),
        lambda: ProjectMoney(scope, ledger, place).sums(),
        year,
        code,
    )
    output = dashboard_xlsx(
        year,
        place,
        [(part, ledger.scorecard(part)) for part in [place, *ledger.parts(place)]],
        parts=parts_table(ledger, place, projects),
        part_label=PART_LABELS.get(place.level, ""),
    )
    name = "协作指标-%d-%s.xlsx" % (year, place.name)
    return FileResponse(output, as_attachment=True, filename=name)
