"""The registries the admin imports and exports (registry.py), each a model, its columns and
its natural key. The key is what finds the record a row means; README.md lists them.

Places are read as in the yearly report (official name, short form, former name or division
code); a Shanghai district by its name (黄浦区 or 黄浦) or code; an institution by its
registered name or 统一社会信用代码; a cadres' batch by its number (第12批 or 12); a project
by its code.
"""

import dataclasses

from counties.models import Pairing, Village
from institutions.models import Institution, InstitutionPairing
from personnel.models import Cadre, ExchangePosting

from ..models import (
    Fund,
    ImportBatch,
    IndustrialPark,
    IndustrialParkYear,
    Programme,
)
from .allocations import ALLOCATIONS
from .fields import field_column
from .registry import Registry

Kind = ImportBatch.Kind


def columns(model, *specs):
    """field_column for each spec: a field name, or (name, {keyword arguments})."""
    made = []
    for spec in specs:
        name, options = (spec, {}) if isinstance(spec, str) else spec
        made.append(field_column(model, name, **options))
    return made


def county_over_prefecture(reader, values, county="county", prefecture="prefecture"):
    """A row naming a county and its prefecture means the county: the prefecture cell only
    tells same-named counties apart. (column key, message) if they disagree."""
    if values.get(county) is not None and values.get(prefecture) is not None:
        if values[county].prefecture_id != values[prefecture].pk:
            yield (
                prefecture,
                "县市区“%s”不属于“%s”" % (values[county].name, values[prefecture].name),
            )
        values[prefecture] = None


VILLAGES = Registry(
    kind=Kind.VILLAGES,
    name="村名录",
    model=Village,
    columns=columns(
        Village,
        ("county", {"header": "县市区", "aliases": ("所属县市区", "县（市、区）", "县区")}),
        ("township", {"aliases": ("乡镇（街道）", "乡（镇）")}),
        ("name", {"aliases": ("村", "村名称", "行政村", "村（社区）")}),
        ("is_revitalization_demo", {"key": "revitalization_demo"}),
        "is_border_xiaokang",
    ),
    key=("county", "township", "name"),
    intro="每行一个行政村。按“县市区＋乡镇＋村名”找到已登记的村：找到则更新，找不到则新增。",
    preview=("county", "township", "name"),
)


def pairing_checks(reader, values):
    yield from county_over_prefecture(reader, values)
    start, end = values.get("from_year"), values.get("to_year")
    if start and end and end < start:
        yield "to_year", "终止年度不能早于起始年度"


DISTRICT_PAIRINGS = Registry(
    kind=Kind.DISTRICT_PAIRINGS,
    name="区县结对",
    model=Pairing,
    columns=columns(
        Pairing,
        ("district", {"header": "上海市辖区", "aliases": ("上海区", "上海结对区", "结对区")}),
        ("prefecture", {"aliases": ("州市",)}),
        ("county", {"aliases": ("县市区", "结对县")}),
        "from_year",
        "to_year",
        "basis",
        "source",
    ),
    key=("district", "prefecture", "county", "from_year"),
    intro="每行一段上海市辖区与云南州市或县市区的结对。按“上海市辖区＋结对州市＋结对县市区＋起始年度”"
    "找到已登记的结对：找到则更新（如补填终止年度），找不到则新增。填写县市区时州市只用于区分同名县。",
    check=pairing_checks,
    preview=("district", "county", "from_year", "to_year"),
)


def institution_checks(reader, values):
    yield from county_over_prefecture(reader, values)


INSTITUTIONS = Registry(
    kind=Kind.INSTITUTIONS,
    name="机构名录",
    model=Institution,
    columns=columns(
        Institution,
        ("name", {"header": "机构名称", "aliases": ("名称", "单位名称", "机构")}),
        "kind",
        ("credit_code", {"aliases": ("信用代码", "社会信用代码")}),
        ("side", {"aliases": ("所在地", "省市")}),
        ("district", {"aliases": ("所在区", "上海区")}),
        ("prefecture", {"aliases": ("州市",)}),
        ("county", {"aliases": ("县市区",)}),
    ),
    key=("name",),
    intro="每行一个机构（学校、医院、企业、社会组织、科研院所、政府单位）。按机构名称（登记的全称）"
    "找到已登记的机构：找到则更新，找不到则新增。上海的机构填所在区，云南的机构填所在县市区或州市。",
    check=institution_checks,
    preview=("name", "kind", "side"),
)


