"""The blank templates of the indicator report (协作指标报表), CSV and XLSX."""

import csv

from projects.importers.exporting import Line, guide_sheet, safe_row, saved

from . import rows as indicator_rows


def indicator_csv_lines():
    """The blank indicator report template as CSV: its header line, UTF-8 with BOM."""
    yield "\ufeff" + csv.writer(Line()).writerow(indicator_rows.HEADERS)


def indicator_xlsx_file(indicators):
    """The blank indicator report template as XLSX in a temporary file, with a sheet of the
    rules, the levels and every indicator's code, name and unit."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    workbook.create_sheet("协作指标报表").append(indicator_rows.HEADERS)
    guide = guide_sheet(workbook, indicator_rows.COLUMNS, INDICATOR_RULES)
    guide.append([])
    for line in INDICATOR_LEVELS:
        guide.append([line])
    guide.append([])
    guide.append(["指标代码", "指标名称", "计量单位", "类别", "所属指标"])
    for indicator in indicators:
        parent = indicator.parent.name if indicator.parent else ""
        guide.append(
            safe_row(
                [
                    indicator.code,
                    indicator.name,
                    indicator.unit,
                    indicator.get_group_display(),
                    parent,
                ]
            )
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
