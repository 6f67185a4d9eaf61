"""Background work: what a request hands to the task queue and how it reports back.

A request that would outlast the web server's timeout (an import confirmed in the admin, an
export of many rows) makes a Job and enqueues a task (django-tasks, the database backend:
the queue is a table, `manage.py db_worker` runs it; settings.TASKS). The task calls run()
with its work, which is given Counters to fill as it reads, checks and writes rows.

While the work runs, a thread of the worker writes the counters and the time every
JOB_HEARTBEAT_SECONDS to a small file in the shared storage, progress/<user id>/<job id>.json,
not to the database: the work's own transaction is open meanwhile (and holds SQLite's write
lock). The Job's page reads it; when the work ends, the counters go to the Job and the file
goes.

The work returns what the Job's page shows (a message, a link, a file kept for its user), or
raises Refused with the reason. A worker that dies (killed, its machine restarted) leaves its
Job running with a heartbeat that stopped: reap() marks it failed, with the reason; its
transaction died with the worker, so nothing of it was written.
"""

import contextlib
import datetime
import json
import logging
import secrets
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)


class Job(models.Model):
    """Work a user asked for that runs on the task queue (counties/jobs.py): an import
    confirmed in the admin, an export too large for a request. Its page shows its progress
    and result; only its user reaches it."""

    class Kind(models.TextChoices):
        IMPORT = "import", "导入"
        EXPORT = "export", "导出"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "处理中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="jobs", verbose_name="用户"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    title = models.CharField("内容", max_length=300)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    read = models.PositiveIntegerField("已读取行数", default=0)
    checked = models.PositiveIntegerField("已校验行数", default=0)
    written = models.PositiveIntegerField("已写入行数", default=0)
    message = models.TextField("结果", blank=True)
    link = models.CharField("结果链接", max_length=300, blank=True)
    file_path = models.CharField("生成的文件", max_length=300, blank=True)
    file_name = models.CharField("文件名", max_length=300, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return "%s（%s）" % (self.title, self.get_state_display())

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)


# Built files and progress live beside the admin's uploads, in the storage every server shares.
EXPORTS = "exports"
PROGRESS = "progress"
FAILED_UNEXPECTEDLY = "处理时出错，未写入任何数据。请把提交时间告诉系统管理员，日志中有详情。"
LOST = {
    Job.Kind.IMPORT: "后台处理中断（处理进程停止或服务器重启），未写入任何数据；请重新上传导入。",
    Job.Kind.EXPORT: "后台处理中断（处理进程停止或服务器重启），未生成文件；请重新导出。",
}


class Refused(Exception):
    """The work cannot be done, for the reason given (a Chinese sentence for its page)."""


@dataclass
class Counters:
    """Rows read, checked and written so far, filled by the work, written by the heartbeat."""

    read: int = 0
    checked: int = 0
    written: int = 0

    def fields(self):
        return {"read": self.read, "checked": self.checked, "written": self.written}


def start(user, kind, title, task, **kwargs):
    """A new Job of `user`, with `task` enqueued to run it: task(job_id, **kwargs)."""
    job = Job.objects.create(user=user, kind=kind, title=title[:300])
    result = task.enqueue(job.pk, **kwargs)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)
    return job


def run(job_id, work):
    """Runs work(job, counters) for a queued Job: it returns the Job's result fields (message,
    link, file_path, file_name), or raises Refused. Anything else marks the Job failed and
    goes on up, for the worker to log and mark its task failed."""
    started = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now()
    )
    if not started:  # gone, or already run by another worker
        return
    job = Job.objects.get(pk=job_id)
    counters = Counters()
    try:
        with Heartbeat(job, counters):
            outcome = work(job, counters)
    except Refused as refusal:
        finish(job, counters, Job.State.FAILED, message=str(refusal))
    except BaseException:
        finish(job, counters, Job.State.FAILED, message=FAILED_UNEXPECTEDLY)
        raise
    else:
        finish(job, counters, Job.State.DONE, **outcome)


def finish(job, counters, state, **fields):
    Job.objects.filter(pk=job.pk).update(
        state=state, finished_at=timezone.now(), **counters.fields(), **fields
    )
    with contextlib.suppress(FileNotFoundError):
        storage().delete(progress_path(job))


def progress_path(job):
    return "%s/%d/%d.json" % (PROGRESS, job.user_id, job.pk)


class Heartbeat(threading.Thread):
    """Writes the counters and the time of a running Job to its progress file at once and
    then every JOB_HEARTBEAT_SECONDS, from a thread of its own, until the work ends."""

    def __init__(self, job, counters):
        super().__init__(daemon=True, name="hujin-heartbeat-%d" % job.pk)
        self.path, self.counters = progress_path(job), counters
        self.stopped = threading.Event()

    def __enter__(self):
        self.beat()
        self.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.join()

    def run(self):
        while not self.stopped.wait(settings.JOB_HEARTBEAT_SECONDS):
            self.beat()

    def beat(self):
        beat = {**self.counters.fields(), "at": timezone.now().isoformat()}
        files = storage()
        try:
            with contextlib.suppress(FileNotFoundError):
                files.delete(self.path)
            files.save(self.path, ContentFile(json.dumps(beat).encode("utf-8")))
        except OSError:
            logger.warning("后台任务进度未能写入%s", self.path, exc_info=True)


def progress(job):
    """(Counters, time) of a running Job's last heartbeat; None before the first, or when
    it is being rewritten."""
    try:
        with storage().open(progress_path(job), "rb") as file:
            beat = json.loads(file.read())
    except (FileNotFoundError, ValueError):
        return None
    at = datetime.datetime.fromisoformat(beat.pop("at"))
    return Counters(**beat), at


def reap(now=None):
    """Marks failed, with the reason, the running Jobs whose heartbeat stopped more than
    JOB_STALE_SECONDS ago (their worker is gone), and their tasks too. Returns how many."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    oldest = now - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    lost = 0
    for job in Job.objects.filter(state=Job.State.RUNNING, started_at__lt=oldest):
        beat = progress(job)
        if beat is not None and beat[1] >= oldest:
            continue
        with transaction.atomic():
            marked = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
                state=Job.State.FAILED,
                finished_at=now,
                message=LOST[job.kind],
                **(beat[0].fields() if beat else {}),
            )
            if marked and job.task_id:
                DBTaskResult.objects.filter(pk=job.task_id, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path="counties.jobs.WorkerLost",
                    traceback="%s（%s秒无进展）" % (LOST[job.kind], settings.JOB_STALE_SECONDS),
                )
        if marked:
            lost += 1
            with contextlib.suppress(FileNotFoundError):
                storage().delete(progress_path(job))
            logger.warning("后台任务%d（%s）无进展，已标为失败：处理进程已停止", job.pk, job.title)
    return lost


def storage():
    return storages["uploads"]


def keep_file(job, binary, suffix):
    """Stores a built file (a binary file, read from where it is) for the Job's user only:
    exports/<user id>/<random token><suffix>; returns its path."""
    path = "%s/%d/%s%s" % (EXPORTS, job.user_id, secrets.token_hex(16), suffix)
    return storage().save(path, File(binary))


def open_file(job):
    """The Job's built file, open for reading; None when it has none or it was swept."""
    if not job.file_path:
        return None
    try:
        return storage().open(job.file_path, "rb")
    except FileNotFoundError:
        return None


def remove_file(job):
    if job.file_path:
        with contextlib.suppress(FileNotFoundError):
            storage().delete(job.file_path)
