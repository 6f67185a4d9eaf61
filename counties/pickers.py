"""The admin's autocomplete pickers, asked from a record's change page: Django's autocomplete
names the field it fills, not the record, so the record is the one whose page sent the
request (its Referer). Without it (a new record, a browser that sends no Referer) a picker
offers what it always does."""

from urllib.parse import urlsplit

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Case, When
from django.urls import Resolver404, resolve


def referring_record(request):
    """(model, pk) of the record whose admin change page sent an autocomplete request (its
    Referer), or None: Django's autocomplete names the field it fills, not the record."""
    referer = request.headers.get("referer", "")
    try:
        match = resolve(urlsplit(referer).path)
    except Resolver404:
        return None
    name, pk = match.url_name or "", match.kwargs.get("object_id")
    if not name.endswith("_change") or pk is None or "_" not in name:
        return None
    app_label, model_name = name.removesuffix("_change").split("_", 1)
    try:
        return apps.get_model(app_label, model_name), pk
    except LookupError:
        return None


def referring_county_id(request):
    """The county of the record whose admin change page asked for an autocomplete, or None."""
    found = referring_record(request)
    if found is None:
        return None
    model, pk = found
    if not any(field.name == "county" for field in model._meta.concrete_fields):
        return None
    try:
        return model._default_manager.filter(pk=pk).values_list("county_id", flat=True).first()
    except (ValueError, ValidationError):
        return None


class OwnCountyFirst:
    """An admin whose autocomplete, asked from a record's page (a project's village,
    programme or park), offers the records of that record's county first, then the others
    of the scope: the form may be moving the record to another county, and the model's
    clean() refuses a mismatch."""

    def get_search_results(self, request, queryset, search_term):
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            county = referring_county_id(request)
            if county is not None:
                ordering = (
                    queryset.query.order_by
                    or self.get_ordering(request)
                    or queryset.model._meta.ordering
                )
                own = Case(When(county_id=county, then=0), default=1)
                queryset = queryset.order_by(own, *ordering, "pk")
        return queryset, distinct
