"""The project list and the project page, as a logged-in reader sees them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import County, Pairing, Prefecture, ShanghaiDistrict
from personnel.models import Cadre
from projects.models import Fund, FundAllocation, ImportBatch, IndustrialPark, Project
from tests.cast import make_cadre
from tests.filter_pages import checkbox_values
from tests.pages import html, project_codes

LIST = reverse("projects:list")
YEARS_RULE = "年度须为1996至2100之间的整数，如2022或2022年，多个年度用逗号或顿号隔开；"
# Session, user, checking the prefecture and county codes asked for, count, sum of Shanghai aid,
# the page's rows, and the prefecture and county choices.
LIST_QUERIES = 12  # with the user's role and scope
# Session, user, project, allocations, pairings, cadres, documents.
DETAIL_QUERIES = 12  # with the role, scope, content type and the project's history


@pytest.fixture
def simao(prefecture):
    return County.objects.create(
        code="530802", name="思茅区", prefecture=prefecture, division_type="市辖区"
    )


@pytest.fixture
def ludian(db):
    zhaotong = Prefecture.objects.create(code="530600", name="昭通市", division_type="地级市")
    return County.objects.create(
        code="530621", name="鲁甸县", prefecture=zhaotong, division_type="县"
    )


def project(code, name, county, year, category, status, shanghai_funds, **fields):
    return Project.objects.create(
        code=code,
        name=name,
        county=county,
        year=year,
        category=category,
        status=status,
        shanghai_funds=Decimal(shanghai_funds),
        **fields,
    )


@pytest.fixture
def five_projects(county, simao, ludian):
    """Five projects in three counties of two prefectures; 720.25万元 of Shanghai aid in all."""
    project("2022-LC-001", "茶叶初制所", county, 2022, "industry", "completed", "100")
    project("2023-LC-002", "勐朗村小学改造", county, 2023, "education", "building", "37.5")
    project("2023-SM-001", "咖啡加工厂", simao, 2023, "industry", "planned", "250.25")
    project("2023-LD-001", "核桃深加工生产线", ludian, 2023, "industry", "building", "320")
    project("2021-LD-002", "卫生院设备", ludian, 2021, "health", "completed", "12.5")


def bulk_projects(county, count, prefix="2023-BULK"):
    Project.objects.bulk_create(
        Project(
            code=f"{prefix}-{n:03d}",
            name=f"批量项目{n}",
            county=county,
            category="industry",
            year=2023,
            shanghai_funds=Decimal("1.5"),
        )
        for n in range(1, count + 1)
    )


@pytest.mark.usefixtures("five_projects")
@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({}, ["2023-LC-002", "2023-LD-001", "2023-SM-001", "2022-LC-001", "2021-LD-002"]),
        ({"county": "530828"}, ["2023-LC-002", "2022-LC-001"]),
        ({"county": ["530828", "530802"]}, ["2023-LC-002", "2023-SM-001", "2022-LC-001"]),
        ({"prefecture": "530600"}, ["2023-LD-001", "2021-LD-002"]),
        ({"prefecture": "530800", "county": "530802"}, ["2023-SM-001"]),
        ({"year": "2023"}, ["2023-LC-002", "2023-LD-001", "2023-SM-001"]),
        ({"category": "industry"}, ["2023-LD-001", "2023-SM-001", "2022-LC-001"]),
        ({"status": "completed"}, ["2022-LC-001", "2021-LD-002"]),
        ({"q": "加工"}, ["2023-LD-001", "2023-SM-001"]),
        ({"q": "lc-"}, ["2023-LC-002", "2022-LC-001"]),
        (
            {"funds_min": "37.5", "funds_max": "250.25"},
            ["2023-LC-002", "2023-SM-001", "2022-LC-001"],
        ),
        ({"year": "2023", "category": "industry", "funds_min": "300"}, ["2023-LD-001"]),
    ],
)
def test_project_list_shows_exactly_the_projects_matching_every_filter(user_client, params, codes):
    response = user_client.get(LIST, params)

    assert response.status_code == 200
    assert project_codes(response) == codes


@pytest.mark.usefixtures("five_projects")
def test_project_list_counts_the_matches_and_sums_their_shanghai_aid(user_client):
    response = user_client.get(LIST, {"prefecture": "530800"})

    # 100 + 37.5 + 250.25
    assertContains(
        response, "共 <strong>3</strong> 个项目，上海援助资金合计 <strong>387.75</strong> 万元"
    )


@pytest.mark.usefixtures("five_projects")
def test_project_list_says_in_words_what_it_is_filtered_by(user_client):
    response = user_client.get(
        LIST, {"prefecture": "530800", "county": ["530828", "530802"], "year": "2023"}
    )

    assertContains(response, "筛选条件：州市：普洱市；县市区：思茅区、澜沧拉祜族自治县；年度：2023")


@pytest.mark.usefixtures("five_projects")
def test_unfiltered_list_says_it_shows_everything(user_client):
    assertContains(user_client.get(LIST), "筛选条件：无（全部记录）")


@pytest.mark.usefixtures("five_projects")
def test_choosing_a_prefecture_narrows_the_county_choices(user_client):
    everywhere = checkbox_values(user_client.get(LIST), "county")
    puer = checkbox_values(user_client.get(LIST, {"prefecture": "530800"}), "county")

    assert everywhere == ["530621", "530802", "530828"]
    assert puer == ["530802", "530828"]


@pytest.mark.usefixtures("five_projects")
def test_county_options_carry_their_prefecture_for_the_narrowing_script(user_client):
    response = user_client.get(LIST)

    assertContains(
        response,
        '<label><input type="checkbox" name="county" value="530621" data-prefecture="530600">'
        " 鲁甸县</label>",
    )
    assertContains(response, 'data-narrowed-by="prefecture"')
    assertContains(response, '<script src="/static/js/filters.js" defer></script>')


@pytest.mark.usefixtures("five_projects")
def test_a_county_outside_the_chosen_prefecture_is_refused(user_client):
    response = user_client.get(LIST, {"prefecture": "530800", "county": "530621"})

    assertContains(response, "县市区：没有区划代码为530621的县市区，或它不属于所选州市。")
    assert project_codes(response) == []


@pytest.mark.usefixtures("five_projects")
@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"year": "abc"}, "年度：%s“abc”不是。" % YEARS_RULE),
        ({"year": "2022.5"}, "年度：%s“2022.5”不是。" % YEARS_RULE),
        ({"year": "1800"}, "年度：%s“1800”不是。" % YEARS_RULE),
        ({"county": "999999"}, "县市区：没有区划代码为999999的县市区，或它不属于所选州市。"),
        ({"prefecture": "999999"}, "州市：没有区划代码为999999的州市。"),
        ({"category": "bogus"}, "项目类别：没有“bogus”这个项目类别。"),
        ({"status": "bogus"}, "项目状态：没有“bogus”这个项目状态。"),
        ({"funds_min": "abc"}, "上海援助资金不少于（万元）：请输入金额（万元），如12.5。"),
        ({"funds_max": "-1"}, "上海援助资金不超过（万元）：金额不能为负数。"),
        ({"o": "bogus"}, "排序：无法按“bogus”排序。"),
        ({"q": "长" * 101}, "编号或名称：搜索内容不能超过100个字。"),
    ],
)
def test_nonsense_filter_values_show_the_error_in_chinese_and_no_rows(user_client, params, error):
    response = user_client.get(LIST, params)

    assertContains(response, "筛选条件有误，因此未列出任何记录。")
    assertContains(response, f"<li>{error}</li>")
    assertContains(response, "没有符合条件的项目。")
    assertContains(response, "共 <strong>0</strong> 个项目")
    assert project_codes(response) == []


@pytest.mark.usefixtures("five_projects")
def test_sorting_by_a_column_header(user_client):
    ascending = user_client.get(LIST, {"o": "shanghai_funds"})
    descending = user_client.get(LIST, {"o": "-shanghai_funds"})

    by_amount = ["2021-LD-002", "2023-LC-002", "2022-LC-001", "2023-SM-001", "2023-LD-001"]
    assert project_codes(ascending) == by_amount
    assert project_codes(descending) == by_amount[::-1]


@pytest.mark.usefixtures("five_projects")
def test_column_headers_keep_the_filters_and_flip_the_current_sort(user_client):
    response = user_client.get(LIST, {"year": "2023", "o": "shanghai_funds", "page": "1"})

    # The current sort links to its reverse, shows its arrow, and goes back to page 1.
    assertContains(response, '<a href="?year=2023&amp;o=-shanghai_funds" title="按上海援助资金')
    assertContains(response, '上海援助资金（万元）</a> <span class="arrow">▲</span>')
    assertContains(response, '<a href="?year=2023&amp;o=code" title="按项目编号排序">')


def test_project_list_pages_by_fifty_and_keeps_the_filters_in_page_links(user_client, county):
    bulk_projects(county, 60)

    first = user_client.get(LIST, {"county": "530828"})
    second = user_client.get(LIST, {"county": "530828", "page": "2"})

    assert len(project_codes(first)) == 50
    assertContains(first, "第 1 / 2 页")
    assertContains(first, '<a href="?county=530828&amp;page=2" rel="next">下一页 ›</a>')
    assert project_codes(second) == [f"2023-BULK-{n:03d}" for n in range(51, 61)]


@pytest.mark.parametrize(
    ("params", "rows", "pages"),
    [
        ({"page_size": "10"}, 10, "第 1 / 25 页"),
        ({"page_size": "200"}, 200, "第 1 / 2 页"),
        ({"page_size": "5"}, 10, "第 1 / 25 页"),
        ({"page_size": "1000"}, 200, "第 1 / 2 页"),
        ({"page_size": "abc"}, 50, "第 1 / 5 页"),
        ({"page": "999"}, 50, "第 5 / 5 页"),
        ({"page": "abc"}, 50, "第 1 / 5 页"),
        ({"page": "-1"}, 50, "第 5 / 5 页"),
    ],
)
def test_page_and_page_size_clamp_instead_of_failing(user_client, county, params, rows, pages):
    bulk_projects(county, 250)

    response = user_client.get(LIST, params)

    assert response.status_code == 200
    assert len(project_codes(response)) == rows
    assertContains(response, pages)


@pytest.mark.usefixtures("five_projects")
def test_export_links_carry_the_filters_but_not_paging_or_sorting(user_client):
    params = {"county": ["530828", "530802"], "year": "2023", "page": "1", "page_size": "10"}
    response = user_client.get(LIST, {**params, "o": "-year"})

    query = "?county=530828&amp;county=530802&amp;year=2023"
    assertContains(response, f'href="/projects/export.csv{query}"')
    assertContains(response, f'href="/projects/export.xlsx{query}"')


@pytest.mark.usefixtures("five_projects")
def test_export_links_are_hidden_while_the_filters_are_wrong(user_client):
    assertNotContains(user_client.get(LIST, {"year": "abc"}), "/projects/export.csv")


def test_project_list_queries_do_not_grow_with_the_page_size(
    user_client, county, django_assert_max_num_queries
):
    bulk_projects(county, 250)
    params = {"prefecture": "530800", "county": "530828"}

    counted = []
    for page_size in (10, 200):
        with django_assert_max_num_queries(LIST_QUERIES) as queries:
            response = user_client.get(LIST, {**params, "page_size": page_size})
        assert len(project_codes(response)) == page_size
        counted.append(len(queries))

    assert counted[0] == counted[1]


# The project page


@pytest.fixture
def pairings(county, simao, district):
    """Huangpu paired with Lancang itself since 2017 (and once, before 2017, with Jinshan);
    Minhang with the whole of Pu'er since 2021."""
    minhang = ShanghaiDistrict.objects.create(code="310112", name="闵行区")
    jinshan = ShanghaiDistrict.objects.create(code="310116", name="金山区")
    Pairing.objects.create(district=district, county=county, from_year=2017)
    Pairing.objects.create(district=jinshan, county=county, from_year=2010, to_year=2016)
    Pairing.objects.create(district=minhang, prefecture=county.prefecture, from_year=2021)


