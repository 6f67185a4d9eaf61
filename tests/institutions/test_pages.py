"""The institution and pairing lists, an institution's page and the yearly summary, as
readers see them: filtered, scoped, and at a cost that does not grow with the page."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import ShanghaiDistrict, Village
from institutions.models import Institution, InstitutionPairing
from tests.institutions.cast import SH, YN, member

LIST = reverse("institutions:list")
PAIRINGS = reverse("institutions:pairing_list")
SUMMARY = reverse("institutions:summary")
Kind = Institution.Kind


def names(response):
    return sorted(obj.name for obj in response.context["object_list"])


def pairs(response):
    return sorted("%s↔%s" % (p.helper.name, p.counterpart) for p in response.context["object_list"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {},
            [
                "上海交通大学医学院附属瑞金医院",
                "上海市格致中学",
                "勐海县人民医院",
                "普洱市第一中学",
                "澜沧拉祜族自治县第一人民医院",
            ],
        ),
        ({"kind": "school"}, ["上海市格致中学", "普洱市第一中学"]),
        ({"side": "shanghai"}, ["上海交通大学医学院附属瑞金医院", "上海市格致中学"]),
        ({"prefecture": "530800"}, ["普洱市第一中学", "澜沧拉祜族自治县第一人民医院"]),
        ({"county": "532822"}, ["勐海县人民医院"]),
        ({"district": "310101", "kind": "hospital"}, ["上海交通大学医学院附属瑞金医院"]),
        ({"q": "人民医院"}, ["勐海县人民医院", "澜沧拉祜族自治县第一人民医院"]),
    ],
)
def test_institution_list_shows_the_institutions_matching_every_filter(
    user_client, cast, params, expected
):
    assert names(user_client.get(LIST, params)) == sorted(expected)


def test_institution_list_finds_an_institution_by_its_credit_code(user_client, cast):
    Institution.objects.filter(pk=cast["ruijin"].pk).update(credit_code="91310000425006117X")

    assert names(user_client.get(LIST, {"q": "91310000425006117x"})) == [
        "上海交通大学医学院附属瑞金医院"
    ]


def test_nonsense_filter_values_show_the_error_in_chinese_and_no_rows(user_client, cast):
    response = user_client.get(LIST, {"kind": "castle", "district": "999999"})

    assert names(response) == []
    assertContains(response, "没有“castle”这个机构类别。")
    assertContains(response, "没有区划代码为999999的上海市辖区。")


def test_a_county_reader_sees_shanghai_institutions_and_those_of_the_county_only(
    lancang_reader, cast
):
    assert names(lancang_reader.get(LIST)) == sorted(
        ["上海交通大学医学院附属瑞金医院", "上海市格致中学", "澜沧拉祜族自治县第一人民医院"]
    )
    other = lancang_reader.get(cast["menghai_hospital"].get_absolute_url())
    prefecture_school = lancang_reader.get(cast["puer_school"].get_absolute_url())
    assert (other.status_code, prefecture_school.status_code) == (404, 404)


def test_an_institution_page_lists_its_pairings_the_reader_may_see(lancang_reader, cast):
    response = lancang_reader.get(cast["ruijin"].get_absolute_url())

    assertContains(response, "澜沧拉祜族自治县第一人民医院")
    assertNotContains(response, "勐海县人民医院")
    assertContains(response, "结对（历年） <small>1条</small>", html=False)


def test_an_institution_page_lists_all_its_pairings_to_a_province_reader(user_client, cast):
    response = user_client.get(cast["ruijin"].get_absolute_url())

    assert [p.counterpart.name for p in response.context["pairings"]] == [
        "澜沧拉祜族自治县第一人民医院",
        "勐海县人民医院",
    ]
    assertContains(response, "上海交通大学医学院附属瑞金医院")


@pytest.fixture
def more_pairings(cast, county, menghai, district):
    """Besides the cast's (2023–2025): a 163 pairing with 普洱市 (2021–2023), a 村企结对 with a
    village of 勐海 (from 2024), and a pairing of another district's enterprise with 澜沧."""
    minhang = ShanghaiDistrict.objects.create(code="310112", name="闵行区")
    fund = Institution.objects.create(name="上海某基金会", kind=Kind.SOCIAL, side=SH)
    firm = Institution.objects.create(
        name="上海某集团", kind=Kind.ENTERPRISE, side=SH, district=minhang
    )
    village = Village.objects.create(name="曼班村", township="勐遮镇", county=menghai)
    InstitutionPairing.objects.create(
        kind="action_163",
        helper=fund,
        partner_prefecture=county.prefecture,
        from_year=2021,
        to_year=2023,
        committed=100,
    )
    InstitutionPairing.objects.create(
        kind="village", helper=firm, partner_village=village, from_year=2024
    )
    InstitutionPairing.objects.create(
        kind="other", helper=firm, partner_county=county, from_year=2022
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"kind": "medical"},
            [
                "上海交通大学医学院附属瑞金医院↔勐海县人民医院",
                "上海交通大学医学院附属瑞金医院↔澜沧拉祜族自治县第一人民医院",
            ],
        ),
        ({"year": "2022"}, ["上海某基金会↔普洱市", "上海某集团↔澜沧拉祜族自治县"]),
        ({"year": "2026"}, ["上海某集团↔勐海县勐遮镇曼班村", "上海某集团↔澜沧拉祜族自治县"]),
        (
            {"prefecture": "530800"},
            [
                "上海交通大学医学院附属瑞金医院↔澜沧拉祜族自治县第一人民医院",
                "上海某基金会↔普洱市",
                "上海某集团↔澜沧拉祜族自治县",
                "上海市格致中学↔普洱市第一中学",
            ],
        ),
        (
            {"county": "530828"},
            [
                "上海交通大学医学院附属瑞金医院↔澜沧拉祜族自治县第一人民医院",
                "上海某集团↔澜沧拉祜族自治县",
            ],
        ),
        ({"county": ["530828", "532822"], "kind": "village"}, ["上海某集团↔勐海县勐遮镇曼班村"]),
        ({"district": "310112"}, ["上海某集团↔勐海县勐遮镇曼班村", "上海某集团↔澜沧拉祜族自治县"]),
        ({"q": "格致"}, ["上海市格致中学↔普洱市第一中学"]),
    ],
)
def test_pairing_list_shows_the_pairings_matching_every_filter(
    user_client, more_pairings, params, expected
):
    assert pairs(user_client.get(PAIRINGS, params)) == sorted(expected)


