"""The dashboard (/dashboard/) and the county page's scorecard, as a logged-in reader sees them."""

import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import County, Prefecture, Scope
from projects.importers import import_yearly_report
from projects.models import Project

from ..pages import html, select_options
from .scorecard_cast import cast_fixture, figure, labour_fixture, records_fixture  # noqa: F401

DASHBOARD = reverse("dashboard:detail")
EXPORT = reverse("dashboard:export")
# Session, user and scope; the years; the ledger (counties, indicators, figures, funds,
# cadres, parks' yearly records, paired villages, pairings); the projects by county and
# category, by year; the funds by year.
DASHBOARD_QUERIES = 19  # with the role, the scope, the years of both pickers, the last write


def rate(response, code):
    """The completion rate shown in the scorecard row of an indicator."""
    row = re.search(r'<tr[^>]*data-indicator="%s".*?</tr>' % code, html(response), re.S)
    return re.search(r'<td class="num rate">([^<]*)</td>', row.group()).group(1)


def parts(response):
    """The table of parts: place name → its cells, as text."""
    table = re.search(r'<table class="parts">.*?</table>', html(response), re.S).group()
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.split(r"</t[hd]>", row)]
        rows[cells[0]] = cells[1:-1]
    return rows


def test_the_dashboard_shows_the_provinces_completion_rates(user_client, labour):
    figure("labour_jobs", None, "40000", "180110")

    response = user_client.get(DASHBOARD, {"year": 2023})

    assertContains(response, "2023年沪滇协作指标看板")
    assert rate(response, "labour_jobs") == "450.3%"
    # The province reported itself; its prefectures' results are summed beside it.
    assertContains(response, "与下级合计（3,400）不符")


def test_the_province_sums_its_prefectures_when_it_reported_nothing(user_client, labour):
    response = user_client.get(DASHBOARD, {"year": 2023})

    assert rate(response, "labour_jobs") == "94.4%"
    # Each prefecture: projects, Shanghai aid, then target, result and rate per headline.
    assert parts(response)["普洱市"][5:8] == ["3,000", "2,500", "83.3%"]
    assert parts(response)["西双版纳傣族自治州"][5:8] == ["600", "900", "150.0%"]


def test_a_prefectures_dashboard_lists_its_counties(user_client, labour):
    response = user_client.get(DASHBOARD, {"year": 2023, "place": "530800"})

    assertContains(response, "<small>普洱市</small>", html=False)
    assert rate(response, "labour_jobs") == "83.3%"
    assert list(parts(response)) == ["孟连傣族拉祜族佤族自治县", "澜沧拉祜族自治县"]
    assert parts(response)["澜沧拉祜族自治县"][5:8] == ["1,000", "1,500", "150.0%"]


def test_a_districts_dashboard_sums_its_paired_counties(user_client, labour):
    response = user_client.get(DASHBOARD, {"year": 2023, "place": "310104"})

    assertContains(response, "徐汇区结对县市区")
    assert rate(response, "labour_jobs") == "72.0%"
    assert list(parts(response)) == ["孟连傣族拉祜族佤族自治县", "勐海县"]


def test_a_result_other_than_what_the_records_count_is_flagged(user_client, records):
    figure("parks", None, None, "80")
    figure("fiscal_aid", None, "200", "150.5")

    response = user_client.get(DASHBOARD, {"year": 2023})

    page = html(response)
    parks = re.search(r'<tr class=" mismatch" data-indicator="parks">.*?</tr>', page, re.S)
    assert parks and "与系统统计数不符" in parks.group()
    fiscal = re.search(r'<tr[^>]*data-indicator="fiscal_aid">.*?</tr>', page, re.S).group()
    assert "不符" not in fiscal and "75.3%" in fiscal


