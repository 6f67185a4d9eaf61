"""Running hujin for real: the set-up command, removing the demo, static files after
collectstatic, the health check, logging, and the gunicorn settings (docs/deploy.md)."""

import io
import json
import os
import re
import runpy
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.urls import reverse

import hujin.health
from counties.models import County, Pairing, Prefecture
from personnel.models import Cadre
from projects.models import Fund, IndustrialPark, Project

STRONG = "Lancang-River-2026!"


@pytest.fixture(autouse=True)
def static_root(settings, tmp_path):
    """collectstatic writes here, not into the checkout."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    return settings.STATIC_ROOT


@pytest.fixture
def admin_env(monkeypatch):
    monkeypatch.setenv("HUJIN_ADMIN_USERNAME", "chief")
    monkeypatch.setenv("HUJIN_ADMIN_PASSWORD", STRONG)


def setup(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("setup", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


# manage.py setup


def test_setup_on_an_empty_database_loads_the_reference_data_and_creates_the_admin(
    db, admin_env, static_root
):
    output = setup()

    assert "已收集静态文件" in output
    assert "已载入参考数据：16个州市、129个县市区、16个上海市辖区、87条结对关系。" in output
    assert "已创建超级用户chief" in output
    assert output.strip().endswith("设置完成。")
    assert (Prefecture.objects.count(), County.objects.count()) == (16, 129)
    assert not Project.objects.exists()
    assert not Cadre.objects.filter(name__startswith="示例干部").exists()
    assert not Fund.objects.exists() and not IndustrialPark.objects.exists()
    chief = get_user_model().objects.get()
    assert (chief.username, chief.is_superuser, chief.is_staff) == ("chief", True, True)
    assert chief.check_password(STRONG)
    assert (static_root / "staticfiles.json").exists()


def test_setup_again_changes_nothing_and_says_so(db, admin_env, monkeypatch):
    setup()
    lancang = County.objects.get(code="530828")
    lancang.is_key_assistance = True  # what staff enter, and a reload would undo
    lancang.save()
    monkeypatch.setenv("HUJIN_ADMIN_USERNAME", "deputy")

    lines = setup().splitlines()

    assert re.fullmatch(r"静态文件已是最新（\d+个）。", lines.pop(1))
    assert lines == [
        "数据库结构已是最新，无需迁移。",
        "数据库中已有区划数据，不再载入参考数据。",
        "已有超级用户chief，不再创建管理员。",
        "一切已是最新，本次没有做任何改动。",
    ]
    assert County.objects.get(code="530828").is_key_assistance is True
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["chief"]


def test_setup_on_a_used_database_keeps_its_data_and_its_administrator(
    reference, admin_user, admin_env
):
    Pairing.objects.all().delete()

    output = setup()

    assert "数据库中已有区划数据，不再载入参考数据。" in output
    assert "已有超级用户admin，不再创建管理员。" in output
    assert not Pairing.objects.exists()
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["admin"]


def test_setup_adds_the_former_names_to_a_database_from_before_them(
    reference, admin_user, admin_env
):
    """A database set up before the former names (FormerDivision) existed gets them, and
    nothing else of the reference data is loaded over what staff changed."""
    from counties.models import FormerDivision

    former = FormerDivision.objects.count()
    FormerDivision.objects.all().delete()
    County.objects.filter(code="530828").update(is_key_assistance=False)
    Pairing.objects.all().delete()

    output = setup()

    assert "已补充载入曾用区划%d条。" % former in output
    assert FormerDivision.objects.count() == former > 0
    assert County.objects.get(code="530828").is_key_assistance is False
    assert not Pairing.objects.exists()


def test_setup_refuses_a_weak_admin_password_with_the_validators_message(db, monkeypatch):
    monkeypatch.setenv("HUJIN_ADMIN_USERNAME", "chief")
    monkeypatch.setenv("HUJIN_ADMIN_PASSWORD", "12345678")

    with pytest.raises(CommandError) as refused:
        setup()

    assert str(refused.value) == "未创建管理员chief：这个密码太常见了。密码只包含数字。"
    assert not get_user_model().objects.exists()


def test_setup_refuses_a_password_like_the_username(db, monkeypatch):
    monkeypatch.setenv("HUJIN_ADMIN_USERNAME", "lancangadmin")
    monkeypatch.setenv("HUJIN_ADMIN_PASSWORD", "lancangadmin1")

    with pytest.raises(CommandError) as refused:
        setup()

    assert str(refused.value) == "未创建管理员lancangadmin：密码跟 用户名 太相似了。"


def test_setup_needs_both_admin_settings(db, monkeypatch):
    monkeypatch.setenv("HUJIN_ADMIN_USERNAME", "chief")

    with pytest.raises(CommandError, match="未设置环境变量HUJIN_ADMIN_PASSWORD"):
        setup()

    assert not get_user_model().objects.exists()


def test_setup_without_admin_settings_says_how_to_create_one_and_prints_no_password(db):
    output = setup("--noinput")

    assert (
        "尚未创建管理员：设置环境变量HUJIN_ADMIN_USERNAME和HUJIN_ADMIN_PASSWORD后再运行" in output
    )
    assert "python manage.py createsuperuser" in output
    assert "密码：" not in output
    assert not get_user_model().objects.exists()


def test_setup_at_a_terminal_asks_for_the_admin_until_the_password_passes(db, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    usernames = iter(["chief", "chief"])
    passwords = iter(["12345678", "12345678", STRONG, STRONG])
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: next(usernames))
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))

    output = setup()

    assert "还没有管理员，请创建第一个管理员（超级用户）。" in output
    assert "未创建管理员chief：这个密码太常见了。密码只包含数字。" in output
    assert "已创建超级用户chief。" in output
    assert get_user_model().objects.get(is_superuser=True).check_password(STRONG)


def test_setup_never_loads_the_demo_and_make_run_still_does():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    setup_target = makefile[makefile.index("\nsetup:") : makefile.index("\nserve:")]

    assert "demo" not in setup_target
    assert 'call_command("loaddata", "reference", "demo")' in makefile


# Static files


def test_before_collectstatic_pages_link_plain_names_with_debug_off(client):
    page = client.get(reverse("login")).content.decode()

    assert 'href="/static/css/site.css"' in page


def test_after_setup_the_stylesheet_has_a_hashed_name_and_is_cached_for_a_year(
    db, admin_env, client, static_root
):
    setup()

    page = client.get(reverse("login")).content.decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)[1]
    response = client.get(stylesheet, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    response.close()


# /healthz/


def test_health_check_answers_without_a_login(client, db):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "queue": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_health_check_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz/").status_code == 200
    assert client.get(reverse("login")).status_code == 301


@pytest.fixture
def closed_port():
    """A port on this machine that refuses connections: bound, never listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def test_health_check_answers_503_when_the_database_is_down(
    client, db, monkeypatch, closed_port, caplog
):
    # A second connection, to a PostgreSQL that is not there: a real refused connection.
    from django.db.backends.postgresql.base import DatabaseWrapper

    down = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "hujin",
        "USER": "hujin",
        "PASSWORD": "secret-password",
        "HOST": "127.0.0.1",
        "PORT": closed_port,
        "OPTIONS": {"connect_timeout": 2},
    }
    monkeypatch.setattr(
        hujin.health,
        "connection",
        DatabaseWrapper(
            connections.configure_settings({"default": {}, "down": down})["down"], "down"
        ),
    )

    response = client.get("/healthz/")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "数据库不可用（OperationalError）",
        "queue": "未检查（数据库不可用）",
    }
    assert str(closed_port).encode() not in response.content
    assert b"secret" not in response.content and b"127.0.0.1" not in response.content
    # One warning with the details, and no error mailed to ADMINS for every probe.
    assert [(r.name, r.levelname) for r in caplog.records] == [("hujin.health", "WARNING")]
    assert "Connection refused" in caplog.text or "拒绝连接" in caplog.text


