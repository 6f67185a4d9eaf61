"""The blank templates of the indicator report (协作指标报表), CSV and XLSX, and the
dashboard as a report workbook."""

import csv

from counties import sheets
from counties.templatetags.money import figure, money
from projects.importers.exporting import Line, guide_sheet, saved

from . import rows as indicator_rows


def indicator_csv_lines():
    """The blank indicator report template as CSV: its header line, UTF-8 with BOM."""
    yield "\ufeff" + csv.writer(Line()).writerow(indicator_rows.HEADERS)


# The report's columns as counties.sheets lays them out, in rows.COLUMNS' order.
KINDS = {
    "year": sheets.YEAR,
    "prefecture": sheets.PLACE,
    "county": sheets.PLACE,
    "district": sheets.PLACE,
    "indicator": sheets.NAME,
    "target": sheets.FIGURE,
    "result": sheets.FIGURE,
    "note": sheets.NOTE,
}


def indicator_xlsx_file(indicators):
    """The blank indicator report template as XLSX in a temporary file, with a sheet of the
    rules, the levels and every indicator's code, name and unit."""
    workbook = sheets.new_workbook()
    columns = [sheets.Column(c.header, KINDS[c.key]) for c in indicator_rows.COLUMNS]
    sheets.ReportSheet(workbook, "协作指标报表", columns)
    guide = guide_sheet(
        workbook, indicator_rows.COLUMNS, INDICATOR_RULES, more=[sheets.Column("", sheets.NAME)]
    )
    guide.append([])
    for line in INDICATOR_LEVELS:
        guide.line(line)
    guide.append([])
    guide.headings(["指标代码", "指标名称", "计量单位", "类别", "所属指标"])
    kinds = [sheets.CODE, sheets.TEXT, sheets.TEXT, sheets.TEXT, sheets.TEXT]
    for indicator in indicators:
        parent = indicator.parent.name if indicator.parent else ""
        guide.append(
            [indicator.code, indicator.name, indicator.unit, indicator.get_group_display(), parent],
            kinds,
        )
    return saved(workbook)


INDICATOR_RULES = [
    "1996年至次年之间的年份",
    "官方名称或6位区划代码；同时填写县市区时须包含该县市区",
    "官方名称或6位区划代码",
    "上海市辖区名称（如黄浦区）或6位区划代码；不能与州市、县市区同时填写",
    "指标代码或指标名称（名称后可带单位，如“帮助农村劳动力就业（人）”），见下表",
    "不小于0的数，单位见下表；留空则保留已有数值",
    "不小于0的数，单位见下表；留空则保留已有数值",
    "留空则保留已有备注",
]
INDICATOR_LEVELS = [
    "层级由所填地点决定：填写县市区为县市区的指标；只填州市为州市的指标；"
    "只填上海结对区为该区结对的指标；地点均不填为全省的指标。",
    "协议数和完成数至少填写一项。留空的单元格不会覆盖已导入的数值："
    "可以年初报协议数、年底在同一模板中报完成数。",
    "全省和上海区结对的指标须由数据范围为全省的用户导入。",
]


# The dashboard as a report ------------------------------------------------------------

SCORECARD_COLUMNS = [
    sheets.Column("指标", sheets.NAME),
    sheets.Column("计量单位", sheets.TEXT),
    sheets.Column("协议数", sheets.FIGURE),
    sheets.Column("完成数", sheets.FIGURE),
    sheets.Column("完成率（%）", sheets.RATE),
    sheets.Column("系统统计数", sheets.FIGURE),
    sheets.Column("说明", sheets.REMARK),
]


def figure_kind(indicator):
    """Amounts as amounts (万元), other units as counts."""
    return sheets.MONEY if indicator.unit == "万元" else sheets.FIGURE


def dashboard_xlsx(year, place, scorecards, parts=None, part_label=""):
    """The dashboard (indicators.views) as a report workbook in a temporary file.

    Its first sheet holds every indicator at the place and then at each of its parts, one
    section each, as `scorecards` lists them: [(Place, [scorecard.Line])], the place first.
    With `parts` (the dashboard's table of parts, {"indicators", "rows"}) a second sheet
    holds that table as the page shows it, headed by `part_label` (州市, 县市区…).

    No code column: indicators by their Chinese names and units. The import does not read
    this file back: its section rows name places, not indicators, and refuse it.
    """
    where = "云南省" if place.obj is None else place.name
    workbook = sheets.new_workbook()
    sheet = sheets.ReportSheet(
        workbook, "协作指标", SCORECARD_COLUMNS, title="%d年 %s 沪滇协作指标" % (year, where)
    )
    for part, lines in scorecards:
        sheet.section(part.name)
        for line in lines:
            kind = figure_kind(line.indicator)
            sheet.append(
                [
                    line.indicator.name,
                    line.indicator.unit,
                    line.target,
                    line.result,
                    line.rate,
                    line.counted,
                    remarks(line),
                ],
                [sheets.NAME, sheets.TEXT, kind, kind, sheets.RATE, kind, sheets.REMARK],
            )
    if parts and parts["rows"]:
        parts_sheet(workbook, year, where, parts, part_label)
    return saved(workbook)


def remarks(line):
    """What the page's scorecard says beside the numbers, in words."""
    said = []
    if line.target_summed:
        said.append("协议数为下级合计")
    if line.reported is None and line.summed is not None:
        said.append("完成数为下级合计")
    if line.mismatch:
        said.append("与系统统计数不符")
    if line.parts_differ:
        summed = money(line.summed) if line.indicator.unit == "万元" else figure(line.summed)
        said.append("与下级合计（%s）不符" % summed)
    if line.note:
        said.append(line.note)
    return "；".join(said) or None


def parts_sheet(workbook, year, where, parts, part_label):
    """The dashboard's table of parts: per part its projects, their Shanghai aid, and the
    headline indicators' 协议数, 完成数 and 完成率, each indicator's name over its three."""
    indicators = parts["indicators"]
    columns = [
        sheets.Column(part_label, sheets.PLACE),
        sheets.Column("项目数", sheets.COUNT),
        sheets.Column("上海援助资金（万元）", sheets.MONEY),
    ]
    for indicator in indicators:
        kind = figure_kind(indicator)
        columns += [
            sheets.Column("协议数", kind),
            sheets.Column("完成数", kind),
            sheets.Column("完成率（%）", sheets.RATE),
        ]
    groups = [("", 3)] + [("%s（%s）" % (i.name, i.unit), 3) for i in indicators]
    sheet = sheets.ReportSheet(
        workbook,
        "各%s情况" % part_label,
        columns,
        title="%d年 %s 各%s沪滇协作指标" % (year, where, part_label),
        groups=groups,
        frozen_columns=1,
    )
    for row in parts["rows"]:
        figures = [
            value for line in row["lines"] for value in (line.target, line.result, line.rate)
        ]
        sheet.append([row["place"].name, row["count"], row["money"], *figures])
