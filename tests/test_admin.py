"""Every admin screen of the three apps opens for staff, with one record of each kind in place."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from counties.models import (
    AuditEntry,
    County,
    FormerDivision,
    Pairing,
    Prefecture,
    ShanghaiDistrict,
    Village,
)
from indicators.models import Indicator, IndicatorFigure
from personnel.models import Batch, Cadre, ExchangePosting
from projects.models import (
    Fund,
    FundAllocation,
    HeaderAlias,
    ImportBatch,
    IndustrialPark,
    IndustrialParkYear,
    Programme,
    Project,
)
from tests.cast import make_cadre, make_project

APPS = {"counties", "personnel", "projects", "indicators"}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in APPS),
    key=lambda model: model._meta.label,
)
# Import batches and the audit trail are written by the system only: staff read them.
EDITABLE = [model for model in MODELS if model not in (ImportBatch, AuditEntry)]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def one_of_each(county, district, indicators):
    village = Village.objects.create(name="勐朗村", township="勐朗镇", county=county)
    batch = Batch.objects.create(number=11, start_year=2023, end_year=2025)
    cadre = make_cadre(county=county, batch=batch, term_start=datetime.date(2023, 7, 1))
    park = IndustrialPark.objects.create(
        name="澜沧沪滇产业园", county=county, partner_district=district, year_founded=2019
    )
    programme = Programme.objects.create(county=county, name="勐朗村示范村建设", kind="village")
    project = make_project(county=county, village=village, park=park, programme=programme)
    project.cadres.add(cadre)
    fund = Fund.objects.create(source="city", year=2023, county=county, amount=Decimal("100"))
    objects = [
        county.prefecture,
        county,
        district,
        Pairing.objects.create(district=district, county=county, from_year=2017),
        village,
        batch,
        cadre,
        ExchangePosting.objects.create(
            name="李静",
            gender="female",
            direction="to_shanghai",
            county=county,
            district=district,
            home_unit="澜沧县农业农村局",
            host_unit="黄浦区农业农村委",
            start_date=datetime.date(2023, 3, 1),
        ),
        park,
        park.years.create(year=2023, enterprises=5, jobs=120),
        programme,
        project,
        fund,
        FundAllocation.objects.create(fund=fund, project=project, amount=Decimal("60")),
        ImportBatch.objects.create(
            kind="yearly_report",
            channel="command",
            file_name="2023年报表.csv",
            file_sha256="0" * 64,
        ),
        AuditEntry.objects.create(
            channel="admin",
            action="change",
            content_type=ContentType.objects.get_for_model(project),
            object_id=str(project.pk),
            object_repr="2023-LC-001 茶叶初制所",
            changes={"name": ["茶叶", "茶叶初制所"]},
        ),
        indicators["labour_jobs"],
        IndicatorFigure.objects.create(
            indicator=indicators["labour_jobs"],
            year=2023,
            level="county",
            county=county,
            target=Decimal("500"),
        ),
        FormerDivision.objects.create(
            code="532729",
            name="澜沧拉祜族自治县",
            level="county",
            in_use_from=1981,
            in_use_until=2003,
            current_codes="530828",
        ),
        HeaderAlias.objects.create(column="county", header="项目实施县", note="某县"),
    ]
    return {type(obj): obj for obj in objects}


def test_every_model_of_the_three_apps_is_in_the_admin():
    assert set(MODELS) == {
        Prefecture,
        County,
        ShanghaiDistrict,
        Pairing,
        Village,
        Batch,
        Cadre,
        ExchangePosting,
        IndustrialPark,
        IndustrialParkYear,
        Programme,
        Project,
        Fund,
        FundAllocation,
        ImportBatch,
        AuditEntry,
        FormerDivision,
        HeaderAlias,
        Indicator,
        IndicatorFigure,
    }


def test_admin_index_lists_the_three_apps(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    for model in MODELS:
        assert admin_url(model, "changelist") in response.content.decode()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_changelist_shows_the_record(admin_client, one_of_each, model):
    obj = one_of_each[model]

    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert admin_url(model, "change", obj.pk) in response.content.decode()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_changelist_search_answers(admin_client, one_of_each, model):
    response = admin_client.get(admin_url(model, "changelist"), {"q": "x"})

    assert response.status_code == 200
    assert admin_url(model, "change", one_of_each[model].pk) not in response.content.decode()


@pytest.mark.parametrize("model", EDITABLE, ids=lambda model: model._meta.label)
def test_add_page_opens(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == 200
    assert b"<form" in response.content


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_change_page_opens_on_the_record(admin_client, one_of_each, model):
    obj = one_of_each[model]

    response = admin_client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.parametrize("model", EDITABLE, ids=lambda model: model._meta.label)
def test_delete_page_opens_on_the_record(admin_client, one_of_each, model):
    response = admin_client.get(admin_url(model, "delete", one_of_each[model].pk))

    assert response.status_code == 200


def test_import_batches_cannot_be_added_changed_or_deleted_by_hand(admin_client, one_of_each):
    batch = one_of_each[ImportBatch]

    assert admin_client.get(admin_url(ImportBatch, "add")).status_code == 403
    assert admin_client.get(admin_url(ImportBatch, "delete", batch.pk)).status_code == 403
    response = admin_client.post(admin_url(ImportBatch, "change", batch.pk), {"file_name": "x"})
    assert response.status_code == 403
    batch.refresh_from_db()
    assert batch.file_name == "2023年报表.csv"


def test_county_autocomplete_on_the_project_screen_finds_counties_by_name(admin_client):
    dali = Prefecture.objects.create(code="532900", name="大理白族自治州", division_type="自治州")
    chuxiong = Prefecture.objects.create(
        code="532300", name="楚雄彝族自治州", division_type="自治州"
    )
    County.objects.create(code="532901", name="大理市", prefecture=dali, division_type="县级市")
    County.objects.create(code="532326", name="大姚县", prefecture=chuxiong, division_type="县")
    County.objects.create(code="532301", name="楚雄市", prefecture=chuxiong, division_type="县级市")

    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "projects", "model_name": "project", "field_name": "county", "term": "大"},
    )

    assert response.status_code == 200
    assert sorted(r["text"] for r in response.json()["results"]) == sorted(["大理市", "大姚县"])
