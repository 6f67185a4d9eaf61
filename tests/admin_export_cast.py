"""The cast of the admin's export tests (tests/test_admin_export_*.py): the registries, the
export form's formats, a project's header, the export action and the 导出 button as a test
drives them, the exported file read back as rows, one record of each registry in 澜沧, and a
staff user with a role and a scope. The fixture is imported by name, as
tests/indicators/scorecard_cast.py's are."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from counties.models import (
    County,
    FormerDivision,
    Pairing,
    Prefecture,
    Scope,
    ShanghaiDistrict,
    Village,
)
from indicators.models import Indicator, IndicatorFigure
from personnel.models import Batch, Cadre, ExchangePosting
from projects.models import Fund, FundAllocation, IndustrialPark, Project
from tests.cast import make_cadre, make_project

REGISTRIES = [
    Prefecture,
    County,
    ShanghaiDistrict,
    Pairing,
    FormerDivision,
    Village,
    Batch,
    Cadre,
    ExchangePosting,
    Project,
    Fund,
    FundAllocation,
    IndustrialPark,
    Indicator,
    IndicatorFigure,
]
FORMATS = {"xlsx": "0", "csv": "1"}  # their places in the export form's 格式 list

PROJECT_HEADER = [
    "项目编号",
    "项目名称",
    "县市区",
    "村",
    "项目类别",
    "年度",
    "项目状态",
    "开工日期",
    "完工日期",
    "上海援助资金（万元）",
    "其他资金（万元）",
    "受益人数",
    "项目内容",
    "备注",
    "负责干部",
    "所属园区",
    "所属项目群",
    "最后写入的导入批次",
    "创建时间",
    "最后修改",
]


def admin_url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def table(response, fmt):
    """The exported file as rows of cells, the header row first."""
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def export(client, model, fmt, selected=(), select_across=False, query=""):
    """The export action on the changelist: select, choose the format on the page it opens,
    submit. Returns the last response."""
    page = client.post(
        admin_url(model, "changelist") + query,
        {
            "action": "export_admin_action",
            "_selected_action": [str(pk) for pk in selected],
            "select_across": "1" if select_across else "0",
            "index": "0",
        },
    )
    assert page.status_code == 200
    form = page.context["form"]
    return client.post(
        page.context["export_url"],
        {"format": FORMATS[fmt], "resource": "0", "export_items": form.selection},
    )


def export_list(client, model, fmt, query=""):
    """The 导出 button of the changelist: the whole (filtered) list."""
    return client.post(admin_url(model, "export") + query, {"format": FORMATS[fmt]})


@pytest.fixture(name="registry")
def registry_fixture(county, district, indicators):
    """One record of each registry, in 澜沧; a project and a cadre with their values."""
    village = Village.objects.create(name="勐朗村", township="勐朗镇", county=county)
    batch = Batch.objects.create(number=11, start_year=2023, end_year=2025)
    cadre = make_cadre(
        county=county, batch=batch, term_start=datetime.date(2023, 7, 1), team="medical"
    )
    park = IndustrialPark.objects.create(
        name="澜沧沪滇产业园", county=county, partner_district=district, year_founded=2019
    )
    project = make_project(
        county=county,
        village=village,
        park=park,
        status="building",
        start_date=datetime.date(2023, 3, 15),
        shanghai_funds=Decimal("120.5000"),
        beneficiaries=350,
        description="新建初制所一座",
    )
    project.cadres.add(cadre)
    fund = Fund.objects.create(source="city", year=2023, county=county, amount=Decimal("100"))
    objects = [
        county.prefecture,
        county,
        district,
        Pairing.objects.create(district=district, county=county, from_year=2017),
        FormerDivision.objects.create(
            code="532729",
            name="澜沧县",
            level="county",
            in_use_from=1981,
            in_use_until=2003,
            current_codes="530828",
        ),
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
        project,
        fund,
        FundAllocation.objects.create(fund=fund, project=project, amount=Decimal("60")),
        park,
        indicators["labour_jobs"],
        IndicatorFigure.objects.create(
            indicator=indicators["labour_jobs"],
            year=2023,
            level="county",
            county=county,
            target=Decimal("500"),
            result=Decimal("612.5"),
            note="含转移就业",
        ),
    ]
    return {type(obj): obj for obj in objects}


def staff(django_user_model, name, role, **scope):
    """A staff user with a role and, given counties or everywhere, a scope."""
    user = django_user_model.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if scope:
        counties = scope.pop("counties", [])
        Scope.objects.create(user=user, **scope).counties.set(counties)
    return user