def partners_shown(response):
    page = html(response)
    start = page.index("<dt>上海结对区</dt>")
    return page[start : page.index("</dd>", start)]


@pytest.mark.usefixtures("pairings")
def test_project_page_names_the_district_paired_with_its_county_that_year(user_client, county):
    lancang = project("2023-LC-001", "茶叶初制所", county, 2023, "industry", "building", "10")

    shown = partners_shown(user_client.get(lancang.get_absolute_url()))

    assert "黄浦区" in shown
    assert "闵行区" not in shown  # the prefecture-level pairing gives way to the county's own
    assert "金山区" not in shown  # ended in 2016


@pytest.mark.usefixtures("pairings")
def test_project_page_falls_back_to_the_pairing_with_the_prefecture(user_client, simao):
    coffee = project("2023-SM-001", "咖啡加工厂", simao, 2023, "industry", "planned", "10")

    shown = partners_shown(user_client.get(coffee.get_absolute_url()))

    assert "闵行区（与普洱市结对）" in shown


@pytest.mark.usefixtures("pairings")
def test_project_page_shows_every_district_paired_with_the_county_that_year(user_client, county):
    Pairing.objects.create(
        district=ShanghaiDistrict.objects.get(name="金山区"), county=county, from_year=2020
    )
    lancang = project("2023-LC-001", "茶叶初制所", county, 2023, "industry", "building", "10")

    shown = partners_shown(user_client.get(lancang.get_absolute_url()))

    assert "黄浦区、金山区" in shown


