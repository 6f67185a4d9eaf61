"""Writes registry (名册) samples as county offices lay them out into tests/data/registries/,
each made by LibreOffice from a workbook written with openpyxl, in three formats: Excel
97-2003 (.xls), OpenDocument (.ods) and XLSX re-saved by LibreOffice (.xlsx). Run it again
after changing them:

    apt-get install -y libreoffice-calc-nogui
    .venv/bin/python tests/data/make_registry_samples.py [stem …]

(with stems, e.g. `park_list`, only those samples are written again).

tests/projects/test_registry_office_files.py imports every sample in every format and
expects the records these rows write, with the notices they give.

cadre_roster (援滇干部人才名册): sheet 名册 with the title 上海市第十二批援滇干部人才名册（澜沧县）
merged across the top; a two-row header whose 派驻地 group is merged over 州市 and 县市区 and
whose 任期 group over 开始 and 结束, the other headers merged down; a 序号 column the registry
does not know; terms as date cells; a blank row between two records; a 填表人 footer; and
填表说明, a hidden sheet.

fund_list (资金名册): sheet 资金 titled 2023年度上海帮扶资金下达明细表 (no 年度 column: the year
comes from the title), a 序号 and a 备注 column the registry does not know, amounts under
金额（万元） as numbers but one typed as the text "120.50", and a 合计 row (its label merged
over three cells) at the bottom.

village_list (村名录): sheet 村名录 titled 澜沧拉祜族自治县行政村名录; 30 villages, the county
cell merged down over all of them and each township's cell merged down over its villages;
some names written with full-width spaces before or after them (as copied from Word
documents); 乡村振兴示范村 and 边境小康村 ticked with √ or left blank.

institution_list (机构名录): Shanghai and Yunnan hospitals and schools of 组团式 aid, by the
column headers an office writes (名称, 所在地, 所在区, 州市, 县市区).

institution_pairing_list (机构结对): the 组团式医疗 and 组团式教育 pairings of those
institutions (hospital with hospital, school with school), with their years and a sum
committed in 万元 (one typed as the text "35.5", one year as "2024年"); like most such lists it
has no 结对村, 结对县市区 or 结对州市 column.

allocation_list (资金分配): sheet 分配 titled 2023年度上海帮扶资金分配明细表; a two-row header
whose 资金 group is merged over 年度, 来源, 出资单位 and 文号 (read as 资金年度, 资金来源, 出资单位,
文号), the other headers merged down; a 序号, a 项目名称 and a 备注 column the registry does not
know; projects of 澜沧 and 勐海 by code; one amount typed as the text "20.5", one fund year as
"2023年"; two 区级 funds of 澜沧 told apart by their 文号; a blank row, a 合计 row (its label
merged over three cells) and 填表说明, a hidden sheet.

posting_list (交流挂职名册): sheet 挂职 titled 2023年度沪滇干部双向交流挂职名册, postings in both
directions; a two-row header whose 挂职 group is merged over 单位, 岗位, 开始 and 结束 (read as
挂职单位, 挂职岗位, 挂职开始, 挂职结束); dates as date cells and as the text "2023年3月1日",
"2023.9.1" and "2024.2.29"; a county written short (澜沧县) and a district short (黄浦); one
posting with no 上海市辖区, one still running; a blank row, a 填表人 footer and a hidden
填表说明 sheet.

district_pairing_list (区县结对): sheet 结对 titled 上海市黄浦区与云南省结对关系一览表; a two-row
header whose 结对地区 group is merged over 州市 and 县市区; a pairing of 2017–2020 with a county
named with its prefecture, one from "2021年" (text) still running, one of 2017–2020 with a
county alone, and a 整州结对 row (西双版纳傣族自治州, no county), each with 依据 and 来源.

park_list (园区名录): sheet 园区 titled 沪滇共建产业园区名录; two parks, one listing two registered
enterprises in 入驻企业名录 separated by 、, one founded "2021年" (text), 示范园区 as 是/否.

park_year_list (园区年度情况): sheet 年度情况 titled 沪滇共建产业园区建设情况统计表; a two-row
header whose 投资 group is merged over 到位投资（亿元） and 园区建设投资（万元）, the investment
converted from 亿元; 入驻企业（家） and 带动就业（人） with a count typed as text, a year as
"2023年", a 备注 column and a 合计 row.

programme_list (项目群): sheet 项目群 titled 沪滇协作项目群清单; 澜沧's county cell merged down over
its two programmes (and written short), a programme of 勐海, kinds by their labels, a year as
"2022年", one still running (截止年度 blank).

project_report (项目年度报表): the yearly project report, sheet 项目 titled
2023年度沪滇协作项目统计表（澜沧县）; a two-row header whose 资金（万元） group is merged over
上海援助资金 and 其他资金; the optional 村 (by name, and as 乡镇＋村名) and 项目群 columns filled;
dates as date cells and as the text "2023年11月30日" and "2023.4.1"; an amount typed as the
text "85.5"; a blank row, a 合计 row that adds up, a 填表人 footer and a hidden 填表说明 sheet.
"""