def institution_pairing_checks(reader, values):
    yield from county_over_prefecture(reader, values, "partner_county", "partner_prefecture")
    if values.get("partner_village") is not None:
        values["partner_county"] = None  # it named the village's county
        reader.cleared.add("partner_county")
    start, end = values.get("from_year"), values.get("to_year")
    if start and end and end < start:
        yield "to_year", "终止年度不能早于起始年度"


def pairing_columns():
    made = columns(
        InstitutionPairing,
        "kind",
        ("helper", {"aliases": ("帮扶机构", "上海机构", "帮扶单位")}),
        ("partner", {"aliases": ("受援机构", "结对机构", "云南机构")}),
        ("partner_prefecture", {"aliases": ("州市",)}),
        ("partner_county", {"aliases": ("县市区",)}),
        ("partner_village", {"aliases": ("村", "结对村名")}),
        "from_year",
        "to_year",
        "committed",
        "basis",
        "source",
    )
    # A village is written with its county, which tells same-named villages apart.
    county = next(c for c in made if c.key == "partner_county")
    made[made.index(county)] = dataclasses.replace(county, export=partner_county_cell)
    return made


def partner_county_cell(pairing):
    if pairing.partner_village_id:
        return pairing.partner_village.county.name
    return pairing.partner_county.name if pairing.partner_county_id else None


INSTITUTION_PAIRINGS = Registry(
    kind=Kind.INSTITUTION_PAIRINGS,
    name="机构结对",
    model=InstitutionPairing,
    columns=pairing_columns(),
    key=(
        "helper",
        "partner",
        "partner_village",
        "partner_county",
        "partner_prefecture",
        "from_year",
    ),
    intro="每行一段上海机构对云南一方的结对：组团式医疗、教育（机构对机构），163百万公益行动"
    "（社会组织对州市或县市区），村企结对（企业对村，填写村及其县市区）。按“上海帮扶机构＋结对一方＋"
    "起始年度”找到已登记的结对。",
    check=institution_pairing_checks,
    export_related=("partner_village__county",),
    preview=("kind", "helper", "partner", "partner_village", "from_year"),
)


def cadre_checks(reader, values):
    yield from county_over_prefecture(reader, values)
    start, end = values.get("term_start"), values.get("term_end")
    if start and end and end < start:
        yield "term_end", "任期结束不能早于任期开始"


CADRES = Registry(
    kind=Kind.CADRES,
    name="援滇干部人才名册",
    model=Cadre,
    columns=columns(
        Cadre,
        ("batch", {"aliases": ("援滇批次", "批次号")}),
        "name",
        "gender",
        ("kind", {"aliases": ("人员类别",)}),
        ("sending_unit", {"aliases": ("派出单位", "原单位")}),
        ("post", {"aliases": ("挂职岗位", "挂职职务", "岗位")}),
        ("prefecture", {"aliases": ("州市",)}),
        ("county", {"aliases": ("县市区", "挂职县")}),
        # 任职时间 merged over 起 and 止 reads as 任职时间起 and 任职时间止.
        (
            "term_start",
            {
                "aliases": (
                    "开始日期",
                    "到岗时间",
                    "到任时间",
                    "任职时间起",
                    "任期起",
                    "任职起始时间",
                )
            },
        ),
        (
            "term_end",
            {
                "aliases": (
                    "结束日期",
                    "离岗时间",
                    "离任时间",
                    "任职时间止",
                    "任期止",
                    "任职截止时间",
                )
            },
        ),
        "team",
        ("sending_institution", {"aliases": ("派出机构",)}),
        ("serving_institution", {"aliases": ("服务机构", "受援机构")}),
        ("role", {"aliases": ("职务",)}),
    ),
    key=("batch", "name", "sending_unit"),
    intro="每行一名援滇干部人才。按“批次＋姓名＋上海派出单位”找到已登记的人员：找到则更新（如补填任期结束），"
    "找不到则新增；批次须已登记（管理后台“批次”）。派驻县市区时州市可填可不填。",
    check=cadre_checks,
    preview=("batch", "name", "kind", "county", "term_start"),
)


def posting_checks(reader, values):
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        yield "end_date", "挂职结束不能早于挂职开始"


