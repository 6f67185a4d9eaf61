"""/healthz/: what a load balancer or a monitor asks to know whether this app server can
serve. No login, no secrets: each check answers "ok" or a short reason, and the details go
to the log."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database():
    """ok when the database answers a SELECT 1."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        # The exception's text may name hosts and users: the log has it, the answer not.
        logger.warning("健康检查：数据库不可用", exc_info=True)
        return "数据库不可用（%s）" % type(error).__name__
    return "ok"


def queue():
    """ok when the task queue's table answers and no task has waited for a worker longer
    than JOB_QUEUE_STALL_SECONDS (no worker runs, or all are stuck)."""
    from django_tasks_db.models import DBTaskResult

    try:
        oldest = (
            DBTaskResult.objects.ready()
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
    except Exception as error:
        logger.warning("健康检查：任务队列不可用", exc_info=True)
        return "任务队列不可用（%s）" % type(error).__name__
    if oldest is not None:
        waited = (timezone.now() - oldest).total_seconds()
        if waited > settings.JOB_QUEUE_STALL_SECONDS:
            logger.warning("健康检查：最早的后台任务已等待%d秒", waited)
            return "后台任务已等待%d秒无人处理，后台处理进程（db_worker）可能未运行" % waited
    return "ok"


# Each check is one name in the answer; any failure answers 503.
CHECKS = {"database": database, "queue": queue}


@login_not_required
@never_cache
@require_safe
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        # Every check after the database's reads it: with it down, they are not run.
        down = results.get("database", "ok") != "ok"
        results[name] = "未检查（数据库不可用）" if down else check()
    healthy = all(result == "ok" for result in results.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "error", **results},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )
    # The check logged its failure as a warning; django.request would add an error, mailed to
    # ADMINS, for every probe (every few seconds) while the database is down.
    response._has_been_logged = True
    return response
