"""The county picker in a real browser: typing part of a name narrows it, Enter ticks a county,
the chosen prefecture narrows it (static/js/filters.js), and without JavaScript the same
checkboxes still submit."""

import re

import pytest
from playwright.sync_api import expect

from counties.models import County, Prefecture
from projects.models import Project

from .conftest import READER_PASSWORD, fill_in_login, open_page

pytestmark = pytest.mark.django_db(transaction=True)

PUER = ["孟连傣族拉祜族佤族自治县", "澜沧拉祜族自治县", "西盟佤族自治县"]
BANNA = ["景洪市", "勐海县", "勐腊县"]


@pytest.fixture
def places(province_reader):
    puer = Prefecture.objects.create(code="530800", name="普洱市", division_type="地级市")
    banna = Prefecture.objects.create(
        code="532800", name="西双版纳傣族自治州", division_type="自治州"
    )
    for prefecture, code, name in [
        (puer, "530827", PUER[0]),
        (puer, "530828", PUER[1]),
        (puer, "530829", PUER[2]),
        (banna, "532801", BANNA[0]),
        (banna, "532822", BANNA[1]),
        (banna, "532823", BANNA[2]),
    ]:
        county = County.objects.create(
            code=code, name=name, prefecture=prefecture, division_type="县"
        )
        Project.objects.create(
            code="2023-%s" % code, name="项目", county=county, category="other", year=2023
        )


def logged_in(page, styled=True):
    page.goto("/accounts/login/")
    fill_in_login(page, "reader", READER_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/projects/")
    if styled:  # Playwright adds a style through a script
        # The menus' look (static/css/filters.css), whether or not base.html links it yet.
        page.add_style_tag(url="/static/css/filters.css")
    return page


def picker(page):
    return page.get_by_role("group", name="县市区", exact=True)


def shown(page):
    return picker(page).locator("fieldset label").filter(visible=True)


@pytest.mark.usefixtures("places")
def test_typing_narrows_the_counties_and_enter_ticks_one(page):
    logged_in(page)
    counties = picker(page)
    counties.get_by_text("全部县市区").click()
    find = counties.get_by_label("查找")
    expect(find).to_be_focused()  # opening the menu puts the cursor in the find box

    find.fill("勐")
    expect(shown(page)).to_have_text(["勐海县", "勐腊县"])
    find.press("Enter")
    expect(counties.get_by_label("勐海县")).to_be_checked()
    expect(find).to_have_value("")
    expect(shown(page)).to_have_count(6)
    expect(counties.locator("summary")).to_have_text("勐海县")

    find.fill("5308")
    expect(shown(page)).to_have_text(PUER)
    find.fill("上海")
    expect(shown(page)).to_have_count(0)
    expect(counties.get_by_text("没有相符的县市区。")).to_be_visible()
    find.fill("")

    counties.get_by_label("西盟佤族自治县").check()
    expect(counties.locator("summary")).to_have_text("西盟佤族自治县、勐海县")
    find.press("Escape")
    expect(find).to_be_hidden()  # the menu closed
    page.get_by_role("button", name="筛选").click()

    expect(page).to_have_url(re.compile(r"county=530829&county=532822"))
    expect(page.locator("table.projects tbody tr")).to_have_count(2)
    expect(picker(page).locator("summary")).to_have_text("西盟佤族自治县、勐海县")


@pytest.mark.usefixtures("places")
def test_choosing_a_prefecture_narrows_the_picker_and_clears_the_others(page):
    logged_in(page)
    counties = picker(page)
    counties.get_by_text("全部县市区").click()
    counties.get_by_label("勐海县").check()

    page.get_by_label("州市", exact=True).select_option(label="普洱市")

    expect(shown(page)).to_have_text(PUER)
    expect(counties.get_by_label("勐海县", exact=True)).not_to_be_checked()
    expect(counties.locator("summary")).to_have_text("全部县市区")
    counties.get_by_label("澜沧拉祜族自治县").check()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"prefecture=530800&county=530828&"))

    # The server sent 普洱's counties only: clearing the prefecture asks it for all of them.
    page.get_by_label("州市", exact=True).select_option(label="全部州市")
    expect(page).to_have_url(re.compile(r"prefecture=&county=530828&"))
    picker(page).locator("summary").click()
    expect(shown(page)).to_have_count(6)


@pytest.mark.usefixtures("places")
def test_one_menu_is_open_at_a_time(page):
    logged_in(page)
    picker(page).get_by_text("全部县市区").click()
    page.get_by_role("group", name="项目类别").get_by_text("全部类别").click()

    expect(picker(page).get_by_label("查找")).to_be_hidden()
    expect(page.get_by_role("group", name="项目类别").get_by_label("其他")).to_be_visible()


@pytest.mark.usefixtures("places")
def test_without_javascript_the_checkboxes_still_submit(browser, live_server):
    page_gen = open_page(browser, live_server, java_script_enabled=False)
    page = next(page_gen)
    try:
        logged_in(page, styled=False)
        counties = picker(page)
        counties.get_by_text("全部县市区").click()  # <details> opens without a script
        expect(counties.get_by_label("查找")).to_be_hidden()
        counties.get_by_label("勐腊县").check()
        counties.get_by_label("景洪市").check()
        page.get_by_role("button", name="筛选").click()

        expect(page).to_have_url(re.compile(r"county=532801&county=532823"))
        expect(page.locator("table.projects tbody tr")).to_have_count(2)
    finally:
        next(page_gen, None)