def test_the_labour_chart_shows_each_destination_and_its_formerly_poor(user_client, cast):
    for code, result in [
        ("labour_shanghai", "14809"),
        ("labour_shanghai_poor", "6460"),
        ("labour_province", "131173"),
        ("labour_province_poor", "80378"),
        ("labour_elsewhere", "34128"),
        ("labour_elsewhere_poor", "27123"),
    ]:
        figure(code, None, None, result, year=2022)

    response = user_client.get(DASHBOARD, {"year": 2022})

    table = re.search(
        r"<caption>帮助农村劳动力就业（人）（数据表）</caption>.*?</table>", html(response), re.S
    ).group()
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>.*?</t[hd]>", table)]
    assert cells == [
        "",
        "就业人数",
        "其中脱贫人口",
        "到上海",
        "14,809",
        "6,460",
        "省内",
        "131,173",
        "80,378",
        "其他省份",
        "34,128",
        "27,123",
    ]
    assert html(response).count('<figure class="chart">') == 5


def test_aid_money_is_shown_by_prefecture_and_by_category(user_client, cast):
    Project.objects.create(
        code="P1", name="茶厂", county=cast["lancang"], year=2023, category="industry",
        status="building", shanghai_funds=Decimal("169.41"),
    )  # fmt: skip
    Project.objects.create(
        code="P2", name="学校", county=cast["menghai"], year=2023, category="education",
        status="building", shanghai_funds=Decimal("450"),
    )  # fmt: skip

    response = user_client.get(DASHBOARD, {"year": 2023})

    assertContains(response, '<th scope="row">普洱市</th><td class="num">169.41</td>')
    assertContains(response, '<th scope="row">教育帮扶</th><td class="num">450.00</td>')
    assert parts(response)["普洱市"][:2] == ["1", "169.41"]


def test_the_dashboard_opens_on_the_latest_year_with_figures(user_client, labour):
    response = user_client.get(DASHBOARD)

    assertContains(response, "2023年沪滇协作指标看板")


def test_a_wrong_year_is_explained_and_an_unknown_place_is_not_found(user_client, labour):
    response = user_client.get(DASHBOARD, {"year": "二〇二三", "place": "530800"})

    assert response.status_code == 200
    assertContains(response, "年度须为1996至2100之间的整数")
    assertContains(response, "<small>普洱市</small>")
    assert user_client.get(DASHBOARD, {"place": "530999"}).status_code == 404
    assert user_client.get(DASHBOARD, {"place": "<script>"}).status_code == 404


def test_a_scoped_reader_sees_only_places_inside_the_scope(client, django_user_model, labour):
    County.objects.create(
        code="532801", name="景洪市", prefecture=labour["banna"], division_type="县级市"
    )
    user = django_user_model.objects.create_user("puer", password="not-used")
    user.groups.add(Group.objects.get(name="查看者"))
    Scope.objects.create(user=user).prefectures.add(labour["puer"])
    client.force_login(user)

    response = client.get(DASHBOARD, {"year": 2023})

    assertContains(response, "<small>普洱市</small>")
    assert rate(response, "labour_jobs") == "83.3%"
    assert select_options(response)["place"] == ["530800", "530827", "530828"]
    assertNotContains(response, "西双版纳")
    assert client.get(DASHBOARD, {"place": "532800"}).status_code == 404
    assert client.get(DASHBOARD, {"place": "532822"}).status_code == 404
    assert client.get(EXPORT, {"place": "532822"}).status_code == 404


def test_the_dashboard_runs_the_same_queries_however_much_data(user_client, labour):
    # What it computes, not what it kept: the cache is emptied before each request.
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        user_client.get(DASHBOARD, {"year": 2023})
    more = Prefecture.objects.create(code="530600", name="昭通市", division_type="地级市")
    for number in range(20):
        county = County.objects.create(
            code="5306%02d" % (number + 1), name="县%d" % number, prefecture=more,
            division_type="县",
        )  # fmt: skip
        figure("labour_jobs", county, "10", "20")
        figure("fiscal_aid", county, "10", "20")
        Project.objects.create(
            code="M%d" % number, name="项目", county=county, year=2023, category="industry",
            status="planned", shanghai_funds=1,
        )  # fmt: skip

    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = user_client.get(DASHBOARD, {"year": 2023})

    assert len(few) == len(many) == DASHBOARD_QUERIES
    assert parts(response)["昭通市"][5:8] == ["200", "400", "200.0%"]


