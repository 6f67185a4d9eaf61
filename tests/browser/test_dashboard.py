"""A reader opens the dashboard in a real browser: picks a year, reads a completion rate, sees
the charts, downloads the XLSX, then narrows to a prefecture whose rate adds up its counties."""

import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook
from playwright.sync_api import expect

from counties.models import County, Prefecture, Scope
from indicators.models import Indicator, IndicatorFigure
from tests.conftest import restore_catalogue

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "浏览器测试-密码-2023"


@pytest.fixture
def indicators():
    """The catalogue of 22 indicators: a transactional test before this one flushed the rows
    that migration 0009 wrote."""
    if Indicator.objects.count() == 0:
        restore_catalogue()


@pytest.fixture
def reader(django_user_model):
    user = django_user_model.objects.create_user("reader", password=PASSWORD)
    user.groups.add(Group.objects.get(name="查看者"))
    Scope.objects.create(user=user, everywhere=True)
    return user


@pytest.fixture
def figures(indicators):
    """帮助农村劳动力就业: the province's 2022 figures (40,000 agreed, 180,110 achieved: 450.3%)
    and a 2023 one, so that the dashboard opens on 2023; 普洱市 reports nothing itself, its
    two counties do: (4,100 + 1,500) ÷ (3,000 + 2,000) = 5,600 ÷ 5,000 = 112.0%."""
    puer = Prefecture.objects.create(code="530800", name="普洱市", division_type="地级市")
    lancang = County.objects.create(
        code="530828", name="澜沧拉祜族自治县", prefecture=puer, division_type="自治县"
    )
    menglian = County.objects.create(
        code="530827", name="孟连傣族拉祜族佤族自治县", prefecture=puer, division_type="自治县"
    )
    jobs = Indicator.objects.get(code="labour_jobs")
    for year, level, county, target, result in [
        (2022, "province", None, "40000", "180110"),
        (2023, "province", None, "42000", "50000"),
        (2022, "county", lancang, "3000", "4100"),
        (2022, "county", menglian, "2000", "1500"),
    ]:
        IndicatorFigure.objects.create(
            indicator=jobs,
            year=year,
            level=level,
            county=county,
            target=Decimal(target),
            result=Decimal(result),
        )


def rate(page, code):
    return page.locator('table.scorecard tr[data-indicator="%s"] td.rate' % code)


@pytest.mark.usefixtures("figures")
def test_reader_reads_the_labour_rate_downloads_the_xlsx_and_narrows_to_a_prefecture(
    page, reader, log_in
):
    page.goto("/accounts/login/")
    log_in("reader", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.get_by_role("navigation", name="栏目").get_by_role("link", name="指标看板").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("2023年沪滇协作指标看板 全省")

    page.get_by_label("年度", exact=True).select_option(label="2022年")
    page.get_by_role("button", name="查看").click()

    expect(page).to_have_url(re.compile(r"/dashboard/\?year=2022&place=$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("2022年沪滇协作指标看板 全省")
    expect(rate(page, "labour_jobs")).to_have_text("450.3%")
    rates = page.get_by_role("img", name="各指标完成率")
    expect(rates).to_be_visible()
    expect(rates).to_contain_text("450.3%")
    # The cast has no projects and no labour destinations: those charts say so instead.
    expect(page.locator("figure.chart svg")).to_have_count(1)
    expect(page.locator("figure.chart").filter(has_text="本年度暂无数据")).to_have_count(4)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载XLSX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    # The download is saved without an extension, which openpyxl would refuse by name.
    workbook = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    rows = list(workbook["协作指标"].values)
    assert rows[0][0].endswith("沪滇协作指标")  # the title, then the header
    header = list(rows[1])
    name, completion = header.index("指标"), header.index("完成率（%）")
    # The province's section comes first: its name across a row, then its indicators.
    assert rows[2][0] == "全省"
    [province_row] = [r for r in rows[3:26] if r[name] == "帮助农村劳动力就业"]
    assert province_row[completion] == 450.3

    page.get_by_label("地点", exact=True).select_option(label="普洱市")
    page.get_by_role("button", name="查看").click()

    expect(page).to_have_url(re.compile(r"/dashboard/\?year=2022&place=530800$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("2022年沪滇协作指标看板 普洱市")
    expect(rate(page, "labour_jobs")).to_have_text("112.0%")
    lancang = page.locator("table.parts tbody tr").filter(has_text="澜沧拉祜族自治县")
    expect(lancang).to_contain_text("136.7%")  # 4,100 ÷ 3,000