import datetime
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent / "registries"
FORMATS = ("xls", "ods", "xlsx")
D = datetime.datetime

# Each sample: sheets, each (title, rows from A1, merged ranges, hidden); a row is a list of
# cells from column A, None for an empty cell.

CADRE_TITLE = "上海市第十二批援滇干部人才名册（澜沧县）"
CADRE_ROWS = [
    [CADRE_TITLE],
    ["序号", "批次", "姓名", "性别", "类别", "上海派出单位", "在滇挂职岗位", "派驻地"]
    + [None, "任期", None],
    [None] * 7 + ["州市", "县市区", "开始", "结束"],
    [1, 12, "测试戊", "男", "党政干部", "上海市黄浦区发展和改革委员会", "澜沧县委常委、副县长"]
    + [None, "澜沧县", D(2022, 7, 1), D(2025, 6, 30)],
    [2, 12, "测试己", "女", "医生", "上海市黄浦区中心医院", "澜沧县第一人民医院副院长"]
    + [None, "澜沧拉祜族自治县", D(2023, 8, 1), D(2024, 7, 31)],
    [],
    [3, 12, "测试庚", "男", "教师", "上海市格致中学", "澜沧县民族中学副校长"]
    + [None, "530828", D(2023, 9, 1), None],
    [4, 12, "测试辛", "女", "党政干部", "上海市黄浦区人民政府办公室", "普洱市人民政府副秘书长"]
    + ["普洱市", None, D(2022, 7, 1), None],
    [],
    ["填表人：李红　　联系电话：0879-7221234"],
]
CADRE_MERGED = ["A1:K1", "H2:I2", "J2:K2"] + ["%s2:%s3" % (c, c) for c in "ABCDEFG"]
NOTES = [["填表说明"], ["1. 批次填数字，如12。"], ["2. 任期填日期，仍在岗的结束日期留空。"]]

FUND_TITLE = "2023年度上海帮扶资金下达明细表"
FUND_ROWS = [
    [FUND_TITLE],
    ["序号", "受援县市区", "资金来源", "金额（万元）", "出资单位", "文号", "备注"],
    [1, "澜沧拉祜族自治县", "上海市级财政援助", 3580, None, "沪财农〔2023〕15号", None],
    [2, "澜沧县", "区级财政援助", 1200.5, "黄浦区人民政府", "黄府〔2023〕8号", "第一批"],
    [3, "勐海县", "上海市级财政援助", "120.50", None, "沪财农〔2023〕15号", None],
    [4, "勐海县", "社会帮扶", 50.25, "上海市慈善基金会", None, "定向捐赠"],
    ["合计", None, None, 4951.25, None, None, None],
]
FUND_MERGED = ["A1:G1", "A7:C7"]

