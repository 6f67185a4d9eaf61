"""Settings for hujin, driven by environment variables.

Every default works on a fresh checkout: with nothing set, hujin uses a SQLite file beside
manage.py. Production sets DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "counties",
    "personnel",
    "projects",
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
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
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

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # No manifest: pages render before collectstatic has run (tests, make run).
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Importing projects in the admin needs projects.import_project (the 导入员 role has it).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"

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
# Django's defaults, stated: a file upload over 2.5 MB streams into a temporary file, not
# memory; a request's form fields (not files) may not exceed 2.5 MB.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
