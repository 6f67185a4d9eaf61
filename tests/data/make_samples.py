"""Writes the sample yearly reports next to this script; run it again after changing them.

    .venv/bin/python tests/data/make_samples.py

The samples are what county offices send: a GBK CSV saved by Chinese Excel (title row, CRLF,
grouped and full-width amounts, Chinese dates, a blank row), a UTF-8 CSV with BOM and English
headers, and an XLSX with number and date cells. Places are real (fixtures/reference.json).
"""

import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADER = (
    "项目编号,项目名称,年度,州市,县市区,项目类别,项目状态,"
    "上海援助资金（万元）,其他资金（万元）,受益人数,开工日期,完工日期,备注"
)

GBK_CSV = f"""\
2023年度沪滇协作项目统计表（普洱市、西双版纳州）,,,,,,,,,,,,
{HEADER}
2023-LC-001,茶叶初制所,2023,普洱市,澜沧拉祜族自治县,产业发展,在建,169.41,20,"1,200",2023/3/1,2023/11/30,
2023-LC-002,易地搬迁安置点配套,2023,,澜沧拉祜族自治县,基础设施,完工,500,,3600,2023-02-15,2023-10-31,含村组道路
2023-LC-003,咖啡精深加工车间,2023,530800,530828,产业发展,在建,"1,234.50",300,,2023年4月1日,,
,,,,,,,,,,,,
2023-MH-001,勐海县普洱茶初制所提升,2023,西双版纳傣族自治州,勐海县,产业发展,计划,１２０．５,０,８００,,,
2023-ML-001,孟连县边境村卫生室,2023,普洱市,孟连傣族拉祜族佤族自治县,医疗帮扶,完工,88,12.5,2400,2023-05-01,2023-09-30,-与上海市第六人民医院共建
"""  # noqa: E501 one line per spreadsheet row

UTF8_BOM_CSV = """\
code,name,year,prefecture,county,category,status,shanghai_funds,other_funds,beneficiaries,start_date,end_date,notes
2023-LC-101,澜沧县职业高级中学实训楼,2023,普洱市,澜沧拉祜族自治县,education,building,450,50,1800,2023-03-15,,
2023-LC-102,上海专家驻县义诊,2023,普洱市,澜沧拉祜族自治县,医疗帮扶,完工,35.2,0,5000,2023-06-01,2023-06-30,
2023-MH-101,勐海县消费帮扶专柜,2023,,勐海县,消费帮扶,在建,60,,,,,上海市场专柜
"""  # noqa: E501 one line per spreadsheet row

D = datetime.datetime
# fmt: off
XLSX_ROWS = [
    [530828001, "茶叶初制所", 2023, "普洱市", 530828, "产业发展", "在建",
     169.41, 20, 1200, D(2023, 3, 1), D(2023, 11, 30), None],
    ["2023-LC-002", "易地搬迁安置点配套", 2023, 530800, "澜沧拉祜族自治县", "基础设施", "完工",
     500, 0, 3600, D(2023, 2, 15), "2023/10/31", "含村组道路"],
    [],
    ["2023-ML-001", "孟连县边境村卫生室", 2023.0, "普洱市", 530827, "医疗帮扶", "完工",
     88, 12.5, 2400, "2023年5月1日", D(2023, 9, 30), None],
    ["2023-MH-001", "勐海县普洱茶初制所提升", 2023, "西双版纳傣族自治州", "勐海县",
     "产业发展", "计划", 120.5, None, None, None, None, None],
]
# fmt: on
# Fixed, so that running the script again writes the same workbook properties.
SAVED = D(2024, 1, 15, 9, 30)


def write_xlsx(path):
    workbook = Workbook()
    workbook.properties.creator = "澜沧县乡村振兴局"
    workbook.properties.created = workbook.properties.modified = SAVED
    sheet = workbook.active
    sheet.title = "项目年度报表"
    sheet.append(["2023年度沪滇协作项目统计表"])
    sheet.append(HEADER.split(","))
    for cells in XLSX_ROWS:
        sheet.append(cells)
    for cell in sheet["K"] + sheet["L"]:
        if isinstance(cell.value, datetime.datetime):
            cell.number_format = "yyyy/m/d"
    workbook.save(path)


if __name__ == "__main__":
    # As Chinese Excel saves "CSV (逗号分隔)": GBK, CRLF.
    (HERE / "yearly_report_2023_gbk.csv").write_bytes(GBK_CSV.replace("\n", "\r\n").encode("gbk"))
    (HERE / "yearly_report_2023_utf8_bom.csv").write_bytes(UTF8_BOM_CSV.encode("utf-8-sig"))
    write_xlsx(HERE / "yearly_report_2023.xlsx")
