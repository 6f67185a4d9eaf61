"""The dashboard as a report workbook (indicators.importers.exporting.dashboard_xlsx) and the
indicator report's blank template, as Excel opens and prints them: a title, the indicators
by their Chinese names and units (no code column), a section per place as the dashboard
lists its parts, the table of parts as the page shows it, figures in their formats.

`exported` builds the workbook as the dashboard's export view does."""

import io

import pytest
from django.urls import reverse

from counties.scopes import scope_of
from indicators import views
from indicators.importers.exporting import dashboard_xlsx
from indicators.importers.writing import import_indicator_report
from indicators.models import IndicatorFigure
from indicators.scorecard import Ledger
from projects.importers.running import ImportFailed
from tests.excel_files import A4, assert_laid_out_as_a_report, row, workbook_of
from tests.indicators.scorecard_cast import cast_fixture, figure, labour_fixture  # noqa: F401

INDICATOR_HEADER = ["年度", "州市", "县市区", "上海结对区", "指标", "协议数", "完成数", "备注"]
SCORECARD_HEADER = ["指标", "计量单位", "协议数", "完成数", "完成率（%）", "系统统计数", "说明"]


def exported(user, year, code=""):
    """The dashboard's workbook for the place with this code (none: the province)."""
    from openpyxl import load_workbook

    scope = scope_of(user)
    ledger = Ledger(year, scope)
    place = views.find_place(ledger, code)
    projects = views.ProjectMoney(scope, ledger, place).sums()
    output = dashboard_xlsx(
        year,
        place,
        [(part, ledger.scorecard(part)) for part in [place, *ledger.parts(place)]],
        parts=views.parts_table(ledger, place, projects),
        part_label=views.PART_LABELS.get(place.level, ""),
    )
    with output:
        return load_workbook(io.BytesIO(output.read()))


def lines(sheet):
    """{(section, indicator): row} of the scorecard sheet, below its title and header."""
    found, section = {}, None
    for number in range(3, sheet.max_row + 1):
        cells = row(sheet, number)
        if len(cells) == 1 and sheet.cell(number, 1).font.b:
            section = cells[0]
        else:
            found[(section, cells[0])] = cells + [None] * (7 - len(cells))
    return found


def test_the_workbook_has_a_title_and_a_section_per_place(cast, labour, indicators):
    sheet = exported(cast["user"], 2023)["协作指标"]

    assert row(sheet, 1) == ["2023年 云南省 沪滇协作指标"]
    assert row(sheet, 2) == SCORECARD_HEADER
    sections = [row(sheet, n)[0] for n in range(3, sheet.max_row + 1) if row(sheet, n)[0]]
    sections = [name for name in sections if name in ("全省", "普洱市", "西双版纳傣族自治州")]
    assert sections == ["全省", "普洱市", "西双版纳傣族自治州"]
    assert sheet.max_row == 2 + 3 * (1 + len(indicators))


def test_each_line_holds_the_dashboards_numbers_in_chinese(cast, labour, indicators):
    found = lines(exported(cast["user"], 2023)["协作指标"])

    assert found[("全省", "帮助农村劳动力就业")] == [
        "帮助农村劳动力就业",
        "人",
        3600,
        3400,
        94.4,
        None,
        "协议数为下级合计；完成数为下级合计",
    ]
    assert found[("西双版纳傣族自治州", "帮助农村劳动力就业")][2:5] == [600, 900, 150]
    assert found[("西双版纳傣族自治州", "帮助农村劳动力就业")][6] == "与下级合计（800）不符"
    assert found[("普洱市", "其中：教师")][:2] == ["其中：教师", "人"]


def test_no_cell_holds_an_indicator_code(cast, labour, indicators):
    workbook = exported(cast["user"], 2023)

    cells = {
        cell
        for sheet in workbook.worksheets
        for cells in sheet.iter_rows(values_only=True)
        for cell in cells
    }
    assert not cells & set(indicators)