def test_the_xlsx_is_the_dashboard_as_a_report(user_client, labour):
    response = user_client.get(EXPORT, {"year": 2023, "place": "530800"})

    assert response["Content-Disposition"].endswith("2023-%E6%99%AE%E6%B4%B1%E5%B8%82.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["协作指标", "各县市区情况"]
    rows = list(workbook["协作指标"].iter_rows(values_only=True))
    assert rows[0][0] == "2023年 普洱市 沪滇协作指标"
    assert rows[1] == ("指标", "计量单位", "协议数", "完成数", "完成率（%）", "系统统计数", "说明")
    assert len(rows) == 2 + 3 * (1 + 22)  # 普洱 and its two counties, a section each
    by_place, place = {}, None
    for row in rows[2:]:
        if row[1] is None:
            place = row[0]  # a section: the place's name across the row
        else:
            by_place[(place, row[0])] = row
    assert by_place[("普洱市", "帮助农村劳动力就业")][1:7] == (
        "人",
        3000,
        2500,
        83.3,
        None,
        "协议数为下级合计；完成数为下级合计",
    )
    assert by_place[("澜沧拉祜族自治县", "帮助农村劳动力就业")][2:5] == (1000, 1500, 150)
    parts = list(workbook["各县市区情况"].iter_rows(values_only=True))
    assert parts[3][0] == "孟连傣族拉祜族佤族自治县"
    assert parts[4][:3] == ("澜沧拉祜族自治县", 0, 0)
    assert parts[4][6:9] == (1000, 1500, 150)


def test_the_county_page_shows_the_countys_scorecard(user_client, records):
    figure("labour_jobs", records["lancang"], "1000", "1500")

    response = user_client.get(reverse("counties:detail", args=["530828"]))

    assertContains(response, "协作指标 <small>2023年")
    assert rate(response, "labour_jobs") == "150.0%"
    # Counted from the county's 100万元 of city funds; the cell says from what.
    assertContains(response, '<td class="num" title="资金：当年下达金额">100.00</td>', html=False)
    assertNotContains(response, 'data-indicator="consumption_aid"')  # nothing to show


@pytest.mark.parametrize("path", ["dashboard:detail", "dashboard:export"])
def test_the_dashboard_needs_a_login(client, path, db):
    response = client.get(reverse(path))

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_dashboard_keeps_its_sums_until_a_record_is_written(user_client, labour):
    county = County.objects.get(code="530828")
    Project.objects.create(
        code="LC-9", name="茶叶", county=county, year=2023, category="industry",
        status="planned", shanghai_funds=100,
    )  # fmt: skip
    first = user_client.get(DASHBOARD, {"year": 2023})
    with CaptureQueriesContext(connection) as kept:
        again = user_client.get(DASHBOARD, {"year": 2023})
    report = (
        "项目编号,项目名称,年度,县市区,项目类别,项目状态,上海援助资金（万元）\n"
        "LC-9,茶叶,2023,530828,产业发展,计划,1100\n"
    ).encode()

    import_yearly_report(files=[("r.csv", io.BytesIO(report))])  # an audited write
    after = user_client.get(DASHBOARD, {"year": 2023})

    assert len(kept) < DASHBOARD_QUERIES
    assert parts(again) == parts(first)
    assert money_of(parts(after)["普洱市"][1]) == money_of(parts(first)["普洱市"][1]) + 1000


def money_of(text):
    return Decimal(text.replace(",", ""))