@pytest.mark.usefixtures("pairings")
def test_project_page_of_an_older_year_shows_the_pairing_of_that_year(user_client, county):
    old = project("2012-LC-001", "旧项目", county, 2012, "village", "completed", "10")

    shown = partners_shown(user_client.get(old.get_absolute_url()))

    assert "金山区" in shown
    assert "黄浦区" not in shown


def test_project_page_sums_the_money_allocated_from_each_fund_source(user_client, county):
    lancang = project("2023-LC-001", "茶叶初制所", county, 2023, "industry", "building", "70")
    for year, source, amount, allocated in [
        (2023, "city", "100", "30"),
        (2022, "city", "50", "20"),
        (2023, "district", "80", "15.5"),
    ]:
        fund = Fund.objects.create(source=source, year=year, county=county, amount=Decimal(amount))
        FundAllocation.objects.create(fund=fund, project=lancang, amount=Decimal(allocated))

    response = user_client.get(lancang.get_absolute_url())

    assertContains(response, '<tr><td>上海市级财政援助</td><td class="num">50.00</td></tr>')
    assertContains(response, '<tr><td>区级财政援助</td><td class="num">15.50</td></tr>')


def test_project_page_says_which_import_last_wrote_it(user_client, county, django_user_model):
    clerk = django_user_model.objects.create_user("wangfang")
    batch = ImportBatch.objects.create(
        kind="yearly_report",
        channel="admin",
        user=clerk,
        file_name="2023年度项目.xlsx",
        imported_at=timezone.make_aware(datetime.datetime(2024, 3, 1, 10, 30)),
    )
    lancang = project("2023-LC-001", "茶叶初制所", county, 2023, "industry", "building", "10")
    Project.objects.filter(pk=lancang.pk).update(import_batch=batch)

    response = user_client.get(lancang.get_absolute_url())

    assertContains(response, "2023年度项目.xlsx（2024-03-01 10:30导入，导入人：wangfang）")


