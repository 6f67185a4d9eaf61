"""The admin's pages a data clerk works in, on a phone (390×844) and on a laptop (1366×768),
as a superuser with a record of each kind: nothing scrolls sideways (the project list's last
column is in view at 1366px), the words are Chinese, the printout shows no form and axe-core
finds nothing serious."""

import re

import pytest
from playwright.sync_api import expect

from . import audit
from .conftest import LAPTOP, PHONE, fill_in_login

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = [pytest.param(PHONE, id="phone"), pytest.param(LAPTOP, id="laptop")]
PASSWORD = "后台测试-密码-2023"
# Shown on the pages and not UI text to translate: the keys Django's multiple-select help
# names ("按住 Control 键或 Mac 上的 Command 键"), and the import screen's file formats,
# encodings and command line (python manage.py import_yearly_report).
NAMES = ["Control", "Mac", "Command", "Excel", "WPS", "UTF", "BOM", "GBK"]
NAMES += ["python", "manage", "import", "yearly", "report"]
# The file types a 附件 may be (documents.checks), as their makers name them.
NAMES += ["PDF", "JPG", "PNG", "GIF", "WebP", "Word", "PowerPoint", "OpenDocument", "OFD"]
PAGES = [
    "/admin/",
    "/admin/projects/project/",
    "/admin/projects/project/add/",
    "/admin/auth/user/add/",
    "/admin/projects/project/import/",
    "/admin/personnel/cadre/import/",
]


@pytest.fixture
def clerk_page(audited_page, django_user_model, site_cast):
    """audited_page, logged in to the admin as 张伟, a superuser."""
    django_user_model.objects.create_superuser("张伟", password=PASSWORD)
    audited_page.goto("/admin/login/")
    fill_in_login(audited_page, "张伟", PASSWORD)
    expect(audited_page).to_have_url(re.compile(r"/admin/$"))
    return audited_page


def audit_page(page):
    """Every check of tests/browser/audit.py on the page shown; the failures, as text."""
    failures = []
    for check in (
        audit.assert_fits,
        lambda page: audit.assert_no_english(page, allow=NAMES),
        audit.assert_print_hides_forms,
        audit.assert_accessible,
    ):
        try:
            check(page)
        except AssertionError as failure:
            failures.append(str(failure))
    return failures


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_admins_pages_fit_speak_chinese_print_without_forms_and_pass_axe(clerk_page, viewport):
    page = clerk_page
    page.set_viewport_size(viewport)
    failures = []
    for url in PAGES:
        response = page.goto(url)
        assert response.status == 200, url
        failures += audit_page(page)

    assert not failures, "\n\n".join(failures)


def test_the_project_lists_last_column_is_in_view_at_1366px(clerk_page):
    page = clerk_page
    page.set_viewport_size(LAPTOP)
    page.goto("/admin/projects/project/")

    last = page.locator("#result_list thead th").last
    expect(last).to_contain_text("上海援助资金（万元）")
    right = last.evaluate("(th) => th.getBoundingClientRect().right")
    results = page.locator("#changelist .results").evaluate(
        "(box) => box.getBoundingClientRect().right"
    )
    assert right <= results <= LAPTOP["width"]


def test_the_role_picker_speaks_chinese(clerk_page):
    page = clerk_page
    page.set_viewport_size(LAPTOP)
    page.goto("/admin/auth/group/add/")

    expect(page.get_by_text("可选的权限")).to_be_visible()
    expect(page.get_by_text("选中要添加的权限，再点击“添加”箭头。")).to_be_visible()
    expect(page.get_by_role("button", name="添加全部权限")).to_be_visible()
    audit.assert_no_english(page, allow=NAMES)


def test_the_county_filter_is_a_select_that_keeps_the_search(clerk_page, site_cast):
    page = clerk_page
    page.set_viewport_size(LAPTOP)
    page.goto("/admin/projects/project/?q=%E8%8C%B6")

    page.get_by_label("按县市区筛选").select_option(label="勐海县")
    page.get_by_label("按县市区筛选").locator("xpath=..").get_by_role("button").click()

    expect(page).to_have_url(re.compile(r"county__id__exact=\d+"))
    expect(page).to_have_url(re.compile(r"q=%E8%8C%B6"))
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list tbody")).to_contain_text("2023-MH-001")


def test_djangos_widgets_are_named_for_a_screen_reader(clerk_page):
    """static/js/admin-a11y.js: the select2 boxes take their field's label, a tabular inline's
    inputs their inline, row and column, SelectFilter2's search icons are named images."""
    page = clerk_page
    page.set_viewport_size(LAPTOP)
    page.goto("/admin/projects/project/add/")

    expect(page.get_by_role("combobox", name="县市区", exact=True)).to_be_visible()
    expect(page.get_by_role("spinbutton", name="资金分配 第 1 行 分配金额（万元）")).to_be_visible()
    expect(page.get_by_role("combobox", name="资金分配 第 2 行 资金")).to_be_visible()

    page.goto("/admin/auth/user/add/")
    expect(page.get_by_role("img", name=re.compile("可用的县市区列表"))).to_be_attached()
