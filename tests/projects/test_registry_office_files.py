"""Registries read from real county workbooks: the samples in tests/data/registries were laid
out as offices lay them out and saved by LibreOffice as XLS, ODS and XLSX
(tests/data/make_registry_samples.py says what each holds). Each imports its records with
the values written, says what it left out, and the same file again changes nothing; files
with mistakes are refused with every error line, by sheet, row and column."""

import datetime
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from counties.models import Pairing, Village
from institutions.models import Institution, InstitutionPairing
from personnel.models import Cadre, ExchangePosting
from projects.importers import ImportFailed, import_yearly_report
from projects.importers.registries import (
    ALLOCATIONS,
    CADRES,
    DISTRICT_PAIRINGS,
    FUNDS,
    INSTITUTION_PAIRINGS,
    INSTITUTIONS,
    PARK_YEARS,
    PARKS,
    POSTINGS,
    PROGRAMMES,
    VILLAGES,
)
from projects.importers.registry import import_registry
from projects.models import (
    Fund,
    FundAllocation,
    ImportBatch,
    IndustrialPark,
    IndustrialParkYear,
    Programme,
    Project,
)
from tests.cast import make_project

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "registries"
FORMATS = ["xls", "ods", "xlsx"]
D = datetime.date
LANCANG = "澜沧拉祜族自治县"
LANCANG_SHORT = "“澜沧县”按“澜沧拉祜族自治县”（530828）导入"


def sample(stem, fmt):
    path = SAMPLES / ("%s.%s" % (stem, fmt))
    return (path.name, io.BytesIO(path.read_bytes()))


def run(registry, *files):
    return import_registry(registry, files=list(files), user=None, dry_run=False)


def counts(report):
    return report.total("created"), report.total("updated"), report.total("unchanged")


def refusal(registry, *files):
    with pytest.raises(ImportFailed) as failure:
        run(registry, *files)
    return failure.value.errors


