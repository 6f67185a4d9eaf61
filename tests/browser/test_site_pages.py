"""Every page of the site on a phone (390×844) and on a laptop (1366×768), as a province-wide
查看者 with a record of each kind: nothing scrolls sideways, the site's name stays on one line,
the printout shows no form, the words are Chinese and axe-core finds nothing serious. Then the
phone's menu and folded filters, by keyboard and by touch."""

import re

import pytest
from playwright.sync_api import expect

from . import audit
from .conftest import LAPTOP, PHONE, READER_PASSWORD, fill_in_login

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = [pytest.param(PHONE, id="phone"), pytest.param(LAPTOP, id="laptop")]
# Shown on the pages and not UI text: the reader's user name.
DATA_WORDS = ["reader"]


def site_pages(cast):
    """(address, status) of each page a reader opens."""
    return [
        ("/", 200),
        ("/projects/", 200),
        (cast["project"].get_absolute_url(), 200),
        ("/counties/", 200),
        (cast["county"].get_absolute_url(), 200),
        ("/personnel/", 200),
        (cast["cadre"].get_absolute_url(), 200),
        ("/parks/", 200),
        (cast["park"].get_absolute_url(), 200),
        ("/funds/", 200),
        ("/dashboard/", 200),
        ("/jobs/", 200),
        ("/projects/NO-SUCH-PROJECT/", 404),
    ]


def audit_page(page):
    """Every check of tests/browser/audit.py on the page shown; the failures, as text."""
    failures = []
    for check in (
        audit.assert_fits,
        audit.assert_title_not_wrapped,
        audit.assert_print_hides_forms,
        lambda page: audit.assert_no_english(page, allow=DATA_WORDS),
        audit.assert_accessible,
    ):
        try:
            check(page)
        except AssertionError as failure:
            failures.append(str(failure))
    return failures


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_fits_the_screen_prints_without_forms_and_passes_axe(
    audited_page, province_reader, site_cast, viewport
):
    page = audited_page
    page.set_viewport_size(viewport)
    page.goto("/accounts/login/")
    failures = audit_page(page)
    fill_in_login(page, "reader", READER_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))

    for url, status in site_pages(site_cast):
        response = page.goto(url)
        assert response.status == status, url
        failures += audit_page(page)

    assert not failures, "\n\n".join(failures)


def test_the_phone_menu_opens_from_the_keyboard(reader_page):
    page = reader_page
    page.set_viewport_size(PHONE)
    nav = page.get_by_role("navigation", name="栏目")
    expect(nav).to_be_hidden()

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到正文")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="沪滇协作项目库")).to_be_focused()
    page.keyboard.press("Tab")
    menu = page.get_by_text("菜单", exact=True)
    expect(menu).to_be_focused()
    assert menu.evaluate("(el) => getComputedStyle(el).outlineStyle") == "solid"  # focus shows
    page.keyboard.press("Enter")

    expect(nav).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="首页")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/projects/$"))
    audit.assert_fits(page)


def test_a_laptop_shows_the_menu_as_one_row_without_a_menu_button(reader_page):
    page = reader_page
    page.set_viewport_size(LAPTOP)

    expect(page.get_by_role("navigation", name="栏目")).to_be_visible()
    expect(page.get_by_text("菜单", exact=True)).to_be_hidden()
    brand, logout = page.locator(".brand"), page.get_by_role("button", name="退出")
    assert brand.bounding_box()["y"] == pytest.approx(logout.bounding_box()["y"], abs=12)


@pytest.mark.usefixtures("site_cast")
def test_a_phone_folds_the_filters_away_and_opens_them_on_request(reader_page):
    page = reader_page
    page.set_viewport_size(PHONE)
    page.goto("/projects/")
    year = page.get_by_label("年度", exact=True)
    expect(year).to_be_hidden()

    page.get_by_text("设置筛选条件").click()
    year.fill("2023")
    page.get_by_role("button", name="筛选").click()

    expect(page).to_have_url(re.compile(r"\?.*year=2023"))
    expect(page.locator("p.filter-summary")).to_have_text("筛选条件：年度：2023")
    expect(year).to_be_hidden()  # folded again: the summary says what is in force
    audit.assert_fits(page)

    page.set_viewport_size(LAPTOP)
    expect(year).to_be_visible()
    expect(page.get_by_text("设置筛选条件")).to_be_hidden()


@pytest.mark.usefixtures("site_cast")
def test_the_personnel_list_keeps_names_and_dates_on_one_line(reader_page):
    page = reader_page
    page.set_viewport_size(PHONE)
    page.goto("/personnel/")

    for column in (1, 7, 8):  # 姓名, 任期开始, 任期结束
        audit.assert_one_line(page, "table.cadres td:nth-child(%d)" % column)
    audit.assert_fits(page)
