"""The fund, park and cadre lists as XLSX (funds:export, parks:export, personnel:export): the
records the page's filters and the reader's scope show, all of them, under a title naming
the filters, with the page's totals in a 合计 row, laid out to open and print as a report; in
the same number of queries however many records there are."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from counties.models import Scope
from personnel.models import Batch
from projects.models import Fund, FundAllocation, IndustrialPark
from tests.cast import make_cadre, make_project
from tests.excel_files import (
    DATE_WIDTH,
    assert_laid_out_as_a_report,
    column_width,
    formats,
    row,
    workbook_of,
)

FUNDS = reverse("funds:export")
PARKS = reverse("parks:export")
CADRES = reverse("personnel:export")
FUND_HEADER = [
    "年度",
    "州市",
    "受援县市区",
    "资金来源",
    "出资单位",
    "文号",
    "金额（万元）",
    "已分配（万元）",
    "未分配（万元）",
]
PARK_HEADER = [
    "园区名称",
    "州市",
    "所在县市区",
    "上海结对区",
    "上海合作方",
    "设立年度",
    "示范园区",
    "最近年度",
    "入驻企业（家）",
    "企业到位投资（万元）",
    "园区建设投资（万元）",
    "带动就业（人）",
]
CADRE_HEADER = [
    "姓名",
    "类别",
    "组团式帮扶",
    "批次",
    "派驻州市",
    "派驻县市区",
    "在滇挂职岗位",
    "上海派出单位",
    "任期开始",
    "任期结束",
]


@pytest.fixture
def records(county, menghai, district):
    """In 澜沧: two funds (one half allocated), a park with two yearly records, two cadres (one
    posted to 普洱市); in 勐海: a fund, a park with a yearly record and one without, a cadre."""
    city = Fund.objects.create(
        source="city",
        year=2023,
        county=county,
        amount=Decimal("1200.5"),
        donor="上海市人民政府合作交流办公室",
        document="沪合〔2023〕12号",
    )
    Fund.objects.create(source="social", year=2022, county=county, amount=Decimal("30"))
    Fund.objects.create(source="city", year=2023, county=menghai, amount=Decimal("800"))
    FundAllocation.objects.create(
        fund=city, project=make_project(county=county), amount=Decimal("600.25")
    )
    lancang_park = IndustrialPark.objects.create(
        name="澜沧沪滇产业园",
        county=county,
        partner_district=district,
        partner_name="临港集团",
        year_founded=2019,
        is_demonstration=True,
    )
    # The export shows each park's latest year: 2023 here, not 2022.
    lancang_park.years.create(year=2022, enterprises=7, investment=Decimal("1"), jobs=9)
    lancang_park.years.create(
        year=2023,
        enterprises=1200,
        investment=Decimal("35000.5"),
        construction_investment=Decimal("800"),
        jobs=2500,
    )
    menghai_park = IndustrialPark.objects.create(
        name="勐海沪滇产业园", county=menghai, year_founded=2021
    )
    menghai_park.years.create(year=2021, enterprises=8, jobs=40)
    IndustrialPark.objects.create(name="勐海新园区", county=menghai, year_founded=2024)
    batch = Batch.objects.create(number=11, start_year=2023, end_year=2025)
    make_cadre(name="张伟", county=county, batch=batch, team="medical")
    make_cadre(
        name="李娜",
        kind="teacher",
        prefecture=county.prefecture,
        term_start=datetime.date(2021, 7, 1),
        term_end=datetime.date(2023, 6, 30),
    )
    make_cadre(name="王强", county=menghai)


@pytest.fixture
def lancang_client(client, django_user_model, county):
    """A 查看者 whose scope is 澜沧 alone."""
    user = django_user_model.objects.create_user("lancang")
    user.groups.add(Group.objects.get(name="查看者"))
    Scope.objects.create(user=user).counties.add(county)
    client.force_login(user)
    return client


def sheet_of(response):
    assert response.status_code == 200, response.content.decode()
    return workbook_of(response).worksheets[0]


def rows(sheet):
    """The records: below the title and the header, above the 合计 row."""
    return [row(sheet, number) for number in range(3, sheet.max_row)]


# Funds


def test_the_fund_export_holds_the_funds_their_title_and_totals(user_client, records):
    response = user_client.get(FUNDS)

    assert response["Content-Disposition"].startswith("attachment;")
    sheet = sheet_of(response)
    assert sheet.title == "资金"
    assert row(sheet, 1) == ["资金"]
    assert row(sheet, 2) == FUND_HEADER
    assert rows(sheet) == [
        [
            2023,
            "普洱市",
            "澜沧拉祜族自治县",
            "上海市级财政援助",
            "上海市人民政府合作交流办公室",
            "沪合〔2023〕12号",
            1200.5,
            600.25,
            600.25,
        ],
        [2023, "西双版纳傣族自治州", "勐海县", "上海市级财政援助", None, None, 800, 0, 800],
        [2022, "普洱市", "澜沧拉祜族自治县", "社会帮扶", None, None, 30, 0, 30],
    ]
    assert row(sheet, sheet.max_row) == ["合计（3笔）", *[None] * 5, 2030.5, 600.25, 1430.25]


def test_the_fund_export_is_laid_out_as_a_report(user_client, records):
    sheet = sheet_of(user_client.get(FUNDS))

    assert_laid_out_as_a_report(sheet, header_row=2, orientation="landscape")
    assert sheet.freeze_panes == "A3"
    assert {cells.coord for cells in sheet.merged_cells.ranges} == {"A1:I1"}  # the title
    assert sheet["A1"].font.b is True
    assert formats(sheet, 3, header_row=2) == {
        "年度": "0",
        "州市": "General",
        "受援县市区": "General",
        "资金来源": "General",
        "出资单位": "General",
        "文号": "General",
        "金额（万元）": "#,##0.00",
        "已分配（万元）": "#,##0.00",
        "未分配（万元）": "#,##0.00",
    }
    assert sheet["G6"].number_format == "#,##0.00"  # the 合计 row's
    assert sheet["G6"].font.b is True
    assert column_width(sheet, "资金来源", header_row=2) >= 16  # 上海市级财政援助


def test_the_fund_export_follows_the_lists_filters_and_names_them(user_client, records):
    sheet = sheet_of(user_client.get(FUNDS, {"year": "2023", "source": "city"}))

    assert row(sheet, 1)[0].startswith("资金（")
    assert "资金来源：上海市级财政援助" in row(sheet, 1)[0]
    assert [r[2] for r in rows(sheet)] == ["澜沧拉祜族自治县", "勐海县"]
    assert row(sheet, sheet.max_row)[0] == "合计（2笔）"


def test_an_invalid_filter_is_refused_in_chinese(user_client, records):
    response = user_client.get(FUNDS, {"source": "gift"})

    assert response.status_code == 400
    assert response.content.decode() == "筛选条件有误：资金来源：没有“gift”这个资金来源。"


# Parks


def test_the_park_export_holds_the_parks_and_the_pages_totals(user_client, records):
    sheet = sheet_of(user_client.get(PARKS))

    assert row(sheet, 1) == ["沪滇共建产业园区"]
    assert row(sheet, 2) == PARK_HEADER
    assert rows(sheet) == [
        ["澜沧沪滇产业园", "普洱市", "澜沧拉祜族自治县", "黄浦区", "临港集团", 2019, "是", 2023]
        + [1200, 35000.5, 800, 2500],
        ["勐海新园区", "西双版纳傣族自治州", "勐海县", None, None, 2024, "否"],
        ["勐海沪滇产业园", "西双版纳傣族自治州", "勐海县", None, None, 2021, "否", 2021]
        + [8, 0, 0, 40],
    ]
    assert row(sheet, sheet.max_row) == ["合计（3个园区）", *[None] * 7, 1208, 35000.5, 800, 2540]
    assert_laid_out_as_a_report(sheet, header_row=2, orientation="landscape")
    assert formats(sheet, 3, header_row=2)["入驻企业（家）"] == "#,##0"
    assert formats(sheet, 3, header_row=2)["企业到位投资（万元）"] == "#,##0.00"
    assert formats(sheet, 3, header_row=2)["设立年度"] == "0"
    assert formats(sheet, 3, header_row=2)["最近年度"] == "0"


# Cadres


def test_the_cadre_export_holds_the_cadres_as_the_page_lists_them(user_client, records):
    sheet = sheet_of(user_client.get(CADRES))

    assert row(sheet, 1) == ["援滇干部人才"]
    assert row(sheet, 2) == CADRE_HEADER
    # In the page's order: the latest term first.
    assert [r[0] for r in rows(sheet)] == ["张伟", "王强", "李娜"]
    zhang, _, li = rows(sheet)
    assert zhang == [
        "张伟",
        "党政干部",
        "医疗组团式帮扶",
        "第11批（2023—2025）",
        "普洱市",
        "澜沧拉祜族自治县",
        "副县长",
        "黄浦区发展改革委",
        datetime.datetime(2023, 1, 1),
        "在岗",
    ]
    # Posted to the prefecture: no county.
    assert li[4:6] == ["普洱市", None]
    assert li[8:10] == [datetime.datetime(2021, 7, 1), datetime.datetime(2023, 6, 30)]
    assert row(sheet, sheet.max_row) == ["合计（3人）"]


def test_the_cadre_export_is_laid_out_with_its_dates_readable(user_client, records):
    sheet = sheet_of(user_client.get(CADRES, {"kind": "teacher"}))

    assert_laid_out_as_a_report(sheet, header_row=2, orientation="landscape")
    assert [r[0] for r in rows(sheet)] == ["李娜"]
    assert row(sheet, 1) == ["援滇干部人才（类别：教师）"]
    assert formats(sheet, 3, header_row=2)["任期开始"] == "yyyy-mm-dd"
    assert formats(sheet, 3, header_row=2)["任期结束"] == "yyyy-mm-dd"
    assert column_width(sheet, "任期开始", header_row=2) >= DATE_WIDTH
    assert column_width(sheet, "任期结束", header_row=2) >= DATE_WIDTH


# Login, scope and queries


@pytest.mark.parametrize("url", [FUNDS, PARKS, CADRES], ids=["funds", "parks", "cadres"])
def test_an_export_needs_a_login(client, db, url):
    response = client.get(url)

    assertRedirects(response, "%s?next=%s" % (reverse("login"), url))


@pytest.mark.parametrize(
    ("url", "column", "shown"),
    [
        (FUNDS, 2, ["澜沧拉祜族自治县", "澜沧拉祜族自治县"]),
        (PARKS, 2, ["澜沧拉祜族自治县"]),
        # The cadre posted to 普洱市 serves all of it, more than the scope holds.
        (CADRES, 5, ["澜沧拉祜族自治县"]),
    ],
    ids=["funds", "parks", "cadres"],
)
def test_a_county_reader_exports_only_their_countys_records(
    lancang_client, records, url, column, shown
):
    sheet = sheet_of(lancang_client.get(url))

    assert [r[column] for r in rows(sheet)] == shown


def test_the_exports_run_the_same_queries_however_many_records(user_client, county):
    def queries():
        counted = []
        for url in (FUNDS, PARKS, CADRES):
            with CaptureQueriesContext(connection) as context:
                workbook_of(user_client.get(url))
            counted.append(len(context))
        return counted

    def add(count, start):
        for n in range(start, start + count):
            fund = Fund.objects.create(source="city", year=2023, county=county, amount=10)
            project = make_project(county=county, code="P-%d" % n)
            FundAllocation.objects.create(fund=fund, project=project, amount=Decimal("2.5"))
            park = IndustrialPark.objects.create(
                name="园区%d" % n, county=county, year_founded=2020
            )
            park.years.create(year=2022, enterprises=n, jobs=n)
            park.years.create(year=2023, enterprises=n, jobs=n)
            make_cadre(name="干部%d" % n, county=county)

    add(1, 0)
    few = queries()
    add(30, 1)

    assert queries() == few


@pytest.mark.parametrize(
    ("page", "export"),
    [
        ("funds:list", "funds:export"),
        ("parks:list", "parks:export"),
        ("personnel:list", "personnel:export"),
    ],
)
def test_each_list_links_its_export_with_the_filters_in_force(user_client, county, page, export):
    response = user_client.get(reverse(page), {"county": county.code, "page": "1"})

    assert response.status_code == 200
    assert 'href="%s?county=%s"' % (reverse(export), county.code) in response.content.decode()
