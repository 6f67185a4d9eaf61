"""Background work in tests: the queue's real worker, run in the test's process (work_off)
or as a process of its own on the tests' database (start_worker, the `worker` fixture)."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


def work_off():
    """Runs every queued task to its end and returns, as `manage.py db_worker --batch`.

    Inside the test's transaction, as the test client does for requests, the worker's
    closing of old connections is left out: it would close the test's own connection."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def confirmed(client, url, data):
    """Posts 确认导入 to `url`, lets a worker run what it queued, and returns the page the
    user was sent to (the Job's page, or the import form with why it was refused)."""
    response = client.post(url, {**data, "confirm": "确认导入"})
    assert response.status_code == 302, response
    work_off()
    return client.get(response["Location"])


def database_url():
    """The tests' database (the test_ one pytest-django made), as DATABASE_URL says it."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return "sqlite:///%s" % database["NAME"]
    return "postgres://%s@%s:%s/%s" % (
        database["USER"],
        database["HOST"] or "127.0.0.1",
        database["PORT"] or 5432,
        database["NAME"],
    )


def start_worker(files_dir):
    """`manage.py db_worker` as production runs it, on the tests' database (a transactional
    test's: what it wrote is committed) and the test's kept files."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "HUJIN_FILES_DIR": str(files_dir),
        "JOB_HEARTBEAT_SECONDS": "1",
        "DEBUG": "0",
    }
    command = ["manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
    return subprocess.Popen([sys.executable, *command, "--verbosity", "0"], cwd=ROOT, env=env)