VILLAGE_TITLE = "澜沧拉祜族自治县行政村名录"
# (township, [(village as written, 乡村振兴示范村, 边境小康村)]): 30 villages.
VILLAGES = [
    ("勐朗镇", [("勐朗村", "√", None), ("唐胜村", None, None), ("勐滨村", None, None)]),
    ("勐朗镇", [("　城关村", None, None), ("付腊村", None, None)]),
    (
        "惠民镇",
        [
            ("芒景村", "√", None),
            ("景迈村", "√", None),
            ("旱谷坝村　", None, None),
            ("芒云村", None, None),
        ],
    ),
    ("上允镇", [("上允村", None, None), ("芒付村", None, None), ("佛房村", None, None)]),
    ("糯扎渡镇", [("糯扎渡村", None, None), ("　　竹林村", None, None), ("雅口村", None, None)]),
    ("谦六彝族乡", [("谦六村", None, None), ("团结村", "√", None)]),
    ("酒井哈尼族乡", [("勐根村", "√", None), ("酒井村", None, None)]),
    ("竹塘乡", [("东主村", None, None), ("大塘子村", None, None), ("茨竹河村　", None, None)]),
    ("糯福乡", [("南段村", None, "√"), ("阿里村", None, "√"), ("糯福村", None, "√")]),
    ("雪林佤族乡", [("左都村", None, "√"), ("雪林村", None, "√")]),
    ("东回镇", [("东回村", None, None), ("班利村", "√", None), ("　南海村　", None, None)]),
]
VILLAGE_HEADER = ["序号", "县市区", "乡（镇）", "村（社区）", "乡村振兴示范村", "边境小康村"]

INSTITUTION_ROWS = [
    ["沪滇协作组团式帮扶机构名录"],
    ["序号", "名称", "类别", "所在地", "所在区", "州市", "县市区"],
    [1, "上海市黄浦区中心医院", "医院", "上海", "黄浦区", None, None],
    [2, "上海市格致中学", "学校", "上海", "黄浦", None, None],
    [3, "上海市第一人民医院", "医院", "上海", None, None, None],
    [4, "澜沧拉祜族自治县第一人民医院", "医院", "云南", None, "普洱市", "澜沧县"],
    [5, "澜沧拉祜族自治县民族中学", "学校", "云南", None, None, "澜沧拉祜族自治县"],
    [6, "普洱市人民医院", "医院", "云南", None, "普洱市", None],
    [7, "勐海县人民医院", "医院", "云南", None, "西双版纳傣族自治州", "勐海县"],
]
INSTITUTION_MERGED = ["A1:G1"]

PAIRING_ROWS = [
    ["组团式帮扶结对名单"],
    ["序号", "结对类型", "上海帮扶机构", "云南结对机构", "起始年度", "终止年度"]
    + ["承诺帮扶资金（万元）"],
    [1, "组团式医疗", "上海市黄浦区中心医院", "澜沧拉祜族自治县第一人民医院", 2021, 2023, None],
    [2, "组团式医疗", "上海市第一人民医院", "普洱市人民医院", 2022, None, None],
    [3, "组团式教育", "上海市格致中学", "澜沧拉祜族自治县民族中学", 2021, 2023, 100],
    [4, "组团式医疗", "上海市黄浦区中心医院", "勐海县人民医院", "2024年", None, "35.5"],
]
PAIRING_MERGED = ["A1:G1"]