# Logging


@pytest.fixture
def log_output(capsys):
    """What the server writes to stderr (the journal)."""
    capsys.readouterr()
    return lambda: capsys.readouterr().err


def test_a_server_error_is_logged_with_time_path_user_and_traceback(
    user_client, monkeypatch, log_output
):
    from projects.views import HomeView

    def fail(*args, **kwargs):
        raise RuntimeError("统计口径出错")

    monkeypatch.setattr(HomeView, "get", fail)
    user_client.raise_request_exception = False

    assert user_client.get(reverse("home"), {"year": "2023"}).status_code == 500

    line = log_output()
    assert re.match(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ERROR django.request path=/ user=reader "
        r"Internal Server Error: /\n",
        line,
    ), line
    assert "RuntimeError: 统计口径出错" in line


def test_a_refused_page_names_an_anonymous_user(client, db, log_output):
    client.get("/no-such-page/")

    assert "WARNING django.request path=/no-such-page/ user=匿名 Not Found" in log_output()


def manage(*args, **env):
    """manage.py in a new process: settings are read once per process."""
    environ = {k: v for k, v in os.environ.items() if k not in ("LOG_LEVEL", "ADMINS")}
    environ.update(SECRET_KEY="deploy-tests", ALLOWED_HOSTS="hujin.example.gov.cn", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_error_mail_goes_to_the_admins_named_in_the_environment():
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.ADMINS, s.LOGGING['loggers']['django']['handlers'], s.LOG_LEVEL]))"
    )
    done = manage(
        "shell",
        "-c",
        code,
        ADMINS="张伟 <zhangwei@example.gov.cn>, lijing@example.gov.cn",
        LOG_LEVEL="warning",
    )

    assert done.returncode == 0, done.stderr
    admins, handlers, level = json.loads(done.stdout.strip().splitlines()[-1])
    assert admins == [
        ["张伟", "zhangwei@example.gov.cn"],
        ["lijing@example.gov.cn", "lijing@example.gov.cn"],
    ]
    assert (handlers, level) == (["mail_admins"], "WARNING")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"ADMINS": "张伟 zhangwei@example"},
            "环境变量ADMINS的“张伟 zhangwei@example”不是“姓名 <邮箱地址>”或邮箱地址",
        ),
        ({"LOG_LEVEL": "loud"}, "环境变量LOG_LEVEL须为DEBUG、INFO、WARNING、ERROR、CRITICAL之一"),
    ],
)
def test_a_malformed_logging_setting_refuses_to_start(env, message):
    done = manage("check", **env)

    assert done.returncode != 0
    assert message in done.stderr


# gunicorn


def gunicorn_config(monkeypatch, **env):
    for name in ("HOST", "PORT", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))


def test_gunicorn_listens_on_localhost_with_workers_for_the_cores(monkeypatch):
    config = gunicorn_config(monkeypatch)

    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] == 2 * os.cpu_count() + 1
    assert config["timeout"] == 120
    assert (config["accesslog"], config["errorlog"]) == ("-", "-")


def test_gunicorn_takes_host_port_workers_and_timeout_from_the_environment(monkeypatch):
    config = gunicorn_config(
        monkeypatch, HOST="0.0.0.0", PORT="8080", WEB_CONCURRENCY="3", GUNICORN_TIMEOUT="300"
    )

    assert (config["bind"], config["workers"], config["timeout"]) == ("0.0.0.0:8080", 3, 300)
    assert gunicorn_config(monkeypatch, HOST="::")["bind"] == "[::]:8000"


def test_gunicorn_refuses_a_timeout_that_is_not_a_number(monkeypatch):
    with pytest.raises(SystemExit, match="环境变量GUNICORN_TIMEOUT须为正整数，而不是“2m”"):
        gunicorn_config(monkeypatch, GUNICORN_TIMEOUT="2m")
