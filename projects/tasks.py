"""The project list's exports too large for a request, as tasks of the queue
(counties/jobs.py): the XLSX is built by a worker, kept for its user, and offered on the
Job's page when complete; an export cut short is never offered."""

from django.contrib.auth import get_user_model
from django.http import QueryDict
from django_tasks import task

from counties import jobs, sheets
from counties.scopes import scope_of
from counties.views import reader_refusal

from .filters import ProjectFilter
from .importers import exporting
from .models import Project


def export_filter(user, data):
    """The project list's filters `data` over the projects of the user's scope, in the
    export's shape (check is_valid() before reading .qs)."""
    projects = Project.objects.with_place().visible_to(scope_of(user))
    return ProjectFilter(data, queryset=projects)


@task()
def export_projects(job_id, *, query, file_name):
    """The XLSX of the project list filtered by `query` (the page's query string), as the
    Job's user may read it when the worker runs."""

    def work(job, counters):
        user = get_user_model().objects.get(pk=job.user_id)
        refusal = reader_refusal(user)
        if refusal:
            raise jobs.Refused(refusal)
        filterset = export_filter(user, QueryDict(query))
        if not filterset.is_valid():
            raise jobs.Refused("筛选条件有误：%s" % sheets.filter_problems(filterset))

        def counted(rows):
            counters.written = rows

        with exporting.xlsx_file(filterset.qs, counted=counted) as binary:
            path = jobs.keep_file(job, binary, ".xlsx")
        return {
            "message": "已导出%d个项目。" % counters.written,
            "file_path": path,
            "file_name": file_name,
        }

    jobs.run(job_id, work)
