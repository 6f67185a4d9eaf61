"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

One browser for the browser tests; each test gets a fresh context (cookies, downloads) and page
whose relative URLs go to the live server, and fails if a script on the pages threw an error.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect, sync_playwright

from counties.models import Pairing, Scope
from indicators.models import IndicatorFigure
from personnel.models import Batch
from projects.models import Fund, FundAllocation, IndustrialPark
from tests.cast import make_cadre, make_project

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


# The window sizes the site's pages are checked at (tests/browser/test_site_pages.py): a phone
# and a laptop.
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def open_page(browser, live_server, **options):
    """A fresh context and page on the live server; fails the test if a script on the pages
    threw an error."""
    defaults = {"locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}
    context = browser.new_context(
        base_url=live_server.url, accept_downloads=True, **{**defaults, **options}
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
def page(browser, live_server):
    yield from open_page(browser, live_server)


@pytest.fixture
def audited_page(browser, live_server):
    """A page for the checks of tests/browser/audit.py: the site's Content-Security-Policy is
    lifted in this context only, so that axe-core's script can be added to the pages."""
    yield from open_page(browser, live_server, bypass_csp=True)


def fill_in_login(page, username, password):
    """Fills in and submits the login form on the page (the site's or the admin's)."""
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


@pytest.fixture
def log_in(page):
    """fill_in_login on the test's `page`."""

    def log_in(username, password):
        fill_in_login(page, username, password)

    return log_in


READER_PASSWORD = "浏览器测试-密码-2023"


@pytest.fixture
def province_reader(django_user_model):
    """ "reader", a 查看者 who may read the whole province (数据范围：全省)."""
    user = django_user_model.objects.create_user("reader", password=READER_PASSWORD)
    user.groups.add(Group.objects.get(name="查看者"))
    Scope.objects.create(user=user, everywhere=True)
    return user


@pytest.fixture
def reader_page(audited_page, province_reader):
    """audited_page, logged in as province_reader, on the home page."""
    audited_page.goto("/accounts/login/")
    fill_in_login(audited_page, "reader", READER_PASSWORD)
    expect(audited_page).to_have_url(re.compile(r"/$"))
    return audited_page


@pytest.fixture
def site_cast(county, menghai, district, indicators):
    """A record for each page: 澜沧 paired with 黄浦区 since 2017, a park there with a project
    (2023-LC-001 茶叶初制所), a fund of 100万元 of which 60 go to it, and its cadre 张伟 of the
    11th batch; a project in 勐海县; the province's 2023 labour figures for the dashboard."""
    Pairing.objects.create(district=district, county=county, from_year=2017)
    park = IndustrialPark.objects.create(
        name="澜沧沪滇产业园",
        county=county,
        partner_district=district,
        partner_name="临港集团",
        year_founded=2020,
    )
    park.years.create(year=2023, enterprises=5, investment=Decimal("1200.5"), jobs=300)
    tea = make_project(
        county=county, park=park, status="building", shanghai_funds=Decimal("169.41")
    )
    make_project(county=menghai, code="2023-MH-001", name="勐海县普洱茶初制所提升")
    fund = Fund.objects.create(
        source="city",
        year=2023,
        county=county,
        amount=Decimal("100"),
        donor="上海市人民政府合作交流办公室",
        document="沪合交〔2023〕12号",
    )
    FundAllocation.objects.create(fund=fund, project=tea, amount=Decimal("60"))
    batch = Batch.objects.create(number=11, start_year=2023, end_year=2025)
    cadre = make_cadre(county=county, batch=batch, term_end=datetime.date(2025, 12, 31))
    tea.cadres.add(cadre)
    IndicatorFigure.objects.create(
        indicator=indicators["labour_jobs"],
        year=2023,
        level="province",
        target=Decimal("42000"),
        result=Decimal("50000"),
    )
    return {"project": tea, "county": county, "cadre": cadre, "park": park}
