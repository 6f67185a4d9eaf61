"""The yearly report format (沪滇协作项目年度报表): its columns, each with all of its rules.

Adding a column to the report is one ReportColumn here (with its parse function): the
reading, staging, writing, export, template and preview follow from it.
"""

from counties.models import FIRST_YEAR, County, Village
from counties.places import PlaceNames
from counties.scopes import scope_of

from ..models import MONEY, ImportBatch, Programme, Project
from ..models.aliases import register
from .columns import ColumnReader, HeaderNames, ReportColumn, cell_line
from .parsing import SHORT_CHARS, canonical, parse_decimal, quoted
from .values import (
    read_code,
    read_count,
    read_date,
    read_money,
    read_year,
)
from .words import CATEGORY_WORDS, STATUS_WORDS, read_choice

# One message whether or not the project exists, so that it tells nothing of other scopes.
OUTSIDE_SCOPE = "项目编号“%s”不在您的数据范围内"
ZERO_MONEY = parse_decimal(0, **MONEY)
CATEGORY_LABELS = "、".join(label for _, label in Project.Category.choices)
STATUS_LABELS = "、".join(label for _, label in Project.Status.choices)
CODE_LENGTH = Project._meta.get_field("code").max_length
NAME_LENGTH = Project._meta.get_field("name").max_length


class Places:
    """Every prefecture and county by every name offices write (counties.places), and the
    ids of the counties inside the importing user's scope: `allowed`, or None when the user
    may import anywhere (a superuser, a province-wide scope, the command line)."""

    def __init__(self, user=None):
        self.allowed = None
        if user is not None and not scope_of(user).everywhere:
            self.allowed = set(scope_of(user).county_ids)
        self.names = PlaceNames()
        self.counties = self.names.counties
        # What each written form reads as: a report names its few counties thousands of times.
        self.read_prefectures, self.read_counties = {}, {}

    def prefecture(self, value, reader):
        if len(value) > SHORT_CHARS:  # no place is named so long; looking would cost
            raise ValueError("未知的州市“%s”" % quoted(value))
        found = self.read_prefectures.get(value)
        if found is None:
            found = self.read_prefectures[value] = self.names.prefecture(value)
        prefecture, notice = found
        if notice:
            reader.notice(notice)
        return prefecture

    def county(self, value, prefecture, reader):
        if len(value) > SHORT_CHARS:
            raise ValueError("未知的县市区“%s”" % quoted(value))
        key = (value, prefecture.pk if prefecture is not None else None)
        found = self.read_counties.get(key)
        if found is None:
            found = self.read_counties[key] = self.names.county(value, prefecture)
        county, notice = found
        if notice:
            reader.notice(notice)
        return county

    def foreign_code(self, code):
        """Whether a project code starts with the division code of a county outside the
        scope: codes are conventionally county code + year + sequence (530828202300100001)."""
        if self.allowed is None or len(code) < 6:
            return False
        county = self.counties.get(canonical(code[:6]))
        return county is not None and county.pk not in self.allowed


def no_nul(value):
    """Text without a NUL character: no spreadsheet means one, and PostgreSQL cannot store it
    (a CSV past its first 64 KB, or an XLSX cell's _x0000_, can still bring one)."""
    if "\x00" in value:
        raise ValueError("含有空字符（NUL），请删除")
    return value


def required_text(value, max_length):
    if len(value) > max_length:
        raise ValueError("超过%d个字" % max_length)
    return no_nul(value)


def parsed(reader, result):
    """The value of a values.read_… result, its warnings passed on to the row."""
    value, warnings = result
    for warning in warnings:
        reader.warn(warning)
    return value


def parse_code(reader, raw, value, values):
    code = no_nul(parsed(reader, read_code(raw, value, CODE_LENGTH)))
    if reader.places.foreign_code(code):
        raise ValueError(OUTSIDE_SCOPE % code)
    return code


def parse_name(reader, raw, value, values):
    return required_text(value, NAME_LENGTH)


def parse_year(reader, raw, value, values):
    return parsed(reader, read_year(raw, value, FIRST_YEAR, reader.last_year))


def parse_prefecture(reader, raw, value, values):
    return reader.places.prefecture(value, reader)


def parse_county(reader, raw, value, values):
    county = reader.places.county(value, values.get("prefecture"), reader)
    allowed = reader.places.allowed
    if allowed is not None and county.pk not in allowed:
        raise ValueError("“%s”不在您的数据范围内" % county.name)
    return county


def parse_category(reader, raw, value, values):
    return read_choice(value, reader.words["category"], CATEGORY_LABELS)


def parse_status(reader, raw, value, values):
    return read_choice(value, reader.words["status"], STATUS_LABELS)


def parse_money(reader, raw, value, values):
    return parsed(reader, read_money(raw, value, unit=reader.unit_here or "万元"))


