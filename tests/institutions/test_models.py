"""What an institution and a pairing must be: the database refuses the rest, and full_clean
says why in Chinese."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from institutions.models import Institution, InstitutionPairing, credit_code
from tests.institutions.cast import SH, YN, institution

Kind = Institution.Kind
# Real codes, their check characters verified by hand against GB 32100-2015.
VALID_CODES = ["91350100M000100Y43", "91110000600037341L", "91330100716105852F"]


def refused(obj):
    """The database's refusal of saving `obj`."""
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def messages(obj):
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.messages


@pytest.mark.parametrize("code", VALID_CODES)
def test_a_credit_code_with_its_check_character_is_accepted(code):
    credit_code(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "统一社会信用代码第18位（校验码）与前17位不符，请核对。"),
        ("91110000600037341X", "统一社会信用代码第18位（校验码）与前17位不符，请核对。"),
        ("91350100M000100Y4", "统一社会信用代码须为18位数字或大写英文字母（不含I、O、S、V、Z）。"),
        ("91350100m000100Y43", "统一社会信用代码须为18位数字或大写英文字母（不含I、O、S、V、Z）。"),
        ("91350100O000100Y43", "统一社会信用代码须为18位数字或大写英文字母（不含I、O、S、V、Z）。"),
    ],
)
def test_a_wrong_credit_code_is_refused_with_the_reason(code, message):
    with pytest.raises(ValidationError) as caught:
        credit_code(code)
    assert caught.value.messages == [message]


def test_an_institution_checks_its_credit_code(district):
    obj = Institution(
        name="某公司", kind=Kind.ENTERPRISE, side=SH, credit_code="91350100M000100Y44"
    )
    assert messages(obj) == ["统一社会信用代码第18位（校验码）与前17位不符，请核对。"]


def test_a_credit_code_belongs_to_one_institution_but_many_have_none(district):
    institution("甲公司", Kind.ENTERPRISE, district=district)
    institution("乙公司", Kind.ENTERPRISE, district=district)  # both without a code
    Institution.objects.create(
        name="丙公司", kind=Kind.ENTERPRISE, side=SH, credit_code=VALID_CODES[0]
    )
    twin = Institution(name="丁公司", kind=Kind.ENTERPRISE, side=SH, credit_code=VALID_CODES[0])

    assert messages(twin) == ["已有机构登记了该统一社会信用代码。"]
    refused(twin)


def test_a_name_is_unique_in_its_place_only(district, county, menghai):
    institution("第一中学", Kind.SCHOOL, county=county)
    institution("第一中学", Kind.SCHOOL, county=menghai)
    institution("第一中学", Kind.SCHOOL, district=district)
    institution("第一中学", Kind.SCHOOL)  # Shanghai city-level
    institution("第一中学", Kind.SCHOOL, prefecture=county.prefecture)

    for place, message in (
        ({"side": YN, "county": county}, "该县市区已有同名机构。"),
        ({"side": SH, "district": district}, "该区已有同名机构。"),
        ({"side": SH}, "上海市级已有同名机构。"),
        ({"side": YN, "prefecture": county.prefecture}, "该州市已有同名的州市级机构。"),
    ):
        twin = Institution(name="第一中学", kind=Kind.SCHOOL, **place)
        assert messages(twin) == [message]
        refused(twin)


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ({"side": SH, "county": "county"}, "上海的机构不填云南的州市或县市区。"),
        ({"side": YN}, "云南的机构须填所在州市或所在县市区，二者填且只填一个，不填上海市辖区。"),
        (
            {"side": YN, "county": "county", "prefecture": "prefecture"},
            "云南的机构须填所在州市或所在县市区，二者填且只填一个，不填上海市辖区。",
        ),
        (
            {"side": YN, "county": "county", "district": "district"},
            "云南的机构须填所在州市或所在县市区，二者填且只填一个，不填上海市辖区。",
        ),
    ],
)
def test_an_institution_lies_in_a_place_of_its_side(request, district, county, place, message):
    values = {key: request.getfixturevalue(v) if key != "side" else v for key, v in place.items()}
    obj = Institution(name="某医院", kind=Kind.HOSPITAL, **values)
    assert messages(obj) == [message]
    refused(obj)


