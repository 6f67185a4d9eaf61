"""The cadre form asks where the cadre is posted (a county or a whole prefecture) and keeps
only that place: filling both is not an error any more."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from personnel.models import Batch, Cadre

ADD = reverse("admin:personnel_cadre_add")


@pytest.fixture
def data(county, prefecture):
    batch = Batch.objects.create(number=12, start_year=2022, end_year=2025)
    return {
        "name": "示例干部21",
        "gender": "male",
        "kind": "official",
        "batch": str(batch.pk),
        "team": "",
        "sending_unit": "黄浦区发展改革委",
        "post": "副县长",
        "county": str(county.pk),
        "prefecture": str(prefecture.pk),
        "term_start": "2022年7月1日",
        "term_end": "",
        "_save": "保存",
    }


def test_posted_to_a_county_keeps_the_county_though_both_were_filled(admin_client, data, county):
    response = admin_client.post(ADD, {**data, "posted_to": "county"})

    assert response.status_code == 302
    cadre = Cadre.objects.get()
    assert (cadre.county, cadre.prefecture) == (county, None)


def test_posted_to_a_prefecture_keeps_the_prefecture(admin_client, data, prefecture):
    admin_client.post(ADD, {**data, "posted_to": "prefecture"})

    cadre = Cadre.objects.get()
    assert (cadre.county, cadre.prefecture) == (None, prefecture)


def test_the_chosen_place_is_asked_for_when_blank(admin_client, data):
    response = admin_client.post(ADD, {**data, "posted_to": "prefecture", "prefecture": ""})

    assertContains(response, "派驻到州市时，请选择派驻的州市。")
    assert not Cadre.objects.exists()


def test_the_form_asks_where_first_and_shows_the_stored_choice(admin_client, county, prefecture):
    from tests.cast import make_cadre

    cadre = make_cadre(prefecture=prefecture)

    page = admin_client.get(reverse("admin:personnel_cadre_change", args=[cadre.pk]))

    assertContains(page, "派驻到")
    assertContains(
        page,
        '<input type="radio" name="posted_to" value="prefecture" id="id_posted_to_1" checked>',
        html=True,
    )
    assertContains(page, "js/cadre-form.js")


def test_a_cadre_serves_an_institution_of_the_county_they_are_posted_to(
    admin_client, data, county, menghai
):
    from institutions.models import Institution

    hospital = Institution.objects.create(
        name="勐海县人民医院", kind="hospital", side="yunnan", county=menghai
    )
    sender = Institution.objects.create(name="上海市第六人民医院", kind="hospital", side="shanghai")
    posted = {**data, "posted_to": "county", "sending_institution": str(sender.pk), "role": "院长"}

    refused = admin_client.post(ADD, {**posted, "serving_institution": str(hospital.pk)})

    assertContains(refused, "“勐海县人民医院")
    assertContains(refused, "不在派驻的澜沧拉祜族自治县。")
    hospital.county = county
    hospital.save()
    admin_client.post(ADD, {**posted, "serving_institution": str(hospital.pk)})
    cadre = Cadre.objects.get()
    assert (cadre.sending_institution, cadre.serving_institution, cadre.role) == (
        sender,
        hospital,
        "院长",
    )