def workbook_file(name, sheets):
    """An XLSX written by openpyxl: sheets as (title, rows from A1, merged ranges)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows, merged in sheets:
        sheet = workbook.create_sheet(title)
        for number, values in enumerate(rows, start=1):
            for col, value in enumerate(values, start=1):
                if value is not None:
                    sheet.cell(row=number, column=col, value=value)
        for ref in merged:
            sheet.merge_cells(ref)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return (name, out)


@pytest.fixture
def places(county, menghai, district):
    """澜沧 and 勐海 (with their prefectures) and 黄浦区."""
    return county, menghai, district


STEMS = ["cadre_roster", "fund_list", "village_list", "institution_list"]
STEMS += ["institution_pairing_list", "allocation_list", "posting_list", "district_pairing_list"]
STEMS += ["park_list", "park_year_list", "programme_list", "project_report"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("stem", STEMS)
def test_each_sample_is_a_small_file_saved_by_libreoffice(stem, fmt):
    content = (SAMPLES / ("%s.%s" % (stem, fmt))).read_bytes()

    assert 0 < len(content) < 50_000
    if fmt == "xls":
        assert content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # OLE, BIFF8
    else:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            about = archive.read("meta.xml" if fmt == "ods" else "docProps/app.xml")
        assert b"LibreOffice" in about


# The cadre roster ------------------------------------------------------------------------

CADRES_WRITTEN = [
    # name, gender, kind, sending unit, post, county, prefecture, start, end, batch
    ("测试戊", "male", "official", "上海市黄浦区发展和改革委员会", "澜沧县委常委、副县长")
    + (LANCANG, None, D(2022, 7, 1), D(2025, 6, 30), 12),
    ("测试己", "female", "doctor", "上海市黄浦区中心医院", "澜沧县第一人民医院副院长")
    + (LANCANG, None, D(2023, 8, 1), D(2024, 7, 31), 12),
    ("测试庚", "male", "teacher", "上海市格致中学", "澜沧县民族中学副校长")
    + (LANCANG, None, D(2023, 9, 1), None, 12),
    ("测试辛", "female", "official", "上海市黄浦区人民政府办公室", "普洱市人民政府副秘书长")
    + (None, "普洱市", D(2022, 7, 1), None, 12),
]


def cadres():
    rows = Cadre.objects.order_by("pk").values_list(
        "name",
        "gender",
        "kind",
        "sending_unit",
        "post",
        "county__name",
        "prefecture__name",
        "term_start",
        "term_end",
        "batch__number",
    )
    return list(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_cadre_roster_with_a_title_a_two_row_header_and_a_hidden_sheet(places, batch12, fmt):
    report = run(CADRES, sample("cadre_roster", fmt))

    assert counts(report) == (4, 0, 0)
    assert cadres() == CADRES_WRITTEN
    # 序号 is not the registry's, the blank row and the footer are no record, and the
    # hidden sheet is not read: each said.
    assert list(report.remarks.lines()) == [
        "提示：名册 第3行表头中以下列不属于本报表，未导入：序号",
        "提示：名册 第4行 县市区：" + LANCANG_SHORT,
        "提示：名册 第10行是表尾（填报人、审核人等），未导入",
        "提示：工作表“填表说明”已隐藏，未导入",
    ]
    assert report.files[0].rows == 4

    again = run(CADRES, sample("cadre_roster", fmt))
    assert counts(again) == (0, 0, 4)
    assert cadres() == CADRES_WRITTEN


def test_a_roster_read_in_one_format_is_the_same_records_in_the_others(places, batch12):
    run(CADRES, sample("cadre_roster", "xls"))
    for fmt in ("ods", "xlsx"):
        assert counts(run(CADRES, sample("cadre_roster", fmt))) == (0, 0, 4)
    assert Cadre.objects.count() == 4
    assert ImportBatch.objects.count() == 3


ROSTER_HEAD = [
    ["上海市第十二批援滇干部人才名册（澜沧县）"],
    [
        "序号",
        "批次",
        "姓名",
        "性别",
        "类别",
        "上海派出单位",
        "在滇挂职岗位",
        "县市区",
        "任期",
        None,
    ],
    [None] * 8 + ["开始", "结束"],
]
ROSTER_MERGED = ["A1:J1", "I2:J2"] + ["%s2:%s3" % (c, c) for c in "ABCDEFGH"]


def test_a_roster_with_mistakes_is_refused_with_each_cell_by_row_and_header(places, batch12):
    rows = ROSTER_HEAD + [
        [1, 13, "测试戊", "男", "党政干部", "黄浦区发改委", "副县长", "澜沧县"]
        + [datetime.datetime(2022, 7, 1), None],
        [2, 12, "测试己", "男性", "医生", "黄浦区中心医院", "副院长", "澜沧县", "2023-02-30", None],
        [],
        [3, 12, "测试庚", "男", "教师", "格致中学", "副校长", "澜沧县"]
        + [datetime.datetime(2023, 9, 1), datetime.datetime(2023, 8, 31)],
        [
            4,
            12,
            "测试辛",
            "女",
            "党政干部",
            "黄浦区政府办",
            "副秘书长",
            "景洪市",
            "2022-07-01",
            None,
        ],
        [5, 12, "李强", "男", "教师", "格致中学", "副校长", "澜沧县", "2023-09-01", None],
        [6, "第12批", "李强", "男", "教师", "格致中学", "教务主任", "澜沧县", "2023年9月1日", None],
    ]

    errors = refusal(CADRES, workbook_file("名册.xlsx", [("名册", rows, ROSTER_MERGED)]))

    # Rows as the sheet numbers them (title and two header rows above, a blank row
    # between); a column by its header as written, the sub-header under 任期.
    assert errors == [
        "第4行 批次：未知的援滇干部批次“13”（请先在管理后台登记）",
        "第5行 性别：“男性”不是可选的值（可填：男、女）",
        "第5行 开始：日期不存在：“2023-02-30”（可写作2022-03-01、2022/3/1或2022年3月1日）",
        "第7行 结束：任期结束不能早于任期开始",
        "第8行 县市区：未知的县市区“景洪市”",
        "第10行 批次：与第9行重复：同一批次、姓名、上海派出单位只能填写一行",
    ]
    assert not Cadre.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_roster_whose_term_is_headed_from_and_to_under_one_group(places, batch12):
    """任职时间 merged over 起 and 止: how many county rosters head a term."""
    rows = [
        ["序号", "批次", "姓名", "性别", "类别", "上海派出单位", "在滇挂职岗位", "县市区"]
        + ["任职时间", None],
        [None] * 8 + ["起", "止"],
        [1, 12, "测试戊", "男", "党政干部", "黄浦区发改委", "副县长", "澜沧县"]
        + [datetime.datetime(2022, 7, 1), datetime.datetime(2025, 6, 30)],
    ]
    merged = ["I1:J1"] + ["%s1:%s2" % (c, c) for c in "ABCDEFGH"]

    report = run(CADRES, workbook_file("名册.xlsx", [("名册", rows, merged)]))

    assert counts(report) == (1, 0, 0)
    cadre = Cadre.objects.get()
    assert (cadre.term_start, cadre.term_end) == (D(2022, 7, 1), D(2025, 6, 30))


# The fund list ---------------------------------------------------------------------------

FUNDS_WRITTEN = [
    (2023, LANCANG, "city", Decimal("3580"), "", "沪财农〔2023〕15号"),
    (2023, LANCANG, "district", Decimal("1200.5"), "黄浦区人民政府", "黄府〔2023〕8号"),
    (2023, "勐海县", "city", Decimal("120.5"), "", "沪财农〔2023〕15号"),
    (2023, "勐海县", "social", Decimal("50.25"), "上海市慈善基金会", ""),
]


def funds():
    rows = Fund.objects.order_by("pk").values_list(
        "year", "county__name", "source", "amount", "donor", "document"
    )
    return list(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_fund_list_in_wanyuan_with_a_text_amount_and_a_total_row(places, fmt):
    report = run(FUNDS, sample("fund_list", fmt))

    assert counts(report) == (4, 0, 0)
    assert funds() == FUNDS_WRITTEN
    assert all(isinstance(row[3], Decimal) for row in funds())
    # The year comes from the title; 序号 and 备注 are not the registry's; the 合计 row is
    # no fund (amounts are not summed by the registry, so it is only named).
    assert list(report.remarks.lines()) == [
        "提示：没有“年度”列，年度取自标题“2023年度上海帮扶资金下达明细表”：2023",
        "提示：第2行表头中以下列不属于本报表，未导入：序号、备注",
        "提示：第4行 受援县市区：" + LANCANG_SHORT,
        "提示：第7行是合计行，未导入",
    ]
    assert report.files[0].rows == 4

    again = run(FUNDS, sample("fund_list", fmt))
    assert counts(again) == (0, 0, 4)
    assert funds() == FUNDS_WRITTEN


FUND_HEADER = ["受援县市区", "资金来源", "金额（万元）", "出资单位", "文号"]


def test_a_fund_workbook_of_a_sheet_per_county_names_the_sheet_of_each_error(places):
    file = workbook_file(
        "资金.xlsx",
        [
            (
                "澜沧县",
                [
                    ["2023年度上海帮扶资金（澜沧县）"],
                    FUND_HEADER,
                    ["澜沧县", "上海市级财政援助", 10, None, None],
                    ["澜沧县", "市级", 10, None, None],
                    ["澜沧县", "社会帮扶", -5, "上海市慈善基金会", None],
                    ["合计", None, 15, None, None],
                ],
                ["A1:E1"],
            ),
            (
                "勐海县",
                [
                    ["2023年度上海帮扶资金（勐海县）"],
                    FUND_HEADER,
                    ["勐海县", "上海市级财政援助", "12万", None, None],
                    ["勐海县", "社会帮扶", "1,2345", "上海市慈善基金会", None],
                    ["澜沧拉祜族自治县", "上海市级财政援助", "10", None, None],
                ],
                ["A1:E1"],
            ),
        ],
    )

    with pytest.raises(ImportFailed) as failure:
        run(FUNDS, file)

    assert failure.value.errors == [
        "澜沧县 第4行 资金来源：“市级”不是可选的值"
        "（可填：上海市级财政援助、区级财政援助、社会帮扶、企业投资、云南地方配套）",
        "澜沧县 第5行 金额（万元）：金额不能为负数：“-5”",
        "勐海县 第4行 金额（万元）：千分位逗号位置不对：“1,2345”",
        "勐海县 第5行 年度：与工作表“澜沧县”第3行重复："
        "同一年度、受援县市区、资金来源、出资单位、文号只能填写一行",
    ]
    remarks = list(failure.value.remarks.lines())
    assert "提示：澜沧县 第6行是合计行，未导入" in remarks
    assert (
        "提示：勐海县 没有“年度”列，年度取自标题“2023年度上海帮扶资金（勐海县）”：2023" in remarks
    )
    assert not Fund.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_fund_list_in_another_currency_is_refused_by_its_header(places):
    file = workbook_file(
        "资金.xlsx",
        [
            (
                "资金",
                [
                    ["年度", "受援县市区", "资金来源", "金额（美元）"],
                    [2023, "澜沧县", "上海市级财政援助", 1205000],
                ],
                [],
            )
        ],
    )

    assert refusal(FUNDS, file) == [
        "缺少必填列：金额（万元）。第1行表头中找到的列：年度、受援县市区、资金来源。"
        "未认出的表头：金额（美元）。"
    ]
    assert not Fund.objects.exists()


# The village list ------------------------------------------------------------------------

VILLAGES_WRITTEN = {
    # township: [(village, 乡村振兴示范村, 边境小康村)]
    "勐朗镇": [
        ("勐朗村", True, False),
        ("唐胜村", False, False),
        ("勐滨村", False, False),
        ("城关村", False, False),
        ("付腊村", False, False),
    ],
    "惠民镇": [
        ("芒景村", True, False),
        ("景迈村", True, False),
        ("旱谷坝村", False, False),
        ("芒云村", False, False),
    ],
    "上允镇": [("上允村", False, False), ("芒付村", False, False), ("佛房村", False, False)],
    "糯扎渡镇": [("糯扎渡村", False, False), ("竹林村", False, False), ("雅口村", False, False)],
    "谦六彝族乡": [("谦六村", False, False), ("团结村", True, False)],
    "酒井哈尼族乡": [("勐根村", True, False), ("酒井村", False, False)],
    "竹塘乡": [("东主村", False, False), ("大塘子村", False, False), ("茨竹河村", False, False)],
    "糯福乡": [("南段村", False, True), ("阿里村", False, True), ("糯福村", False, True)],
    "雪林佤族乡": [("左都村", False, True), ("雪林村", False, True)],
    "东回镇": [("东回村", False, False), ("班利村", True, False), ("南海村", False, False)],
}


def villages():
    rows = Village.objects.order_by("pk").values_list(
        "county__name", "township", "name", "is_revitalization_demo", "is_border_xiaokang"
    )
    return list(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_village_list_with_merged_county_and_townships_and_full_width_spaces(places, fmt):
    report = run(VILLAGES, sample("village_list", fmt))

    assert counts(report) == (30, 0, 0)
    expected = [
        (LANCANG, township, *village)
        for township, listed in VILLAGES_WRITTEN.items()
        for village in listed
    ]
    assert villages() == expected
    assert list(report.remarks.lines()) == [
        "提示：第2行表头中以下列不属于本报表，未导入：序号",
    ]

    again = run(VILLAGES, sample("village_list", fmt))
    assert counts(again) == (0, 0, 30)
    assert villages() == expected


def test_a_full_width_space_inside_a_name_does_not_make_another_village(places):
    """Offices pad names with full-width spaces (惠　民镇, 芒景　村): the village is the one
    written without them, as the yearly report reads a village (rows.parse_village)."""
    header = ["县市区", "乡镇", "村名"]
    padded = workbook_file(
        "村.xlsx",
        [("村", [header, ["澜沧县", "惠民镇", "芒景　村"], ["澜沧县", "惠　民镇", "景迈村"]], [])],
    )
    plain = workbook_file(
        "村.xlsx",
        [("村", [header, ["澜沧县", "惠民镇", "芒景村"], ["澜沧县", "惠民镇", "景迈村"]], [])],
    )

    assert counts(run(VILLAGES, padded)) == (2, 0, 0)
    assert counts(run(VILLAGES, plain)) == (0, 0, 2)
    assert sorted(Village.objects.values_list("township", "name")) == [
        ("惠民镇", "景迈村"),
        ("惠民镇", "芒景村"),
    ]


def test_a_full_width_space_inside_a_cadres_name_does_not_make_another_cadre(places, batch12):
    """Rosters pad two-character names to three (测　甲): the same cadre as 测甲."""
    header = ["批次", "姓名", "性别", "类别", "上海派出单位", "在滇挂职岗位", "县市区", "任期开始"]
    cells = ["黄浦区发改委", "副县长", "澜沧县", "2022-07-01"]
    padded = workbook_file(
        "名册.xlsx", [("名册", [header, [12, "测　甲", "女", "党政干部", *cells]], [])]
    )
    plain = workbook_file(
        "名册.xlsx", [("名册", [header, [12, "测甲", "女", "党政干部", *cells]], [])]
    )

    assert counts(run(CADRES, padded)) == (1, 0, 0)
    assert counts(run(CADRES, plain)) == (0, 0, 1)
    assert list(Cadre.objects.values_list("name", flat=True)) == ["测甲"]


# Institutions and their pairings -----------------------------------------------------------

INSTITUTIONS_WRITTEN = [
    # name, kind, side, district, prefecture, county
    ("上海市黄浦区中心医院", "hospital", "shanghai", "黄浦区", None, None),
    ("上海市格致中学", "school", "shanghai", "黄浦区", None, None),
    ("上海市第一人民医院", "hospital", "shanghai", None, None, None),
    ("澜沧拉祜族自治县第一人民医院", "hospital", "yunnan", None, None, LANCANG),
    ("澜沧拉祜族自治县民族中学", "school", "yunnan", None, None, LANCANG),
    ("普洱市人民医院", "hospital", "yunnan", None, "普洱市", None),
    ("勐海县人民医院", "hospital", "yunnan", None, None, "勐海县"),
]


def institutions():
    rows = Institution.objects.order_by("pk").values_list(
        "name", "kind", "side", "district__name", "prefecture__name", "county__name"
    )
    return list(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_institution_list_of_both_sides(places, fmt):
    report = run(INSTITUTIONS, sample("institution_list", fmt))

    assert counts(report) == (7, 0, 0)
    assert institutions() == INSTITUTIONS_WRITTEN
    assert list(report.remarks.lines()) == [
        "提示：第2行表头中以下列不属于本报表，未导入：序号",
        "提示：第6行 县市区：" + LANCANG_SHORT,
    ]

    again = run(INSTITUTIONS, sample("institution_list", fmt))
    assert counts(again) == (0, 0, 7)
    assert institutions() == INSTITUTIONS_WRITTEN


@pytest.fixture
def registered(places):
    """The institutions of the institution list, registered in the admin."""
    county, menghai, district = places
    made = {}
    for name, kind, side, district_name, prefecture_name, county_name in INSTITUTIONS_WRITTEN:
        made[name] = Institution.objects.create(
            name=name,
            kind=kind,
            side=side,
            district=district if district_name else None,
            prefecture=county.prefecture if prefecture_name else None,
            county={LANCANG: county, "勐海县": menghai}.get(county_name),
        )
    return made


PAIRINGS_WRITTEN = [
    # kind, helper, partner, from, to, committed
    ("medical", "上海市黄浦区中心医院", "澜沧拉祜族自治县第一人民医院", 2021, 2023, None),
    ("medical", "上海市第一人民医院", "普洱市人民医院", 2022, None, None),
    ("education", "上海市格致中学", "澜沧拉祜族自治县民族中学", 2021, 2023, Decimal("100")),
    ("medical", "上海市黄浦区中心医院", "勐海县人民医院", 2024, None, Decimal("35.5")),
]


def pairings():
    rows = InstitutionPairing.objects.order_by("pk").values_list(
        "kind", "helper__name", "partner__name", "from_year", "to_year", "committed"
    )
    return list(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_list_of_hospital_and_school_pairings(registered, fmt):
    report = run(INSTITUTION_PAIRINGS, sample("institution_pairing_list", fmt))

    assert counts(report) == (4, 0, 0)
    assert pairings() == PAIRINGS_WRITTEN
    assert list(report.remarks.lines()) == [
        "提示：第2行表头中以下列不属于本报表，未导入：序号",
    ]

    again = run(INSTITUTION_PAIRINGS, sample("institution_pairing_list", fmt))
    assert counts(again) == (0, 0, 4)
    assert pairings() == PAIRINGS_WRITTEN


PAIRING_HEADER = ["结对类型", "上海帮扶机构", "云南结对机构", "起始年度", "终止年度"]


def test_a_pairing_list_with_mistakes_is_refused_with_each_cell(registered):
    rows = [
        ["组团式帮扶结对名单"],
        PAIRING_HEADER,
        ["组团式医疗", "上海市黄浦区中心医院", "澜沧拉祜族自治县第一人民医院", 2021, 2023],
        ["组团式教育", "上海市格致中学", "澜沧拉祜族自治县民族中学", 2021, 2020],
        ["组团式医疗", "上海市第六人民医院", "勐海县人民医院", 2021, None],
        ["组团式医疗", "上海市黄浦区中心医院", "勐海县人民医院", "二〇二一年", None],
    ]

    errors = refusal(INSTITUTION_PAIRINGS, workbook_file("结对.xlsx", [("结对", rows, ["A1:E1"])]))

    last_year = datetime.date.today().year + 1
    assert errors == [
        "第4行 终止年度：终止年度不能早于起始年度",
        "第5行 上海帮扶机构：未知的机构“上海市第六人民医院”（请先在管理后台登记）",
        "第6行 起始年度：年度须为1996至%d之间的整数，而不是“二〇二一年”" % last_year,
    ]
    assert not InstitutionPairing.objects.exists()


def test_a_pairing_of_a_school_with_a_hospital_is_refused_by_the_models_rule(registered):
    """Rows read well are then checked as the admin checks a pairing: 组团式医疗 pairs a
    hospital with a hospital, 组团式教育 a school with a school."""
    rows = [
        PAIRING_HEADER,
        ["组团式医疗", "上海市格致中学", "澜沧拉祜族自治县第一人民医院", 2021, 2023],
        ["组团式教育", "上海市格致中学", "普洱市人民医院", 2021, 2023],
    ]

    errors = refusal(INSTITUTION_PAIRINGS, workbook_file("结对.xlsx", [("结对", rows, [])]))

    assert errors == [
        "第2行 上海帮扶机构：组团式医疗的上海帮扶机构须为医院，上海市格致中学是学校",
        "第3行 云南结对机构：组团式教育的云南结对机构须为学校，普洱市人民医院是医院",
    ]
    assert not InstitutionPairing.objects.exists()


def test_a_pairing_whose_sides_are_swapped_is_refused(registered):
    """The helper must be a Shanghai institution and the partner a Yunnan one, as the admin's
    pickers only offer (the fields' limit_choices_to)."""
    rows = [
        PAIRING_HEADER,
        ["组团式医疗", "澜沧拉祜族自治县第一人民医院", "上海市黄浦区中心医院", 2021, 2023],
    ]

    with pytest.raises(ImportFailed) as failure:
        run(INSTITUTION_PAIRINGS, workbook_file("结对.xlsx", [("结对", rows, [])]))

    errors = failure.value.errors
    assert any(line.startswith("第2行 上海帮扶机构：") and "上海" in line for line in errors), (
        errors
    )
    assert any(line.startswith("第2行 云南结对机构：") and "云南" in line for line in errors), (
        errors
    )
    assert not InstitutionPairing.objects.exists()


# An optional part of the registry's key left out -----------------------------------------

KEY_PART_LEFT_OUT = {
    # A fund list without 出资单位 and 文号, a village list of one township's office without
    # 乡镇, a roster of one batch without 批次 (its title says which).
    "funds-without-donor-columns": (
        FUNDS,
        [
            ["年度", "受援县市区", "资金来源", "金额（万元）"],
            [2023, "澜沧县", "上海市级财政援助", 3580],
        ],
    ),
    "villages-without-township-column": (VILLAGES, [["县市区", "村名"], ["澜沧县", "芒景村"]]),
    "cadres-without-batch-column": (
        CADRES,
        [
            ["姓名", "性别", "类别", "上海派出单位", "在滇挂职岗位", "县市区", "任期开始"],
            ["测试戊", "男", "党政干部", "黄浦区发改委", "副县长", "澜沧县", "2022-07-01"],
        ],
    ),
    # A short-term professional of no numbered batch (Cadre.batch's help text): 批次 blank.
    "cadres-with-a-blank-batch": (
        CADRES,
        [
            ["批次", "姓名", "性别", "类别", "上海派出单位", "在滇挂职岗位", "县市区", "任期开始"],
            [
                None,
                "测试己",
                "女",
                "医生",
                "上海市黄浦区中心医院",
                "副院长",
                "澜沧县",
                "2023-08-01",
            ],
        ],
    ),
}


@pytest.mark.parametrize("case", KEY_PART_LEFT_OUT)
def test_a_file_leaving_out_an_optional_key_part_imported_again_changes_nothing(places, case):
    registry, rows = KEY_PART_LEFT_OUT[case]

    def file():
        return workbook_file("名录.xlsx", [("表", rows, [])])

    assert counts(run(registry, file())) == (1, 0, 0)
    assert counts(run(registry, file())) == (0, 0, 1)
    assert registry.model.objects.count() == 1


# Fund allocations ------------------------------------------------------------------------

CITY_DOCUMENT = "沪财农〔2023〕15号"
CHARITY = "上海市慈善基金会"
HUANGPU_GOVERNMENT = "黄浦区人民政府"


@pytest.fixture
def allocation_cast(places):
    """The projects and funds the allocation list names: two projects of 澜沧 and one of
    勐海; 澜沧's 2023 city, social and two district funds (told apart by their 文号), and
    勐海's 2023 city fund."""
    county, menghai, _district = places
    made = {}
    for code, name, place, shanghai in (
        ("2023-LC-001", "芒景村茶叶初制所", county, "100"),
        ("2023-LC-002", "景迈村道路硬化", county, "200"),
        ("2023-MH-001", "勐海茶厂改造", menghai, "80"),
    ):
        made[code] = make_project(
            code=code, name=name, county=place, shanghai_funds=Decimal(shanghai)
        )
    for source, place, amount, donor, document in (
        ("city", county, "100", "", CITY_DOCUMENT),
        ("social", county, "50", CHARITY, ""),
        ("district", county, "200", HUANGPU_GOVERNMENT, "黄府〔2023〕8号"),
        ("district", county, "30", HUANGPU_GOVERNMENT, "黄府〔2023〕12号"),
        ("city", menghai, "100", "", ""),
    ):
        Fund.objects.create(
            source=source,
            year=2023,
            county=place,
            amount=Decimal(amount),
            donor=donor,
            document=document,
        )
    return made


ALLOCATIONS_WRITTEN = [
    # project, fund's year, county, source, donor, document, amount
    ("2023-LC-001", 2023, LANCANG, "city", "", CITY_DOCUMENT, Decimal("60")),
    ("2023-LC-001", 2023, LANCANG, "social", CHARITY, "", Decimal("20.5")),
    ("2023-LC-002", 2023, LANCANG, "district", HUANGPU_GOVERNMENT, "黄府〔2023〕8号")
    + (Decimal("150.25"),),
    ("2023-LC-002", 2023, LANCANG, "district", HUANGPU_GOVERNMENT, "黄府〔2023〕12号")
    + (Decimal("30"),),
    ("2023-MH-001", 2023, "勐海县", "city", "", "", Decimal("80")),
]


def allocations():
    rows = FundAllocation.objects.order_by("pk").values_list(
        "project__code",
        "fund__year",
        "fund__county__name",
        "fund__source",
        "fund__donor",
        "fund__document",
        "amount",
    )
    return list(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_allocation_list_with_a_fund_group_header_and_a_total_row(allocation_cast, fmt):
    report = run(ALLOCATIONS, sample("allocation_list", fmt))

    assert counts(report) == (5, 0, 0)
    assert allocations() == ALLOCATIONS_WRITTEN
    assert all(isinstance(row[-1], Decimal) for row in allocations())
    # 年度 and 来源 under the 资金 group read as 资金年度 and 资金来源; 序号, 项目名称 and 备注
    # are not the registry's; the 合计 row is no allocation; the hidden sheet is not read.
    assert list(report.remarks.lines()) == [
        "提示：分配 第3行表头中以下列不属于本报表，未导入：序号、项目名称、备注",
        "提示：分配 第10行是合计行，未导入",
        "提示：工作表“填表说明”已隐藏，未导入",
    ]
    assert report.files[0].rows == 5

    again = run(ALLOCATIONS, sample("allocation_list", fmt))
    assert counts(again) == (0, 0, 5)
    assert allocations() == ALLOCATIONS_WRITTEN


ALLOCATION_HEAD = [
    ["2023年度上海帮扶资金分配明细表"],
    ["序号", "项目编号", "资金", None, None, None, "分配金额（万元）"],
    [None, None, "年度", "来源", "出资单位", "文号", None],
]
ALLOCATION_HEAD_MERGED = ["A1:G1", "C2:F2", "A2:A3", "B2:B3", "G2:G3"]


def test_an_allocation_list_with_mistakes_is_refused_with_each_cell(allocation_cast):
    rows = ALLOCATION_HEAD + [
        [1, "2023-LC-404", 2023, "上海市级财政援助", None, None, 10],
        [2, "2023-LC-001", 2022, "上海市级财政援助", None, None, 10],
        [3, "2023-LC-002", 2023, "区级财政援助", None, None, 10],
        [4, "2023-MH-001", 2023, "上海市级财政援助", None, None, "八十"],
        [5, "2023-MH-001", "二〇二三", "市级", None, None, 10],
        [6, "2023-MH-001", 2023, "上海市级财政援助", None, None, -5],
    ]

    errors = refusal(
        ALLOCATIONS, workbook_file("分配.xlsx", [("分配", rows, ALLOCATION_HEAD_MERGED)])
    )

    last_year = datetime.date.today().year + 1
    assert errors == [
        "第4行 项目编号：未登记的项目编号“2023-LC-404”",
        "第5行 年度：澜沧拉祜族自治县没有2022年上海市级财政援助资金（请先登记资金）",
        "第6行 出资单位：澜沧拉祜族自治县有2笔2023年区级财政援助资金，请填写出资单位或文号以区分",
        "第7行 分配金额（万元）：不是数字：“八十”",
        "第8行 年度：年度须为1996至%d之间的整数，而不是“二〇二三”" % last_year,
        "第8行 来源：“市级”不是可选的值"
        "（可填：上海市级财政援助、区级财政援助、社会帮扶、企业投资、云南地方配套）",
        "第9行 分配金额（万元）：金额不能为负数：“-5”",
    ]
    assert not FundAllocation.objects.exists()
    assert not ImportBatch.objects.exists()


def test_an_allocation_written_twice_is_refused_naming_the_project_and_fund(allocation_cast):
    """Two rows of one project and one fund: the key is 项目编号＋资金 (README), so the line
    names both; one project may have rows of several funds (the sample has)."""
    rows = ALLOCATION_HEAD + [
        [1, "2023-LC-001", 2023, "社会帮扶", CHARITY, None, "30"],
        [2, "2023-LC-001", 2023, "上海市级财政援助", None, None, 10],
        [3, "2023-LC-001", 2023, "社会帮扶", CHARITY, None, 25],
    ]

    errors = refusal(
        ALLOCATIONS, workbook_file("分配.xlsx", [("分配", rows, ALLOCATION_HEAD_MERGED)])
    )

    assert errors == ["第6行 项目编号：与第4行重复：同一项目编号、资金只能填写一行"]
    assert not FundAllocation.objects.exists()


def test_allocations_of_one_file_beyond_their_fund_are_refused_on_the_last(allocation_cast):
    """Each row fits the fund, the two together do not (allocations_together)."""
    rows = ALLOCATION_HEAD + [
        [1, "2023-LC-001", 2023, "社会帮扶", CHARITY, None, 30],
        [2, "2023-LC-002", 2023, "社会帮扶", None, None, "25"],
    ]

    errors = refusal(
        ALLOCATIONS, workbook_file("分配.xlsx", [("分配", rows, ALLOCATION_HEAD_MERGED)])
    )

    assert errors == [
        "第5行 分配金额（万元）：超出资金总额：2023年 澜沧拉祜族自治县 社会帮扶·上海市慈善基金会"
        " 50万元共50万元，已分配和本文件分配合计55万元",
    ]
    assert not FundAllocation.objects.exists()


# Exchange postings -----------------------------------------------------------------------

POSTINGS_WRITTEN = [
    # name, gender, direction, county, district, home unit, host unit, post, start, end
    ("测试甲", "male", "to_shanghai", LANCANG, "黄浦区", "澜沧县农业农村局", "黄浦区农业农村委员会")
    + ("主任助理", D(2023, 3, 1), D(2023, 8, 31)),
    ("测试乙", "female", "to_yunnan", LANCANG, "黄浦区", "黄浦区教育局", "澜沧县教育体育局")
    + ("副局长", D(2023, 3, 1), None),
    ("测试丙", "male", "to_shanghai", "勐海县", None, "勐海县人民医院", "上海市第一人民医院")
    + ("进修医生", D(2023, 9, 1), D(2024, 2, 29)),
    ("测试丁", "female", "to_yunnan", "勐海县", "黄浦区", "上海市格致中学", "勐海县第一中学")
    + ("支教教师", D(2022, 9, 1), D(2023, 7, 15)),
]


def postings():
    rows = ExchangePosting.objects.order_by("pk").values_list(
        "name",
        "gender",
        "direction",
        "county__name",
        "district__name",
        "home_unit",
        "host_unit",
        "post",
        "start_date",
        "end_date",
    )
    return list(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_posting_list_of_both_directions_with_dates_as_cells_and_as_text(places, fmt):
    report = run(POSTINGS, sample("posting_list", fmt))

    assert counts(report) == (4, 0, 0)
    assert postings() == POSTINGS_WRITTEN
    # 单位, 岗位, 开始 and 结束 under the 挂职 group read as 挂职单位 … 挂职结束.
    assert list(report.remarks.lines()) == [
        "提示：挂职 第3行表头中以下列不属于本报表，未导入：序号",
        "提示：挂职 第4行 云南县市区：" + LANCANG_SHORT,
        "提示：挂职 第10行是表尾（填报人、审核人等），未导入",
        "提示：工作表“填表说明”已隐藏，未导入",
    ]
    assert report.files[0].rows == 4

    again = run(POSTINGS, sample("posting_list", fmt))
    assert counts(again) == (0, 0, 4)
    assert postings() == POSTINGS_WRITTEN


POSTING_HEAD = [
    ["2023年度沪滇干部双向交流挂职名册"],
    ["序号", "姓名", "性别", "挂职方向", "云南县市区", "原单位", "挂职", None, None],
    [None] * 6 + ["单位", "开始", "结束"],
]
POSTING_HEAD_MERGED = ["A1:I1", "G2:I2"] + ["%s2:%s3" % (c, c) for c in "ABCDEF"]


def test_a_posting_list_with_mistakes_is_refused_with_each_cell(places):
    rows = POSTING_HEAD + [
        [
            1,
            "测试甲",
            "男",
            "赴沪挂职锻炼",
            "澜沧县",
            "澜沧县农业农村局",
            "黄浦区农委",
            "2023.3.1",
            None,
        ],
        [2, "测试乙", "女", "上海干部赴滇挂职", "景洪市", "黄浦区教育局", "澜沧县教育局"]
        + ["2023年3月1日", None],
        [3, "测试丙", "男", "云南干部赴沪挂职", "勐海县", "勐海县人民医院", "上海市第一人民医院"]
        + ["2023.9.1", "2023.2.30"],
        [4, "测试丁", "女", "上海干部赴滇挂职", "勐海县", "上海市格致中学", "勐海县第一中学"]
        + [datetime.datetime(2023, 9, 1), datetime.datetime(2023, 7, 15)],
        [5, "测试戊", "男", "云南干部赴沪挂职", "澜沧县", None, "黄浦区农委", "2023-03-01", None],
        [6, "测试己", "女", "云南干部赴沪挂职", "澜沧县", "澜沧县商务局", "黄浦区商务委"]
        + [datetime.datetime(2023, 3, 1), None],
        [7, "测试己", "女", "云南干部赴沪挂职", "澜沧县", "澜沧县商务局", "黄浦区商务委"]
        + ["2023年3月1日", "2023.8.31"],
    ]

    errors = refusal(POSTINGS, workbook_file("挂职.xlsx", [("挂职", rows, POSTING_HEAD_MERGED)]))

    assert errors == [
        "第4行 挂职方向：“赴沪挂职锻炼”不是可选的值（可填：云南干部赴沪挂职、上海干部赴滇挂职）",
        "第5行 云南县市区：未知的县市区“景洪市”",
        "第6行 结束：日期不存在：“2023.2.30”（可写作2022-03-01、2022/3/1或2022年3月1日）",
        "第7行 结束：挂职结束不能早于挂职开始",
        "第8行 原单位：不能为空",
        "第10行 姓名：与第9行重复：同一姓名、原单位、挂职开始只能填写一行",
    ]
    assert not ExchangePosting.objects.exists()
    assert not ImportBatch.objects.exists()


# District pairings -----------------------------------------------------------------------

DISTRICT_PAIRINGS_WRITTEN = [
    # district, prefecture, county, from, to, basis, source
    ("黄浦区", None, LANCANG, 2017, 2020, "explicit", "沪府办〔2017〕23号"),
    ("黄浦区", None, LANCANG, 2021, None, "explicit", "沪府办〔2021〕5号"),
    ("黄浦区", None, "勐海县", 2017, 2020, "implied", "黄浦区年鉴2018"),
    ("黄浦区", "西双版纳傣族自治州", None, 2021, None, "explicit", "沪府办〔2021〕5号"),
]


def district_pairings():
    rows = Pairing.objects.order_by("pk").values_list(
        "district__name",
        "prefecture__name",
        "county__name",
        "from_year",
        "to_year",
        "basis",
        "source",
    )
    return list(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_district_pairing_list_with_a_whole_prefecture_and_an_ended_pairing(places, fmt):
    report = run(DISTRICT_PAIRINGS, sample("district_pairing_list", fmt))

    assert counts(report) == (4, 0, 0)
    # A county named with its prefecture is paired with the county alone; the 整州结对 row
    # with the prefecture.
    assert district_pairings() == DISTRICT_PAIRINGS_WRITTEN
    assert list(report.remarks.lines()) == [
        "提示：第3行表头中以下列不属于本报表，未导入：序号",
        "提示：第4行 县市区：" + LANCANG_SHORT,
    ]
    assert report.files[0].rows == 4

    again = run(DISTRICT_PAIRINGS, sample("district_pairing_list", fmt))
    assert counts(again) == (0, 0, 4)
    assert district_pairings() == DISTRICT_PAIRINGS_WRITTEN


DISTRICT_PAIRING_HEAD = [
    ["上海市黄浦区与云南省结对关系一览表"],
    ["序号", "上海市辖区", "结对地区", None, "起始年度", "终止年度", "依据"],
    [None, None, "州市", "县市区", None, None, None],
]
DISTRICT_PAIRING_HEAD_MERGED = ["A1:G1", "C2:D2"] + ["%s2:%s3" % (c, c) for c in "ABEFG"]


def test_a_district_pairing_list_with_mistakes_is_refused_with_each_cell(places):
    rows = DISTRICT_PAIRING_HEAD + [
        [1, "黄浦区", "普洱市", "勐海县", 2017, 2020, "明确记载"],
        [2, "黄浦区", "普洱市", "澜沧县", 2021, 2017, "明确记载"],
        [3, "浦东新区", None, "澜沧县", 2021, None, "明确记载"],
        [4, "黄浦区", "普洱市", None, "2021年", None, "据说"],
        [5, "黄浦区", None, "勐海县", 1990, None, "推断"],
    ]

    errors = refusal(
        DISTRICT_PAIRINGS,
        workbook_file("结对.xlsx", [("结对", rows, DISTRICT_PAIRING_HEAD_MERGED)]),
    )

    last_year = datetime.date.today().year + 1
    assert errors == [
        "第4行 州市：县市区“勐海县”不属于“普洱市”",
        "第5行 终止年度：终止年度不能早于起始年度",
        "第6行 上海市辖区：未知的上海市辖区“浦东新区”（请先在管理后台登记）",
        "第7行 依据：“据说”不是可选的值（可填：明确记载、推断）",
        "第8行 起始年度：年度须为1996至%d之间的整数，而不是“1990”" % last_year,
    ]
    assert not Pairing.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_district_pairing_row_naming_neither_prefecture_nor_county_is_refused(places):
    """Rows read well are then checked by the model's rule (pairing_prefecture_xor_county),
    named by the column its condition names last."""
    rows = DISTRICT_PAIRING_HEAD + [
        [1, "黄浦区", "普洱市", "澜沧县", 2017, 2020, "明确记载"],
        [2, "黄浦区", None, None, 2021, None, "明确记载"],
    ]

    errors = refusal(
        DISTRICT_PAIRINGS,
        workbook_file("结对.xlsx", [("结对", rows, DISTRICT_PAIRING_HEAD_MERGED)]),
    )

    assert errors == ["第5行 州市：结对对象须为一个州市或一个县市区，二者填且只填一个"]
    assert not Pairing.objects.exists()


# Parks and their yearly records -----------------------------------------------------------

TEA, COFFEE = "上海测试茶业有限公司", "上海测试咖啡有限公司"
LANCANG_PARK, MENGHAI_PARK = "澜沧沪滇协作产业园", "勐海沪滇共建茶产业园"


@pytest.fixture
def enterprises(places):
    """The two enterprises the park list names, registered as institutions."""
    _county, _menghai, district = places
    return [
        Institution.objects.create(kind="enterprise", name=name, side="shanghai", district=district)
        for name in (TEA, COFFEE)
    ]


PARKS_WRITTEN = [
    # name, county, district, partner, founded, demonstration, description
    (LANCANG_PARK, LANCANG, "黄浦区", "上海临港经济发展（集团）有限公司", 2019, True)
    + ("茶叶、咖啡精深加工",),
    (MENGHAI_PARK, "勐海县", "黄浦区", "", 2021, False, ""),
]


def parks():
    rows = IndustrialPark.objects.order_by("pk").values_list(
        "name",
        "county__name",
        "partner_district__name",
        "partner_name",
        "year_founded",
        "is_demonstration",
        "description",
    )
    return list(rows)


def companies():
    return {
        park.name: sorted(park.companies.values_list("name", flat=True))
        for park in IndustrialPark.objects.order_by("pk")
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_park_list_whose_cell_lists_two_registered_enterprises(enterprises, fmt):
    report = run(PARKS, sample("park_list", fmt))

    assert counts(report) == (2, 0, 0)
    assert parks() == PARKS_WRITTEN
    assert companies() == {LANCANG_PARK: sorted([TEA, COFFEE]), MENGHAI_PARK: []}
    assert list(report.remarks.lines()) == [
        "提示：第2行表头中以下列不属于本报表，未导入：序号",
        "提示：第3行 所在县市区：" + LANCANG_SHORT,
    ]
    assert report.files[0].rows == 2

    again = run(PARKS, sample("park_list", fmt))
    assert counts(again) == (0, 0, 2)
    assert parks() == PARKS_WRITTEN
    assert companies() == {LANCANG_PARK: sorted([TEA, COFFEE]), MENGHAI_PARK: []}


PARK_HEADER = [
    "序号",
    "园区名称",
    "所在县市区",
    "上海结对区",
    "设立年度",
    "示范园区",
    "入驻企业名录",
]


def test_a_park_list_with_mistakes_is_refused_with_each_cell(places, enterprises):
    Institution.objects.create(
        kind="hospital", name="澜沧县测试医院", side="yunnan", county=places[0]
    )
    rows = [
        ["沪滇共建产业园区名录"],
        PARK_HEADER,
        [1, LANCANG_PARK, "澜沧县", "黄浦区", 2019, "是", TEA + "、上海未登记有限公司"],
        [2, MENGHAI_PARK, "景洪市", "黄浦区", 2021, "否", None],
        [3, "测试园区甲", "澜沧县", "浦东新区", "二〇二一年", "是的", "澜沧县测试医院"],
        [4, "测试园区乙", "澜沧县", "黄浦区", 2020, "否", COFFEE],
        [5, "测试园区乙", "澜沧县", None, 2022, None, None],
    ]

    errors = refusal(PARKS, workbook_file("园区.xlsx", [("园区", rows, ["A1:G1"])]))

    last_year = datetime.date.today().year + 1
    assert errors == [
        "第3行 入驻企业名录：未登记的机构：“上海未登记有限公司”（请先在管理后台登记）",
        "第4行 所在县市区：未知的县市区“景洪市”",
        "第5行 上海结对区：未知的上海市辖区“浦东新区”（请先在管理后台登记）",
        "第5行 设立年度：年度须为1996至%d之间的整数，而不是“二〇二一年”" % last_year,
        "第5行 示范园区：应填写“是”或“否”：“是的”",
        "第5行 入驻企业名录：“澜沧县测试医院”不能列入入驻企业名录：类别须为企业",
        "第7行 园区名称：与第6行重复：同一园区名称只能填写一行",
    ]
    assert not IndustrialPark.objects.exists()
    assert not ImportBatch.objects.exists()


@pytest.fixture
def registered_parks(places):
    """The two parks of the park list, registered."""
    county, menghai, district = places
    return [
        IndustrialPark.objects.create(
            name=LANCANG_PARK, county=county, partner_district=district, year_founded=2019
        ),
        IndustrialPark.objects.create(name=MENGHAI_PARK, county=menghai, year_founded=2021),
    ]


PARK_YEARS_WRITTEN = [
    # park, year, enterprises, investment (万元), construction (万元), jobs, note
    (LANCANG_PARK, 2022, 5, Decimal("12000"), Decimal("3500"), 320, ""),
    (LANCANG_PARK, 2023, 8, Decimal("20500"), Decimal("4200.5"), 450, "新增咖啡精深加工"),
    (MENGHAI_PARK, 2023, 3, Decimal("8000"), Decimal("1800"), 150, ""),
]


def park_years():
    rows = IndustrialParkYear.objects.order_by("pk").values_list(
        "park__name",
        "year",
        "enterprises",
        "investment",
        "construction_investment",
        "jobs",
        "note",
    )
    return list(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_park_years_with_investment_in_yiyuan_and_a_total_row(registered_parks, fmt):
    report = run(PARK_YEARS, sample("park_year_list", fmt))

    assert counts(report) == (3, 0, 0)
    # 到位投资 in 亿元 is stored in 万元: 1.2亿元 is 12000万元, exactly.
    assert park_years() == PARK_YEARS_WRITTEN
    assert list(report.remarks.lines()) == [
        "提示：“到位投资（亿元）”列按亿元填写，已换算为万元导入",
        "提示：第3行表头中以下列不属于本报表，未导入：序号",
        "提示：第7行是合计行，未导入",
    ]
    assert report.files[0].rows == 3

    again = run(PARK_YEARS, sample("park_year_list", fmt))
    assert counts(again) == (0, 0, 3)
    assert park_years() == PARK_YEARS_WRITTEN


def test_park_years_with_mistakes_are_refused_with_each_cell(registered_parks):
    rows = [
        ["沪滇共建产业园区建设情况统计表"],
        ["序号", "园区名称", "年度", "入驻企业（家）", "到位投资（亿元）", "带动就业（人）"],
        [1, "澜沧测试园区", 2023, 5, 1.2, 320],
        [2, LANCANG_PARK, 2023, "5.5", 1.2, 320],
        [3, LANCANG_PARK, 2022, 5, "一亿", -3],
        [4, MENGHAI_PARK, 2023, 3, 0.8, 150],
        [5, MENGHAI_PARK, "2023年", 4, 0.9, 160],
    ]

    errors = refusal(PARK_YEARS, workbook_file("园区年度.xlsx", [("年度情况", rows, ["A1:F1"])]))

    assert errors == [
        "第3行 园区名称：未知的共建产业园区“澜沧测试园区”（请先在管理后台登记）",
        "第4行 入驻企业（家）：须为不小于0的整数，而不是“5.5”",
        "第5行 到位投资（亿元）：不是数字：“一亿”",
        "第5行 带动就业（人）：须为不小于0的整数，而不是“-3”",
        "第7行 园区名称：与第6行重复：同一园区名称、年度只能填写一行",
    ]
    assert not IndustrialParkYear.objects.exists()
    assert not ImportBatch.objects.exists()


# Programmes ------------------------------------------------------------------------------

PROGRAMMES_WRITTEN = [
    # county, name, kind, first year, last year, description
    (LANCANG, "芒景村乡村振兴示范村建设", "village", 2021, 2023, "芒景村示范村分年度建设"),
    (LANCANG, "咖啡产业链", "value_chain", 2022, None, "种植、初加工到精深加工"),
    ("勐海县", "勐海茶产业园建设", "park", 2021, None, ""),
]


def programmes():
    rows = Programme.objects.order_by("pk").values_list(
        "county__name", "name", "kind", "first_year", "last_year", "description"
    )
    return list(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_programme_list_with_the_county_merged_down(places, fmt):
    report = run(PROGRAMMES, sample("programme_list", fmt))

    assert counts(report) == (3, 0, 0)
    assert programmes() == PROGRAMMES_WRITTEN
    assert list(report.remarks.lines()) == [
        "提示：第2行表头中以下列不属于本报表，未导入：序号",
        "提示：第3行 县市区：" + LANCANG_SHORT,
        "提示：第4行 县市区：" + LANCANG_SHORT,
    ]
    assert report.files[0].rows == 3

    again = run(PROGRAMMES, sample("programme_list", fmt))
    assert counts(again) == (0, 0, 3)
    assert programmes() == PROGRAMMES_WRITTEN


PROGRAMME_HEADER = ["序号", "县市区", "项目群名称", "类型", "起始年度", "截止年度"]


def test_a_programme_list_with_mistakes_is_refused_with_each_cell(places):
    rows = [
        ["沪滇协作项目群清单"],
        PROGRAMME_HEADER,
        [1, "澜沧县", "芒景村乡村振兴示范村建设", "示范村", 2021, 2023],
        [2, "景洪市", "咖啡产业链", "产业链", 2022, None],
        [3, "勐海县", None, "园区建设", 2021, None],
        [4, "澜沧县", "咖啡产业链", "产业链", "二〇二二", None],
        [5, "澜沧县", "核桃产业链", "产业链", 2021, None],
        [6, "澜沧拉祜族自治县", "核桃　产业链", "产业链", 2022, None],
    ]

    errors = refusal(PROGRAMMES, workbook_file("项目群.xlsx", [("项目群", rows, ["A1:F1"])]))

    last_year = datetime.date.today().year + 1
    assert errors == [
        "第3行 类型：“示范村”不是可选的值（可填：示范村建设、产业链、园区建设、其他）",
        "第4行 县市区：未知的县市区“景洪市”",
        "第5行 项目群名称：不能为空",
        "第6行 起始年度：年度须为1996至%d之间的整数，而不是“二〇二二”" % last_year,
        "第8行 县市区：与第7行重复：同一县市区、项目群名称只能填写一行",
    ]
    assert not Programme.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_programme_whose_last_year_is_before_its_first_is_refused(places):
    """Rows read well are then checked by the model's rule (programme_years_in_order)."""
    rows = [PROGRAMME_HEADER, [1, "澜沧县", "咖啡产业链", "产业链", 2023, 2021]]

    errors = refusal(PROGRAMMES, workbook_file("项目群.xlsx", [("项目群", rows, [])]))

    assert errors == ["第2行 截止年度：截止年度不能早于起始年度"]
    assert not Programme.objects.exists()


# The yearly report with its 村 and 项目群 columns ------------------------------------------


@pytest.fixture
def report_cast(places):
    """The villages and programmes of 澜沧 the report names."""
    county = places[0]
    villages = {
        name: Village.objects.create(county=county, township="惠民镇", name=name)
        for name in ("芒景村", "景迈村")
    }
    programmes = {
        name: Programme.objects.create(county=county, name=name)
        for name in ("芒景村乡村振兴示范村建设", "咖啡产业链")
    }
    return villages, programmes


PROJECTS_WRITTEN = [
    # code, name, year, county, village, programme, category, status, Shanghai, other,
    # beneficiaries, start, end, notes
    ("2023-LC-101", "芒景村茶叶初制所", 2023, LANCANG, "芒景村", "芒景村乡村振兴示范村建设")
    + ("industry", "building", Decimal("169.41"), Decimal("20"), 1200)
    + (D(2023, 3, 1), D(2023, 11, 30), ""),
    ("2023-LC-102", "景迈村道路硬化", 2023, LANCANG, "景迈村", "芒景村乡村振兴示范村建设")
    + ("infrastructure", "completed", Decimal("85.5"), Decimal("0"), 600)
    + (D(2023, 4, 1), D(2023, 9, 30), ""),
    ("2023-LC-103", "咖啡鲜果加工厂", 2023, LANCANG, None, "咖啡产业链")
    + ("industry", "planned", Decimal("120"), Decimal("0"), None, None, None, "待立项"),
]


def projects():
    rows = Project.objects.order_by("code").values_list(
        "code",
        "name",
        "year",
        "county__name",
        "village__name",
        "programme__name",
        "category",
        "status",
        "shanghai_funds",
        "other_funds",
        "beneficiaries",
        "start_date",
        "end_date",
        "notes",
    )
    return list(rows)


def yearly_report(*files):
    return import_yearly_report(files=list(files))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_yearly_report_puts_its_projects_in_the_named_village_and_programme(report_cast, fmt):
    report = yearly_report(sample("project_report", fmt))

    assert counts(report) == (3, 0, 0)
    assert projects() == PROJECTS_WRITTEN
    assert all(isinstance(row[8], Decimal) for row in projects())
    # The group 资金（万元） gives its unit to 上海援助资金 and 其他资金; the 合计 row adds up
    # (so it is only named); the blank row, the footer and the hidden sheet are no project.
    assert list(report.remarks.lines()) == [
        "提示：项目 第3行表头中以下列不属于本报表，未导入：序号",
        "提示：项目 第4行 县市区：" + LANCANG_SHORT,
        "提示：项目 第8行是合计行，未导入",
        "提示：项目 第10行是表尾（填报人、审核人等），未导入",
        "提示：工作表“填表说明”已隐藏，未导入",
    ]
    assert report.files[0].rows == 3

    again = yearly_report(sample("project_report", fmt))
    assert counts(again) == (0, 0, 3)
    assert projects() == PROJECTS_WRITTEN


REPORT_HEAD = [
    ["2023年度沪滇协作项目统计表（澜沧县）"],
    ["序号", "项目编号", "项目名称", "年度", "县市区", "村", "项目类别", "项目状态"]
    + ["资金（万元）", None, "开工日期", "项目群"],
    [None] * 8 + ["上海援助资金", "其他资金", None, None],
]
REPORT_HEAD_MERGED = ["A1:L1", "I2:J2"] + ["%s2:%s3" % (c, c) for c in "ABCDEFGHKL"]


def test_a_yearly_report_naming_unknown_villages_and_programmes_is_refused(
    places, menghai, report_cast
):
    county = places[0]
    Village.objects.create(county=county, township="东回镇", name="芒景村")
    Programme.objects.create(county=menghai, name="勐海茶产业园建设")
    cells = ["澜沧县"]
    rows = REPORT_HEAD + [
        [1, "2023-LC-101", "茶叶初制所", 2023, *cells, "芒景村", "产业发展", "在建", 100, 0]
        + [datetime.datetime(2023, 3, 1), "咖啡产业链"],
        [2, "2023-LC-102", "道路硬化", 2023, *cells, "班利村", "基础设施", "完工", 50, 0]
        + ["2023.4.1", "咖啡产业链"],
        [3, "2023-LC-103", "茶厂改造", 2023, *cells, "惠民镇景迈村", "产业发展", "计划", 20, 0]
        + ["2023年2月30日", "勐海茶产业园建设"],
        [4, "2023-LC-104", "咖啡鲜果加工厂", 2023, *cells, "惠民镇芒景村", "产业发展", "计划"]
        + ["30", None, None, "咖啡 产业链"],
    ]

    with pytest.raises(ImportFailed) as failure:
        yearly_report(workbook_file("报表.xlsx", [("项目", rows, REPORT_HEAD_MERGED)]))

    assert failure.value.errors == [
        # The villages in their order (by township: 东回镇 first by code point and pinyin).
        "第4行 村：澜沧拉祜族自治县有多个“芒景村”：东回镇芒景村、惠民镇芒景村，请写明乡镇",
        "第5行 村：“班利村”不是澜沧拉祜族自治县已登记的村（请先在管理后台登记，或写作“乡镇+村名”）",
        "第6行 开工日期：日期不存在：“2023年2月30日”（可写作2022-03-01、2022/3/1或2022年3月1日）",
        "第6行 项目群：“勐海茶产业园建设”不是澜沧拉祜族自治县已登记的项目群"
        "（请先在管理后台登记，或导入项目群名录）",
    ]
    assert not Project.objects.exists()
    assert not ImportBatch.objects.exists()
