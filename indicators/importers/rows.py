"""The indicator report format (协作指标报表): its columns and the rules for each cell.

One row is one indicator's target (协议数) and result (完成数) in one year for one place.
Which place cell is filled says the level: 县市区 a county, 州市 alone a prefecture,
上海结对区 alone a Shanghai district's pairing, none the whole province.
"""

from counties.models import ShanghaiDistrict
from projects.importers.columns import (
    ColumnReader,
    HeaderNames,
    ReportColumn,
    cell_line,
    header_key,
)
from projects.importers.parsing import SHORT_CHARS, FileError, canonical, parse_decimal, quoted
from projects.importers.rows import Places, no_nul, parse_prefecture, parse_year
from projects.models import MONEY, ImportBatch
from projects.models.aliases import register

from ..models import Indicator, IndicatorFigure


def parse_county(reader, raw, value, values):
    return reader.places.county(value, values.get("prefecture"), reader)


def parse_district(reader, raw, value, values):
    return reader.places.district(value)


def parse_indicator(reader, raw, value, values):
    return reader.catalogue.get(value)


def parse_number(reader, raw, value, values):
    try:
        number = parse_decimal(raw, **MONEY)
    except ValueError as error:
        raise ValueError("%s：“%s”" % (error, quoted(value))) from None
    if number < 0:
        raise ValueError("不能为负数：“%s”" % quoted(value))
    return number


def parse_note(reader, raw, value, values):
    return no_nul(value)


COLUMNS = [
    ReportColumn(
        "year", "年度", parse_year, required=True, hint=True, aliases=("年份", "统计年度")
    ),
    ReportColumn(
        "prefecture",
        "州市",
        parse_prefecture,
        aliases=("州（市）", "地州", "州市名称"),
        rule="官方名称、简称或6位区划代码；全省的指标填“全省”或留空",
    ),
    ReportColumn(
        "county",
        "县市区",
        parse_county,
        aliases=("县（市、区）", "县区", "县市", "县"),
        rule="官方名称、简称、曾用名或6位区划代码",
    ),
    ReportColumn(
        "district", "上海结对区", parse_district, aliases=("结对区", "上海区", "上海结对区县")
    ),
    ReportColumn(
        "indicator",
        "指标",
        parse_indicator,
        required=True,
        hint=True,
        aliases=("指标名称", "指标项目", "项目", "内容"),
    ),
    ReportColumn(
        "target",
        "协议数",
        parse_number,
        aliases=("协议目标", "目标数", "目标任务", "任务数", "计划数", "年度目标"),
    ),
    ReportColumn(
        "result",
        "完成数",
        parse_number,
        aliases=("完成情况", "实际完成", "完成值", "实绩", "完成"),
    ),
    ReportColumn("note", "备注", parse_note, aliases=("备注说明", "说明")),
]
register(ImportBatch.Kind.INDICATOR_REPORT, COLUMNS, HeaderNames(COLUMNS))

HEADERS = [column.header for column in COLUMNS]
# The cells an import may leave blank to keep what is stored: offices send the targets in
# spring and the results at the end of the year, on the same template.
KEPT = ["target", "result", "note"]
Level = IndicatorFigure.Level
# The figure's field holding the place of each level.
PLACE_FIELD = {
    Level.PROVINCE: None,
    Level.PREFECTURE: "prefecture",
    Level.COUNTY: "county",
    Level.PAIRING: "district",
}
WHOLE_PROVINCE_ONLY = "全省和上海区结对的指标须由数据范围为全省的用户导入"


class FigurePlaces(Places):
    """Places, with the Shanghai districts and each prefecture's counties (for the scope)."""

    def __init__(self, user=None):
        super().__init__(user)
        self.districts = {}
        for district in ShanghaiDistrict.objects.all():
            self.districts[district.code] = district
            self.districts[district.name] = district
        self.counties_of = {}
        for county in self.counties.values():
            self.counties_of.setdefault(county.prefecture_id, set()).add(county.pk)

    def district(self, value):
        found = self.districts.get(value) or self.districts.get(canonical(value))
        if found is None:
            raise ValueError("未知的上海结对区“%s”" % quoted(value))
        return found

    def outside(self, level, place):
        """Why the user may not import a figure of this place, or "" when they may."""
        if self.allowed is None:
            return ""
        if level == Level.COUNTY and place.pk not in self.allowed:
            return "“%s”不在您的数据范围内" % place.name
        if level == Level.PREFECTURE:
            counties = self.counties_of.get(place.pk)
            # A prefecture's figure covers all its counties; a scope must hold every one.
            if not counties or not counties <= self.allowed:
                return "“%s”不在您的数据范围内" % place.name
        if level in (Level.PROVINCE, Level.PAIRING):
            return WHOLE_PROVINCE_ONLY
        return ""


