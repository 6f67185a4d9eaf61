"""Settings for hujin, driven by environment variables.

Every default works on a fresh checkout: with nothing set, hujin uses a SQLite file beside
manage.py. Production sets DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def envbool(name, default):
    """A yes/no setting; anything but the usual words refuses to start, so that a typo
    (HTTPS=enabled) cannot silently turn a protection off."""
    value = (os.environ.get(name, "").strip() or default).lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        "环境变量%s须为 1/0、true/false、yes/no 或 on/off，而不是“%s”。" % (name, value)
    )


def envint(name, default):
    value = os.environ.get(name, "").strip() or str(default)
    if not value.isdigit():
        raise ImproperlyConfigured("环境变量%s须为不小于0的整数，而不是“%s”。" % (name, value))
    return int(value)


DEBUG = envbool("DEBUG", "0")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "未设置环境变量SECRET_KEY：DEBUG关闭（生产环境）时必须设置为一段保密的随机字符串，"
            '可用 python -c "import secrets; print(secrets.token_urlsafe(50))" 生成。'
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "未设置环境变量ALLOWED_HOSTS：DEBUG关闭（生产环境）时必须列出本站的主机名，"
            "以逗号分隔，例如 ALLOWED_HOSTS=hujin.example.gov.cn。"
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    # django.contrib.admin, with hujin's admin site (counties/admin_site.py).
    "counties.apps.HujinAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "counties",
    # Files attached to any record (content types); needs counties only, and every app after
    # it may offer its records' documents.
    "documents",
    "institutions",
    "personnel",
    "projects",
    "indicators",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "hujin.middleware.IdleTimeoutMiddleware",
    "hujin.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: says why it sends the user to 修改密码 (counties/accounts.py).
    "counties.accounts.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hujin.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "hujin.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Every server-side cursor hujin opens is read to its end (the streamed CSV export, the
    # import's checks): plan it for all its rows, not PostgreSQL's default first tenth (a
    # filtered export took 91 ms as a cursor and 31 ms with this, bench/pages_bench.py).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c cursor_tuple_fraction=1").strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker share the file. In WAL mode a reader never waits
    # for a writer; a transaction takes the write lock when it begins (IMMEDIATE), so a long
    # import is never refused at its first write because another process wrote meanwhile,
    # and a writer waits up to 20 seconds for another, as an admin import waits for the lock.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("init_command", "PRAGMA journal_mode=WAL")
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The throttle comes first so that a locked-out account or address is refused even with
# the right password (hujin/auth.py).
AUTHENTICATION_BACKENDS = [
    "hujin.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Always Chinese, whatever language the browser asks for (no LocaleMiddleware).
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date input in every form as the report import reads dates (hujin/formats/zh_Hans).
FORMAT_MODULE_PATH = ["hujin.formats"]

STATIC_URL = "static/"
# Where make setup (collectstatic) puts the files gunicorn serves through WhiteNoise.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "").strip() or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names cached for a year once collected; plain names before
        # collectstatic has run (tests, make run).
        "BACKEND": "hujin.storage.StaticFilesStorage"
    },
}

# What the admin's report screens keep between requests (projects/importers/uploads.py): an
# upload waiting for its confirmation, a refused file's rows. Every app server and worker
# must see the same folder (docs/deploy.md), or set another Django storage backend here.
FILES_DIR = Path(os.environ.get("HUJIN_FILES_DIR", "").strip() or BASE_DIR / "files")
STORAGES["uploads"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": FILES_DIR,
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}

# The cache: the dashboard's sums over every project (indicators/views.py), each process's
# memory by default; HUJIN_CACHE=none turns it off (bench/load.py --no-cache).
CACHE_BACKENDS = {
    "memory": "django.core.cache.backends.locmem.LocMemCache",
    "none": "django.core.cache.backends.dummy.DummyCache",
}
_cache = os.environ.get("HUJIN_CACHE", "").strip() or "memory"
if _cache not in CACHE_BACKENDS:
    raise ImproperlyConfigured("环境变量HUJIN_CACHE须为 memory 或 none，而不是“%s”。" % _cache)
CACHES = {"default": {"BACKEND": CACHE_BACKENDS[_cache]}}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# A session ends after SESSION_IDLE_MINUTES without a request (8 hours: a working day), and,
# with SESSION_EXPIRE_AT_BROWSER_CLOSE=1, when the browser closes.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 8 * 60) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", "0")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Only hujin's own files: no inline script or style, nothing from another host (a closed
# network has none anyway). data: images are the favicon placeholder and the admin's icons.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Production is HTTPS only: redirects, secure cookies, HSTS for a year. HTTPS=0 turns this off
# for a plain-HTTP intranet or test setup (the test suite runs that way).
HTTPS = not DEBUG and envbool("HTTPS", "1")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# No HSTS preload: the preload list takes only whole registrable domains (a department's
# host under gov.cn is not one), and a preload is hard to take back.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Behind N reverse proxies (nginx: 1), the client's address is the N-th entry from the right
# of X-Forwarded-For and the scheme is X-Forwarded-Proto. 0 (the default) trusts neither
# header: a client could write them itself.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Failed logins (django-axes): LOGIN_FAILURE_LIMIT failures lock the account, and separately
# the address, for LOGIN_COOLOFF_MINUTES after the last failure. A success does not reset
# the count: else anyone with an account could interleave logins to guess others' passwords.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_COOLOFF_MESSAGE = "登录失败次数过多，已暂时锁定，请稍后再试。"
AXES_CLIENT_IP_CALLABLE = "hujin.auth.client_address"
# Its admin pages are in English; administrators unlock with manage.py axes_reset_username.
AXES_ENABLE_ADMIN = False

# Uploads. The admin import refuses files over IMPORT_MAX_UPLOAD_MB before reading them, and
# an XLSX (a zip) whose contents unpack to more than IMPORT_MAX_UNPACKED_MB (both channels).
IMPORT_MAX_UPLOAD_BYTES = envint("IMPORT_MAX_UPLOAD_MB", 50) * 1024 * 1024
IMPORT_MAX_UNPACKED_BYTES = (
    envint("IMPORT_MAX_UNPACKED_MB", 10 * IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)) * 1024 * 1024
)
# A project's 上海援助资金 above this (万元) stops a report import until a person accepts it
# (--allow-large-amounts, or the preview's checkbox): the column is often in 元.
IMPORT_MAX_PROJECT_FUNDS = envint("IMPORT_MAX_PROJECT_FUNDS", 20000)
# An import or undo through the admin waits this long (seconds) for another one to finish,
# then says so, well inside the web server's timeout; the commands wait as long as it takes.
IMPORT_LOCK_WAIT_SECONDS = envint("IMPORT_LOCK_WAIT_SECONDS", 20)

# Files attached to records (documents/): one over DOCUMENT_MAX_UPLOAD_MB is refused before it
# is read. Keep nginx's client_max_body_size above it (docs/deploy.md), so that a large file
# gets hujin's message rather than nginx's 413 page.
DOCUMENT_MAX_UPLOAD_BYTES = envint("DOCUMENT_MAX_UPLOAD_MB", 20) * 1024 * 1024

# Background work (counties/jobs.py): an import confirmed in the admin and an export too large
# for a request are tasks in the database, run by `manage.py db_worker` (make worker; a
# systemd unit in docs/deploy.md) on any machine that reaches the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running task writes its progress every JOB_HEARTBEAT_SECONDS; one silent for
# JOB_STALE_SECONDS lost its worker (killed, the machine restarted) and is marked failed.
JOB_HEARTBEAT_SECONDS = envint("JOB_HEARTBEAT_SECONDS", 2)
JOB_STALE_SECONDS = envint("JOB_STALE_SECONDS", 120)
# /healthz/ answers 503 when a task has waited this long for a worker (none is running).
JOB_QUEUE_STALL_SECONDS = envint("JOB_QUEUE_STALL_SECONDS", 300)
# A project list export (XLSX) of more rows than this is built by a task, not in the request.
EXPORT_INLINE_ROWS = envint("EXPORT_INLINE_ROWS", 5000)

# Django's defaults, stated: a file upload over 2.5 MB streams into a temporary file, not
# memory; a request's form fields (not files) may not exceed 2.5 MB.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Production: logs, error mail, the health check (docs/deploy.md).
#
# Every log line goes to stderr (the journal under systemd) with its time, level, logger, and
# the request's path and user (hujin/logs.py): a server error is logged by django.request
# with its traceback. LOG_LEVEL is the least level written.
LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LOG_LEVEL = os.environ.get("LOG_LEVEL", "").strip().upper() or "INFO"
if LOG_LEVEL not in LOG_LEVELS:
    raise ImproperlyConfigured(
        "环境变量LOG_LEVEL须为%s之一，而不是“%s”。" % ("、".join(LOG_LEVELS), LOG_LEVEL)
    )


def envaddresses(name):
    """Comma-separated "姓名 <address>" (or a bare address) as (name, address) pairs; a
    malformed entry refuses to start rather than mail nobody."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    pairs = []
    for entry in os.environ.get(name, "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        named = re.fullmatch(r"([^<>]*?)\s*<([^<>]*)>", entry)
        person, address = (named[1].strip(), named[2].strip()) if named else ("", entry)
        try:
            validate_email(address)
        except ValidationError:
            raise ImproperlyConfigured(
                "环境变量%s的“%s”不是“姓名 <邮箱地址>”或邮箱地址，多个以英文逗号分隔。"
                % (name, entry)
            ) from None
        pairs.append((person or address, address))
    return pairs


# Errors (a server error, a refused host) are also mailed to ADMINS when it is set:
# ADMINS="张伟 <zhangwei@example.gov.cn>,李静 <lijing@example.gov.cn>". The mail settings
# are Django's, with its defaults (a mail server on localhost:25) when not set.
ADMINS = envaddresses("ADMINS")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "").strip() or "root@localhost"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip() or "localhost"
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "0")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("环境变量EMAIL_USE_TLS和EMAIL_USE_SSL只能设置其中一个。")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request": {"()": "hujin.logs.RequestContext"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s path=%(path)s user=%(username)s "
            "%(message)s"
        }
    },
    "handlers": {
        "stderr": {
            "class": "hujin.logs.StderrHandler",
            "formatter": "line",
            "filters": ["request"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    # Replaces Django's own handlers (its console handler writes only with DEBUG on); its
    # records reach stderr through the root.
    "loggers": {
        "django": {"handlers": ["mail_admins"] if ADMINS else [], "level": LOG_LEVEL},
        # Announcements at every start, in every process; axes' login failures stay.
        "axes.apps": {"level": "WARNING"},
        "django.utils.autoreload": {"level": "WARNING"},
    },
}

# A load balancer or monitor probes /healthz/ over plain HTTP, straight to gunicorn: a
# redirect would read as a failure. Its answer has no cookie and nothing confidential.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
