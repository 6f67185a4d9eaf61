"""Numbers as the reports write them, and a place's scorecard for other apps' pages."""

from django import template
from django.utils import timezone

from counties.scopes import scope_of
from counties.templatetags.money import figure, money

from ..models import IndicatorFigure
from ..scorecard import Ledger, Place
from ..views import default_year

register = template.Library()


@register.filter(name="number")
def number_filter(value, unit=""):
    """An indicator's figure in its unit (`{{ value|number:line.indicator.unit }}`): in 万元
    an amount as every amount is written (counties.templatetags.money: 1,220.50); people,
    counts and the rest as the count they are (180110.0000 → 180,110; 12.5000 → 12.5);
    None → —. Figures are kept at the money precision (IndicatorFigure.target, .result)."""
    if unit == "万元":
        return money(value)
    return figure(value)


@register.inclusion_tag("indicators/county_scorecard.html", takes_context=True)
def county_scorecard(context, county):
    """The county's targets and results for the latest year with figures (the county page)."""
    request = context["request"]
    scope = scope_of(request.user)
    year = default_year(timezone.localdate(), scope)
    ledger = Ledger(year, scope, county=county)
    place = Place(IndicatorFigure.Level.COUNTY, county)
    lines = [line for line in ledger.scorecard(place) if shown(line)]
    return {"lines": lines, "year": year, "place": place, "request": request}


def shown(line):
    """Worth a row on a page that is not about indicators: something was agreed or found."""
    return any(v is not None for v in (line.target, line.result)) or bool(line.counted)
