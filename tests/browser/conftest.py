"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

One browser for the browser tests; each test gets a fresh context (cookies, downloads) and page
whose relative URLs go to the live server, and fails if a script on the pages threw an error.
"""

import pytest
from playwright.sync_api import expect, sync_playwright

from .chromium import launch, require_chromium

# Fail fast: a step or an expectation that cannot succeed should say so in seconds.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all the browser tests.

    Package scope, not session: the browser and its event loop (see below) end with the last
    browser test, so the rest of the suite, and the processes it starts (manage.py check
    --deploy warns about DJANGO_ALLOW_ASYNC_UNSAFE), run as they would without these tests.
    """
    require_chromium()
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API runs an asyncio event loop in this thread, and Django refuses
        # ORM calls from a thread with a running loop (SynchronousOnlyOperation). The tests' ORM
        # calls (building the cast, checking what an import wrote) are ordinary blocking code
        # between browser steps, never inside the loop, so the check is lifted while it runs.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = launch(playwright)
            yield browser
            browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    context.close()
    assert not errors, "JavaScript errors on the pages: %s" % errors


@pytest.fixture
def log_in(page):
    """Fills in and submits the login form on the page (the site's or the admin's)."""

    def log_in(username, password):
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()

    return log_in
