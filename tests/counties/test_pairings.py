"""A pairing links a Shanghai district with one prefecture or one county, for a span of years."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from pytest_django.asserts import assertContains

from counties.models import County, Pairing, Prefecture, ShanghaiDistrict

ONE_PARTNER = "结对对象须为一个州市或一个县市区，二者填且只填一个。"


def pairing_data(district, prefecture=None, county=None, **fields):
    data = {
        "district": str(district.pk),
        "prefecture": str(prefecture.pk) if prefecture else "",
        "county": str(county.pk) if county else "",
        "from_year": "2021",
        "to_year": "",
        "basis": "explicit",
        "source": "",
        "_save": "保存",
    }
    data.update(fields)
    return data


def test_admin_refuses_a_pairing_with_both_prefecture_and_county(admin_client, district, county):
    data = pairing_data(district, prefecture=county.prefecture, county=county)

    response = admin_client.post(reverse("admin:counties_pairing_add"), data)

    assertContains(response, ONE_PARTNER)
    assert Pairing.objects.count() == 0


def test_admin_refuses_a_pairing_with_neither_prefecture_nor_county(admin_client, district):
    response = admin_client.post(reverse("admin:counties_pairing_add"), pairing_data(district))

    assertContains(response, ONE_PARTNER)
    assert Pairing.objects.count() == 0


def test_admin_accepts_a_pairing_with_a_county_only(admin_client, district, county):
    data = pairing_data(district, county=county)

    response = admin_client.post(reverse("admin:counties_pairing_add"), data)

    assert response.status_code == 302
    assert Pairing.objects.get().partner == county


def test_database_refuses_a_pairing_with_both_or_neither_partner(district, county):
    for partner in ({"prefecture": county.prefecture, "county": county}, {}):
        with (
            pytest.raises(IntegrityError, match="pairing_prefecture_xor_county"),
            transaction.atomic(),
        ):
            Pairing.objects.create(district=district, from_year=2021, **partner)
    assert Pairing.objects.count() == 0


def test_database_refuses_moving_a_county_pairing_onto_its_prefecture_too(district, county):
    pairing = Pairing.objects.create(district=district, county=county, from_year=2021)

    with pytest.raises(IntegrityError, match="pairing_prefecture_xor_county"), transaction.atomic():
        Pairing.objects.filter(pk=pairing.pk).update(prefecture=county.prefecture)
    pairing.refresh_from_db()
    assert pairing.prefecture is None


@pytest.fixture
def pairings(county):
    """Pu'er's pairings as the redrawings left them, plus some that must not show for Lancang.

    Lancang (530828) sits in Pu'er (530800); Menglian (530827) is its neighbour in Pu'er;
    Lincang (530900) is another prefecture.
    """
    menglian = County.objects.create(
        code="530827",
        name="孟连傣族拉祜族佤族自治县",
        prefecture=county.prefecture,
        division_type="自治县",
    )
    lincang = Prefecture.objects.create(code="530900", name="临沧市", division_type="地级市")
    d = {
        code: ShanghaiDistrict.objects.create(code=code, name=name)
        for code, name in [
            ("310101", "黄浦区"),
            ("310104", "徐汇区"),
            ("310112", "闵行区"),
            ("310113", "宝山区"),
            ("310115", "浦东新区"),
        ]
    }
    return {
        "黄浦区与澜沧 2017—2020": Pairing.objects.create(
            district=d["310101"], county=county, from_year=2017, to_year=2020
        ),
        "徐汇区与澜沧 2021—": Pairing.objects.create(
            district=d["310104"], county=county, from_year=2021
        ),
        "闵行区与普洱 年度不详": Pairing.objects.create(
            district=d["310112"], prefecture=county.prefecture
        ),
        "宝山区与孟连 2017—": Pairing.objects.create(
            district=d["310113"], county=menglian, from_year=2017
        ),
        "浦东新区与临沧 2017—": Pairing.objects.create(
            district=d["310115"], prefecture=lincang, from_year=2017
        ),
    }


def partners_in(year, county):
    return {str(p) for p in Pairing.objects.active_in(year).for_county(county)}


def names(pairings, *keys):
    return {str(pairings[key]) for key in keys}


@pytest.mark.parametrize(
    ("year", "keys"),
    [
        (2016, ["闵行区与普洱 年度不详"]),
        (2017, ["黄浦区与澜沧 2017—2020", "闵行区与普洱 年度不详"]),
        (2020, ["黄浦区与澜沧 2017—2020", "闵行区与普洱 年度不详"]),
        (2021, ["徐汇区与澜沧 2021—", "闵行区与普洱 年度不详"]),
        (2030, ["徐汇区与澜沧 2021—", "闵行区与普洱 年度不详"]),
    ],
)
def test_pairings_in_force_for_a_county_include_its_prefecture(pairings, county, year, keys):
    assert partners_in(year, county) == names(pairings, *keys)