POSTINGS = Registry(
    kind=Kind.POSTINGS,
    name="交流挂职名册",
    model=ExchangePosting,
    columns=columns(
        ExchangePosting,
        "name",
        "gender",
        "direction",
        ("county", {"aliases": ("县市区",)}),
        ("district", {"aliases": ("上海区",)}),
        "home_unit",
        "host_unit",
        "post",
        "start_date",
        "end_date",
    ),
    key=("name", "home_unit", "start_date"),
    intro="每行一人一段交流挂职（云南干部赴沪或上海干部赴滇）。按“姓名＋原单位＋挂职开始”找到已登记的记录。",
    check=posting_checks,
    preview=("name", "direction", "county", "start_date"),
)


FUNDS = Registry(
    kind=Kind.FUNDS,
    name="资金",
    model=Fund,
    columns=columns(
        Fund,
        "year",
        ("county", {"aliases": ("县市区", "受援县")}),
        ("source", {"aliases": ("来源",)}),
        ("amount", {"aliases": ("资金金额", "下达金额")}),
        ("donor", {"aliases": ("出资方", "捐赠单位")}),
        ("document", {"aliases": ("文件文号", "下达文号")}),
    ),
    key=("year", "county", "source", "donor", "document"),
    intro="每行一笔下达给一个县市区的资金。按“年度＋受援县市区＋资金来源＋出资单位＋文号”找到已登记的资金："
    "找到则更新金额，找不到则新增。",
    preview=("year", "county", "source", "amount"),
)


PARKS = Registry(
    kind=Kind.PARKS,
    name="共建产业园区",
    model=IndustrialPark,
    columns=columns(
        IndustrialPark,
        ("name", {"aliases": ("园区", "名称")}),
        ("county", {"aliases": ("县市区", "所在县")}),
        ("partner_district", {"aliases": ("上海市辖区", "结对区")}),
        ("partner_name", {"aliases": ("共建企业", "合作方")}),
        "year_founded",
        "is_demonstration",
        "description",
        ("companies", {"aliases": ("入驻企业名单", "企业名录"), "width": 40}),
    ),
    key=("name",),
    intro="每行一个共建产业园区。按园区名称找到已登记的园区：找到则更新，找不到则新增。"
    "入驻企业名录填已登记为机构（类别：企业）的企业名称，多个用顿号分隔；写入后即为该园区的全部入驻企业。",
    preview=("name", "county", "year_founded"),
)

PARK_YEARS = Registry(
    kind=Kind.PARK_YEARS,
    name="园区年度情况",
    model=IndustrialParkYear,
    columns=columns(
        IndustrialParkYear,
        ("park", {"header": "园区名称", "aliases": ("园区", "共建产业园区")}),
        "year",
        ("enterprises", {"aliases": ("入驻企业", "新入驻企业")}),
        ("investment", {"aliases": ("到位投资", "企业投资")}),
        ("construction_investment", {"key": "construction", "aliases": ("建设投资",)}),
        ("jobs", {"aliases": ("带动就业", "吸纳就业")}),
        "note",
    ),
    key=("park", "year"),
    intro="每行一个园区一年的情况：当年入驻企业、企业到位投资、园区建设投资和带动就业。"
    "按“园区名称＋年度”找到已登记的年度情况：找到则更新，找不到则新增；园区须已登记。看板的园区指标按这些记录统计。",
    export_related=("park",),
    preview=("park", "year", "enterprises", "jobs"),
)


PROGRAMMES = Registry(
    kind=Kind.PROGRAMMES,
    name="项目群",
    model=Programme,
    columns=columns(
        Programme,
        ("county", {"aliases": ("县市区",)}),
        ("name", {"aliases": ("名称", "项目群")}),
        "kind",
        "first_year",
        "last_year",
        "description",
    ),
    key=("county", "name"),
    intro="每行一个县市区的项目群（如示范村建设、某产业链）。按“县市区＋项目群名称”找到已登记的项目群。"
    "项目归入项目群在项目的编辑页面选择。",
    preview=("county", "name", "first_year"),
)

# Every registry, in the order of the admin's menu and the README.
ALL = [
    VILLAGES,
    DISTRICT_PAIRINGS,
    INSTITUTIONS,
    INSTITUTION_PAIRINGS,
    CADRES,
    POSTINGS,
    FUNDS,
    ALLOCATIONS,
    PARKS,
    PARK_YEARS,
    PROGRAMMES,
]
