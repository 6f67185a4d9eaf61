"""A reader finds projects in a real browser: logs in, narrows the counties by prefecture (the
script in static/js/filters.js), filters, opens a project, comes back and downloads the CSV."""

import codecs
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from counties.models import County, Prefecture, Scope
from projects.models import Project
from tests.projects.report_files import HEADERS, csv_records

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "浏览器测试-密码-2023"


@pytest.fixture
def reader(django_user_model):
    user = django_user_model.objects.create_user("reader", password=PASSWORD)
    user.groups.add(Group.objects.get(name="查看者"))
    Scope.objects.create(user=user, everywhere=True)
    return user


@pytest.fixture
def places():
    """Two prefectures with three counties each."""
    puer = Prefecture.objects.create(code="530800", name="普洱市", division_type="地级市")
    banna = Prefecture.objects.create(
        code="532800", name="西双版纳傣族自治州", division_type="自治州"
    )
    counties = [
        (puer, "530827", "孟连傣族拉祜族佤族自治县", "自治县"),
        (puer, "530828", "澜沧拉祜族自治县", "自治县"),
        (puer, "530829", "西盟佤族自治县", "自治县"),
        (banna, "532801", "景洪市", "县级市"),
        (banna, "532822", "勐海县", "县"),
        (banna, "532823", "勐腊县", "县"),
    ]
    return {
        code: County.objects.create(code=code, name=name, prefecture=prefecture, division_type=kind)
        for prefecture, code, name, kind in counties
    }


@pytest.fixture
def projects(places):
    """Three 2023 projects in 澜沧 (654.61万元), and others that differ in year, county or
    prefecture."""
    rows = [
        ("2023-LC-001", "茶叶初制所", "530828", 2023, "industry", "building", "169.41"),
        ("2023-LC-002", "澜沧县职业高级中学实训楼", "530828", 2023, "education", "building", "450"),
        ("2023-LC-003", "上海专家驻县义诊", "530828", 2023, "health", "completed", "35.2"),
        ("2022-LC-001", "澜沧江畔步道", "530828", 2022, "infrastructure", "completed", "500"),
        ("2023-ML-001", "孟连县咖啡精深加工", "530827", 2023, "industry", "planned", "80"),
        ("2023-MH-001", "勐海县普洱茶初制所提升", "532822", 2023, "industry", "planned", "120.5"),
        ("2024-JH-001", "景洪市劳务协作站", "532801", 2024, "employment", "planned", "30"),
    ]
    for code, name, county, year, category, status, funds in rows:
        Project.objects.create(
            code=code,
            name=name,
            county=places[county],
            year=year,
            category=category,
            status=status,
            shanghai_funds=Decimal(funds),
        )


FILTERED = ["2023-LC-001", "2023-LC-002", "2023-LC-003"]


def table_codes(page):
    return page.locator("table.projects tbody tr td:first-child")


@pytest.mark.usefixtures("projects")
def test_reader_filters_projects_opens_one_and_downloads_the_csv(page, reader, log_in):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    log_in("reader", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.get_by_role("navigation", name="栏目").get_by_role("link", name="项目", exact=True).click()
    expect(page).to_have_url(re.compile(r"/projects/$"))
    expect(table_codes(page)).to_have_count(7)

    prefecture = page.get_by_label("州市", exact=True)
    counties = page.get_by_role("group", name="县市区", exact=True)
    counties.get_by_text("全部县市区").click()  # opens the county menu
    shown = counties.locator("fieldset label").filter(visible=True)
    expect(shown).to_have_count(6)

    prefecture.select_option(label="普洱市")
    expect(shown).to_have_text(["孟连傣族拉祜族佤族自治县", "澜沧拉祜族自治县", "西盟佤族自治县"])
    prefecture.select_option(label="西双版纳傣族自治州")
    expect(shown).to_have_text(["景洪市", "勐海县", "勐腊县"])
    prefecture.select_option(label="普洱市")
    expect(shown).to_have_text(["孟连傣族拉祜族佤族自治县", "澜沧拉祜族自治县", "西盟佤族自治县"])

    counties.get_by_label("澜沧拉祜族自治县").check()
    expect(counties.locator("summary")).to_have_text("澜沧拉祜族自治县")
    page.keyboard.press("Escape")  # closes the menu
    page.get_by_label("年度", exact=True).fill("2023")
    page.get_by_role("button", name="筛选").click()

    expect(page).to_have_url(re.compile(r"\?prefecture=530800&county=530828&year=2023"))
    expect(table_codes(page)).to_have_text(FILTERED)
    expect(page.locator("p.totals")).to_have_text("共 3 个项目，上海援助资金合计 654.61 万元。")
    expect(page.locator("p.filter-summary")).to_have_text(
        "筛选条件：州市：普洱市；县市区：澜沧拉祜族自治县；年度：2023"
    )

    page.get_by_role("link", name="澜沧县职业高级中学实训楼").click()
    expect(page).to_have_url(re.compile(r"/projects/2023-LC-002/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "澜沧县职业高级中学实训楼 2023-LC-002"
    )
    expect(page.locator("dl.facts")).to_contain_text("教育帮扶")
    expect(page.locator("dl.facts")).to_contain_text("450.00 万元")

    page.go_back()
    expect(table_codes(page)).to_have_text(FILTERED)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = download.path().read_bytes()
    assert content.startswith(codecs.BOM_UTF8)
    records = csv_records(content)
    assert records[0] == [*HEADERS, "村", "项目群"]
    assert [record[0] for record in records[1:-1]] == FILTERED
    assert records[-1] == ["（导出完毕：共%d个项目）" % len(FILTERED)]
    assert records[2][:3] == ["2023-LC-002", "澜沧县职业高级中学实训楼", "2023"]