class Catalogue:
    """Every indicator by code, by name (with or without its unit in brackets or a leading
    其中：) and by the other names staff listed for it; spaces, brackets, case and full- or
    half-width characters do not matter (as in headers)."""

    def __init__(self):
        self.lookup = {}
        for indicator in Indicator.objects.all():
            names = [indicator.code, indicator.name, *indicator.alias_list()]
            for name in names:
                for form in (name, "%s（%s）" % (name, indicator.unit)):
                    self.lookup.setdefault(header_key(form), indicator)
                    self.lookup.setdefault(header_key(strip_part(form)), indicator)

    def find(self, value):
        """The indicator a cell names, or None."""
        # A long cell names no indicator; header_key would cost as much as it is long.
        if len(value) > SHORT_CHARS:
            return None
        return self.lookup.get(header_key(value)) or self.lookup.get(header_key(strip_part(value)))

    def get(self, value):
        found = self.find(value)
        if found is None:
            raise ValueError(
                "未知的指标“%s”（请填写指标代码或名称，见模板中的“填写说明”表）" % quoted(value)
            )
        return found


def strip_part(name):
    """A name without its leading 其中： or 其中 (the report's way to mark a part)."""
    value = canonical(name)
    for prefix in ("其中:", "其中：", "其中", "含:", "含："):
        if value.startswith(prefix):
            return value[len(prefix) :].strip()
    return value


class FigureReader(ColumnReader):
    """Turns one spreadsheet row into an indicator figure's values, and lists every problem.

    `read(row_number, cells)` returns (values, error lines, remarks). The values are
    indicator, year, level, place (a Prefecture, County, ShanghaiDistrict or None for the
    province) and target, result and note, each None when its cell is blank (the stored
    value stays).
    """

    def __init__(self, table, *, places, catalogue, today=None):
        if "target" not in table.positions and "result" not in table.positions:
            raise FileError("缺少列：“协议数”和“完成数”至少要有一列。")
        super().__init__(COLUMNS, table, today=today)
        self.places = places
        self.catalogue = catalogue

    def read(self, row_number, cells):
        values, errors, remarks = super().read(row_number, cells)
        # 全省 written in 州市 is the province: a filled cell that reads as no place.
        failed = {column.key for column, *_ in self.plan if column.key not in values}
        for key in KEPT:
            values.setdefault(key, None)
        filled = {key for key, value in values.items() if value is not None}
        place_errors = self.settle_place(values, filled | failed)
        errors.extend(cell_line(row_number, self.label(k), m) for k, m in place_errors)
        if not (filled | failed) & {"target", "result"}:
            label = self.label("target") or self.label("result")
            errors.append(cell_line(row_number, label, "协议数和完成数至少填写一项"))
        return values, errors, remarks

    def settle_place(self, values, filled):
        """Sets the level and place from the place cells filled; returns (column, message)
        pairs for what is wrong with them, the scope included."""
        prefecture, county = values.pop("prefecture", None), values.pop("county", None)
        district = values.pop("district", None)
        if "district" in filled and filled & {"prefecture", "county"}:
            return [("district", "上海结对区不能与州市或县市区同时填写")]
        if "county" in filled:
            level, place, cell = Level.COUNTY, county, "county"
            if county and prefecture and county.prefecture_id != prefecture.pk:
                message = "县市区“%s”不属于“%s”" % (county.name, prefecture.name)
                return [("prefecture", message)]
        elif "prefecture" in filled:
            level, place, cell = Level.PREFECTURE, prefecture, "prefecture"
        elif "district" in filled:
            level, place, cell = Level.PAIRING, district, "district"
        else:
            # Nothing to point at but the empty place cells: the first, 州市.
            level, place, cell = Level.PROVINCE, None, "prefecture"
        if place is None and level != Level.PROVINCE:
            return []  # the cell's own error says why
        values["level"], values["place"] = level, place
        refusal = self.places.outside(level, place)
        return [(cell, refusal)] if refusal else []

    def key(self, values):
        """What must be unique across the files: indicator, year and place."""
        if "level" not in values or "indicator" not in values or "year" not in values:
            return None
        place = values["place"]
        return (values["indicator"].pk, values["year"], values["level"], place and place.pk)

    def duplicate(self, row_number, where, values):
        message = "与%s重复：同一指标、年度和地点只能填写一行" % where
        return cell_line(row_number, self.label("indicator"), message)


def place_name(place):
    return place.name if place else "全省"
