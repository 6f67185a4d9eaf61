import datetime

from django.conf import settings
from django.contrib import messages
from django.db import models
from django.db.models import Count, Exists, OuterRef, Sum
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from counties import jobs, sheets
from counties.filters import (
    PlaceFilterSet,
    SortFilter,
    YearsFilter,
    choices_filter,
    county_filter,
    prefecture_filter,
    search_filter,
)
from counties.models import AuditEntry, Job, Pairing
from counties.scopes import scope_of
from counties.views import FilteredListMixin, ReaderRequiredMixin, ScopedMixin, reader_required
from counties.years import latest_year
from institutions.coverage import covered
from personnel.models import Cadre

from . import tasks
from .filters import FundFilter, ParkFilter, ProjectFilter
from .forms import YearForm
from .importers import exporting
from .models import MONEY, ZERO, Fund, IndustrialPark, Programme, Project


def money_total(field):
    """The sum of a money field over all the matches, 0 when there are none."""
    return Sum(field, default=ZERO, output_field=models.DecimalField(**MONEY))


EMPTY_HINT = "还没有项目数据：项目由录入员在管理后台逐条录入，或由导入员导入县里报送的年度报表。"


class HomeView(ReaderRequiredMixin, TemplateView):
    """Headline totals for one year (`year`, default the latest year with projects in the
    user's scope) and the ways into the lists; with no project in the scope, how to start."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        scope = scope_of(self.request.user)
        latest = latest_year(Project.objects.visible_to(scope))
        default = latest or today.year
        form = YearForm(
            self.request.GET or None, today=today, scope=scope, initial={"year": default}
        )
        # The year asked for; the default when none was asked for or the year is wrong.
        year = (form.is_valid() and form.cleaned_data["year"]) or default
        # A past year's cadres are those on post at its end; this year's, those on post today.
        on_post = min(today, datetime.date(year, 12, 31))
        return super().get_context_data(
            form=form,
            year=year,
            empty_hint=EMPTY_HINT if latest is None else "",
            on_post=on_post,
            projects=Project.objects.visible_to(scope)
            .for_year(year)
            .aggregate(count=Count("pk"), shanghai_funds=money_total("shanghai_funds")),
            cadres=Cadre.objects.visible_to(scope).on_post(on_post).count(),
            parks=IndustrialPark.objects.visible_to(scope).filter(year_founded__lte=year).count(),
            coverage=covered(year, scope),
            **kwargs,
        )


class ProjectListView(FilteredListMixin, FilterView):
    queryset = Project.objects.with_place()
    filterset_class = ProjectFilter
    template_name = "projects/project_list.html"
    totals = {"shanghai_funds": money_total("shanghai_funds")}


class ProjectDetailView(ScopedMixin, DetailView):
    queryset = Project.objects.with_place().select_related(
        "park", "programme", "import_batch__user"
    )
    slug_field = slug_url_kwarg = "code"
    template_name = "projects/project_detail.html"

    def get_context_data(self, **kwargs):
        # The project is inside the user's scope. What it links to goes through the scope
        # too, so that the page names no record whose own page the user may not open: a
        # cadre posted to the prefecture is outside a county's scope, and records entered
        # before the links were checked (Project.clean) may be anywhere.
        project, scope = self.object, scope_of(self.request.user)
        allocations = (
            project.allocations.visible_to(scope)
            .select_related("fund")
            .order_by("fund__source", "-fund__year", "pk")
        )
        return super().get_context_data(
            allocations=allocations,
            by_source=sum_by_source(allocations),
            partners=partner_districts(project),
            cadres=project.cadres.with_place().visible_to(scope),
            park=in_scope(scope, project.park),
            programme=in_scope(scope, project.programme),
            village=in_scope(scope, project.village),
            history=history_in_scope(project, scope),
            **kwargs,
        )


HISTORY_SHOWN = 20


def in_scope(scope, record):
    """The record (a park, programme or village) when its county is inside the scope, else None;
    one query when the scope is not the whole province."""
    if record is None or scope.everywhere:
        return record
    visible = type(record)._default_manager.visible_to(scope)
    return record if visible.filter(pk=record.pk).exists() else None


def history_in_scope(project, scope):
    """The project's latest audit entries. A change of its cadres names them: those outside
    the user's scope are counted instead ("另2名数据范围以外的干部"); one query for all."""
    entries = list(AuditEntry.objects.for_object(project)[:HISTORY_SHOWN])
    named = {name for e in entries for names in e.changes.get("cadres", ()) for name in names or ()}
    if not named:
        return entries
    # The audit trail names a cadre as str(cadre), "姓名（类别）".
    names = {name.rsplit("（", 1)[0] for name in named}
    cadres = Cadre.objects.visible_to(scope).filter(name__in=names)
    visible = {str(cadre) for cadre in cadres}
    for entry in entries:
        if "cadres" in entry.changes:
            entry.changes["cadres"] = [cadre_names(n, visible) for n in entry.changes["cadres"]]
    return entries


def cadre_names(names, visible):
    """A list of cadres in words, those not in `visible` counted; None for none."""
    if names is None:
        return None
    shown = [name for name in names if name in visible]
    if len(shown) < len(names):
        shown.append("另%d名数据范围以外的干部" % (len(names) - len(shown)))
    return "、".join(shown) or None


def sum_by_source(allocations):
    """The project's allocated money per fund source, in the order of Fund.Source."""
    sums = {}
    for allocation in allocations:
        source = allocation.fund.source
        sums[source] = sums.get(source, ZERO) + allocation.amount
    return [(label, sums[code]) for code, label in Fund.Source.choices if code in sums]


