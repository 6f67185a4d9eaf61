"""The county picker and the other menus of several choices: checkboxes a user ticks without a
modifier key, grouped by prefecture, each control labelled, fast to render."""

import re

import pytest
from django.http import QueryDict
from django.test.signals import template_rendered
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from projects.filters import ProjectFilter
from projects.models import Project
from tests.filter_pages import checkbox_values, checked_values
from tests.pages import html

LISTS = ["projects:list", "funds:list", "parks:list", "personnel:list", "counties:list"]
PICKER_LISTS = LISTS[:4]


@pytest.mark.usefixtures("reference")
@pytest.mark.parametrize("name", PICKER_LISTS)
def test_no_list_asks_for_ctrl_to_choose_several_counties(user_client, name):
    response = user_client.get(reverse(name))

    assertNotContains(response, "<select multiple")
    assert not re.search(r"<select[^>]* multiple", html(response))
    assertNotContains(response, "Ctrl")
    assertNotContains(response, "⌘")
    assert len(checkbox_values(response, "county")) == 129


@pytest.mark.usefixtures("reference")
def test_the_county_picker_groups_the_counties_by_prefecture(user_client):
    page = html(user_client.get(reverse("projects:list"), {"county": "530828"}))

    start = page.index('<details class="menu"')
    picker = page[start : page.index("</details>", start)]
    assert picker.count("<fieldset data-prefecture=") == 16
    puer = picker[picker.index('<fieldset data-prefecture="530800"><legend>普洱市</legend>') :]
    puer = puer[: puer.index("</fieldset>")]
    assert (
        '<label><input type="checkbox" name="county" value="530828" data-prefecture="530800"'
        " checked> 澜沧拉祜族自治县</label>"
    ) in puer
    assert puer.count('type="checkbox"') == 10
    assert "<summary>澜沧拉祜族自治县</summary>" in picker


@pytest.mark.usefixtures("reference")
def test_the_county_picker_has_a_labelled_find_box_shown_by_the_script(user_client):
    response = user_client.get(reverse("projects:list"))

    # Hidden without the script, which shows it; it has no name, so it is never submitted.
    assertContains(
        response,
        '<p class="menu-find" hidden><label for="id_county_find">查找</label> '
        '<input type="search" id="id_county_find" autocomplete="off" placeholder="县名或区划代码">',
    )
    assertContains(response, 'data-narrowed-by="prefecture"')
    assertContains(response, '<script src="/static/js/filters.js" defer></script>')


@pytest.mark.usefixtures("reference")
def test_a_prefecture_narrows_the_picker_and_tells_the_script(user_client):
    response = user_client.get(reverse("projects:list"), {"prefecture": "530800"})

    assert len(checkbox_values(response, "county")) == 10
    assertContains(response, 'data-narrowed-to="530800"')


@pytest.mark.usefixtures("reference")
@pytest.mark.parametrize("name", LISTS)
def test_every_filter_control_is_labelled_in_chinese(user_client, name):
    page = html(user_client.get(reverse(name)))
    form = page[page.index('<form method="get" class="filters"') :]
    form = form[: form.index("</form>")]

    ids = set(re.findall(r'<label for="([^"]+)">[^<a-zA-Z]+</label>', form))
    controls = re.findall(r'<(?:input|select)(?![^>]*type="(?:checkbox|hidden)")[^>]*>', form)
    for control in controls:
        assert re.search(r'id="([^"]+)"', control)[1] in ids, control
    # Each menu of checkboxes is a fieldset named by a Chinese legend; each box by its label.
    menus = re.findall(r'<fieldset class="field[^"]*"[^>]*>\s*<legend>([^<]+)</legend>', form)
    assert len(menus) == form.count('<details class="menu"')
    assert all(not re.search(r"[a-zA-Z]", legend) for legend in menus)
    assert not re.findall(r"<input type=\"checkbox\"[^>]*>\s*[a-zA-Z]", form)
    assert not re.search(r">\s*[A-Za-z][A-Za-z ]+\s*<", form)  # no English text


@pytest.mark.usefixtures("reference")
def test_the_county_picker_renders_its_129_counties_without_a_template_each():
    """Built with format_html_join, not a template per box: a template per option took 9 ms
    of every list page (the former <select multiple>); bench/pages_bench.py measures it."""
    filterset = ProjectFilter(QueryDict("county=530828"), queryset=Project.objects.none())
    field = filterset.form["county"]

    rendered = []

    def heard(sender, template, **kwargs):
        rendered.append(template)

    template_rendered.connect(heard)
    try:
        markup = str(field)
    finally:
        template_rendered.disconnect(heard)

    assert markup.count('type="checkbox"') == 129
    assert len(rendered) < 10


@pytest.mark.usefixtures("reference")
def test_a_menu_keeps_its_ticks_through_a_round_trip(user_client):
    params = {"county": ["530828", "532822"], "category": ["health", "industry"]}
    response = user_client.get(reverse("projects:list"), params)

    assert checked_values(response, "county") == ["530828", "532822"]
    assert checked_values(response, "category") == ["industry", "health"]
    assertContains(response, "<summary>产业发展、医疗帮扶</summary>")
    assertContains(response, "<summary>全部状态</summary>")