def test_project_page_of_a_hand_entered_project_says_so(user_client, county):
    lancang = project("2023-LC-001", "茶叶初制所", county, 2023, "industry", "building", "10")

    assertContains(user_client.get(lancang.get_absolute_url()), "未经文件导入，系手工录入")


def test_project_page_links_its_park_and_cadres(user_client, county):
    park = IndustrialPark.objects.create(name="澜沧沪滇产业园", county=county, year_founded=2019)
    lancang = project(
        "2023-LC-001", "茶叶初制所", county, 2023, "industry", "building", "10", park=park
    )
    cadre = make_cadre(name="张伟", kind="official", post="副县长", county=county)
    lancang.cadres.add(cadre)

    response = user_client.get(lancang.get_absolute_url())

    assertContains(response, f'<a href="/parks/{park.pk}/">澜沧沪滇产业园</a>')
    assertContains(response, f'<a href="/personnel/{cadre.pk}/">张伟</a>（党政干部，副县长）')


def test_unknown_project_code_is_not_found_in_the_site_style(user_client):
    response = user_client.get(reverse("projects:detail", args=["NO-SUCH-CODE"]))

    assertContains(response, "您要找的记录不存在，或代码有误。", status_code=404)
    assertContains(response, 'class="site-header"', status_code=404)


@pytest.mark.usefixtures("pairings")
def test_project_page_queries_do_not_grow_with_its_allocations_and_cadres(
    user_client, county, django_assert_max_num_queries
):
    lancang = project("2023-LC-001", "茶叶初制所", county, 2023, "industry", "building", "10")

    counted = []
    for related in (10, 200):
        add_allocations_and_cadres(lancang, related - lancang.allocations.count())
        with django_assert_max_num_queries(DETAIL_QUERIES) as queries:
            response = user_client.get(lancang.get_absolute_url())
        assertContains(response, f'<td class="num">{related}.00</td></tr>')  # the city funds' total
        assert len(re.findall(r'<a href="/personnel/\d+/">', html(response))) == related
        counted.append(len(queries))

    assert counted[0] == counted[1]


def add_allocations_and_cadres(project, count):
    funds = Fund.objects.bulk_create(
        Fund(source="city", year=2023, county=project.county, amount=Decimal("10"))
        for _ in range(count)
    )
    FundAllocation.objects.bulk_create(
        FundAllocation(fund=fund, project=project, amount=Decimal("1")) for fund in funds
    )
    cadres = Cadre.objects.bulk_create(
        Cadre(
            name=f"干部{n}",
            gender="male",
            kind="official",
            sending_unit="黄浦区",
            post="副县长",
            county=project.county,
            term_start=datetime.date(2023, 1, 1),
        )
        for n in range(count)
    )
    project.cadres.add(*cadres)
