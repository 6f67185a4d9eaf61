"""The institutions paired with a county, for the county page (another app's template):
`{% load institution_pairings %}` … `{% county_institutions county %}`."""

from django import template

from counties.scopes import scope_of

from ..models import InstitutionPairing

register = template.Library()


@register.inclusion_tag("institutions/county_section.html", takes_context=True)
def county_institutions(context, county):
    """The pairings whose Yunnan side is the county, one of its institutions or villages, or
    its whole prefecture (InstitutionPairing.objects.for_county), those the reader sees,
    newest first. One query."""
    request = context["request"]
    pairings = (
        InstitutionPairing.objects.for_county(county)
        .visible_to(scope_of(request.user))
        .with_sides()
        .order_by("-from_year", "kind", "pk")
    )
    return {"county": county, "pairings": pairings, "request": request}
