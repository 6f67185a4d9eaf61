"""What the admin's export files hold (counties/exports.py): every registry's changelist
offers the export, the export page says in Chinese what it will export, and the files, XLSX and
CSV, are named after their registry and headed by the Chinese field names, with names, choice
labels, dates and numbers written as a reader expects, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import County, Village
from indicators.models import Indicator, IndicatorFigure
from personnel.models import Cadre
from projects.importers.registries import ALL
from projects.models import Fund, FundAllocation, IndustrialPark, Project
from tests.admin_export_cast import (  # noqa: F401
    FORMATS,
    PROJECT_HEADER,
    REGISTRIES,
    admin_url,
    export,
    export_list,
    registry_fixture,
    table,
)
from tests.cast import make_cadre, make_project

IMPORTED = {registry.model: registry for registry in ALL}

# The changelist


@pytest.mark.parametrize("model", REGISTRIES, ids=lambda model: model._meta.label)
def test_every_registry_changelist_offers_the_export_action_and_button_in_chinese(
    admin_client, registry, model
):
    response = admin_client.get(admin_url(model, "changelist"))

    assertContains(response, "导出选中的 %s" % model._meta.verbose_name_plural)
    assertContains(response, 'href="%s?' % admin_url(model, "export"))
    assertContains(response, ">导出</a>")


@pytest.mark.parametrize("model", [Project, IndicatorFigure], ids=["project", "figure"])
def test_the_report_imports_keep_their_button_beside_the_export(admin_client, model):
    response = admin_client.get(admin_url(model, "changelist"))

    assertContains(response, "href='%s'" % admin_url(model, "import"))
    assertContains(response, 'href="%s?' % admin_url(model, "export"))


def test_the_export_page_says_in_chinese_how_many_records_were_chosen(admin_client, registry):
    project = registry[Project]

    page = admin_client.post(
        admin_url(Project, "changelist"),
        {"action": "export_admin_action", "_selected_action": [project.pk], "index": "0"},
    )

    assertContains(page, "将导出所选的1条记录。")
    assertContains(page, "格式")
    assertContains(page, "项目编号, 项目名称, 县市区")
    assertNotContains(page, "selected item")
    assertContains(page, '<input type="hidden" name="export_items" value="%d"' % project.pk)


# Every registry, both formats


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("model", REGISTRIES, ids=lambda model: model._meta.label)
def test_every_registry_exports_its_selected_records_headed_by_the_chinese_field_names(
    admin_client, registry, model, fmt
):
    record = registry[model]

    response = export(admin_client, model, fmt, selected=[record.pk])

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv" if fmt == "csv" else "application/")
    assert "attachment; filename*=utf-8''" in response["Content-Disposition"]
    header, *rows = table(response, fmt)
    if model in IMPORTED:
        # A registry the admin imports exports its import's columns, to be read back.
        assert header == IMPORTED[model].headers
    else:
        # In the order the model declares them, the database id left out.
        fields = sorted(model._meta.fields + model._meta.many_to_many)
        assert header == [field.verbose_name for field in fields if not field.primary_key]
    assert len(rows) == 1


def test_the_file_is_named_after_the_registry_in_chinese(admin_client, registry):
    response = export(admin_client, County, "xlsx", selected=[registry[County].pk])

    today = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%8E%BF%E5%B8%82%E5%8C%BA-" + today + ".xlsx"
    )


def test_a_project_exports_as_xlsx_with_names_labels_dates_and_numbers(admin_client, registry):
    response = export(admin_client, Project, "xlsx", selected=[registry[Project].pk])

    header, row = table(response, "xlsx")
    assert header == PROJECT_HEADER
    cells = dict(zip(header, row, strict=True))
    assert cells["项目编号"] == "2023-LC-001"
    assert cells["项目名称"] == "茶叶初制所"
    assert cells["县市区"] == "澜沧拉祜族自治县"
    assert cells["村"] == "澜沧拉祜族自治县勐朗镇勐朗村"
    assert cells["项目类别"] == "产业发展"
    assert cells["年度"] == 2023
    assert cells["项目状态"] == "在建"
    assert cells["开工日期"] == datetime.datetime(2023, 3, 15)
    assert cells["完工日期"] is None
    assert cells["上海援助资金（万元）"] == 120.5
    assert cells["受益人数"] == 350
    assert cells["项目内容"] == "新建初制所一座"
    assert cells["所属园区"] == "澜沧沪滇产业园"
    assert cells["负责干部"] == "张伟（党政干部）"
    assert isinstance(cells["创建时间"], datetime.datetime)


def test_a_project_exports_as_csv_with_amounts_written_exactly(admin_client, registry):
    response = export(admin_client, Project, "csv", selected=[registry[Project].pk])

    header, row = table(response, "csv")
    assert header == PROJECT_HEADER
    cells = dict(zip(header, row, strict=True))
    assert cells["县市区"] == "澜沧拉祜族自治县"
    assert cells["项目类别"] == "产业发展"
    assert cells["年度"] == "2023"
    assert cells["开工日期"] == "2023-03-15"
    assert cells["完工日期"] == ""
    assert cells["上海援助资金（万元）"] == "120.5"
    assert cells["其他资金（万元）"] == "0"
    assert cells["负责干部"] == "张伟（党政干部）"
    assert len(cells["创建时间"]) == len("2025-01-01 08:00:00")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_cadre_exports_with_the_chinese_labels_of_its_choices(admin_client, registry, fmt):
    response = export(admin_client, Cadre, fmt, selected=[registry[Cadre].pk])

    header, row = table(response, fmt)
    date = datetime.datetime(2023, 7, 1) if fmt == "xlsx" else "2023-07-01"
    blank = None if fmt == "xlsx" else ""
    # The cadres' import format (projects/importers/registries.py): the batch by its number.
    assert list(zip(header, row, strict=True)) == [
        ("批次", 11 if fmt == "xlsx" else "11"),
        ("姓名", "张伟"),
        ("性别", "男"),
        ("类别", "党政干部"),
        ("上海派出单位", "黄浦区发展改革委"),
        ("在滇挂职岗位", "副县长"),
        ("派驻州市", blank),
        ("派驻县市区", "澜沧拉祜族自治县"),
        ("任期开始", date),
        ("任期结束", blank),
        ("组团式帮扶", "医疗组团式帮扶"),
        ("上海派出机构", blank),
        ("在滇服务机构", blank),
        ("在服务机构的职务", blank),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_county_exports_with_its_prefecture_and_yes_or_no(admin_client, registry, fmt):
    response = export(admin_client, County, fmt, selected=[registry[County].pk])

    header, row = table(response, fmt)
    year = 2020 if fmt == "xlsx" else "2020"
    assert list(zip(header, row, strict=True)) == [
        ("区划代码", "530828"),
        ("名称", "澜沧拉祜族自治县"),
        ("所属州市", "普洱市"),
        ("类型", "自治县"),
        ("脱贫县", "是"),
        ("摘帽年度", year),
        ("国家乡村振兴重点帮扶县", "否"),
        ("边境县", "是"),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_indicator_figure_exports_with_its_indicator_place_and_numbers(
    admin_client, registry, fmt
):
    response = export(admin_client, IndicatorFigure, fmt, selected=[registry[IndicatorFigure].pk])

    header, row = table(response, fmt)
    cells = dict(zip(header, row, strict=True))
    assert header[:10] == [
        "指标",
        "年度",
        "层级",
        "州市",
        "县市区",
        "上海结对区",
        "协议数",
        "完成数",
        "备注",
        "最后写入的导入批次",
    ]
    assert cells["指标"] == str(registry[Indicator])
    assert cells["层级"] == "县市区"
    assert cells["县市区"] == "澜沧拉祜族自治县"
    if fmt == "xlsx":
        assert (cells["年度"], cells["协议数"], cells["完成数"]) == (2023, 500, 612.5)
        assert cells["州市"] is None
    else:
        assert (cells["年度"], cells["协议数"], cells["完成数"]) == ("2023", "500", "612.5")
        assert cells["州市"] == ""
    assert cells["备注"] == "含转移就业"


@pytest.fixture
def more_projects(registry, county):
    """Five more projects, each with a village, a park, a cadre and an allocation."""
    fund = registry[Fund]
    for number in range(2, 7):
        village = Village.objects.create(name="村%d" % number, township="勐朗镇", county=county)
        park = IndustrialPark.objects.create(
            name="园区%d" % number, county=county, year_founded=2020
        )
        project = make_project(
            county=county,
            code="2023-LC-%03d" % number,
            name="项目%d" % number,
            village=village,
            park=park,
        )
        project.cadres.add(
            make_cadre(
                name="干部%d" % number,
                sending_unit="黄浦区",
                post="挂职",
                county=county,
                term_start=datetime.date(2023, 7, 1),
            )
        )
        FundAllocation.objects.create(fund=fund, project=project, amount=Decimal("1"))


@pytest.mark.parametrize(
    "model", [Project, FundAllocation, Village, Cadre], ids=lambda model: model._meta.label
)
def test_export_queries_do_not_grow_with_the_records(admin_client, registry, request, model):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = export_list(admin_client, model, "xlsx")
        assert response.status_code == 200
        return len(captured), len(table(response, "xlsx"))

    admin_client.get(admin_url(model, "changelist"))  # the login's first request saves its session
    few, one = queries()
    request.getfixturevalue("more_projects")
    many, six = queries()

    assert (one, six) == (2, 7)
    assert many == few


def test_a_malformed_filter_is_refused_as_a_bad_request(admin_client, registry):
    response = export_list(admin_client, Project, "csv", query="?no_such_field=1")

    assertContains(response, "请求有误", status_code=400)
