"""Writes registry (名册) samples as county offices lay them out into tests/data/registries/,
each made by LibreOffice from a workbook written with openpyxl, in three formats: Excel
97-2003 (.xls), OpenDocument (.ods) and XLSX re-saved by LibreOffice (.xlsx). Run it again
after changing them:

    apt-get install -y libreoffice-calc-nogui
    .venv/bin/python tests/data/make_registry_samples.py

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
    [1, 12, "王建华", "男", "党政干部", "上海市黄浦区发展和改革委员会", "澜沧县委常委、副县长"]
    + [None, "澜沧县", D(2022, 7, 1), D(2025, 6, 30)],
    [2, 12, "陈静", "女", "医生", "上海市黄浦区中心医院", "澜沧县第一人民医院副院长"]
    + [None, "澜沧拉祜族自治县", D(2023, 8, 1), D(2024, 7, 31)],
    [],
    [3, 12, "刘洋", "男", "教师", "上海市格致中学", "澜沧县民族中学副校长"]
    + [None, "530828", D(2023, 9, 1), None],
    [4, 12, "赵敏", "女", "党政干部", "上海市黄浦区人民政府办公室", "普洱市人民政府副秘书长"]
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
    with tempfile.TemporaryDirectory() as directory:
        for stem, sheets in samples().items():
            for target in FORMATS:
                convert(build(sheets), stem, target, directory)


if __name__ == "__main__":
    main()