ALLOCATION_TITLE = "2023年度上海帮扶资金分配明细表"
ALLOCATION_ROWS = [
    [ALLOCATION_TITLE],
    ["序号", "项目编号", "项目名称", "资金", None, None, None, "分配金额（万元）", "备注"],
    [None] * 3 + ["年度", "来源", "出资单位", "文号"] + [None] * 2,
    [1, "2023-LC-001", "芒景村茶叶初制所", 2023, "上海市级财政援助", None, "沪财农〔2023〕15号"]
    + [60, None],
    [2, "2023-LC-001", "芒景村茶叶初制所", 2023, "社会帮扶", "上海市慈善基金会", None]
    + ["20.5", "定向捐赠"],
    [],
    [3, "2023-LC-002", "景迈村道路硬化", "2023年", "区级财政援助", "黄浦区人民政府"]
    + ["黄府〔2023〕8号", 150.25, None],
    [4, "2023-LC-002", "景迈村道路硬化", 2023, "区级财政援助", "黄浦区人民政府"]
    + ["黄府〔2023〕12号", 30, "第二批"],
    [5, "2023-MH-001", "勐海茶厂改造", 2023, "上海市级财政援助", None, None, 80, None],
    ["合计", None, None, None, None, None, None, 340.75, None],
]
ALLOCATION_MERGED = ["A1:I1", "D2:G2", "A10:C10"] + ["%s2:%s3" % (c, c) for c in "ABCHI"]
ALLOCATION_NOTES = [["填表说明"], ["1. 项目编号须为已登记的项目。"], ["2. 金额单位为万元。"]]

POSTING_TITLE = "2023年度沪滇干部双向交流挂职名册"
POSTING_ROWS = [
    [POSTING_TITLE],
    ["序号", "姓名", "性别", "挂职方向", "云南县市区", "上海市辖区", "原单位", "挂职"] + [None] * 3,
    [None] * 7 + ["单位", "岗位", "开始", "结束"],
    [1, "测试甲", "男", "云南干部赴沪挂职", "澜沧县", "黄浦区", "澜沧县农业农村局"]
    + ["黄浦区农业农村委员会", "主任助理", D(2023, 3, 1), D(2023, 8, 31)],
    [2, "测试乙", "女", "上海干部赴滇挂职", "澜沧拉祜族自治县", "黄浦", "黄浦区教育局"]
    + ["澜沧县教育体育局", "副局长", "2023年3月1日", None],
    [],
    [3, "测试丙", "男", "云南干部赴沪挂职", "勐海县", None, "勐海县人民医院"]
    + ["上海市第一人民医院", "进修医生", "2023.9.1", "2024.2.29"],
    [4, "测试丁", "女", "上海干部赴滇挂职", "勐海县", "黄浦区", "上海市格致中学"]
    + ["勐海县第一中学", "支教教师", D(2022, 9, 1), D(2023, 7, 15)],
    [],
    ["填表人：测试戊　　联系电话：0879-7221234"],
]
POSTING_MERGED = ["A1:K1", "H2:K2"] + ["%s2:%s3" % (c, c) for c in "ABCDEFG"]
POSTING_NOTES = [["填表说明"], ["1. 挂职方向填云南干部赴沪挂职或上海干部赴滇挂职。"]]

DISTRICT_PAIRING_ROWS = [
    ["上海市黄浦区与云南省结对关系一览表"],
    ["序号", "上海市辖区", "结对地区", None, "起始年度", "终止年度", "依据", "来源"],
    [None, None, "州市", "县市区"] + [None] * 4,
    [1, "黄浦区", "普洱市", "澜沧县", 2017, 2020, "明确记载", "沪府办〔2017〕23号"],
    [2, "黄浦区", "普洱市", "澜沧拉祜族自治县", "2021年", None, "明确记载", "沪府办〔2021〕5号"],
    [3, "黄浦", None, "勐海县", 2017, 2020, "推断", "黄浦区年鉴2018"],
    [4, "黄浦区", "西双版纳傣族自治州", None, 2021, None, "明确记载", "沪府办〔2021〕5号"],
]
DISTRICT_PAIRING_MERGED = ["A1:H1", "C2:D2"] + ["%s2:%s3" % (c, c) for c in "ABEFGH"]

