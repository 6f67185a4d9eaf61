"""The admin import through a real worker process (`manage.py db_worker`) on the tests'
database: the progress shows while the import's transaction is open, and a worker killed
mid-import leaves nothing written and its Job failed with the reason."""

import datetime
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains

from counties import jobs
from counties.models import Job
from projects.importers import reports
from projects.importers.uploads import Upload
from projects.models import ImportBatch, Project

from .report_files import csv_bytes, numbered

pytestmark = pytest.mark.django_db(transaction=True)
# Enough rows that reading them outlasts a heartbeat or two, on either database.
MANY = 60_000


def queue_import(user, rows):
    upload = Upload.store(user, SimpleUploadedFile("大报表.csv", csv_bytes(rows)), "yearly_report")
    return reports.confirm(user, upload, None, {})


def reading(job):
    """The progress of the Job's worker, once it has read a row."""
    beat = jobs.progress(job)
    return beat if beat and beat[0].read > 0 else None


def wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    tracebacks = DBTaskResult.objects.values_list("traceback", flat=True)
    raise AssertionError("not within %d s: %s" % (timeout, list(tracebacks)))


def test_a_worker_process_imports_and_its_progress_shows_meanwhile(
    worker, admin_user, admin_client, county
):
    job = queue_import(admin_user, numbered(MANY))

    worker()
    counters, _ = wait_for(lambda: reading(job))
    done = wait_for(lambda: Job.objects.filter(pk=job.pk, state="done").first())

    assert 0 < counters.read <= MANY
    assert (done.read, done.checked, done.written) == (MANY, MANY, MANY)
    assert Project.objects.count() == MANY
    assertContains(
        admin_client.get(job.get_absolute_url()), "导入完成：%d行，新增%d" % (MANY, MANY)
    )


def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_failed(
    worker, admin_user, admin_client, county
):
    job = queue_import(admin_user, numbered(MANY))
    process = worker()
    wait_for(lambda: reading(job))

    process.kill()
    process.wait()

    job.refresh_from_db()
    assert job.state == "running"  # killed before it finished: nobody said otherwise
    assert not Project.objects.exists() and not ImportBatch.objects.exists()
    # Once its heartbeat is older than JOB_STALE_SECONDS, the next look marks it failed.
    later = timezone.now() + datetime.timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    assert jobs.reap(now=later) == 1
    page = admin_client.get(job.get_absolute_url())
    assertContains(page, "失败")
    assertContains(page, "后台处理中断（处理进程停止或服务器重启），未写入任何数据")
    assert DBTaskResult.objects.get().status == "FAILED"
