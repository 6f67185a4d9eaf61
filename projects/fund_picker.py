"""The fund picker of a project's allocations (the admin's autocomplete of FundAllocation.fund):
searchable by year, source, donor, document and county, and narrowed to the project's county
when the picker is on a stored project's page.

The project is the one whose change page asked (counties.pickers.referring_record). Without
it (a new project, a browser that sends no Referer) every fund of the user's scope is offered;
FundAllocation.clean refuses a fund of another county either way.
"""

import re

from django.db.models import Q

from counties.pickers import referring_record

from .models import Fund, Project

YEAR = re.compile(r"(\d{4})年?度?")


def is_allocation_picker(request):
    """Whether the request is the autocomplete of an allocation's fund."""
    return (
        request.GET.get("app_label") == "projects"
        and request.GET.get("model_name") == "fundallocation"
        and request.GET.get("field_name") == "fund"
    )


def asking_project(request):
    """The project whose admin change page sent the request, or None."""
    found = referring_record(request)
    if found is None or found[0] is not Project:
        return None
    try:
        return Project.objects.only("county_id").get(pk=found[1])
    except (Project.DoesNotExist, ValueError):
        return None


def search(queryset, term):
    """The funds every word of `term` finds: a year (2023 or 2023年), a source by its label
    (市级, 区级财政, 社会帮扶…), or the county's name or code, the donor or the document."""
    for word in term.split():
        found = Q(county__name__contains=word) | Q(county__code=word)
        found |= Q(donor__contains=word) | Q(document__contains=word)
        year = YEAR.fullmatch(word)
        if year:
            found |= Q(year=int(year[1]))
        sources = [value for value, label in Fund.Source.choices if word in label]
        if sources:
            found |= Q(source__in=sources)
        queryset = queryset.filter(found)
    return queryset


def picked(request, queryset, term):
    """What FundAdmin.get_search_results returns: (funds, may have duplicates)."""
    if is_allocation_picker(request):
        project = asking_project(request)
        if project is not None:
            queryset = queryset.filter(county_id=project.county_id)
    return search(queryset, term), False
