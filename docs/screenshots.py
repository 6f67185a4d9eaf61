"""Takes the README's pictures: docs/project-list.png, the project list as a reader sees it, and
docs/dashboard.png, the 2022 dashboard of the province as an official sees it.

    .venv/bin/python docs/screenshots.py

Builds a throwaway SQLite database with the reference and demo data (as `make run` does),
serves it with runserver on a free local port, and photographs the pages, 1280 pixels wide and
full length, with Debian's Chromium (fonts-noto-cjk draws the Chinese). Leaves nothing else behind.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.chromium import launch  # noqa: E402  (same Chromium and flags as the tests)

USERNAME, PASSWORD = "demo", "screenshot-only-password"
# (file, URL, what shows once the page is there)
SHOTS = [
    ("project-list.png", "/projects/?year=2022", "table.projects tbody tr"),
    ("dashboard.png", "/dashboard/?year=2022", "figure.chart svg"),
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
        page = browser.new_page(
            base_url=base_url, locale="zh-CN", viewport={"width": 1280, "height": 800}
        )
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(USERNAME)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        for name, url, shown in SHOTS:
            page.goto(url)
            expect(page.locator(shown).first).to_be_visible()
            page.screenshot(path=ROOT / "docs" / name, full_page=True)
            print("wrote docs/%s" % name)
        browser.close()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": "sqlite:///%s/screenshots.sqlite3" % tmp,
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        }
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "loaddata", "reference", "demo", "--verbosity", "0")
        manage(env, "createsuperuser", "--noinput", "--username", USERNAME, "--email", "")
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
