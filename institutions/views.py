from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from counties.scopes import scope_of
from counties.views import FilteredListMixin, ReaderRequiredMixin, ScopedMixin

from .coverage import coverage
from .filters import InstitutionFilter, InstitutionPairingFilter
from .forms import YearForm
from .models import MONEY, Institution, InstitutionPairing

Kind = InstitutionPairing.Kind
# How the summary names each kind's Shanghai institutions and Yunnan ones.
HELPERS_WORD = {
    Kind.MEDICAL: "家上海医院",
    Kind.EDUCATION: "所上海学校",
    Kind.ACTION_163: "家上海社会组织",
    Kind.VILLAGE: "家上海企业",
}
PARTNERS_WORD = {Kind.MEDICAL: "家云南医院", Kind.EDUCATION: "所云南学校"}


class InstitutionListView(FilteredListMixin, FilterView):
    queryset = Institution.objects.with_place().order_by("side", "name", "pk")
    filterset_class = InstitutionFilter
    template_name = "institutions/institution_list.html"


class InstitutionDetailView(ScopedMixin, DetailView):
    queryset = Institution.objects.with_place()
    template_name = "institutions/institution_detail.html"

    def get_context_data(self, **kwargs):
        # A Shanghai institution is every reader's; its pairings only where the reader sees
        # their Yunnan side.
        pairings = (
            InstitutionPairing.objects.visible_to(scope_of(self.request.user))
            .filter(Q(helper=self.object) | Q(partner=self.object))
            .with_sides()
            .order_by("-from_year", "kind", "pk")
        )
        return super().get_context_data(pairings=pairings, **kwargs)


class InstitutionPairingListView(FilteredListMixin, FilterView):
    queryset = InstitutionPairing.objects.with_sides().order_by("-from_year", "kind", "pk")
    filterset_class = InstitutionPairingFilter
    template_name = "institutions/pairing_list.html"
    totals = {"committed": Sum("committed", output_field=models.DecimalField(**MONEY))}


def summary_line(row):
    """A kind's pairings in words: "35 所上海学校结对帮扶 38 所云南学校"."""
    kind = Kind(row["kind"])
    counterparts = [
        "%d %s" % (count, word)
        for count, word in (
            (row["institutions"], PARTNERS_WORD.get(kind, "家云南机构")),
            (row["villages"], "个村"),
            (row["counties"], "个县市区"),
            (row["prefectures"], "个州市"),
        )
        if count
    ]
    return "%(helpers)d %(word)s结对帮扶 %(counterparts)s" % {
        "helpers": row["helpers"],
        "word": HELPERS_WORD.get(kind, "家上海机构"),
        "counterparts": "、".join(counterparts),
    }


class SummaryView(ReaderRequiredMixin, TemplateView):
    """The pairings in force in a year (`year`, default this year) inside the reader's
    scope, kind by kind, in words."""

    template_name = "institutions/summary.html"

    def get_context_data(self, **kwargs):
        form = YearForm(self.request.GET or None)
        year = form.chosen_year(timezone.localdate())
        pairings = InstitutionPairing.objects.visible_to(scope_of(self.request.user))
        rows = {row["kind"]: row for row in pairings.active_in(year).tally()}
        lines = [
            {
                "kind": kind,
                "text": summary_line(rows[kind]),
                "pairings": rows[kind]["pairings"],
                "committed": rows[kind]["committed"],
            }
            for kind in Kind
            if kind in rows
        ]
        return super().get_context_data(form=form, year=year, lines=lines, **kwargs)


class CoverageView(ReaderRequiredMixin, TemplateView):
    """覆盖情况: the former poverty counties inside the reader's scope, and who pairs each in
    a year (`year`, default this year); those without a district pairing are flagged."""

    template_name = "institutions/coverage.html"

    def get_context_data(self, **kwargs):
        form = YearForm(self.request.GET or None)
        year = form.chosen_year(timezone.localdate())
        rows = coverage(year, scope_of(self.request.user))
        return super().get_context_data(
            form=form,
            year=year,
            rows=rows,
            covered=sum(row.paired for row in rows),
            total=len(rows),
            **kwargs,
        )
