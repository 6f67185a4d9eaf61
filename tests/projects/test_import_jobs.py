"""An admin import confirmed through the task queue: the request enqueues and returns, a
worker imports, the Job's page shows the progress and the result; the user's list of
recent work; what a lost worker, a busy lock or an error leaves."""

import datetime
import io
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains, assertNotContains

from counties import jobs
from counties.models import Job, Scope
from projects.importers import reports
from projects.importers.uploads import Upload
from projects.models import ImportBatch, Project
from tests.jobs import work_off

from .report_files import csv_bytes, numbered

IMPORT = reverse("admin:projects_project_import")
PROCESS = reverse("admin:projects_project_process_import")


def preview(client, content, name="2023年澜沧县报表.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(IMPORT, {"import_file": file})


def confirm(client, previewed):
    return client.post(
        PROCESS, {**previewed.context["confirm_form"].initial, "confirm": "确认导入"}
    )


def test_a_confirmed_import_is_queued_then_done_by_a_worker(admin_client, admin_user, county):
    previewed = preview(admin_client, csv_bytes(numbered(3)))

    queued = confirm(admin_client, previewed)

    job = Job.objects.get()
    assert queued.status_code == 302 and queued["Location"] == job.get_absolute_url()
    assert not Project.objects.exists()  # the request only enqueued it
    page = admin_client.get(job.get_absolute_url())
    assertContains(page, "排队中")
    assertContains(page, '<meta http-equiv="refresh" content="3">', html=False)
    assertContains(page, "已提交导入，正在后台处理")
    assert (job.user, job.kind, job.title) == (
        admin_user,
        "import",
        "导入项目年度报表：2023年澜沧县报表.csv",
    )

    work_off()

    job.refresh_from_db()
    batch = ImportBatch.objects.get()
    assert (job.state, job.read, job.checked, job.written) == ("done", 3, 3, 3)
    assert job.message == "导入完成：3行，新增3，更新0，未变0。"
    assert Project.objects.filter(import_batch=batch).count() == 3
    assert (batch.user, batch.channel) == (admin_user, "admin")
    page = admin_client.get(job.get_absolute_url())
    assertContains(page, "已完成")
    assertContains(page, "<dt>已写入</dt><dd>3 行</dd>", html=True)
    assertContains(page, reverse("admin:projects_importbatch_change", args=[batch.pk]))
    assertNotContains(page, 'http-equiv="refresh"')
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_users_list_shows_their_own_work_and_its_state(admin_client, county, django_user_model):
    other = django_user_model.objects.create_user("other")
    Job.objects.create(user=other, kind="export", title="别人的导出", state="done")
    confirm(admin_client, preview(admin_client, csv_bytes(numbered(1))))
    work_off()

    page = admin_client.get(reverse("jobs:list"))

    assertContains(page, "导入项目年度报表：2023年澜沧县报表.csv")
    assertContains(page, "导入完成：1行，新增1")
    assertNotContains(page, "别人的导出")


def test_another_users_job_is_not_found(client, admin_user, django_user_model):
    job = Job.objects.create(user=admin_user, kind="import", title="导入", state="done")
    client.force_login(django_user_model.objects.create_superuser("second", "", "x"))

    assert client.get(job.get_absolute_url()).status_code == 404


def test_a_second_click_on_confirm_is_sent_to_the_same_job(admin_client, county):
    previewed = preview(admin_client, csv_bytes(numbered(2)))
    first = confirm(admin_client, previewed)

    second = confirm(admin_client, previewed)

    assert second["Location"] == first["Location"]
    assertContains(admin_client.get(second["Location"]), "该文件已确认导入，正在后台处理")
    work_off()
    assert Job.objects.get().state == "done"
    assert ImportBatch.objects.count() == 1


def test_an_importer_without_a_scope_any_more_gets_the_refusal_from_the_worker(
    client, county, django_user_model
):
    importer = django_user_model.objects.create_user("importer", is_staff=True)
    importer.groups.add(Group.objects.get(name="导入员"))
    scope = Scope.objects.create(user=importer)
    scope.counties.add(county)
    client.force_login(importer)
    previewed = preview(client, csv_bytes(numbered(1)))
    confirm(client, previewed)
    scope.counties.clear()  # the scope changed before the worker ran

    work_off()

    job = Job.objects.get()
    assert job.state == "failed"
    assert job.message.startswith("导入失败，未写入任何数据：第2行 县市区")
    assert not Project.objects.exists()
    assertContains(client.get(job.get_absolute_url()), "导入失败，未写入任何数据")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's import lock")
def test_a_lock_held_elsewhere_fails_the_job_with_a_message(admin_client, county, settings):
    settings.IMPORT_LOCK_WAIT_SECONDS = 1
    confirm(admin_client, preview(admin_client, csv_bytes(numbered(1))))
    # A command-line import holds the lock, on a connection of its own.
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [0x68756A696E])
    try:
        work_off()
    finally:
        other.close()

    job = Job.objects.get()
    assert job.state == "failed"
    assert job.message == (
        "导入失败，未写入任何数据：另一项导入或撤销正在进行，等待1秒后仍未结束；"
        "未写入任何数据，请稍后再试。"
    )
    assert not Project.objects.exists()


def test_a_job_whose_worker_stopped_is_shown_failed_with_the_reason(admin_user, admin_client):
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    job = Job.objects.create(
        user=admin_user,
        kind="import",
        title="导入项目年度报表：大文件.xlsx",
        state="running",
        started_at=long_ago,
    )
    jobs.Heartbeat(job, jobs.Counters(read=1200, checked=1200)).beat()
    with mock.patch.object(timezone, "now", return_value=long_ago):  # its last heartbeat
        jobs.Heartbeat(job, jobs.Counters(read=1500, checked=1500)).beat()
    alive = Job.objects.create(
        user=admin_user, kind="export", title="导出", state="running", started_at=long_ago
    )
    jobs.Heartbeat(alive, jobs.Counters(written=2000)).beat()

    page = admin_client.get(job.get_absolute_url())

    assertContains(page, "失败")
    assertContains(
        page, "后台处理中断（处理进程停止或服务器重启），未写入任何数据；请重新上传导入。"
    )
    assertContains(page, "<dt>已读取</dt><dd>1500 行</dd>", html=True)  # as far as it got
    alive_page = admin_client.get(alive.get_absolute_url())
    assertContains(alive_page, "处理中")
    assertContains(alive_page, "<dt>已导出</dt><dd>2000 行</dd>", html=True)


def test_a_lost_workers_task_is_marked_failed_too(admin_user, county):
    upload = Upload.store(admin_user, named(csv_bytes(numbered(1))), "yearly_report")
    job = reports.confirm(admin_user, upload, None, {})
    task = DBTaskResult.objects.get()
    task.claim("worker-that-died")
    long_ago = timezone.now() - datetime.timedelta(minutes=3)
    Job.objects.filter(pk=job.pk).update(state="running", started_at=long_ago)

    assert jobs.reap() == 1

    task.refresh_from_db()
    assert task.status == "FAILED"
    assert "后台处理中断" in task.traceback


def test_an_unexpected_error_fails_the_job_and_its_task(admin_user, county, monkeypatch):
    upload = Upload.store(admin_user, named(csv_bytes(numbered(1))), "yearly_report")
    job = reports.confirm(admin_user, upload, None, {})

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(reports, "run", broken)
    work_off()

    job.refresh_from_db()
    assert job.state == "failed"
    assert job.message == jobs.FAILED_UNEXPECTEDLY
    assert DBTaskResult.objects.get().status == "FAILED"
    assert not Project.objects.exists()


def named(content, name="report.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
