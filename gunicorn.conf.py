"""gunicorn settings for hujin (make serve, and the systemd unit in docs/deploy.md).

Everything comes from the environment, like hujin/settings.py: HOST and PORT (127.0.0.1:8000),
WEB_CONCURRENCY (workers, 2 × CPU cores + 1), GUNICORN_TIMEOUT (seconds, 120).
"""

import multiprocessing
import os
import sys
from pathlib import Path


def _int(name, default):
    value = os.environ.get(name, "").strip() or str(default)
    if not value.isdigit() or int(value) < 1:
        sys.exit("环境变量%s须为正整数，而不是“%s”。" % (name, value))
    return int(value)


_host = os.environ.get("HOST", "").strip() or "127.0.0.1"
# An IPv6 address (HOST=::) takes brackets.
bind = ("[%s]:%d" if ":" in _host else "%s:%d") % (_host, _int("PORT", 8000))
wsgi_app = "hujin.wsgi:application"

# Sync workers: nginx buffers request bodies, so a slow upload does not hold a worker.
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
# An import or an export of a large report takes tens of seconds inside one request.
timeout = _int("GUNICORN_TIMEOUT", 120)
# A restart (an upgrade) lets a running import finish rather than cutting it off.
graceful_timeout = timeout
# Reading large spreadsheets leaves a worker's memory high; recycling workers bounds it.
max_requests = 1000
max_requests_jitter = 100

# To the journal (systemd) or the terminal: access log on stdout, errors on stderr.
accesslog = "-"
errorlog = "-"
# The client's address as nginx saw it, after the connection's (nginx's own).
access_log_format = '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Restarts, reloads and logs go through systemd; the control socket's default path (one per
# user) would be shared by a second server on the machine, such as make serve beside it.
control_socket_disable = True

# Whom to believe about HTTPS is decided once, by TRUSTED_PROXY_COUNT in the settings;
# gunicorn would otherwise trust X-Forwarded-Proto from 127.0.0.1 by itself.
forwarded_allow_ips = ""


def on_starting(server):
    """Refuses to start with the settings' own message (a missing SECRET_KEY or ALLOWED_HOSTS)
    before any worker boots, rather than a traceback per worker; warns when collectstatic
    has not run, since every stylesheet would then answer 404."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hujin.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        static_root = Path(settings.STATIC_ROOT)
    except ImproperlyConfigured as error:
        sys.exit("无法启动：%s" % error)
    if not (static_root / "staticfiles.json").exists():
        print(
            "警告：%s 中没有收集好的静态文件，页面将没有样式；请先运行 make setup"
            "（python manage.py setup）。" % static_root,
            file=sys.stderr,
        )