def partner_districts(project):
    """The Shanghai pairings in force for the project's county in its year: those with the
    county itself when there are any, else those with its whole prefecture."""
    pairings = list(
        Pairing.objects.active_in(project.year)
        .for_county(project.county)
        .select_related("district", "county", "prefecture")
        .order_by("district__code", "pk")
    )
    return [p for p in pairings if p.county_id] or pairings


class ParkListView(FilteredListMixin, FilterView):
    # Each park with its latest yearly record's figures (with_latest_year), which the
    # columns, the sorting (ParkFilter's "enterprises", "investment", "jobs") and the totals
    # read; subqueries, not a query per row.
    queryset = IndustrialPark.objects.with_latest_year().select_related(
        "county__prefecture", "partner_district"
    )
    filterset_class = ParkFilter
    template_name = "projects/park_list.html"
    # Named apart from the annotations they sum: an aggregate of an annotation's own name
    # would replace it.
    totals = {
        "enterprises_total": Sum("enterprises", default=0),
        "investment_total": money_total("investment"),
        "jobs_total": Sum("jobs", default=0),
    }


class ParkDetailView(ScopedMixin, DetailView):
    queryset = IndustrialPark.objects.select_related("county__prefecture", "partner_district")
    template_name = "projects/park_detail.html"

    def get_context_data(self, **kwargs):
        scope = scope_of(self.request.user)
        projects = self.object.projects.visible_to(scope)
        projects = projects.with_place().order_by("-year", "code")
        return super().get_context_data(
            years=self.object.years.visible_to(scope).order_by("year"),
            # An enterprise of Shanghai is every reader's; one of Yunnan, its county's.
            companies=self.object.companies.visible_to(scope).with_place().order_by("name"),
            projects=projects,
            **kwargs,
        )


class ProgrammeFilter(PlaceFilterSet):
    # Here rather than in filters.py only while that file is another change's: move it there.
    prefecture = prefecture_filter()
    county = county_filter()
    year = YearsFilter(help_text="有该年度项目的项目群。", method="with_projects_in")
    kind = choices_filter(
        "类型", Programme.Kind.choices, "全部类型", "没有“%(value)s”这个项目群类型。"
    )
    q = search_filter("名称", "search")
    o = SortFilter(
        fields=[
            ("name", "name"),
            ("county__code", "county"),
            ("from_year", "from_year"),
            ("project_count", "project_count"),
            ("shanghai_funds", "shanghai_funds"),
        ],
        field_labels={
            "name": "项目群名称",
            "county__code": "县市区",
            "from_year": "项目年度",
            "project_count": "项目数",
            "shanghai_funds": "上海援助资金",
        },
    )

    class Meta:
        model = Programme
        fields = []

    def with_projects_in(self, queryset, name, years):
        if not years:
            return queryset
        projects = Project.objects.filter(programme=OuterRef("pk"), year__in=years)
        return queryset.filter(Exists(projects))

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value)


class ProgrammeListView(FilteredListMixin, FilterView):
    # Meta.ordering does not apply to a grouped query such as with_totals(): order here.
    queryset = Programme.objects.with_place().with_totals().order_by("county__code", "name")
    filterset_class = ProgrammeFilter
    template_name = "projects/programme_list.html"
    totals = {  # named apart from the annotations they sum (ParkListView)
        "projects_total": Sum("project_count", default=0),
        "shanghai_funds_total": money_total("shanghai_funds"),
        "other_funds_total": money_total("other_funds"),
    }


class ProgrammeDetailView(ScopedMixin, DetailView):
    queryset = Programme.objects.with_place()
    template_name = "projects/programme_detail.html"

    def get_context_data(self, **kwargs):
        projects = self.object.projects.visible_to(scope_of(self.request.user))
        sums = list(projects.yearly_sums())
        listed = list(projects.with_place().order_by("-year", "code"))
        years = [{**row, "projects": [p for p in listed if p.year == row["year"]]} for row in sums]
        total = {
            "count": sum(row["count"] for row in sums),
            "shanghai_funds": sum((row["shanghai_funds"] for row in sums), ZERO),
            "other_funds": sum((row["other_funds"] for row in sums), ZERO),
        }
        return super().get_context_data(years=years, total=total, **kwargs)


class FundListView(FilteredListMixin, FilterView):
    # Meta.ordering does not apply to a grouped query such as with_allocated(): order here.
    queryset = (
        Fund.objects.with_allocated()
        .select_related("county__prefecture")
        .order_by("-year", "county__code", "source", "pk")
    )
    filterset_class = FundFilter
    template_name = "projects/fund_list.html"

    def get_totals(self, queryset):
        return queryset.totals()


@reader_required
def export(request, fmt):
    """The filtered project list in the yearly report format (CSV or XLSX); imports back as is.

    The CSV streams, and ends with a line counting its projects; an XLSX of more than
    EXPORT_INLINE_ROWS projects is built by a task (projects/tasks.py) and offered on its
    Job's page when complete."""
    filterset = tasks.export_filter(request.user, request.GET)
    if not filterset.is_valid():
        return sheets.filter_refusal(filterset)
    projects = filterset.qs
    file_name = "沪滇协作项目-%s.%s" % (timezone.localdate().strftime("%Y%m%d"), fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(
            exporting.csv_lines(projects), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(True, file_name)
        return response
    count = projects.count()
    if count > settings.EXPORT_INLINE_ROWS:
        job = jobs.start(
            request.user,
            Job.Kind.EXPORT,
            "导出项目（%d个，XLSX）" % count,
            tasks.export_projects,
            query=request.GET.urlencode(),
            file_name=file_name,
        )
        messages.info(request, "共%d个项目，文件较大，正在后台生成；完成后在本页下载。" % count)
        return redirect(job)
    return FileResponse(exporting.xlsx_file(projects), as_attachment=True, filename=file_name)
