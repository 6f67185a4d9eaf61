"""Indicator reports as prefecture and province offices write them: bracketed headers, 全省
in the 州市 column, indicator names with 其中： or as reports word them."""

import io
from decimal import Decimal

import pytest

from indicators.importers.writing import import_indicator_report
from indicators.models import IndicatorFigure
from projects.importers import ImportFailed

from .indicator_files import csv_bytes, xlsx_bytes


@pytest.fixture
def cast(county, menghai, district, indicators):
    return indicators


def imported(content, name="指标.xlsx"):
    return import_indicator_report(files=[(name, io.BytesIO(content))])


def figures():
    return {
        (
            f.indicator.code,
            f.level,
            f.prefecture_id and f.prefecture.name,
            f.county_id and f.county.name,
        ): (
            f.target,
            f.result,
        )
        for f in IndicatorFigure.objects.select_related("indicator", "prefecture", "county")
    }


def test_a_prefecture_column_headed_with_brackets_files_the_prefectures_figure(cast):
    """Silent failure: the column headed 州（市） was dropped as unknown, so 普洱市's own figure
    (3600/15500) overwrote the province's 40000/180110."""
    header = ["年度", "州（市）", "县（市、区）", "指标", "协议数", "完成数"]
    rows = [
        [2023, "全省", None, "帮助农村劳动力就业", 40000, 180110],
        [2023, "普洱市", None, "帮助农村劳动力就业", 3600, 15500],
        [2023, "普洱市", "澜沧县", "帮助农村劳动力就业", 800, 2100],
    ]

    report = imported(xlsx_bytes(rows, header=header))

    assert report.total("created") == 3
    assert figures() == {
        ("labour_jobs", "province", None, None): (Decimal("40000"), Decimal("180110")),
        ("labour_jobs", "prefecture", "普洱市", None): (Decimal("3600"), Decimal("15500")),
        ("labour_jobs", "county", None, "澜沧拉祜族自治县"): (Decimal("800"), Decimal("2100")),
    }
    lines = [line for _, line in report.remarks.notices]
    assert "第4行 县（市、区）：“澜沧县”按“澜沧拉祜族自治县”（530828）导入" in lines


def test_indicator_names_as_reports_write_them(cast):
    header = ["年度", "县市区", "指标名称", "目标任务", "完成情况"]
    rows = [
        ["2023年度", "澜沧拉祜族自治县", "其中：脱贫人口就业", "10", "12"],
        ["2023", "澜沧拉祜族自治县", "农村劳动力转移就业（人）", "20", "25"],
    ]

    imported(csv_bytes(rows, header=header), name="指标.csv")

    assert figures() == {
        ("labour_poor", "county", None, "澜沧拉祜族自治县"): (Decimal("10"), Decimal("12")),
        ("labour_jobs", "county", None, "澜沧拉祜族自治县"): (Decimal("20"), Decimal("25")),
    }


def test_unread_columns_are_named_in_a_notice(cast):
    header = ["序号", "年度", "县市区", "指标", "协议数", "完成数", "责任单位"]
    rows = [[1, 2023, "澜沧拉祜族自治县", "labour_jobs", 1, 2, "县人社局"]]

    report = imported(xlsx_bytes(rows, header=header))

    assert [line for _, line in report.remarks.notices] == [
        "第1行表头中以下列不属于本报表，未导入：序号、责任单位"
    ]


def wide_workbook(rows, merges):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for cells in rows:
        sheet.append(cells)
    for merged in merges:
        sheet.merge_cells(merged)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_one_row_per_place_with_sub_columns_is_unpivoted_and_the_year_read_from_the_title(cast):
    rows = [
        ["2022年各州市东西部协作主要指标完成情况"],
        ["州（市）", "帮助农村劳动力就业（人）", None, "上海财政援助资金（万元）", None],
        [None, "协议数", "完成数", "协议数", "完成数"],
        ["全省", 40000, 180110, None, None],
        ["普洱市", 3600, 15500, 8000, "8200"],
        ["合计", 43600, 195610, 8000, 8200],
    ]
    content = wide_workbook(rows, ["A2:A3", "B2:C2", "D2:E2", "A1:E1"])

    report = imported(content)

    assert report.total("created") == 3
    assert {(k[0], k[1], k[2]): v for k, v in figures().items()} == {
        ("labour_jobs", "province", None): (Decimal("40000"), Decimal("180110")),
        ("labour_jobs", "prefecture", "普洱市"): (Decimal("3600"), Decimal("15500")),
        ("fiscal_aid", "prefecture", "普洱市"): (Decimal("8000"), Decimal("8200")),
    }
    assert set(IndicatorFigure.objects.values_list("year", flat=True)) == {2022}
    lines = [line for _, line in report.remarks.notices]
    assert lines[0] == "没有“年度”列，年度取自标题“2022年各州市东西部协作主要指标完成情况”：2022"
    assert "第6行是合计行，未导入" in lines


def test_the_wide_layout_without_a_year_anywhere_is_refused(cast):
    rows = [
        ["县市区", "帮助农村劳动力就业", None],
        [None, "协议数", "完成数"],
        ["澜沧拉祜族自治县", 10, 12],
    ]

    with pytest.raises(ImportFailed) as failure:
        imported(wide_workbook(rows, ["B1:C1"]))

    assert failure.value.errors == [
        "没有“年度”列，标题中也没有年份（如“2022年……”）：请加一列“年度”。"
    ]
    assert not IndicatorFigure.objects.exists()
