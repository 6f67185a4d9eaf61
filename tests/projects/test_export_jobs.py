"""A project list export too large for a request: built by a task, offered on its Job's page
when complete, readable by its user only, removed with the other kept files."""

import datetime
import os
import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import Job, Scope
from projects.importers import uploads
from projects.models import Project
from tests.jobs import work_off

from .report_files import xlsx_records

XLSX = reverse("projects:export", kwargs={"fmt": "xlsx"})


@pytest.fixture
def many(county, menghai, settings):
    """Four projects, two of them in 澜沧; exports of more than two rows are tasks."""
    settings.EXPORT_INLINE_ROWS = 2
    for code, place in [("LC-1", county), ("LC-2", county), ("MH-1", menghai), ("MH-2", menghai)]:
        Project.objects.create(code=code, name="项目" + code, county=place, year=2023)


def body(response):
    return b"".join(response.streaming_content)


def test_a_large_export_is_built_by_a_task_and_offered_when_complete(user_client, many):
    queued = user_client.get(XLSX, {"year": "2023"})

    job = Job.objects.get()
    assert queued.status_code == 302 and queued["Location"] == job.get_absolute_url()
    page = user_client.get(job.get_absolute_url())
    assertContains(page, "共4个项目，文件较大，正在后台生成")
    assertContains(page, "排队中")
    assertNotContains(page, reverse("jobs:file", args=[job.pk]))

    work_off()

    page = user_client.get(job.get_absolute_url())
    assertContains(page, "已导出4个项目。")
    assertContains(page, "<dt>已导出</dt><dd>4 行</dd>", html=True)
    download = user_client.get(reverse("jobs:file", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    records = xlsx_records(body(download))
    assert sorted(r[0] for r in records[1:]) == ["LC-1", "LC-2", "MH-1", "MH-2"]


def test_a_small_export_is_still_answered_at_once(user_client, many):
    response = user_client.get(XLSX, {"county": "530828"})

    assert response.status_code == 200
    assert [r[0] for r in xlsx_records(body(response))[1:]] == ["LC-1", "LC-2"]
    assert not Job.objects.exists()


def test_the_task_exports_only_the_scope_of_its_user(client, many, county, django_user_model):
    reader = django_user_model.objects.create_user("lancang")
    reader.groups.add(Group.objects.get(name="查看者"))
    Scope.objects.create(user=reader).counties.add(county)
    client.force_login(reader)
    Project.objects.create(code="LC-3", name="第三个", county=county, year=2023)

    client.get(XLSX)
    work_off()

    job = Job.objects.get()
    records = xlsx_records(body(client.get(reverse("jobs:file", args=[job.pk]))))
    assert sorted(r[0] for r in records[1:]) == ["LC-1", "LC-2", "LC-3"]


def test_another_users_file_is_not_found(user_client, many, client, django_user_model):
    user_client.get(XLSX)
    work_off()
    job = Job.objects.get()
    client.force_login(django_user_model.objects.create_superuser("boss", "", "x"))

    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404
    assert client.get(job.get_absolute_url()).status_code == 404


def test_a_swept_file_is_said_to_be_gone(user_client, many, files_dir):
    user_client.get(XLSX)
    work_off()
    job = Job.objects.get()
    kept = files_dir / job.file_path
    day_ago = time.time() - uploads.KEPT_SECONDS - 60
    os.utime(kept, (day_ago, day_ago))

    assert uploads.sweep() == 1

    assert not kept.exists()
    assert user_client.get(reverse("jobs:file", args=[job.pk])).status_code == 404


def test_a_reader_who_lost_the_role_before_the_worker_ran_gets_no_file(user_client, many):
    user_client.get(XLSX)
    job = Job.objects.get()
    job.user.groups.clear()

    work_off()

    job.refresh_from_db()
    assert (job.state, job.file_path) == ("failed", "")
    assert job.message == "您的账号没有浏览数据的权限（需要“查看者”角色），请联系系统管理员。"


def test_health_check_answers_503_when_tasks_wait_for_no_worker(client, user_client, many):
    from django_tasks_db.models import DBTaskResult

    user_client.get(XLSX)
    assert client.get("/healthz/").json()["queue"] == "ok"  # just queued
    DBTaskResult.objects.update(enqueued_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))

    response = client.get("/healthz/")

    assert response.status_code == 503
    assert response.json()["queue"].startswith("后台任务已等待")
    assert "后台处理进程（db_worker）可能未运行" in response.json()["queue"]