@pytest.fixture
def sides(county, district):
    return {
        "ruijin": institution("瑞金医院", Kind.HOSPITAL, district=district),
        "lancang": institution("澜沧县第一人民医院", Kind.HOSPITAL, county=county),
        "school": institution("澜沧县第一中学", Kind.SCHOOL, county=county),
    }


def pairing(sides, **fields):
    return InstitutionPairing(
        **{"helper": sides["ruijin"], "kind": "medical", "from_year": 2023, **fields}
    )


ONE_COUNTERPART = "结对对象须为一所云南机构、一个村、一个县市区或一个州市，填且只填一项。"


def test_a_pairing_has_exactly_one_counterpart(sides, county):
    for counterparts in ({}, {"partner": sides["lancang"], "partner_county": county}):
        obj = pairing(sides, kind="other", **counterparts)
        assert ONE_COUNTERPART in messages(obj)
        refused(obj)


@pytest.mark.parametrize(
    ("kind", "counterpart"),
    [("medical", "county"), ("action_163", "partner"), ("village", "county")],
)
def test_a_pairing_kind_takes_its_sort_of_counterpart(sides, county, kind, counterpart):
    place = (
        {"partner": sides["lancang"]} if counterpart == "partner" else {"partner_county": county}
    )
    obj = pairing(sides, kind=kind, **place)
    assert (
        "组团式帮扶须结对一所云南机构，163百万公益行动须结对州市或县市区，村企结对须结对一个村。"
        in (messages(obj))
    )
    refused(obj)


def test_a_pairing_ends_no_earlier_than_it_starts(sides):
    obj = pairing(sides, partner=sides["lancang"], from_year=2023, to_year=2022)
    assert messages(obj) == ["终止年度不能早于起始年度。"]
    refused(obj)


def test_a_pairing_starts_in_1996_or_later(sides):
    obj = pairing(sides, partner=sides["lancang"], from_year=1995)
    assert messages(obj) == ["起始年度不能早于1996年。"]
    refused(obj)


def test_the_same_pairing_is_not_entered_twice(sides):
    pairing(sides, partner=sides["lancang"]).save()
    twin = pairing(sides, partner=sides["lancang"])
    assert messages(twin) == ["该上海机构与同一结对对象已有同一起始年度的结对记录。"]
    refused(twin)
    pairing(sides, partner=sides["lancang"], from_year=2026).save()  # the next round


def test_a_pairing_joins_a_shanghai_helper_with_a_yunnan_partner_of_its_kind(sides):
    backwards = InstitutionPairing(
        helper=sides["lancang"], partner=sides["ruijin"], kind="medical", from_year=2023
    )
    school = pairing(sides, partner=sides["school"])

    assert messages(backwards) == [
        "上海帮扶机构须为已登记的上海机构。",
        "云南结对机构须为已登记的云南机构。",
    ]
    assert messages(school) == ["组团式医疗的云南结对机构须为医院，澜沧县第一中学是学校。"]


def test_an_institution_keeps_the_side_and_kind_its_pairings_need(sides):
    pairing(sides, partner=sides["lancang"]).save()
    lancang = sides["lancang"]
    lancang.kind = Kind.SCHOOL
    ruijin = sides["ruijin"]
    ruijin.side, ruijin.district, ruijin.county = YN, None, lancang.county

    for changed in (lancang, ruijin):
        assert messages(changed) == [
            "该机构的1条结对记录与所改的所在省市或类别不符，请先修改这些结对记录：帮扶方须为上海"
            "的机构，结对机构须为云南的机构，组团式医疗须为医院，组团式教育须为学校，163百万公益"
            "行动的帮扶方须为社会组织，村企结对的帮扶方须为企业。"
        ]


def test_a_pairing_is_filed_under_its_yunnan_side_for_the_audit_trail(sides, county):
    by_institution = pairing(sides, partner=sides["lancang"])
    with_prefecture = pairing(sides, kind="action_163", partner_prefecture=county.prefecture)

    assert (by_institution.county_id, with_prefecture.county_id) == (county.pk, None)
    assert with_prefecture.prefecture_id == county.prefecture_id
