"""The lists and the dashboard print as reports: the title, the filters in force, the reader's
数据范围 in words and the date, the table with its header on every sheet, no controls; lists on
A4 portrait, the dashboard and the personnel list on A4 landscape, the dashboard filling its
first sheet. Then the scope in words and what it costs (counties/templatetags/report.py)."""

import re

import pytest
from django.utils import timezone
from django.utils.dateformat import format as format_date

from counties.models import County, Prefecture, Scope
from counties.scopes import scope_of
from counties.templatetags.report import scope_in_words

from . import audit

TODAY = format_date(timezone.localdate(), "Y年n月j日")
# The size of each sheet of a PDF, in points: "0 0 width height".
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]")


def sheets(pdf):
    """Each sheet of a PDF as "portrait" or "landscape"."""
    sizes = [(float(width), float(height)) for width, height in MEDIA_BOX.findall(pdf)]
    return ["portrait" if width < height else "landscape" for width, height in sizes]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("site_cast")
def test_a_printed_list_names_its_filters_the_scope_and_the_date(reader_page):
    page = reader_page
    page.goto("/projects/?year=2023")
    heading = page.locator(".print-heading")
    assert not heading.is_visible()  # on screen

    page.emulate_media(media="print")

    assert heading.inner_text() == "数据范围：全省 打印日期：%s" % TODAY
    assert page.locator("h1").inner_text() == "项目"
    assert page.locator("p.filter-summary").inner_text() == "筛选条件：年度：2023"
    header = page.locator("table.projects thead")
    assert header.evaluate("(el) => getComputedStyle(el).display") == "table-header-group"
    assert page.locator("table.projects tbody tr").count() == 2
    audit.assert_print_hides_forms(page)


# The sheet each page prints on: portrait where the columns fit, landscape where they do not.
SHEETS = {
    "/projects/": "portrait",
    "/parks/": "portrait",
    "/funds/": "portrait",
    "/personnel/": "landscape",
    "/dashboard/": "landscape",
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("site_cast")
def test_lists_print_on_a4_the_way_their_columns_fit(reader_page):
    page, printed = reader_page, {}
    for url, sheet in SHEETS.items():
        page.set_viewport_size(audit.A4_PORTRAIT if sheet == "portrait" else audit.A4_LANDSCAPE)
        page.goto(url)
        printed[url] = set(sheets(page.pdf(prefer_css_page_size=True)))
        page.emulate_media(media="print")
        audit.assert_fits(page)  # no column cut off at the sheet's edge
        page.emulate_media(media="null")

    assert printed == {url: {sheet} for url, sheet in SHEETS.items()}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("site_cast")
def test_the_dashboard_prints_from_the_top_of_the_first_sheet_without_gaps(reader_page):
    page = reader_page
    page.set_viewport_size(audit.A4_LANDSCAPE)
    page.goto("/dashboard/?year=2023")

    audit.assert_print_flows(page, audit.A4_LANDSCAPE["height"])
    page.emulate_media(media="print")
    audit.assert_fits(page)  # nothing cut off at the sheet's edge
    first = page.get_by_role("heading", name="协议数与完成数").bounding_box()
    assert first["y"] < audit.A4_LANDSCAPE["height"] / 2
    pdf = page.pdf(prefer_css_page_size=True)
    assert sheets(pdf)[0] == "landscape"


@pytest.fixture
def local_reader(django_user_model, county, menghai):
    """A reader of the whole of 普洱市 (澜沧's prefecture) and of 勐海县 in another."""
    user = django_user_model.objects.create_user("local")
    scope = Scope.objects.create(user=user)
    scope.prefectures.add(county.prefecture)
    scope.counties.add(menghai)
    return user


@pytest.mark.django_db
def test_the_scope_in_words_names_whole_prefectures_then_the_other_counties(
    local_reader, django_assert_num_queries
):
    Prefecture.objects.create(code="530100", name="昆明市", division_type="地级市")
    scope_of(local_reader)  # the page's view has read the scope already

    with django_assert_num_queries(0):  # the scope's one read named the places
        assert scope_in_words(local_reader) == "普洱市、勐海县"


@pytest.mark.django_db
def test_the_scope_in_words_of_a_county_reader_is_its_counties(django_user_model, county, menghai):
    user = django_user_model.objects.create_user("counties")
    County.objects.create(
        code="530827",
        name="孟连傣族拉祜族佤族自治县",
        prefecture=county.prefecture,
        division_type="自治县",
    )
    Scope.objects.create(user=user).counties.add(county, menghai)

    assert scope_in_words(user) == "澜沧拉祜族自治县、勐海县"


@pytest.mark.django_db
def test_a_province_wide_scope_is_the_province_at_no_cost(
    django_user_model, django_assert_num_queries
):
    user = django_user_model.objects.create_user("province")
    Scope.objects.create(user=user, everywhere=True)
    scope_of(user)

    with django_assert_num_queries(0):
        assert scope_in_words(user) == "全省"