def parse_count(reader, raw, value, values):
    return parsed(reader, read_count(raw, value))


def parse_date(reader, raw, value, values):
    return parsed(reader, read_date(raw, value))


def parse_notes(reader, raw, value, values):
    return no_nul(value)


def parse_village(reader, raw, value, values):
    """A village of the row's county, by its name or 乡镇 + name (勐朗镇勐朗村)."""
    county = values.get("county")
    if county is None:
        return None  # the row is refused for its county already
    if county.pk not in reader.villages:
        reader.villages[county.pk] = villages_of(county)
    found = reader.villages[county.pk].get(canonical(value).replace(" ", ""), [])
    if len(found) == 1:
        return found[0].pk
    if found:
        towns = "、".join("%s%s" % (v.township, v.name) for v in found)
        raise ValueError("%s有多个“%s”：%s，请写明乡镇" % (county.name, quoted(value), towns))
    raise ValueError(
        "“%s”不是%s已登记的村（请先在管理后台登记，或写作“乡镇+村名”）"
        % (quoted(value), county.name)
    )


def villages_of(county):
    """{name: [villages]} of a county, by name and by 乡镇 + name: one query per county."""
    names = {}
    for village in Village.objects.filter(county=county):
        for name in {village.name, village.township + village.name}:
            names.setdefault(name, []).append(village)
    return names


def parse_programme(reader, raw, value, values):
    """A programme (项目群) of the row's county, by its name."""
    county = values.get("county")
    if county is None:
        return None  # the row is refused for its county already
    if county.pk not in reader.programmes:
        reader.programmes[county.pk] = programmes_of(county)
    found = reader.programmes[county.pk].get(canonical(value).replace(" ", ""))
    if found is not None:
        return found
    raise ValueError(
        "“%s”不是%s已登记的项目群（请先在管理后台登记，或导入项目群名录）"
        % (quoted(value), county.name)
    )


def programmes_of(county):
    """{name without spaces: id} of a county's programmes: one query per county."""
    programmes = Programme.objects.filter(county=county).values_list("name", "pk")
    return {canonical(name).replace(" ", ""): pk for name, pk in programmes}


def display(project, name):
    return getattr(project, "get_%s_display" % name)()