PARK_ROWS = [
    ["沪滇共建产业园区名录"],
    ["序号", "园区名称", "所在县市区", "上海结对区", "上海合作方", "设立年度", "示范园区"]
    + ["入驻企业名录", "简介"],
    [1, "澜沧沪滇协作产业园", "澜沧县", "黄浦区", "上海临港经济发展（集团）有限公司", 2019, "是"]
    + ["上海测试茶业有限公司、上海测试咖啡有限公司", "茶叶、咖啡精深加工"],
    [2, "勐海沪滇共建茶产业园", "勐海县", "黄浦", None, "2021年", "否", None, None],
]
PARK_MERGED = ["A1:I1"]

PARK_YEAR_ROWS = [
    ["沪滇共建产业园区建设情况统计表"],
    ["序号", "园区名称", "年度", "入驻企业（家）", "投资", None, "带动就业（人）", "备注"],
    [None] * 4 + ["到位投资（亿元）", "园区建设投资（万元）", None, None],
    [1, "澜沧沪滇协作产业园", 2022, 5, 1.2, 3500, 320, None],
    [2, "澜沧沪滇协作产业园", 2023, "8", 2.05, 4200.5, "450", "新增咖啡精深加工"],
    [3, "勐海沪滇共建茶产业园", "2023年", 3, 0.8, 1800, 150, None],
    ["合计", None, None, 16, 4.05, 9500.5, 920, None],
]
PARK_YEAR_MERGED = ["A1:H1", "E2:F2", "A7:C7"] + ["%s2:%s3" % (c, c) for c in "ABCDGH"]

PROGRAMME_ROWS = [
    ["沪滇协作项目群清单"],
    ["序号", "县市区", "项目群名称", "类型", "起始年度", "截止年度", "简介"],
    [1, "澜沧县", "芒景村乡村振兴示范村建设", "示范村建设", 2021, 2023, "芒景村示范村分年度建设"],
    [2, None, "咖啡产业链", "产业链", "2022年", None, "种植、初加工到精深加工"],
    [3, "勐海县", "勐海茶产业园建设", "园区建设", 2021, None, None],
]
PROGRAMME_MERGED = ["A1:G1", "B3:B4"]

REPORT_TITLE = "2023年度沪滇协作项目统计表（澜沧县）"
REPORT_ROWS = [
    [REPORT_TITLE],
    ["序号", "项目编号", "项目名称", "年度", "县市区", "村", "项目类别", "项目状态"]
    + ["资金（万元）", None, "受益人数", "开工日期", "完工日期", "项目群", "备注"],
    [None] * 8 + ["上海援助资金", "其他资金"] + [None] * 5,
    [1, "2023-LC-101", "芒景村茶叶初制所", 2023, "澜沧县", "芒景村", "产业发展", "在建"]
    + [169.41, 20, 1200, D(2023, 3, 1), "2023年11月30日", "芒景村乡村振兴示范村建设", None],
    [2, "2023-LC-102", "景迈村道路硬化", 2023, "澜沧拉祜族自治县", "惠民镇景迈村", "基础设施"]
    + ["完工", "85.5", 0, 600, "2023.4.1", D(2023, 9, 30), "芒景村乡村振兴示范村建设", None],
    [],
    [3, "2023-LC-103", "咖啡鲜果加工厂", 2023, "澜沧拉祜族自治县", None, "产业发展", "计划"]
    + [120, None, None, None, None, "咖啡产业链", "待立项"],
    ["合计", None, None, None, None, None, None, None, 374.91, 20, 1800],
    [],
    ["填表人：测试戊　　审核人：测试己"],
]
REPORT_MERGED = ["A1:O1", "I2:J2", "A8:H8"] + ["%s2:%s3" % (c, c) for c in "ABCDEFGHKLMNO"]
REPORT_NOTES = [["填表说明"], ["1. 村填本县已登记的村名。"], ["2. 项目群填已登记的项目群名称。"]]