def test_pairing_list_counts_the_matches_and_sums_the_money_committed(user_client, more_pairings):
    response = user_client.get(PAIRINGS)

    assertContains(
        response, "共 <strong>6</strong> 条结对，承诺帮扶资金合计 <strong>100.00</strong> 万元。"
    )


def test_a_county_reader_sees_the_pairings_of_the_county_only(lancang_reader, more_pairings):
    # Not 普洱市's own school, nor the pairing with the whole prefecture: the prefecture's rows.
    assert pairs(lancang_reader.get(PAIRINGS)) == sorted(
        [
            "上海交通大学医学院附属瑞金医院↔澜沧拉祜族自治县第一人民医院",
            "上海某集团↔澜沧拉祜族自治县",
        ]
    )


def test_a_prefecture_reader_sees_the_prefectures_own_pairings_too(
    client, django_user_model, more_pairings, county
):
    user = member(django_user_model, "puer", "查看者", prefectures=[county.prefecture])
    client.force_login(user)

    assert pairs(client.get(PAIRINGS)) == sorted(
        [
            "上海交通大学医学院附属瑞金医院↔澜沧拉祜族自治县第一人民医院",
            "上海某基金会↔普洱市",
            "上海某集团↔澜沧拉祜族自治县",
            "上海市格致中学↔普洱市第一中学",
        ]
    )


