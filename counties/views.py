import datetime
import functools
from decimal import Decimal

from django import forms
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from . import accounts, jobs
from .filters import CountyFilter
from .models import County, Job, Pairing
from .scopes import scope_of
from .templatetags.money import money

PAGE_SIZES = (10, 50, 100, 200)
COUNTY_PROJECTS_SHOWN = 20
# Reading the browsing pages and exports: the 查看者 role has it, and so do 录入员 and
# 系统管理员, whose roles include reading; 导入员 does not.
BROWSE_PERMISSION = "counties.browse"


def reader_refusal(user):
    """Why `user` may not read the browsing pages and exports, in words; None if it may.

    The one rule for every page and export outside the admin: the 查看者 role (the
    counties.browse permission) and a 数据范围 (a superuser needs neither)."""
    if user.is_superuser:
        return None
    if not user.has_perm(BROWSE_PERMISSION):
        return "您的账号没有浏览数据的权限（需要“查看者”角色），请联系系统管理员。"
    if scope_of(user).nothing:  # kept on the user: the page's filters read it again for free
        return "您的账号还没有设置数据范围，看不到任何记录，请联系系统管理员。"
    return None


def check_reader(request):
    """Raises PermissionDenied (a 403 page in Chinese) unless the user may read."""
    refusal = reader_refusal(request.user)
    if refusal:
        raise PermissionDenied(refusal)


