"""A report the admin imports (ReportType), the engine run on one of its stored uploads, and
the confirmed import as a task of the queue (counties/jobs.py).

The preview is a dry run inside the request (screens.py); the confirmed import runs in a
worker, as the user who confirmed, with the same checks: its Job page shows the rows read,
checked and written, then the batch, or why nothing was written.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from counties import jobs
from counties.models import County

from ..models import ImportBatch
from .refusals import UNLISTED, ImportFailed
from .running import Progress, Source
from .uploads import Upload
from .workbook import open_workbook

# Errors listed on the Job page of an import refused at the confirm step.
CONFIRM_ERRORS_SHOWN = 10
# Every ReportType by its ImportBatch.Kind, for the worker; they are made where their admin is
# (projects/admin.py, indicators/admin.py), which Django imports at start-up.
REPORT_TYPES = {}


@dataclass(frozen=True)
class ReportType:
    """What the import screens need of a report: its ImportBatch.Kind and name, its import
    function (keyword arguments as import_yearly_report's), the headers of its preview
    table (after 行号 and 操作), its blank templates, and the checkboxes its refusals name."""

    kind: str
    name: str
    run: Callable
    preview_headers: list
    template_xlsx: Callable
    template_csv: Callable
    allow: tuple = ()

    def __post_init__(self):
        REPORT_TYPES[self.kind] = self


def run(report_type, upload, user, *, dry_run, refusal=None, allowed=None, progress=None):
    """The engine on a stored upload, as `user`, through the admin."""
    with upload.open() as binary:

        def read():
            binary.seek(0)
            return open_workbook(binary, upload.name)

        return report_type.run(
            files=[Source(upload.name, upload.sha256, read)],
            user=user,
            channel=ImportBatch.Channel.ADMIN,
            dry_run=dry_run,
            refusal=refusal,
            progress=progress,
            **(allowed or {}),
        )


class Tracked(Progress):
    """The engine's progress as a Job's counters: every row is checked as it is read."""

    def __init__(self, counters):
        super().__init__()
        self.counters = counters

    def __call__(self, stage, name, count, final=False):
        if stage == "已校验":
            self.counters.read = self.counters.checked = count
        elif stage == "已写入":
            self.counters.written = count


def confirm(user, upload, sender, allowed):
    """Enqueues the import of a previewed upload; returns its Job. The upload is claimed for
    the Job, so that a second click finds it taken (Upload.job)."""
    report_type = REPORT_TYPES[upload.report]
    job = jobs.start(
        user,
        jobs.Job.Kind.IMPORT,
        "导入%s：%s" % (report_type.name, upload.name),
        import_upload,
        token=upload.token,
        report=upload.report,
        sender=sender.pk if sender else None,
        allowed=allowed,
    )
    upload.claim(job.pk)
    return job


@task()
def import_upload(job_id, *, token, report, sender, allowed):
    """The task of a confirmed import (confirm): the stored upload imported for real, in one
    transaction, as the user who confirmed it; then the upload is removed."""

    def work(job, counters):
        user = get_user_model().objects.get(pk=job.user_id)
        upload = Upload.find(user.pk, token, report)
        if upload is None:
            raise jobs.Refused("未导入：上传的文件已导入或已过期，请重新上传。")
        options = {**allowed, "sender": County.objects.filter(pk=sender).first()}
        try:
            result = run(
                REPORT_TYPES[report],
                upload,
                user,
                dry_run=False,
                allowed=options,
                progress=Tracked(counters),
            )
        except ImportFailed as failure:
            # Passed at the preview, refused now: the database changed in between.
            shown = failure.errors[:CONFIRM_ERRORS_SHOWN]
            if failure.count > len(shown):
                shown.append(UNLISTED % (failure.count - len(shown)))
            raise jobs.Refused("导入失败，未写入任何数据：%s" % "；".join(shown)) from None
        finally:
            upload.remove()
        file = result.files[0]
        return {
            "message": "导入完成：%d行，新增%d，更新%d，未变%d。"
            % (file.rows, file.created, file.updated, file.unchanged),
            "link": reverse("admin:projects_importbatch_change", args=[file.batch.pk]),
        }

    jobs.run(job_id, work)
