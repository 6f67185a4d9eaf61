"""The admin screens of institutions and their pairings: the roles' permissions, the scope, and
the audit trail of what the admin saves."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains

from counties.models import AuditEntry
from institutions.models import Institution, InstitutionPairing
from tests.institutions.cast import member

INSTITUTIONS = reverse("admin:institutions_institution_changelist")
PAIRINGS = reverse("admin:institutions_institutionpairing_changelist")
ADD_INSTITUTION = reverse("admin:institutions_institution_add")
ADD_PAIRING = reverse("admin:institutions_institutionpairing_add")


def permissions(role):
    group = Group.objects.get(name=role)
    return set(
        group.permissions.filter(content_type__app_label="institutions").values_list(
            "codename", flat=True
        )
    )


def test_the_roles_hold_the_permissions_of_a_registry(db):
    both = ["institution", "institutionpairing"]
    assert permissions("录入员") == {f"{a}_{m}" for a in ("add", "change", "view") for m in both}
    assert permissions("查看者") == {f"view_{m}" for m in both}
    assert permissions("导入员") == set()
    assert permissions("系统管理员") == {
        f"{a}_{m}" for a in ("add", "change", "delete", "view") for m in both
    }


@pytest.fixture
def lancang_clerk(client, django_user_model, county):
    """A 录入员 of 澜沧 alone."""
    client.force_login(member(django_user_model, "clerk", "录入员", staff=True, counties=[county]))
    return client


def listed(response):
    return sorted(str(obj) for obj in response.context["cl"].result_list)


def test_the_admin_lists_hold_only_the_scope(lancang_clerk, cast):
    assert listed(lancang_clerk.get(INSTITUTIONS)) == sorted(
        ["上海交通大学医学院附属瑞金医院", "上海市格致中学", "澜沧拉祜族自治县第一人民医院"]
    )
    assert listed(lancang_clerk.get(PAIRINGS)) == [
        "上海交通大学医学院附属瑞金医院 ↔ 澜沧拉祜族自治县第一人民医院（2023–2025）"
    ]


def test_another_scopes_record_by_admin_url_is_forbidden(lancang_clerk, cast):
    hospital = cast["menghai_hospital"]
    pairing = InstitutionPairing.objects.get(partner=hospital)

    for url in (
        reverse("admin:institutions_institution_change", args=[hospital.pk]),
        reverse("admin:institutions_institutionpairing_change", args=[pairing.pk]),
    ):
        assert lancang_clerk.get(url).status_code == 403


def test_a_clerk_adds_an_institution_of_the_county_with_an_audit_entry(lancang_clerk, county):
    response = lancang_clerk.post(
        ADD_INSTITUTION,
        {
            "kind": "school",
            "name": "澜沧县第一中学",
            "credit_code": "",
            "side": "yunnan",
            "county": county.pk,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    school = Institution.objects.get(name="澜沧县第一中学")
    entry = AuditEntry.objects.get(object_id=str(school.pk), content_type__model="institution")
    assert (entry.action, entry.county_id, entry.user.username) == ("create", county.pk, "clerk")
    assert entry.changes["name"] == [None, "澜沧县第一中学"]


def test_a_clerk_cannot_place_an_institution_outside_the_scope(lancang_clerk, menghai):
    response = lancang_clerk.post(
        ADD_INSTITUTION,
        {"kind": "school", "name": "勐海县第一中学", "side": "yunnan", "county": menghai.pk},
    )

    assert response.status_code == 200
    assert "county" in response.context["adminform"].form.errors
    assert not Institution.objects.filter(name="勐海县第一中学").exists()


def test_a_pairing_saved_in_the_admin_is_audited_under_its_yunnan_county(
    lancang_clerk, cast, county
):
    response = lancang_clerk.post(
        ADD_PAIRING,
        {
            "kind": "education",
            "helper": cast["gezhi"].pk,
            "partner": Institution.objects.create(
                name="澜沧县民族中学", kind="school", side="yunnan", county=county
            ).pk,
            "from_year": 2023,
            "to_year": 2025,
            "committed": "",
            "basis": "explicit",
            "source": "沪滇教育组团式帮扶名单",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    pairing = InstitutionPairing.objects.get(partner__name="澜沧县民族中学")
    entry = AuditEntry.objects.get(
        object_id=str(pairing.pk), content_type__model="institutionpairing"
    )
    assert (entry.action, entry.county_id) == ("create", county.pk)


def test_the_pairing_form_offers_shanghai_helpers_and_yunnan_partners_only(lancang_clerk, cast):
    response = lancang_clerk.post(
        ADD_PAIRING,
        {
            "kind": "medical",
            "helper": cast["lancang_hospital"].pk,
            "partner": cast["ruijin"].pk,
            "from_year": 2024,
            "basis": "explicit",
        },
    )

    errors = response.context["adminform"].form.errors
    assert set(errors) == {"helper", "partner"}


def test_the_pairing_form_says_what_a_kind_needs(lancang_clerk, cast):
    response = lancang_clerk.post(
        ADD_PAIRING,
        {
            "kind": "education",
            "helper": cast["ruijin"].pk,
            "partner": cast["lancang_hospital"].pk,
            "from_year": 2024,
            "basis": "explicit",
        },
    )

    assertContains(
        response, "组团式教育的上海帮扶机构须为学校，上海交通大学医学院附属瑞金医院是医院。"
    )
    assertContains(
        response, "组团式教育的云南结对机构须为学校，澜沧拉祜族自治县第一人民医院是医院。"
    )


def test_the_admin_screens_open_with_their_records(admin_client, cast):
    pairing = InstitutionPairing.objects.first()
    for url in (
        INSTITUTIONS,
        PAIRINGS,
        ADD_INSTITUTION,
        ADD_PAIRING,
        reverse("admin:institutions_institution_change", args=[cast["ruijin"].pk]),
        reverse("admin:institutions_institutionpairing_change", args=[pairing.pk]),
        INSTITUTIONS + "?kind__exact=hospital&side__exact=yunnan",
        INSTITUTIONS + "?county__id__exact=%d" % cast["lancang_hospital"].county_id,
        PAIRINGS + "?kind__exact=medical&from_year=2023",
        PAIRINGS + "?helper__district__id__exact=%d" % cast["ruijin"].district_id,
        INSTITUTIONS + "?q=瑞金",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_the_export_holds_the_scope_under_chinese_headers(lancang_clerk, cast):
    for model, shown, hidden in (
        ("institution", "澜沧拉祜族自治县第一人民医院", "勐海县人民医院"),
        ("institutionpairing", "澜沧拉祜族自治县第一人民医院", "勐海县人民医院"),
    ):
        response = lancang_clerk.post(
            reverse(f"admin:institutions_{model}_export"), {"format": "1"}
        )
        header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        text = str(rows)
        assert shown in text and hidden not in text
        assert "统一社会信用代码" in header if model == "institution" else "结对类型" in header


def test_the_place_filters_are_one_select_each(admin_client, cast):
    county_id = cast["lancang_hospital"].county_id
    response = admin_client.get(INSTITUTIONS, {"county__id__exact": county_id})

    assert listed(response) == ["澜沧拉祜族自治县第一人民医院"]
    assertContains(response, '<select name="county__id__exact"', count=1)