# In reading order: the county is read after the prefecture that may tell same names apart.
COLUMNS = [
    ReportColumn(
        "code",
        "项目编号",
        parse_code,
        required=True,
        hint=True,
        aliases=("编号", "项目代码", "项目编码"),
        field="code",
        staging="text",
        export=lambda p: p.code,
        rule="项目的唯一编号；同一文件中不得重复。请把本列设为文本格式，以免Excel把长编号变成数字",
        width=22,
        text_format=True,
    ),
    ReportColumn(
        "name",
        "项目名称",
        parse_name,
        required=True,
        aliases=("名称",),
        field="name",
        staging="text",
        export=lambda p: p.name,
        width=36,
    ),
    ReportColumn(
        "year",
        "年度",
        parse_year,
        required=True,
        aliases=("年份", "项目年度", "实施年度", "计划年度"),
        field="year",
        staging="integer",
        export=lambda p: p.year,
        rule="1996年至次年之间的年份，如2023或2023年度",
        width=8,
    ),
    ReportColumn(
        "prefecture",
        "州市",
        parse_prefecture,
        aliases=("州（市）", "所属州市", "地州", "州市名称"),
        export=lambda p: p.county.prefecture.name,
        rule="官方名称、简称或6位区划代码；填写时须包含所填县市区",
        width=14,
    ),
    ReportColumn(
        "county",
        "县市区",
        parse_county,
        required=True,
        hint=True,
        aliases=("县（市、区）", "县区", "县市", "所属县市区", "县", "项目所在县"),
        field="county_id",
        staging="bigint",
        export=lambda p: p.county.name,
        rule="官方名称、简称、曾用名或6位区划代码（见“县市区代码表”）",
        width=18,
        choices=lambda: [county.name for county in County.objects.order_by("code")],
    ),
    ReportColumn(
        "category",
        "项目类别",
        parse_category,
        required=True,
        aliases=("类别", "项目类型", "类型"),
        field="category",
        staging="text",
        export=lambda p: display(p, "category"),
        rule=CATEGORY_LABELS + "（也可写产业发展类、基础设施建设等常用写法）",
        width=12,
        choices=lambda: [label for _, label in Project.Category.choices],
    ),
    ReportColumn(
        "status",
        "项目状态",
        parse_status,
        required=True,
        aliases=("状态", "实施状态", "进展情况", "项目进度", "建设状态"),
        field="status",
        staging="text",
        export=lambda p: display(p, "status"),
        rule=STATUS_LABELS + "（也可写已完工、实施中、未开工、暂缓等）",
        width=10,
        choices=lambda: [label for _, label in Project.Status.choices],
    ),
    ReportColumn(
        "shanghai_funds",
        "上海援助资金（万元）",
        parse_money,
        required=True,
        aliases=(
            "上海援助资金",
            "上海资金",
            "援助资金",
            "沪滇协作资金",
            "上海财政援助资金",
            "东西部协作资金",
        ),
        field="shanghai_funds",
        staging="numeric",
        unit="万元",
        summed=True,
        export=lambda p: p.shanghai_funds,
        rule="不小于0的数，单位万元，最多4位小数；表头写（元）时按元换算",
        width=14,
    ),
    ReportColumn(
        "other_funds",
        "其他资金（万元）",
        parse_money,
        aliases=("其他资金", "地方配套资金", "配套资金", "自筹资金"),
        field="other_funds",
        staging="numeric",
        default=ZERO_MONEY,
        clearable=True,
        unit="万元",
        summed=True,
        export=lambda p: p.other_funds,
        rule="不小于0的数，单位万元；新项目留空为0",
        width=14,
    ),
    ReportColumn(
        "beneficiaries",
        "受益人数",
        parse_count,
        aliases=("受益人口", "受益人数（人）", "受益群众", "带动人数", "受益群众人数"),
        field="beneficiaries",
        staging="integer",
        clearable=True,
        unit="人",
        export=lambda p: p.beneficiaries,
        rule="不小于0的整数",
        width=10,
    ),
    ReportColumn(
        "start_date",
        "开工日期",
        parse_date,
        aliases=("开工时间", "开始日期", "开始时间", "实施时间"),
        field="start_date",
        staging="date",
        clearable=True,
        export=lambda p: p.start_date,
        rule="日期，如2022-03-01、2022/3/1、2022年3月1日或20220301",
        width=12,
    ),
    ReportColumn(
        "end_date",
        "完工日期",
        parse_date,
        aliases=("完工时间", "竣工时间", "竣工日期", "完成时间", "结束时间"),
        field="end_date",
        staging="date",
        clearable=True,
        export=lambda p: p.end_date,
        rule="日期，不早于开工日期",
        width=12,
    ),
    ReportColumn(
        "notes",
        "备注",
        parse_notes,
        aliases=("备注说明", "说明", "情况说明"),
        field="notes",
        staging="text",
        default="",
        clearable=True,
        export=lambda p: p.notes,
        width=30,
    ),
    ReportColumn(
        "village",
        "村",
        parse_village,
        aliases=("所在村", "行政村", "项目所在村", "村名", "村（社区）"),
        field="village_id",
        staging="bigint",
        clearable=True,
        # 乡镇 + name: what the import reads back even where two townships share a name.
        export=lambda p: p.village.township + p.village.name if p.village_id else None,
        rule="选填；本县市区已登记的村名，同名的村写作“乡镇+村名”",
        width=14,
    ),
    ReportColumn(
        "programme",
        "项目群",
        parse_programme,
        aliases=("所属项目群", "项目群名称"),
        field="programme_id",
        staging="bigint",
        clearable=True,
        export=lambda p: p.programme.name if p.programme_id else None,
        rule="选填；本县市区已登记的项目群名称（如某村乡村振兴示范村建设）",
        width=24,
    ),
]
register(ImportBatch.Kind.YEARLY_REPORT, COLUMNS, HeaderNames(COLUMNS))

HEADERS = [column.header for column in COLUMNS]
# The Project fields an import writes; everything else on a project is left alone.
FIELDS = [c.key for c in COLUMNS if c.field]


class RowReader(ColumnReader):
    """Turns one spreadsheet row into the values of a Project, and lists every problem."""

    def __init__(self, table, *, places=None, words=None, today=None):
        super().__init__(COLUMNS, table, today=today)
        self.places = places or Places()
        self.villages = {}  # {county id: {name: [villages]}}, as rows need them
        self.programmes = {}  # {county id: {name: id}}, likewise
        self.words = words or {"category": CATEGORY_WORDS, "status": STATUS_WORDS}

    def read(self, row_number, cells):
        values, errors, remarks = super().read(row_number, cells)
        values.pop("prefecture", None)
        return values, errors, remarks

    def check(self, values):
        prefecture, county = values.get("prefecture"), values.get("county")
        if prefecture is not None and county is not None and county.prefecture_id != prefecture.pk:
            yield "prefecture", "县市区“%s”不属于“%s”" % (county.name, prefecture.name)
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and end < start:
            yield "end_date", "完工日期不能早于开工日期"

    def key(self, values):
        """What must be unique across the files: the project code."""
        return values.get("code") or None

    def duplicate(self, row_number, where, values):
        message = "与%s重复的项目编号“%s”" % (where, values["code"])
        return cell_line(row_number, self.label("code"), message)
