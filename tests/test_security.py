"""Production settings, logins and login throttling (django-axes).

The settings are read once per process, so each production setting is checked in a fresh
`manage.py` process with its own environment, on the database this run uses.
"""

import datetime
import json
import os
import secrets
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from counties.models import Scope

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
PASSWORD = "Zhang-Wei-2023-correct"
# Settings that come from the environment; a child process gets exactly the ones a test gives.
SETTINGS_ENV = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "HTTPS",
    "TRUSTED_PROXY_COUNT",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_COOLOFF_MINUTES",
    "IMPORT_MAX_UPLOAD_MB",
    "IMPORT_MAX_UNPACKED_MB",
    "DB_CONN_MAX_AGE",
}
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "hujin.example.gov.cn",
}
SHOWN = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_PROXY_SSL_HEADER",
    "TRUSTED_PROXY_COUNT",
    "IMPORT_MAX_UPLOAD_BYTES",
    "IMPORT_MAX_UNPACKED_BYTES",
    "PASSWORD_HASHERS",
]


def manage(*args, **env):
    """Runs manage.py in a new process with only the given settings variables set."""
    environ = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_with(**env):
    """The settings a process started with this environment has."""
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({%s}))"
        % ", ".join("%r: s.%s" % (name, name) for name in SHOWN)
    )
    done = manage("shell", "-c", code, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# Production settings


def test_deploy_check_is_clean_with_production_settings():
    done = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_serves_https_only_with_secure_cookies_and_hsts():
    production = settings_with(**PRODUCTION)

    assert production["DEBUG"] is False
    assert production["ALLOWED_HOSTS"] == ["hujin.example.gov.cn"]
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    # No proxy configured: a client's X-Forwarded-Proto header is not believed.
    assert production["SECURE_PROXY_SSL_HEADER"] is None
    assert production["IMPORT_MAX_UPLOAD_BYTES"] == 50 * 1024 * 1024
    assert production["IMPORT_MAX_UNPACKED_BYTES"] == 500 * 1024 * 1024
    # Passwords are kept with Django's slow hash; the tests' fast one stays in the tests.
    assert production["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"


def test_https_0_serves_plain_http_and_a_proxy_is_trusted_only_when_configured():
    plain = settings_with(**PRODUCTION, HTTPS="0", IMPORT_MAX_UPLOAD_MB="5")
    proxied = settings_with(**PRODUCTION, TRUSTED_PROXY_COUNT="1")

    assert [plain[k] for k in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE")] == [False, False]
    assert (plain["CSRF_COOKIE_SECURE"], plain["SECURE_HSTS_SECONDS"]) == (False, 0)
    assert plain["IMPORT_MAX_UPLOAD_BYTES"] == 5 * 1024 * 1024
    assert plain["IMPORT_MAX_UNPACKED_BYTES"] == 50 * 1024 * 1024
    assert proxied["TRUSTED_PROXY_COUNT"] == 1
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_development_needs_no_settings_at_all():
    development = settings_with(DEBUG="1")

    assert development["DEBUG"] is True
    assert "localhost" in development["ALLOWED_HOSTS"]
    assert development["SECURE_SSL_REDIRECT"] is False
    assert development["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "未设置环境变量SECRET_KEY"),
        ("ALLOWED_HOSTS", "未设置环境变量ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    done = manage("check", **env)

    assert done.returncode != 0
    assert "ImproperlyConfigured: %s" % message in done.stderr


def test_a_setting_that_is_not_a_number_is_named_at_start_up():
    done = manage("check", **PRODUCTION, IMPORT_MAX_UPLOAD_MB="50MB")

    assert done.returncode != 0
    assert "环境变量IMPORT_MAX_UPLOAD_MB须为不小于0的整数，而不是“50MB”" in done.stderr


def test_a_yes_no_setting_with_another_word_refuses_to_start():
    done = manage("check", **PRODUCTION, HTTPS="enabled")

    assert done.returncode != 0
    assert "环境变量HTTPS须为 1/0、true/false、yes/no 或 on/off，而不是“enabled”。" in done.stderr


def test_the_database_connection_age_must_be_a_number():
    done = manage("check", **PRODUCTION, DB_CONN_MAX_AGE="一分钟")

    assert done.returncode != 0
    assert "环境变量DB_CONN_MAX_AGE须为不小于0的整数，而不是“一分钟”" in done.stderr


def test_the_suite_runs_with_debug_off():
    assert settings.DEBUG is False


def test_an_unknown_page_shows_no_debug_information(user_client):
    response = user_client.get("/no-such-page/")

    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    assertNotContains(response, "URLconf", status_code=404)
    assertNotContains(response, "Traceback", status_code=404)


def test_a_server_error_shows_a_plain_chinese_page_without_a_traceback(user_client, monkeypatch):
    from projects.views import HomeView

    def fail(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(HomeView, "get", fail)
    user_client.raise_request_exception = False

    response = user_client.get(reverse("home"))

    assert response.status_code == 500
    assertContains(response, "服务器内部错误", status_code=500)
    assertNotContains(response, "secret internals", status_code=500)
    assertNotContains(response, "Traceback", status_code=500)


# Logins


def site_urls():
    """Every URL of the site outside the admin, its arguments filled with sample values."""
    samples = {"code": "530828", "pk": "1", "fmt": "csv"}

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = pattern.namespace or namespace
                yield from walk(pattern.url_patterns, prefix + [pattern], inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = "%s:%s" % (namespace, pattern.name) if namespace else pattern.name
                keys = pattern.pattern.regex.groupindex
                yield reverse(name, kwargs={key: samples[key] for key in keys})

    return sorted(set(walk(get_resolver().url_patterns, [], None)))


def test_the_site_has_pages_to_protect():
    urls = site_urls()

    assert {"/", "/projects/", "/projects/export.csv", "/personnel/1/", LOGIN} <= set(urls)


# The login page, and the health check a load balancer asks (tests/test_deploy.py).
PUBLIC = {LOGIN, reverse("healthz")}


@pytest.mark.parametrize("url", site_urls())
def test_every_page_but_the_login_page_needs_a_login(client, db, url):
    response = client.get(url)

    if url in PUBLIC:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN + "?next=")


def test_the_admin_needs_a_login_too(client):
    response = client.get(reverse("admin:projects_project_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=/admin/")


def test_there_is_no_self_service_password_reset(client):
    assert client.get("/accounts/password_reset/").status_code == 404


def test_the_login_page_is_chinese(client):
    response = client.get(LOGIN)

    assertContains(response, '<html lang="zh-hans">')
    assertContains(response, "<h1>登录</h1>")
    assertContains(response, "用户名")
    assertContains(response, "密码")


@pytest.fixture
def staff(django_user_model):
    """A staff 查看者 of the province: one who may read the site and enter the admin."""
    user = django_user_model.objects.create_user("zhangwei", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="查看者"))
    Scope.objects.create(user=user, everywhere=True)
    return user


def log_in(client, username, password, address="10.0.0.1", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_wrong_password_is_refused_in_chinese(client, staff):
    response = log_in(client, "zhangwei", "wrong")

    assertContains(response, "请输入一个正确的")
    assert "_auth_user_id" not in client.session


def test_the_site_and_the_admin_log_in_with_the_throttle_in_place(client, staff):
    assert log_in(client, "zhangwei", PASSWORD).status_code == 302
    assert client.get(reverse("home")).status_code == 200

    client.logout()
    response = log_in(client, "zhangwei", PASSWORD, url=ADMIN_LOGIN)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_test_clients_still_log_in_with_login_and_force_login(client, staff):
    assert client.login(username="zhangwei", password=PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    client.force_login(staff)
    assert client.get(reverse("home")).status_code == 200


def test_weak_passwords_are_refused_by_djangos_validators(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {"username": "lijing", "password1": "12345678", "password2": "12345678"},
    )

    assertContains(response, "这个密码太常见了")
    assertContains(response, "密码只包含数字")


# Throttling


def fail(client, times, username="zhangwei", address="10.0.0.1", url=LOGIN):
    for _ in range(times):
        response = log_in(client, username, "wrong", address, url)
    return response


def test_five_failures_lock_the_account_even_with_the_right_password_from_elsewhere(client, staff):
    assert fail(client, 4).status_code == 200
    assert fail(client, 1).status_code == 429

    response = log_in(client, "zhangwei", PASSWORD, address="10.0.0.2")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_five_failures_from_one_address_lock_it_for_every_account(client, staff, django_user_model):
    django_user_model.objects.create_user("lijing", password=PASSWORD)
    for name in ("wanghong", "liuyang", "chenjie", "yangfan", "zhaolei"):
        fail(client, 1, username=name, address="10.0.0.9")

    assert log_in(client, "lijing", PASSWORD, address="10.0.0.9").status_code == 429
    assert log_in(client, "lijing", PASSWORD, address="10.0.0.10").status_code == 302


def test_the_lockout_page_is_chinese_and_names_the_wait(client, staff):
    response = fail(client, 5)

    assert response.status_code == 429
    assertTemplateUsed(response, "registration/locked.html")
    assertContains(response, "登录已暂时锁定", status_code=429)
    assertContains(response, "登录失败次数过多（5次）", status_code=429)
    assertContains(response, "请在15分钟后再试", status_code=429)


def test_the_admin_login_is_throttled_too(client, staff):
    fail(client, 5, url=ADMIN_LOGIN)

    response = log_in(client, "zhangwei", PASSWORD, address="10.0.0.3", url=ADMIN_LOGIN)

    assertContains(response, "登录已暂时锁定", status_code=429)


def test_the_lock_lifts_after_the_cool_off(client, staff):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    assert log_in(client, "zhangwei", PASSWORD).status_code == 302


def test_forwarded_addresses_are_ignored_without_a_trusted_proxy(client, staff):
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "user%d" % n, "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="192.0.2.%d" % n,
        )

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.1"}
    assert log_in(client, "zhangwei", PASSWORD, address="10.0.0.1").status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_address_it_saw_counts(client, staff):
    # The proxy appends the address it was reached from; what the client wrote stays left.
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "user%d" % n, "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="192.0.2.%d, 198.51.100.7" % n,
        )

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    locked = client.post(
        LOGIN,
        {"username": "zhangwei", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    other = client.post(
        LOGIN,
        {"username": "zhangwei", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert (locked.status_code, other.status_code) == (429, 302)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_forwarded_address_that_is_not_one_falls_back_to_the_connection(client, staff):
    client.post(
        LOGIN,
        {"username": "zhangwei", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="<script>",
    )

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]
