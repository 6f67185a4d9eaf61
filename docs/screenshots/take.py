"""Takes the README's pictures, into this folder:

- project-list.png: the 2022 project list at 1280 pixels, full length;
- dashboard.png: the province's 2022 dashboard at 1280 pixels, full length;
- coverage.png: who pairs each of the 88 former poverty counties in 2022;
- project-list-phone.png: the project list on a 390×844 phone, filters folded away;
- dashboard-print.png: the dashboard as it prints, print media at the width of an A4
  landscape sheet's printable area (297mm less the margins of @page wide in site.css).

    .venv/bin/python docs/screenshots/take.py

Builds a throwaway SQLite database with the reference and demo data (`loaddata reference
demo`, as `make run` does) and a province-wide 查看者, serves it with runserver on a free local
port and photographs the pages as that reader with Debian's Chromium (fonts-noto-cjk draws the
Chinese). Leaves nothing else behind.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.chromium import launch  # noqa: E402  (same Chromium and flags as the tests)

USERNAME, PASSWORD = "reader", "screenshot-only-password"
READER = """
from django.contrib.auth.models import Group, User
from counties.models import Scope
user = User.objects.create_user(%r, password=%r)
user.groups.add(Group.objects.get(name="查看者"))
Scope.objects.create(user=user, everywhere=True)
""" % (USERNAME, PASSWORD)
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# A4 landscape less 2 × 12mm of margin, in CSS pixels (96 per inch).
A4_LANDSCAPE = {"width": round((297 - 24) / 25.4 * 96), "height": round((210 - 20) / 25.4 * 96)}
# (file, URL, what shows once the page is there, viewport, media, full length)
SHOTS = [
    ("project-list.png", "/projects/?year=2022", "table.projects tbody tr", LAPTOP, "screen", True),
    ("dashboard.png", "/dashboard/?year=2022", "figure.chart svg", LAPTOP, "screen", True),
    (
        "coverage.png",
        "/institutions/coverage/?year=2022",
        "table tbody tr",
        LAPTOP,
        "screen",
        False,
    ),
    (
        "project-list-phone.png",
        "/projects/?year=2022",
        "table.projects tbody tr",
        PHONE,
        "screen",
        False,
    ),
    (
        "dashboard-print.png",
        "/dashboard/?year=2022",
        "figure.chart svg",
        A4_LANDSCAPE,
        "print",
        True,
    ),
]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def photograph(base_url):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_context(base_url=base_url, locale="zh-CN", viewport=LAPTOP).new_page()
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(USERNAME)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        for name, url, shown, viewport, media, full_page in SHOTS:
            page.set_viewport_size(viewport)
            page.emulate_media(media=media)
            page.goto(url)
            expect(page.locator(shown).first).to_be_visible()
            page.screenshot(path=HERE / name, full_page=full_page)
            print("wrote docs/screenshots/%s" % name)
        browser.close()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DEBUG": "1", "DATABASE_URL": "sqlite:///%s/shots.sqlite3" % tmp}
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "loaddata", "reference", "demo", "--verbosity", "0")
        manage(env, "shell", "--verbosity", "0", "--command", READER)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "127.0.0.1:%d" % port],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = "http://127.0.0.1:%d" % port
            wait_until_up(base_url + "/accounts/login/")
            photograph(base_url)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
