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

from counties.models import Village
from institutions.models import Institution, InstitutionPairing
from personnel.models import Cadre
from projects.importers import ImportFailed
from projects.importers.registries import (
    CADRES,
    FUNDS,
    INSTITUTION_PAIRINGS,
    INSTITUTIONS,
    VILLAGES,
)
from projects.importers.registry import import_registry
from projects.models import Fund, ImportBatch

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
STEMS += ["institution_pairing_list"]


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
    ("王建华", "male", "official", "上海市黄浦区发展和改革委员会", "澜沧县委常委、副县长")
    + (LANCANG, None, D(2022, 7, 1), D(2025, 6, 30), 12),
    ("陈静", "female", "doctor", "上海市黄浦区中心医院", "澜沧县第一人民医院副院长")
    + (LANCANG, None, D(2023, 8, 1), D(2024, 7, 31), 12),
    ("刘洋", "male", "teacher", "上海市格致中学", "澜沧县民族中学副校长")
    + (LANCANG, None, D(2023, 9, 1), None, 12),
    ("赵敏", "female", "official", "上海市黄浦区人民政府办公室", "普洱市人民政府副秘书长")
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
        [1, 13, "王建华", "男", "党政干部", "黄浦区发改委", "副县长", "澜沧县"]
        + [datetime.datetime(2022, 7, 1), None],
        [2, 12, "陈静", "男性", "医生", "黄浦区中心医院", "副院长", "澜沧县", "2023-02-30", None],
        [],
        [3, 12, "刘洋", "男", "教师", "格致中学", "副校长", "澜沧县"]
        + [datetime.datetime(2023, 9, 1), datetime.datetime(2023, 8, 31)],
        [4, 12, "赵敏", "女", "党政干部", "黄浦区政府办", "副秘书长", "景洪市", "2022-07-01", None],
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
        [1, 12, "王建华", "男", "党政干部", "黄浦区发改委", "副县长", "澜沧县"]
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
    """Rosters pad two-character names to three (王　芳): the same cadre as 王芳."""
    header = ["批次", "姓名", "性别", "类别", "上海派出单位", "在滇挂职岗位", "县市区", "任期开始"]
    cells = ["黄浦区发改委", "副县长", "澜沧县", "2022-07-01"]
    padded = workbook_file(
        "名册.xlsx", [("名册", [header, [12, "王　芳", "女", "党政干部", *cells]], [])]
    )
    plain = workbook_file(
        "名册.xlsx", [("名册", [header, [12, "王芳", "女", "党政干部", *cells]], [])]
    )

    assert counts(run(CADRES, padded)) == (1, 0, 0)
    assert counts(run(CADRES, plain)) == (0, 0, 1)
    assert list(Cadre.objects.values_list("name", flat=True)) == ["王芳"]


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
            ["王建华", "男", "党政干部", "黄浦区发改委", "副县长", "澜沧县", "2022-07-01"],
        ],
    ),
    # A short-term professional of no numbered batch (Cadre.batch's help text): 批次 blank.
    "cadres-with-a-blank-batch": (
        CADRES,
        [
            ["批次", "姓名", "性别", "类别", "上海派出单位", "在滇挂职岗位", "县市区", "任期开始"],
            [None, "陈静", "女", "医生", "上海市黄浦区中心医院", "副院长", "澜沧县", "2023-08-01"],
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
