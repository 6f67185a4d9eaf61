"""/healthz/: what a load balancer or a monitor asks to know whether this app server can
serve. No login, no secrets: each check answers "ok" or a short reason, and the details go
to the log."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
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


# Each check is one name in the answer. When hujin gets a task queue, its check goes here
# ("queue": a function returning "ok" or a reason), and a failure of it answers 503 too.
CHECKS = {"database": database}


@login_not_required
@never_cache
@require_safe
def healthz(request):
    results = {name: check() for name, check in CHECKS.items()}
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
