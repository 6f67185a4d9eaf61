"""The cadre list and the cadre page, as a logged-in reader sees them."""

import datetime
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from counties.models import County, Prefecture
from personnel.models import Batch, Cadre
from projects.models import Project
from tests.cast import make_cadre, make_project
from tests.filter_pages import checkbox_values
from tests.pages import html

LIST = reverse("personnel:list")
# Session, user, checking the prefecture and county codes, count, rows, and the prefecture,
# county, batch and district choices.
LIST_QUERIES = 13  # with the user's role and scope
NAME_LINK = re.compile(r'<td><a href="/personnel/\d+/">([^<]+)</a></td>')
D = datetime.date(2024, 7, 1)


@pytest.fixture
def ludian(db):
    zhaotong = Prefecture.objects.create(code="530600", name="昭通市", division_type="地级市")
    return County.objects.create(
        code="530621", name="鲁甸县", prefecture=zhaotong, division_type="县"
    )


def cadre(name, term_start, term_end=None, **fields):
    return make_cadre(name=name, term_start=term_start, term_end=term_end, **fields)


@pytest.fixture
def cadres(county, ludian):
    """Term starts decide the default order (latest first)."""
    eleventh = Batch.objects.create(number=11, start_year=2023, end_year=2025)
    tenth = Batch.objects.create(number=10, start_year=2021, end_year=2023)
    cadre("张伟", datetime.date(2023, 7, 1), county=county, batch=eleventh)
    cadre(
        "王芳",
        datetime.date(2024, 3, 1),
        datetime.date(2025, 2, 28),
        county=county,
        kind="doctor",
        team="medical",
        sending_unit="上海市第六人民医院",
        post="县人民医院副院长",
    )
    cadre(
        "李静",
        datetime.date(2022, 9, 1),
        datetime.date(2024, 6, 30),
        prefecture=county.prefecture,
        kind="teacher",
        team="education",
        batch=tenth,
        post="州教育体育局副局长",
    )
    cadre("赵强", datetime.date(2021, 7, 1), datetime.date(2023, 6, 30), county=ludian, batch=tenth)


def names(response):
    return NAME_LINK.findall(html(response))


@pytest.mark.usefixtures("cadres")
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["王芳", "张伟", "李静", "赵强"]),
        ({"batch": "10"}, ["李静", "赵强"]),
        ({"kind": "doctor"}, ["王芳"]),
        ({"team": "education"}, ["李静"]),
        ({"county": "530828"}, ["王芳", "张伟"]),
        # Posted to Pu'er itself or to any of its counties.
        ({"prefecture": "530800"}, ["王芳", "张伟", "李静"]),
        ({"prefecture": "530600"}, ["赵强"]),
        ({"on_post": "2024-07-01"}, ["王芳", "张伟"]),
        ({"on_post": "2024-06-30"}, ["王芳", "张伟", "李静"]),
        ({"on_post": "2023-01-01", "prefecture": "530800"}, ["李静"]),
        ({"q": "医院"}, ["王芳"]),
        ({"o": "term_start"}, ["赵强", "李静", "张伟", "王芳"]),
    ],
)
def test_cadre_list_shows_exactly_the_cadres_matching_every_filter(user_client, params, expected):
    response = user_client.get(LIST, params)

    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.usefixtures("cadres")
def test_cadre_list_says_in_words_what_it_is_filtered_by(user_client):
    response = user_client.get(LIST, {"prefecture": "530800", "on_post": "2024-07-01"})

    assertContains(response, "筛选条件：州市：普洱市；在岗日期：2024-07-01")
    assertContains(response, "共 <strong>2</strong> 人。")


@pytest.mark.usefixtures("cadres")
def test_cadre_list_narrows_the_county_choices_to_the_prefecture(user_client):
    response = user_client.get(LIST, {"prefecture": "530600"})

    assert checkbox_values(response, "county") == ["530621"]
    assert checkbox_values(response, "batch") == ["11", "10"]


@pytest.mark.usefixtures("cadres")
@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"on_post": "2024-13-45"}, "在岗日期：请输入日期，格式为YYYY-MM-DD，如2024-07-01。"),
        ({"on_post": "yesterday"}, "在岗日期：请输入日期，格式为YYYY-MM-DD，如2024-07-01。"),
        ({"batch": "99"}, "批次：没有第99批。"),
        ({"kind": "astronaut"}, "类别：没有“astronaut”这个类别。"),
        ({"prefecture": "abc"}, "州市：没有区划代码为abc的州市。"),
    ],
)
def test_nonsense_cadre_filters_show_the_error_in_chinese_and_no_rows(user_client, params, error):
    response = user_client.get(LIST, params)

    assertContains(response, f"<li>{error}</li>")
    assert names(response) == []


@pytest.mark.usefixtures("cadres")
def test_cadre_page_lists_the_projects_the_cadre_is_responsible_for(user_client, county):
    zhang = Cadre.objects.get(name="张伟")
    for code in ("2023-LC-001", "2024-LC-001"):
        project = make_project(code=code, name="茶叶初制所", county=county, year=int(code[:4]))
        project.cadres.add(zhang)

    response = user_client.get(zhang.get_absolute_url())

    assertContains(response, "负责项目 <small>2个</small>")
    page = html(response)
    assert page.index("2024-LC-001 茶叶初制所") < page.index("2023-LC-001 茶叶初制所")
    assertContains(response, '<a href="/personnel/?batch=11">第11批（2023—2025）</a>')


def test_unknown_cadre_is_not_found(user_client):
    assertContains(
        user_client.get(reverse("personnel:detail", args=[999])), "未找到该页面", status_code=404
    )


def test_cadre_list_and_page_queries_do_not_grow_with_their_rows(
    user_client, county, django_assert_max_num_queries
):
    batch = Batch.objects.create(number=11, start_year=2023, end_year=2025)
    Cadre.objects.bulk_create(
        Cadre(
            name=f"干部{n:03d}",
            gender="male",
            kind="official",
            sending_unit="黄浦区",
            post="副县长",
            county=county,
            batch=batch,
            term_start=D,
        )
        for n in range(250)
    )
    zhang = Cadre.objects.first()

    counted = []
    for size in (10, 200):
        Project.objects.bulk_create(
            Project(
                code=f"P{size}-{n:03d}", name="项目", county=county, category="other", year=2024
            )
            for n in range(size - zhang.projects.count())
        )
        zhang.projects.add(*Project.objects.filter(code__startswith=f"P{size}-"))
        params = {"prefecture": "530800", "county": "530828", "on_post": "2024-07-01"}
        with django_assert_max_num_queries(LIST_QUERIES) as list_queries:
            listed = user_client.get(LIST, {**params, "page_size": size})
        # session, user, the role's permissions (two), scope, cadre, projects
        with django_assert_max_num_queries(7) as page_queries:
            page = user_client.get(zhang.get_absolute_url())
        assert len(names(listed)) == size
        assert html(page).count('<li><a href="/projects/') == size
        counted.append((len(list_queries), len(page_queries)))

    assert counted[0] == counted[1]
