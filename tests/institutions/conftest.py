"""Institutions of both sides and their pairings, and readers of one county."""

import pytest

from counties.models import Prefecture
from institutions.models import Institution, InstitutionPairing
from tests.institutions.cast import SH, YN, institution, member

Kind = Institution.Kind


@pytest.fixture
def cast(county, menghai, district):
    """A Shanghai hospital and school, a Yunnan hospital in 澜沧 and one in 勐海, a school of
    普洱市 itself, and their pairings (2023–2025)."""
    found = {
        "ruijin": institution("上海交通大学医学院附属瑞金医院", Kind.HOSPITAL, district=district),
        "gezhi": institution("上海市格致中学", Kind.SCHOOL, district=district),
        "lancang_hospital": institution(
            "澜沧拉祜族自治县第一人民医院", Kind.HOSPITAL, county=county
        ),
        "menghai_hospital": institution("勐海县人民医院", Kind.HOSPITAL, county=menghai),
        "puer_school": institution("普洱市第一中学", Kind.SCHOOL, prefecture=county.prefecture),
    }
    for helper, partner, kind in (
        ("ruijin", "lancang_hospital", "medical"),
        ("ruijin", "menghai_hospital", "medical"),
        ("gezhi", "puer_school", "education"),
    ):
        InstitutionPairing.objects.create(
            helper=found[helper], partner=found[partner], kind=kind, from_year=2023, to_year=2025
        )
    return found


@pytest.fixture
def lancang_reader(client, django_user_model, county):
    """A 查看者 whose scope is 澜沧 alone."""
    client.force_login(member(django_user_model, "lancang", "查看者", counties=[county]))
    return client


@pytest.fixture
def seed(district, county):
    """The cast of the published figures, in force in 2024: 35 Shanghai schools paired with
    38 Yunnan schools, 48 Shanghai hospitals with 35 Yunnan hospitals, and the 163百万公益行动's
    16 social organisations with 15 prefectures at 100万元 each; plus pairings that ended in
    2023 and must not count."""
    prefectures = Prefecture.objects.bulk_create(
        Prefecture(code="53%02d00" % (40 + n), name="州市%02d" % n, division_type="自治州")
        for n in range(15)
    )
    schools = Institution.objects.bulk_create(
        [Institution(name="上海学校%02d" % n, kind=Kind.SCHOOL, side=SH) for n in range(35)]
        + [
            Institution(name="云南学校%02d" % n, kind=Kind.SCHOOL, side=YN, county=county)
            for n in range(38)
        ]
    )
    hospitals = Institution.objects.bulk_create(
        [Institution(name="上海医院%02d" % n, kind=Kind.HOSPITAL, side=SH) for n in range(48)]
        + [
            Institution(name="云南医院%02d" % n, kind=Kind.HOSPITAL, side=YN, county=county)
            for n in range(35)
        ]
    )
    organisations = Institution.objects.bulk_create(
        Institution(name="社会组织%02d" % n, kind=Kind.SOCIAL, side=SH, district=district)
        for n in range(16)
    )
    shanghai_schools, yunnan_schools = schools[:35], schools[35:]
    shanghai_hospitals, yunnan_hospitals = hospitals[:48], hospitals[48:]
    years = {"from_year": 2023, "to_year": 2025}
    pairings = [
        # Every Yunnan school once; the first three Shanghai schools help two each.
        InstitutionPairing(
            kind="education", helper=shanghai_schools[n % 35], partner=school, **years
        )
        for n, school in enumerate(yunnan_schools)
    ]
    pairings += [
        InstitutionPairing(
            kind="medical", helper=hospital, partner=yunnan_hospitals[n % 35], **years
        )
        for n, hospital in enumerate(shanghai_hospitals)
    ]
    pairings += [
        InstitutionPairing(
            kind="action_163",
            helper=organisation,
            partner_prefecture=prefectures[n % 15],
            committed=100,
            **years,
        )
        for n, organisation in enumerate(organisations)
    ]
    # The round before: over by 2024.
    pairings += [
        InstitutionPairing(
            kind="education",
            helper=shanghai_schools[0],
            partner=yunnan_schools[1],
            from_year=2020,
            to_year=2022,
        ),
        InstitutionPairing(
            kind="medical",
            helper=shanghai_hospitals[0],
            partner=yunnan_hospitals[1],
            from_year=2020,
            to_year=2023,
        ),
    ]
    InstitutionPairing.objects.bulk_create(pairings)
    return {"prefectures": prefectures}