def reader_required(view):
    """check_reader for a function view."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        check_reader(request)
        return view(request, *args, **kwargs)

    return wrapped


class ReaderRequiredMixin:
    """check_reader for a class-based view, before anything is read."""

    def dispatch(self, request, *args, **kwargs):
        check_reader(request)
        return super().dispatch(request, *args, **kwargs)


class ScopedMixin(ReaderRequiredMixin):
    """Only the records inside the user's scope (the queryset's visible_to): lists leave the
    others out, and a detail page of another scope's record is a 404. Only readers get that
    far (ReaderRequiredMixin)."""

    def get_queryset(self):
        return super().get_queryset().visible_to(scope_of(self.request.user))


class FilteredListMixin(ScopedMixin):
    """What every filtered list page shares: a `page_size` of 10–200 (default 50), pages that
    clamp instead of 404ing, clickable column headers, the filters in force in words, and
    totals over all the matches (one aggregate query)."""

    paginate_by = 50
    totals = {}

    def get_paginate_by(self, queryset):
        try:
            size = int(self.request.GET.get("page_size", ""))
        except ValueError:
            return self.paginate_by
        return min(max(size, PAGE_SIZES[0]), PAGE_SIZES[-1])

    def get_totals(self, queryset):
        """The number of matches (`rows`) and the totals, in one pass over the matches."""
        return queryset.aggregate(rows=Count("pk"), **self.totals)

    def paginate_queryset(self, queryset, page_size):
        self.match_totals = self.get_totals(queryset)
        paginator = self.get_paginator(queryset, page_size)
        # The count is known already: spare the paginator its own COUNT(*).
        paginator.count = self.match_totals["rows"]
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            sort=sort_links(self.request.GET, self.filterset),
            filter_summary=filter_summary(self.filterset),
            page_sizes=PAGE_SIZES,
            **kwargs,
        )
        # Set by paginate_queryset, which the call above runs.
        context["totals"] = self.match_totals
        return context


def sort_links(query, filterset):
    """For each sortable column: the link sorting by it (descending once it is the ascending
    sort), keeping the other parameters and going back to page 1, and the current arrow."""
    sort = filterset.filters.get("o")
    if sort is None:
        return {}
    current = query.get("o", "")
    links = {}
    for param in sort.param_map:
        params = query.copy()
        params.pop("page", None)
        params["o"] = f"-{param}" if current == param else param
        arrow = {param: "▲", f"-{param}": "▼"}.get(current, "")
        links[param] = {"url": f"?{params.urlencode()}", "arrow": arrow}
    return links


def filter_summary(filterset):
    """The valid filters in force as (label, value in words), for the page and its printout."""
    cleaned = getattr(filterset.form, "cleaned_data", {})
    summary = []
    for name, field in filterset.form.fields.items():
        value = cleaned.get(name)
        if value is None or value == "" or (hasattr(value, "__len__") and not len(value)):
            continue
        values = value if isinstance(value, list | tuple | models.QuerySet) else [value]
        summary.append((field.label, "、".join(in_words(field, v) for v in values)))
    return summary


def in_words(field, value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


def year_category_table(rows, categories):
    """Pivots (year, category, count, total) rows into one row per year, one cell per category
    that occurs, and a total per year and per category."""
    used = [(code, label) for code, label in categories if any(r["category"] == code for r in rows)]
    years = sorted({r["year"] for r in rows}, reverse=True)
    cells = {(r["year"], r["category"]): r for r in rows}
    table = []
    for year in years:
        row = [cells.get((year, code)) for code, _ in used]
        table.append({"year": year, "cells": row, "total": sum_cells(row)})
    footer = [sum_cells([cells.get((y, code)) for y in years]) for code, _ in used]
    return {"categories": [label for _, label in used], "rows": table, "footer": footer}


def sum_cells(cells):
    cells = [c for c in cells if c]
    return {
        "count": sum(c["count"] for c in cells),
        "total": sum((c["total"] for c in cells), Decimal(0)),
    }


class CountyListView(ScopedMixin, FilterView):
    """The counties by prefecture, filtered (CountyFilter); all of them on one page."""

    queryset = County.objects.select_related("prefecture").order_by("prefecture__code", "code")
    filterset_class = CountyFilter
    template_name = "counties/county_list.html"

    def get_context_data(self, **kwargs):
        chosen = getattr(self.filterset.form, "cleaned_data", {}).get("district")
        return super().get_context_data(
            filter_summary=filter_summary(self.filterset),
            pairing_year=self.filterset.pairing_year if chosen else None,
            **kwargs,
        )


class CountyDetailView(ScopedMixin, DetailView):
    """One county with what happens there.

    The related records come through reverse relations so that this app imports neither
    personnel nor projects (the dependency arrows point towards counties). For the same reason
    the page shows the county's first projects and links to the filterable project list for
    the rest, rather than embedding the project filter.
    """

    queryset = County.objects.select_related("prefecture")
    slug_field = slug_url_kwarg = "code"
    template_name = "counties/county_detail.html"

    def get_context_data(self, **kwargs):
        # The county is inside the user's scope, and so is what is registered in it; every
        # list goes through the scope all the same, as on the other pages.
        county, scope = self.object, scope_of(self.request.user)
        projects = county.projects.visible_to(scope)
        by_year = projects.values("year", "category").annotate(
            count=Count("pk"), total=Sum("shanghai_funds")
        )
        return super().get_context_data(
            pairings=Pairing.objects.for_county(county)
            .select_related("district", "prefecture", "county")
            .order_by("from_year", "district__code"),
            projects=projects.with_place().order_by("-year", "code")[:COUNTY_PROJECTS_SHOWN],
            project_totals=projects.aggregate(count=Count("pk"), total=Sum("shanghai_funds")),
            by_year=year_category_table(list(by_year.order_by()), projects.model.Category.choices),
            funds=county.funds.visible_to(scope).with_allocated().order_by("-year", "source"),
            cadres=county.cadres.visible_to(scope)
            .on_post(timezone.localdate())
            .select_related("batch"),
            parks=county.parks.visible_to(scope)
            .with_latest_year()
            .select_related("partner_district"),
            villages=county.villages.visible_to(scope),
            **kwargs,
        )


class JobListView(ListView):
    """The user's own recent background work (imports confirmed in the admin, large
    exports), newest first, with its state."""

    template_name = "counties/job_list.html"
    paginate_by = 50

    def get_queryset(self):
        jobs.reap()
        return Job.objects.filter(user=self.request.user)


class JobDetailView(DetailView):
    """One of the user's Jobs: its progress while it runs (the page reloads itself), then
    its result; another user's is a 404, administrators' too."""

    template_name = "counties/job_detail.html"
    context_object_name = "job"

    def get_queryset(self):
        jobs.reap()
        return Job.objects.filter(user=self.request.user)

    def get_context_data(self, **kwargs):
        counts = self.object  # a finished Job holds its counts
        if self.object.state == Job.State.RUNNING:
            beat = jobs.progress(self.object)
            counts = beat[0] if beat else jobs.Counters()
        return super().get_context_data(counts=counts, **kwargs)


def job_file(request, pk):
    """The file a Job of the user built, once; a 404 for anyone else's or a swept one."""
    job = get_object_or_404(Job, pk=pk, user=request.user, state=Job.State.DONE)
    file = jobs.open_file(job)
    if file is None:
        raise Http404("文件已过期或不存在。")
    return FileResponse(file, as_attachment=True, filename=job.file_name)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own, in the site's pages; once done, the administrator's password is gone."""

    template_name = "accounts/password_change_form.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.PasswordToChange.objects.filter(user=form.user).delete()
        self.request.session.pop(accounts.MUST_CHANGE, None)
        return response
