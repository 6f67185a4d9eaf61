"""Cadres: where they are posted, for how long, and who is on post on a given day."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from pytest_django.asserts import assertContains

from counties.models import County, Prefecture
from personnel.models import Cadre
from tests.cast import make_cadre

ADD_CADRE = reverse("admin:personnel_cadre_add")
D = datetime.date(2024, 7, 1)
DAY = datetime.timedelta(days=1)


def cadre_data(**fields):
    data = {
        "name": "王芳",
        "gender": "female",
        "kind": "doctor",
        "batch": "",
        "team": "medical",
        "sending_unit": "上海市第六人民医院",
        "post": "县人民医院副院长",
        "prefecture": "",
        "county": "",
        "term_start": "2024-07-01",
        "term_end": "2025-06-30",
        "_save": "保存",
    }
    data.update(fields)
    return data


def test_admin_refuses_a_term_that_ends_before_it_starts(admin_client, county):
    data = cadre_data(county=str(county.pk), term_start="2024-07-01", term_end="2024-06-30")

    response = admin_client.post(ADD_CADRE, data)

    assertContains(response, "任期结束不能早于任期开始。")
    assert Cadre.objects.count() == 0


def test_admin_accepts_a_one_day_term(admin_client, county):
    data = cadre_data(county=str(county.pk), term_start="2024-07-01", term_end="2024-07-01")

    response = admin_client.post(ADD_CADRE, data)

    assert response.status_code == 302
    assert Cadre.objects.get().term_end == D


def test_database_refuses_a_term_that_ends_before_it_starts(county):
    with pytest.raises(IntegrityError, match="cadre_term_in_order"), transaction.atomic():
        make_cadre(county=county, term_start=D, term_end=D - DAY)
    assert Cadre.objects.count() == 0


@pytest.mark.parametrize("place", ["both", "neither"])
def test_admin_refuses_a_posting_to_both_or_neither_place(admin_client, county, place):
    if place == "both":
        data = cadre_data(county=str(county.pk), prefecture=str(county.prefecture_id))
    else:
        data = cadre_data()

    response = admin_client.post(ADD_CADRE, data)

    assertContains(response, "派驻地须为一个州市或一个县市区，二者填且只填一个。")
    assert Cadre.objects.count() == 0


def test_database_refuses_a_posting_to_both_or_neither_place(county):
    for place in ({"county": county, "prefecture": county.prefecture}, {}):
        with (
            pytest.raises(IntegrityError, match="cadre_prefecture_xor_county"),
            transaction.atomic(),
        ):
            make_cadre(term_start=D, **place)
    assert Cadre.objects.count() == 0


def cadre(name, term_start, term_end=None, **place):
    return make_cadre(name=name, term_start=term_start, term_end=term_end, **place)


def test_on_post_counts_both_ends_of_a_term_and_open_terms(county):
    cadre("已离任", D - 400 * DAY, D - DAY, county=county)
    cadre("今日到任", D, D + 700 * DAY, county=county)
    cadre("今日期满", D - 700 * DAY, D, county=county)
    cadre("任期跨今日", D - DAY, D + DAY, county=county)
    cadre("明日到任", D + DAY, D + 700 * DAY, county=county)
    cadre("仍在岗", D - 400 * DAY, county=county)
    cadre("明日到任且未定期满", D + DAY, county=county)

    on_post = set(Cadre.objects.on_post(D).values_list("name", flat=True))

    assert on_post == {"今日到任", "今日期满", "任期跨今日", "仍在岗"}


def test_in_county_is_the_county_alone_and_in_prefecture_takes_its_counties_too(county):
    menglian = County.objects.create(
        code="530827",
        name="孟连傣族拉祜族佤族自治县",
        prefecture=county.prefecture,
        division_type="自治县",
    )
    lincang = Prefecture.objects.create(code="530900", name="临沧市", division_type="地级市")
    gengma = County.objects.create(
        code="530926", name="耿马傣族佤族自治县", prefecture=lincang, division_type="自治县"
    )
    cadre("澜沧干部", D, county=county)
    cadre("孟连干部", D, county=menglian)
    cadre("普洱市干部", D, prefecture=county.prefecture)
    cadre("耿马干部", D, county=gengma)
    cadre("临沧市干部", D, prefecture=lincang)

    in_county = set(Cadre.objects.in_county(county).values_list("name", flat=True))
    in_prefecture = Cadre.objects.in_prefecture(county.prefecture).values_list("name", flat=True)

    assert in_county == {"澜沧干部"}
    assert sorted(in_prefecture) == sorted(["澜沧干部", "孟连干部", "普洱市干部"])


def test_on_post_chains_with_in_prefecture(county):
    cadre("普洱市干部", D - 400 * DAY, D - DAY, prefecture=county.prefecture)
    cadre("澜沧干部", D - 400 * DAY, county=county)

    names = Cadre.objects.in_prefecture(county.prefecture).on_post(D).values_list("name", flat=True)

    assert list(names) == ["澜沧干部"]
