"""The place filters of the lists: 上海结对区 through the pairings in force in each record's
year, the county flags (脱贫县, 重点帮扶县, 边境县), choice filters that take several values,
filters that take one and say so when given two, and the filters of the county list."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import County, Pairing, Scope
from tests.filter_cast import (  # noqa: F401
    HUANGPU,
    XUHUI,
    paired_cadres_fixture,
    paired_funds_fixture,
    paired_parks_fixture,
    paired_projects_fixture,
    places_fixture,
    project,
)
from tests.filter_pages import checked_values
from tests.pages import html, project_codes

PROJECTS = reverse("projects:list")
FUNDS = reverse("funds:list")
PARKS = reverse("parks:list")
CADRES = reverse("personnel:list")
COUNTIES = reverse("counties:list")
FUND_ROW = re.compile(r"<tr>\s*<td>(\d{4})</td>\s*<td><a[^>]*>([^<]+)</a>")
PARK_LINK = re.compile(r'<td><a href="/parks/\d+/">([^<]+)</a>')
CADRE_LINK = re.compile(r'<td><a href="/personnel/\d+/">([^<]+)</a></td>')
COUNTY_LINK = re.compile(r'<li><a href="/counties/\d{6}/">([^<]+)</a>')


def funds(response):
    return FUND_ROW.findall(html(response))


def parks(response):
    return PARK_LINK.findall(html(response))


def cadres(response):
    return CADRE_LINK.findall(html(response))


def counties(response):
    return COUNTY_LINK.findall(html(response))


# 上海结对区


@pytest.mark.usefixtures("paired_projects")
@pytest.mark.parametrize(
    ("params", "codes"),
    [
        # 黄浦区: the whole of 普洱 until 2020, so 澜沧's 2020 project and 思茅's of 2019.
        ({"district": HUANGPU}, ["LC-2020", "SM-2019"]),
        # 徐汇区: 勐海 until 2020, 澜沧 from 2021.
        ({"district": XUHUI}, ["LC-2022", "MH-2019"]),
        ({"district": [HUANGPU, XUHUI]}, ["LC-2022", "LC-2020", "MH-2019", "SM-2019"]),
        ({"district": XUHUI, "year": "2022"}, ["LC-2022"]),
        ({"district": HUANGPU, "county": "530802"}, ["SM-2019"]),
    ],
)
def test_project_list_finds_the_districts_projects_through_that_years_pairings(
    user_client, params, codes
):
    assert project_codes(user_client.get(PROJECTS, params)) == codes


@pytest.mark.usefixtures("paired_projects")
def test_the_district_filter_says_in_words_what_it_is(user_client):
    response = user_client.get(PROJECTS, {"district": [XUHUI, HUANGPU]})

    assertContains(response, "上海结对区：黄浦区、徐汇区")
    assert checked_values(response, "district") == [HUANGPU, XUHUI]
    assertContains(response, "<summary>黄浦区、徐汇区</summary>")


@pytest.mark.usefixtures("paired_projects")
def test_an_unknown_district_is_refused(user_client):
    response = user_client.get(PROJECTS, {"district": "319999"})

    assertContains(response, "<li>上海结对区：没有区划代码为319999的上海市辖区。</li>")
    assert project_codes(response) == []


def test_a_pairing_with_no_end_and_no_start_counts_every_year(user_client, places, district):
    Pairing.objects.all().delete()
    Pairing.objects.create(district=district, county=places["simao"])
    project("SM-1998", places["simao"], 1998)
    project("LC-1998", places["lancang"], 1998)

    assert project_codes(user_client.get(PROJECTS, {"district": HUANGPU})) == ["SM-1998"]


@pytest.mark.usefixtures("paired_funds")
@pytest.mark.parametrize(
    ("codes", "rows"),
    [
        (HUANGPU, [("2020", "澜沧拉祜族自治县"), ("2019", "思茅区")]),
        (XUHUI, [("2022", "澜沧拉祜族自治县"), ("2019", "勐海县")]),
    ],
)
def test_fund_list_finds_the_districts_funds_through_that_years_pairings(user_client, codes, rows):
    assert funds(user_client.get(FUNDS, {"district": codes})) == rows


@pytest.mark.usefixtures("paired_parks")
@pytest.mark.parametrize(
    ("codes", "names"),
    [
        # 澜沧园 names 黄浦区 itself, though 澜沧 was 徐汇区's when it was founded.
        (HUANGPU, ["澜沧园"]),
        # 勐海园 names nobody: 勐海 was 徐汇区's in its founding year.
        (XUHUI, ["勐海园"]),
    ],
)
def test_park_list_finds_the_districts_parks(user_client, codes, names):
    assert parks(user_client.get(PARKS, {"district": codes})) == names


@pytest.mark.usefixtures("paired_cadres")
@pytest.mark.parametrize(
    ("codes", "names"),
    [(HUANGPU, ["乙"]), (XUHUI, ["丙", "甲"]), ([HUANGPU, XUHUI], ["丙", "甲", "乙"])],
)
def test_cadre_list_finds_the_cadres_posted_where_the_district_was_paired(
    user_client, codes, names
):
    assert cadres(user_client.get(CADRES, {"district": codes})) == names


# County flags


@pytest.mark.usefixtures("paired_projects")
@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"poverty": "true"}, ["LC-2022", "LC-2020"]),
        ({"poverty": "false"}, ["MH-2022", "SM-2022", "MH-2019", "SM-2019"]),
        ({"key_assistance": "true"}, ["SM-2022", "SM-2019"]),
        ({"border": "true"}, ["LC-2022", "MH-2022", "LC-2020", "MH-2019"]),
        ({"border": "true", "poverty": "false"}, ["MH-2022", "MH-2019"]),
        ({"border": "false", "year": "2019"}, ["SM-2019"]),
    ],
)
def test_project_list_filters_by_the_county_flags(user_client, params, codes):
    assert project_codes(user_client.get(PROJECTS, params)) == codes


@pytest.mark.usefixtures("paired_funds", "paired_parks", "paired_cadres")
def test_funds_parks_and_cadres_filter_by_the_county_flags(user_client):
    assert funds(user_client.get(FUNDS, {"key_assistance": "true"})) == [
        ("2022", "思茅区"),
        ("2019", "思茅区"),
    ]
    assert parks(user_client.get(PARKS, {"border": "true"})) == ["澜沧园", "勐海园"]
    # Cadres posted to a prefecture are in no county, so in no 边境县.
    assert cadres(user_client.get(CADRES, {"border": "true"})) == ["丁", "甲"]
    assert cadres(user_client.get(CADRES, {"poverty": "true"})) == ["甲"]


@pytest.mark.usefixtures("paired_projects")
def test_the_flag_filters_say_in_words_what_they_are(user_client):
    response = user_client.get(PROJECTS, {"poverty": "true", "border": "false"})

    assertContains(response, "筛选条件：脱贫县：是；边境县：否")


# Several values, or one


@pytest.mark.usefixtures("paired_projects")
@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"category": ["health", "education"]}, ["LC-2022", "MH-2019"]),
        ({"status": ["completed", "planned"], "year": "2022"}, ["LC-2022", "MH-2022", "SM-2022"]),
        ({"county": ["530802", "532822"], "year": "2019"}, ["MH-2019", "SM-2019"]),
    ],
)
def test_choice_filters_keep_every_value_given(user_client, params, codes):
    assert project_codes(user_client.get(PROJECTS, params)) == codes


@pytest.mark.usefixtures("paired_projects")
def test_a_menu_names_the_chosen_and_counts_past_three(user_client):
    response = user_client.get(PROJECTS, {"county": ["530828", "530802", "532822"]})
    assertContains(response, "<summary>思茅区、澜沧拉祜族自治县、勐海县</summary>")

    response = user_client.get(
        PROJECTS, {"category": ["industry", "health", "education", "village"]}
    )
    assertContains(response, "<summary>产业发展、教育帮扶、医疗帮扶等4个</summary>")


@pytest.mark.usefixtures("paired_projects")
@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"prefecture": ["530800", "532800"]}, "州市：只能有一个值，这里有2个：530800、532800。"),
        ({"poverty": ["true", "false"]}, "脱贫县：只能有一个值，这里有2个：true、false。"),
        ({"q": ["茶", "咖啡"]}, "编号或名称：只能有一个值，这里有2个：茶、咖啡。"),
        ({"year_from": ["2019", "2020"]}, "起始年度：只能有一个值，这里有2个：2019、2020。"),
        ({"funds_min": ["1", "2"]}, "上海援助资金不少于（万元）：只能有一个值，这里有2个：1、2。"),
        ({"o": ["code", "-year"]}, "排序：只能有一个值，这里有2个：code、-year。"),
    ],
)
def test_a_filter_of_one_value_refuses_two_in_words(user_client, params, error):
    response = user_client.get(PROJECTS, params)

    assertContains(response, "筛选条件有误，因此未列出任何记录。")
    assertContains(response, "<li>%s</li>" % error)
    assert project_codes(response) == []


@pytest.mark.usefixtures("paired_projects")
def test_the_same_value_twice_or_a_blank_beside_one_is_one_value(user_client):
    response = user_client.get(PROJECTS, {"prefecture": ["530800", "530800"], "q": ["", "LC"]})

    assertNotContains(response, "筛选条件有误")
    assert project_codes(response) == ["LC-2022", "LC-2020"]


@pytest.mark.usefixtures("paired_cadres")
def test_cadre_choice_filters_keep_every_value_and_the_date_takes_one(user_client):
    response = user_client.get(CADRES, {"kind": ["official", "doctor"], "county": "530828"})
    assert cadres(response) == ["甲"]

    response = user_client.get(CADRES, {"on_post": ["2024-07-01", "2023-07-01"]})
    assertContains(response, "<li>在岗日期：只能有一个值，这里有2个：2024-07-01、2023-07-01。</li>")


# The county list


@pytest.mark.usefixtures("places")
@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({}, ["思茅区", "澜沧拉祜族自治县", "勐海县"]),
        ({"prefecture": "530800"}, ["思茅区", "澜沧拉祜族自治县"]),
        ({"poverty": "true"}, ["澜沧拉祜族自治县"]),
        ({"key_assistance": "true"}, ["思茅区"]),
        ({"border": "true"}, ["澜沧拉祜族自治县", "勐海县"]),
        ({"border": "false"}, ["思茅区"]),
        ({"q": "澜沧"}, ["澜沧拉祜族自治县"]),
        ({"q": "5328"}, ["勐海县"]),
        ({"district": HUANGPU, "year": "2019"}, ["思茅区", "澜沧拉祜族自治县"]),
        ({"district": HUANGPU, "year": "2022"}, []),
        ({"district": XUHUI, "year": "2019年"}, ["勐海县"]),
        ({"district": XUHUI, "year": "2021"}, ["澜沧拉祜族自治县"]),
        ({"district": [HUANGPU, XUHUI], "year": "2020"}, ["思茅区", "澜沧拉祜族自治县", "勐海县"]),
    ],
)
def test_county_list_filters(user_client, params, names):
    response = user_client.get(COUNTIES, params)

    assertNotContains(response, "筛选条件有误")
    assert counties(response) == names


@pytest.mark.usefixtures("paired_projects")
def test_county_list_pairs_by_the_latest_year_with_projects_by_default(user_client):
    response = user_client.get(COUNTIES, {"district": XUHUI})

    # The projects' latest year is 2022, when 徐汇区 was paired with 澜沧.
    assert counties(response) == ["澜沧拉祜族自治县"]
    assertContains(response, "上海结对区按2022年在任的结对关系")
    assertContains(response, "不填为2022年（有项目的最新年度）。")


@pytest.mark.usefixtures("paired_projects")
def test_county_list_offers_the_latest_year_in_its_year_box(user_client):
    response = user_client.get(COUNTIES)

    assertContains(response, 'name="year" value="2022"')
    assertNotContains(response, "上海结对区按")


@pytest.mark.usefixtures("places")
def test_county_list_stays_grouped_by_prefecture_and_counts_what_it_shows(user_client):
    response = user_client.get(COUNTIES, {"border": "true"})

    page = html(response)
    assert page.count('<section class="prefecture"') == 2
    puer = page[page.index('id="p530800"') :]
    assert "澜沧拉祜族自治县" in puer[: puer.index("</section>")]
    assertContains(response, "共 2 个县市区")
    assertContains(response, "分属 2 个州市")
    assertContains(response, "筛选条件：边境县：是")


@pytest.mark.usefixtures("places")
def test_county_list_marks_the_key_assistance_counties(user_client):
    response = user_client.get(COUNTIES)

    assertContains(response, '思茅区</a> <span class="tag" title="重点帮扶县">重</span>')


@pytest.mark.usefixtures("places")
@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"year": "明年"}, "结对年度：年度须为1996至2100之间的整数。"),
        ({"district": "319999"}, "上海结对区：没有区划代码为319999的上海市辖区。"),
        ({"prefecture": "999999"}, "州市：没有区划代码为999999的州市。"),
        ({"year": ["2019", "2020"]}, "结对年度：只能有一个值，这里有2个：2019、2020。"),
    ],
)
def test_county_list_refuses_wrong_filters_in_words(user_client, params, error):
    response = user_client.get(COUNTIES, params)

    assertContains(response, "<li>%s</li>" % error)
    assert counties(response) == []
    assertNotContains(response, "没有符合条件的县市区。")


@pytest.mark.usefixtures("places")
def test_county_list_says_when_nothing_matches(user_client):
    response = user_client.get(COUNTIES, {"q": "不存在"})

    assertContains(response, "没有符合条件的县市区。")
    assertContains(response, "共 0 个县市区")


def test_county_list_shows_only_the_counties_inside_the_scope(client, django_user_model, places):
    user = django_user_model.objects.create_user("lancang", password="not-used")
    user.groups.add(Group.objects.get(name="查看者"))
    Scope.objects.create(user=user).counties.add(places["lancang"])
    client.force_login(user)

    assert counties(client.get(COUNTIES, {"border": "true"})) == ["澜沧拉祜族自治县"]
    assert County.objects.filter(is_border=True).count() == 2