def test_figures_have_their_units_formats_and_the_sheet_prints_upright(cast, labour, indicators):
    sheet = exported(cast["user"], 2023)["协作指标"]

    assert_laid_out_as_a_report(sheet, header_row=2, orientation="portrait")
    assert sheet.freeze_panes == "A3"
    numbers = {row(sheet, n)[0]: n for n in range(4, 4 + len(indicators))}
    jobs, aid = numbers["帮助农村劳动力就业"], numbers["上海财政援助资金"]
    assert [sheet.cell(jobs, c).number_format for c in (3, 4, 5)] == ["#,##0", "#,##0", "0.0"]
    # Counted from the funds: 0 万元, an amount.
    assert sheet.cell(aid, 6).value == 0
    assert sheet.cell(aid, 6).number_format == "#,##0.00"


def test_the_table_of_parts_is_laid_out_as_the_page_shows_it(cast, labour, indicators):
    sheet = exported(cast["user"], 2023)["各州市情况"]

    assert row(sheet, 1) == ["2023年 云南省 各州市沪滇协作指标"]
    assert row(sheet, 2) == [
        "州市",
        "项目数",
        "上海援助资金（万元）",
        "上海财政援助资金（万元）",
        None,
        None,
        "帮助农村劳动力就业（人）",
        None,
        None,
        "消费帮扶销售额（万元）",
        None,
        None,
        "共建产业园区（个）",
    ]
    assert row(sheet, 3) == [None, None, None, *["协议数", "完成数", "完成率（%）"] * 4]
    merged = {cells.coord for cells in sheet.merged_cells.ranges}
    assert {"A1:O1", "A2:A3", "C2:C3", "D2:F2", "G2:I2", "M2:O2"} <= merged
    assert row(sheet, 4)[:2] == ["普洱市", 0]
    assert row(sheet, 4)[6:9] == [3000, 2500, 83.3]
    assert row(sheet, 5)[0] == "西双版纳傣族自治州"
    assert_laid_out_as_a_report(sheet, header_row=3, first_header=2, orientation="landscape")
    assert sheet.freeze_panes == "B4"  # the place stays in view too
    assert sheet["C4"].number_format == "#,##0.00"
    assert sheet["G4"].number_format == "#,##0"


def test_a_countys_workbook_is_its_scorecard_alone(cast, labour, indicators):
    workbook = exported(cast["user"], 2023, "530828")

    assert workbook.sheetnames == ["协作指标"]
    sheet = workbook["协作指标"]
    assert row(sheet, 1) == ["2023年 澜沧拉祜族自治县 沪滇协作指标"]
    assert row(sheet, 3) == ["澜沧拉祜族自治县"]
    assert lines(sheet)[("澜沧拉祜族自治县", "帮助农村劳动力就业")][2:5] == [1000, 1500, 150]


@pytest.mark.parametrize("code", ["", "530828"], ids=["province", "county"])
def test_the_indicator_import_refuses_the_workbook_and_writes_nothing(
    cast, labour, indicators, code
):
    """The old flat export, imported, wrote a county's figures as the province's. A place's
    section row is no indicator: the import refuses the file."""
    workbook = exported(cast["user"], 2023, code)
    content = io.BytesIO()
    workbook.save(content)
    before = IndicatorFigure.objects.count()

    with pytest.raises(ImportFailed) as failure:
        import_indicator_report(files=[("看板.xlsx", io.BytesIO(content.getvalue()))])

    assert "第3行 指标：未知的指标“" in failure.value.errors[0]
    assert IndicatorFigure.objects.count() == before


# The blank template of the indicator report


def test_the_indicator_template_is_laid_out_as_a_report(admin_client, indicators):
    url = reverse("admin:indicators_indicatorfigure_import_template", args=["xlsx"])
    workbook = workbook_of(admin_client.get(url))

    sheet = workbook["协作指标报表"]
    assert_laid_out_as_a_report(sheet)
    assert row(sheet, 1) == [
        "年度",
        "州市",
        "县市区",
        "上海结对区",
        "指标",
        "协议数",
        "完成数",
        "备注",
    ]
    guide = workbook["填写说明"]
    assert_laid_out_as_a_report(guide, orientation="landscape")
    assert guide.page_setup.paperSize == A4
    start = next(n for n in range(1, guide.max_row) if row(guide, n)[:1] == ["指标代码"])
    assert guide.cell(start, 1).font.b is True
    assert guide.cell(start + 1, 1).number_format == "@"
    # The levels' sentences span the sheet, wrapped.
    level = next(n for n in range(1, start) if str(row(guide, n)[:1]).startswith("['层级"))
    assert "A%d:E%d" % (level, level) in {cells.coord for cells in guide.merged_cells.ranges}
