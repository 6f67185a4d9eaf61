"""The indicator report format (协作指标报表): its columns and the rules for each cell.

One row is one indicator's target (协议数) and result (完成数) in one year for one place.
Which place cell is filled says the level: 县市区 a county, 州市 alone a prefecture,
上海结对区 alone a Shanghai district's pairing, none the whole province.
"""

from counties.models import ShanghaiDistrict
from projects.importers.parsing import (
    SHORT_CHARS,
    FileError,
    canonical,
    parse_decimal,
    quoted,
    text,
)
from projects.importers.rows import (
    TOO_LONG,
    CellReader,
    Column,
    Places,
    error_line,
    header_key,
    no_nul,
    parse_year,
    too_long,
)
from projects.models import MONEY

from ..models import Indicator, IndicatorFigure

COLUMNS = [
    Column("year", "年度", True, hint=True),
    Column("prefecture", "州市", False),
    Column("county", "县市区", False),
    Column("district", "上海结对区", False),
    Column("indicator", "指标", True, hint=True),
    Column("target", "协议数", False),
    Column("result", "完成数", False),
    Column("note", "备注", False),
]
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
    """Every indicator, by code, by name, or by name with its unit in brackets; spaces,
    case and full- or half-width characters do not matter (as in headers)."""

    def __init__(self):
        self.lookup = {}
        for indicator in Indicator.objects.all():
            for name in (
                indicator.code,
                indicator.name,
                "%s（%s）" % (indicator.name, indicator.unit),
            ):
                self.lookup[header_key(name)] = indicator

    def get(self, value):
        # A long cell names no indicator; header_key would cost as much as it is long.
        found = self.lookup.get(header_key(value)) if len(value) <= SHORT_CHARS else None
        if found is None:
            raise ValueError(
                "未知的指标“%s”（请填写指标代码或名称，见模板中的“填写说明”表）" % quoted(value)
            )
        return found


class FigureReader(CellReader):
    """Turns one spreadsheet row into an indicator figure's values, and lists every problem.

    `read(row_number, cells)` returns (values, error lines). The values are indicator,
    year, level, place (a Prefecture, County, ShanghaiDistrict or None for the province)
    and target, result and note, each None when its cell is blank (the stored value stays).
    """

    def __init__(self, header, positions, places, catalogue, today=None):
        if "target" not in positions and "result" not in positions:
            raise FileError("缺少列：“协议数”和“完成数”至少要有一列。")
        super().__init__(header, positions, places, today)
        self.catalogue = catalogue

    def read(self, row_number, cells):
        errors = []
        values = dict.fromkeys(KEPT)
        filled = set()
        width = len(cells)
        for key, index, label, parse in self.plan:
            raw = cells[index] if index < width else None
            if too_long(raw):
                filled.add(key)
                errors.append(error_line(row_number, label, TOO_LONG))
                continue
            value = text(raw)
            if value:
                filled.add(key)
            try:
                values[key] = parse(self, raw, value, values)
            except ValueError as error:
                errors.append(error_line(row_number, label, str(error)))
        place_errors = self.settle_place(values, filled)
        errors.extend(error_line(row_number, self.label(k), m) for k, m in place_errors)
        if not filled & {"target", "result"}:
            label = self.label("target") or self.label("result")
            errors.append(error_line(row_number, label, "协议数和完成数至少填写一项"))
        return values, errors

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
        return error_line(row_number, self.label("indicator"), message)

    def year(self, raw, value, values):
        return parse_year(raw, value, self.last_year)

    def prefecture(self, raw, value, values):
        return self.places.prefecture(value) if value else None

    def county(self, raw, value, values):
        return self.places.county(value, values.get("prefecture")) if value else None

    def district(self, raw, value, values):
        return self.places.district(value) if value else None

    def indicator(self, raw, value, values):
        if not value:
            raise ValueError("不能为空")
        return self.catalogue.get(value)

    def number(self, raw, value, values):
        if not value:
            return None
        try:
            number = parse_decimal(raw, **MONEY)
        except ValueError as error:
            raise ValueError("%s：“%s”" % (error, quoted(value))) from None
        if number < 0:
            raise ValueError("不能为负数：“%s”" % quoted(value))
        return number

    def note(self, raw, value, values):
        return no_nul(value) if value else None

    # In this order: the county is read after the prefecture that may tell same names apart.
    parsers = [
        ("year", year),
        ("prefecture", prefecture),
        ("county", county),
        ("district", district),
        ("indicator", indicator),
        ("target", number),
        ("result", number),
        ("note", note),
    ]


def place_name(place):
    return place.name if place else "全省"
