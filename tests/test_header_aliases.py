"""Headers staff teach the imports in the admin (表头写法): each belongs to one report, the
project report or the indicator report, and is read by that report's import only."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators.importers.writing import import_indicator_report
from indicators.models import IndicatorFigure
from projects.importers import ImportFailed, import_yearly_report
from projects.models import HeaderAlias, Project

from .indicators.indicator_files import csv_bytes

INDICATOR_HEADER = ["年度", "县市区", "考核指标", "协议数", "完成数"]
INDICATOR_ROW = [2023, "澜沧拉祜族自治县", "帮助农村劳动力就业", 800, 2100]


def indicator_file():
    return ("指标.csv", io.BytesIO(csv_bytes([INDICATOR_ROW], header=INDICATOR_HEADER)))


def test_an_indicator_report_header_taught_by_staff_is_read(county, indicators):
    HeaderAlias.objects.create(report="indicator_report", column="indicator", header="考核指标")

    report = import_indicator_report(files=[indicator_file()])

    assert report.total("created") == 1
    figure = IndicatorFigure.objects.get()
    assert (figure.indicator.code, figure.target, figure.result) == (
        "labour_jobs",
        Decimal("800"),
        Decimal("2100"),
    )


def test_a_header_taught_for_the_project_report_is_not_read_by_the_indicator_import(
    county, indicators
):
    HeaderAlias.objects.create(report="yearly_report", column="name", header="考核指标")

    with pytest.raises(ImportFailed) as failure:
        import_indicator_report(files=[indicator_file()])

    assert failure.value.errors == [
        "缺少必填列：指标。第1行表头中找到的列：年度、县市区、协议数、完成数。未认出的表头：考核指标。"
    ]
    assert not IndicatorFigure.objects.exists()


def test_a_project_report_header_taught_by_staff_is_read(county):
    HeaderAlias.objects.create(column="county", header="项目实施县")
    content = (
        "项目编号,项目名称,年度,项目实施县,项目类别,项目状态,上海援助资金（万元）\n"
        "LC-001,茶叶初制所,2023,澜沧拉祜族自治县,产业发展,计划,12\n"
    ).encode()

    import_yearly_report(files=[("a.csv", io.BytesIO(content))])

    assert Project.objects.get().county == county


def test_a_column_the_report_does_not_have_is_refused_by_name(db):
    alias = HeaderAlias(report="indicator_report", column="category", header="类别")

    with pytest.raises(ValidationError) as refusal:
        alias.full_clean()

    assert refusal.value.message_dict == {"column": ["协作指标报表没有“项目类别”列。"]}


def test_the_same_header_may_name_a_column_in_each_report_but_once_in_one(db):
    HeaderAlias.objects.create(report="yearly_report", column="county", header="所在县")
    HeaderAlias(report="indicator_report", column="county", header="所在县").full_clean()
    again = HeaderAlias(report="yearly_report", column="name", header="所在县")

    with pytest.raises(ValidationError) as refusal:
        again.full_clean()

    assert refusal.value.messages == ["该报表已有这一表头写法。"]


def test_staff_add_an_indicator_header_in_the_admin(admin_client, county, indicators):
    response = admin_client.post(
        reverse("admin:projects_headeralias_add"),
        {"report": "indicator_report", "column": "indicator", "header": "考核指标", "note": ""},
    )

    assert response.status_code == 302
    alias = HeaderAlias.objects.get()
    assert str(alias) == "考核指标 → 指标（协作指标报表）"
    assert import_indicator_report(files=[indicator_file()]).total("created") == 1