@pytest.fixture
def many(county, district):
    """250 Yunnan schools of 澜沧, each paired with one of 250 Shanghai schools."""
    shanghai = Institution.objects.bulk_create(
        Institution(name="上海学校%03d" % n, kind=Kind.SCHOOL, side=SH, district=district)
        for n in range(250)
    )
    yunnan = Institution.objects.bulk_create(
        Institution(name="云南学校%03d" % n, kind=Kind.SCHOOL, side=YN, county=county)
        for n in range(250)
    )
    InstitutionPairing.objects.bulk_create(
        InstitutionPairing(kind="education", helper=a, partner=b, from_year=2023)
        for a, b in zip(shanghai, yunnan, strict=True)
    )


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (LIST, {"prefecture": "530800", "county": "530828"}),
        (PAIRINGS, {"prefecture": "530800", "county": "530828", "year": "2024"}),
    ],
)
def test_list_queries_do_not_grow_with_the_page_size(
    user_client, many, url, params, django_assert_max_num_queries
):
    counted = []
    for page_size in (10, 200):
        with django_assert_max_num_queries(12) as queries:
            response = user_client.get(url, {**params, "page_size": page_size})
        assert len(response.context["object_list"]) == page_size
        counted.append(len(queries))

    assert counted[0] == counted[1]


def summary_lines(response):
    return [line["text"] for line in response.context["lines"]]


def test_the_summary_counts_institutions_and_counterparts_of_each_kind(user_client, seed):
    response = user_client.get(SUMMARY, {"year": 2024})

    assert summary_lines(response) == [
        "48 家上海医院结对帮扶 35 家云南医院",
        "35 所上海学校结对帮扶 38 所云南学校",
        "16 家上海社会组织结对帮扶 15 个州市",
    ]
    assertContains(response, "<td>35 所上海学校结对帮扶 38 所云南学校</td>", html=True)
    assert [line["pairings"] for line in response.context["lines"]] == [48, 38, 16]
    assertContains(response, '<td class="num">1,600.00</td>', html=True)


def test_the_summary_counts_only_the_pairings_in_force_that_year(user_client, seed):
    assert summary_lines(user_client.get(SUMMARY, {"year": 2022})) == [
        "1 家上海医院结对帮扶 1 家云南医院",
        "1 所上海学校结对帮扶 1 所云南学校",
    ]


def test_the_summary_keeps_to_the_readers_scope(lancang_reader, seed):
    # The 163 pairings are with whole prefectures, outside a county's scope.
    assert summary_lines(lancang_reader.get(SUMMARY, {"year": 2024})) == [
        "48 家上海医院结对帮扶 35 家云南医院",
        "35 所上海学校结对帮扶 38 所云南学校",
    ]


def test_the_summary_is_of_this_year_unless_asked_and_says_a_wrong_year(user_client, seed):
    this_year = timezone.localdate().year

    assert user_client.get(SUMMARY).context["year"] == this_year
    response = user_client.get(SUMMARY, {"year": "1900"})
    assert response.context["year"] == this_year
    assertContains(response, "年度须为1996至2100之间的整数。")


def test_the_county_section_lists_the_pairings_of_the_county_and_its_prefecture(
    user_client, more_pairings, county, django_user_model, django_assert_num_queries
):
    request = RequestFactory().get("/")
    request.user = django_user_model.objects.get(username="reader")
    template = Template("{% load institution_pairings %}{% county_institutions county %}")

    with django_assert_num_queries(2):  # the reader's scope, the pairings
        page = template.render(Context({"request": request, "county": county}))

    assert "机构结对（历年） <small>3条" in page
    for shown in ("澜沧拉祜族自治县第一人民医院", "上海某基金会", "上海某集团"):
        assert shown in page
    assert "勐海县人民医院" not in page and "普洱市第一中学" not in page


def test_an_institution_page_costs_the_same_however_many_pairings(
    user_client, many, django_assert_max_num_queries
):
    helper = Institution.objects.get(name="上海学校000")
    partners = Institution.objects.filter(side=YN)[1:120]

    def queries():
        with django_assert_max_num_queries(10) as captured:
            user_client.get(helper.get_absolute_url())
        return len(captured)

    before = queries()
    InstitutionPairing.objects.bulk_create(
        InstitutionPairing(kind="education", helper=helper, partner=p, from_year=2024)
        for p in partners
    )
    assert queries() == before


@pytest.mark.parametrize(
    "url", [LIST, PAIRINGS, SUMMARY, reverse("institutions:coverage")], ids=lambda u: u
)
def test_the_pages_need_a_login_and_the_reading_role(client, django_user_model, county, url):
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(member(django_user_model, "importer", "导入员", counties=[county]))
    assertContains(client.get(url), "需要“查看者”角色", status_code=403)