def village_rows():
    """The village list's rows and merged ranges: the county cell merged down over every
    village, each township's over its villages (a township may come in two runs)."""
    rows = [[VILLAGE_TITLE], VILLAGE_HEADER]
    merged = ["A1:F1"]
    number = 0
    for township, villages in VILLAGES:
        first = len(rows) + 1
        for position, (name, demo, border) in enumerate(villages):
            number += 1
            county = "澜沧拉祜族自治县" if number == 1 else None
            rows.append([number, county, township if position == 0 else None, name, demo, border])
        if len(villages) > 1:
            merged.append("C%d:C%d" % (first, len(rows)))
    merged.append("B3:B%d" % len(rows))
    return rows, merged


def samples():
    """{stem: [(sheet title, rows, merged ranges, hidden)]}"""
    villages, village_merged = village_rows()
    return {
        "cadre_roster": [
            ("名册", CADRE_ROWS, CADRE_MERGED, False),
            ("填表说明", NOTES, [], True),
        ],
        "fund_list": [("资金", FUND_ROWS, FUND_MERGED, False)],
        "village_list": [("村名录", villages, village_merged, False)],
        "institution_list": [("机构", INSTITUTION_ROWS, INSTITUTION_MERGED, False)],
        "institution_pairing_list": [("结对", PAIRING_ROWS, PAIRING_MERGED, False)],
        "allocation_list": [
            ("分配", ALLOCATION_ROWS, ALLOCATION_MERGED, False),
            ("填表说明", ALLOCATION_NOTES, [], True),
        ],
        "posting_list": [
            ("挂职", POSTING_ROWS, POSTING_MERGED, False),
            ("填表说明", POSTING_NOTES, [], True),
        ],
        "district_pairing_list": [("结对", DISTRICT_PAIRING_ROWS, DISTRICT_PAIRING_MERGED, False)],
        "park_list": [("园区", PARK_ROWS, PARK_MERGED, False)],
        "park_year_list": [("年度情况", PARK_YEAR_ROWS, PARK_YEAR_MERGED, False)],
        "programme_list": [("项目群", PROGRAMME_ROWS, PROGRAMME_MERGED, False)],
        "project_report": [
            ("项目", REPORT_ROWS, REPORT_MERGED, False),
            ("填表说明", REPORT_NOTES, [], True),
        ],
    }


def build(sheets):
    """The workbook of a sample's sheets, written by openpyxl."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows, merged, hidden in sheets:
        sheet = workbook.create_sheet(title)
        for number, values in enumerate(rows, start=1):
            for col, value in enumerate(values, start=1):
                if value is not None:
                    cell = sheet.cell(row=number, column=col, value=value)
                    if isinstance(value, datetime.datetime):
                        cell.number_format = "yyyy-mm-dd"
        for ref in merged:
            sheet.merge_cells(ref)
        if hidden:
            sheet.sheet_state = "hidden"
    return workbook


def convert(workbook, stem, target, directory):
    """`workbook` saved as XLSX, then converted by LibreOffice to `target` ("xls", "ods",
    "xlsx": LibreOffice's own XLSX), into tests/data/registries/."""
    source = Path(directory) / (stem + ".xlsx")
    workbook.save(source)
    out = Path(directory) / target
    out.mkdir(exist_ok=True)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", target, "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    output = out / ("%s.%s" % (stem, target))
    shutil.copyfile(output, HERE / output.name)
    print("wrote", output.name, output.stat().st_size, "bytes")


def main():
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install -y libreoffice-calc-nogui")
    HERE.mkdir(exist_ok=True)
    wanted = sys.argv[1:] or list(samples())
    unknown = sorted(set(wanted) - set(samples()))
    if unknown:
        sys.exit("no such sample: %s" % ", ".join(unknown))
    with tempfile.TemporaryDirectory() as directory:
        for stem, sheets in samples().items():
            if stem not in wanted:
                continue
            for target in FORMATS:
                convert(build(sheets), stem, target, directory)


if __name__ == "__main__":
    main()
