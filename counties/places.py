"""Place names as county offices write them: official names and codes, former names and codes
(FormerDivision), everyday short forms (澜沧县, 澜沧, 红河州, 普洱), a prefecture written in front
of its county (普洱市澜沧县) and a code written with its name (530828 澜沧拉祜族自治县).

The column a name is written in tells its level: 思茅市 in a county column is the county-level
思茅市 of 1993–2003 (today 思茅区), in a prefecture column the prefecture-level one (普洱市).
"""

import difflib
import re
import unicodedata
from collections import namedtuple

from .models import County, FormerDivision, Prefecture

# What a prefecture cell holds for the whole province.
PROVINCE = frozenset({"全省", "云南省", "云南", "省级", ""})
# Written in front of a name, as in 云南省普洱市澜沧县.
PROVINCE_PREFIXES = ("云南省", "云南")

# The peoples named in autonomous divisions: Yunnan's 25 minorities and a few more. The ethnic
# part of 贡山独龙族怒族自治县 is the run of these names before 自治县 (here 独龙族, 怒族).
ETHNIC_GROUPS = (
    ("阿昌族", "白族", "布朗族", "布依族", "傣族", "德昂族", "东乡族", "侗族", "独龙族")
    + ("哈尼族", "回族", "基诺族", "景颇族", "拉祜族", "傈僳族", "满族", "蒙古族", "苗族")
    + ("纳西族", "怒族", "普米族", "羌族", "水族", "土家族", "佤族", "瑶族", "彝族")
    + ("藏族", "壮族")
)

QUOTED_CHARS = 50  # as projects.importers.parsing, which this app does not import
SUGGESTIONS = 3
# No way of writing a place is longer (云南省 + 西双版纳傣族自治州 + the longest county name, a
# code): longer text is refused at once, unread, so a huge cell costs nothing.
LONGEST_WRITTEN = 50
CODE = re.compile(r"\d{6}")
# A code written with its name: 530828澜沧拉祜族自治县, 澜沧拉祜族自治县530828, 澜沧县(530828).
CODE_AND_NAME = re.compile(r"(?P<code>\d{6})[-_:/|·,、]?(?P<name>\D.*)")
NAME_AND_CODE = re.compile(r"(?P<name>\D.*?)[-_:/|·,、]?\(?(?P<code>\d{6})\)?")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# How a written form relates to the division it names; it decides the notice.
OFFICIAL, CODE_OF, FORMER, FORMER_CODE, SHORT, FORMER_SHORT = (
    "official",
    "code",
    "former",
    "former code",
    "short",
    "former short",
)
TIER = {OFFICIAL: 0, CODE_OF: 0, FORMER: 1, FORMER_CODE: 1, SHORT: 2, FORMER_SHORT: 2}

# One thing a written form may mean: today's division(s) it stands for (codes; more than one
# for a split former division) and how. `former` is the FormerDivision it comes from.
Meaning = namedtuple("Meaning", "codes kind former")


def quoted(value):
    """A cell's text as a message quotes it: cut to QUOTED_CHARS, with "…"."""
    if len(value) <= QUOTED_CHARS:
        return value
    return value[:QUOTED_CHARS] + "…"


def normalised(value):
    """The text looked up: full-width letters, digits and brackets made plain, spaces removed."""
    value = unicodedata.normalize("NFKC", value).translate(INVISIBLE)
    return re.sub(r"\s+", "", value)


def without_ethnic_part(name):
    """The place part of an autonomous division's name without 自治县/自治州 and the peoples
    named before it: 澜沧拉祜族自治县 → 澜沧, 红河哈尼族彝族自治州 → 红河. None when the name is
    not an autonomous one or the part before 自治 is not a run of known peoples."""
    if not name.endswith(("自治县", "自治州")):
        return None
    rest, stripped = name[:-3], False
    while True:
        group = next((g for g in ETHNIC_GROUPS if rest.endswith(g)), None)
        if group is None:
            break
        rest, stripped = rest[: -len(group)], True
    if not stripped or "族" in rest or len(rest) < 2:
        return None
    return rest


def county_short_forms(name):
    """Everyday forms of a county's name: 澜沧拉祜族自治县 → 澜沧县, 澜沧; 勐海县 → 勐海;
    景洪市 → 景洪; 思茅区 → 思茅. A form keeps at least two characters (芒市, 云县 have none)."""
    base = without_ethnic_part(name)
    if base is not None:
        return [base + "县", base]
    if name.endswith(("县", "市", "区")) and len(name) > 2:
        return [name[:-1]]
    return []


def prefecture_short_forms(name):
    """Everyday forms of a prefecture's name: 红河哈尼族彝族自治州 → 红河州, 红河; 普洱市 → 普洱,
    普洱地区; 思茅地区 → 思茅."""
    base = without_ethnic_part(name)
    if base is not None:
        return [base + "州", base]
    if name.endswith("地区") and len(name) > 3:
        return [name[:-2]]
    if name.endswith("市") and len(name) > 2:
        return [name[:-1], name[:-1] + "地区"]
    return []


def either(names):
    """“A”（code）或“B”（code）; with more, “A”（code）、“B”（code）或“C”（code）."""
    return names[0] if len(names) == 1 else "%s或%s" % ("、".join(names[:-1]), names[-1])


class PlaceNames:
    """Every prefecture and county with every name people write for them; loaded once
    (3 queries)."""

    def __init__(self):
        self.prefectures = {p.code: p for p in Prefecture.objects.all()}
        by_id = {p.pk: p for p in self.prefectures.values()}
        self.counties = {}
        for county in County.objects.all():
            county.prefecture = by_id[county.prefecture_id]  # no query when the caller asks
            self.counties[county.code] = county
        self.county_forms = {}
        self.prefecture_forms = {}
        # Former prefectures whose area is a county today (东川市 → 东川区): in a prefecture
        # column they are refused with the county named.
        self.now_counties = {}
        for county in self.counties.values():
            self.add(self.county_forms, county.name, county.code, OFFICIAL)
            self.add(self.county_forms, county.code, county.code, CODE_OF)
            for form in county_short_forms(county.name):
                self.add(self.county_forms, form, county.code, SHORT)
        for prefecture in self.prefectures.values():
            forms = self.prefecture_forms
            self.add(forms, prefecture.name, prefecture.code, OFFICIAL)
            self.add(forms, prefecture.code, prefecture.code, CODE_OF)
            for form in prefecture_short_forms(prefecture.name):
                self.add(forms, form, prefecture.code, SHORT)
        # Today's prefectures by their names and short forms: a county cell's informal form
        # that is one of these may mean the prefecture (大理, 红河, 普洱).
        self.also_prefecture = {
            form: self.prefectures[meanings[0].codes[0]]
            for form, meanings in self.prefecture_forms.items()
            if not CODE.fullmatch(form)
        }
        for former in FormerDivision.objects.all():
            codes = tuple(former.current_code_list())
            if all(code in self.counties for code in codes):
                forms, short_forms = self.county_forms, county_short_forms
            elif all(code in self.prefectures for code in codes):
                forms, short_forms = self.prefecture_forms, prefecture_short_forms
            else:
                continue  # today's divisions not (all) in this database
            if former.level == FormerDivision.Level.PREFECTURE and forms is self.county_forms:
                for form in [former.name, former.code, *prefecture_short_forms(former.name)]:
                    self.now_counties.setdefault(form, (former, codes))
            if former.level == FormerDivision.Level.COUNTY and forms is self.prefecture_forms:
                continue  # a county never became a prefecture; no such row is known
            self.add(forms, former.name, codes, FORMER, former)
            self.add(forms, former.code, codes, FORMER_CODE, former)
            for form in short_forms(former.name):
                self.add(forms, form, codes, FORMER_SHORT, former)
        self.longest_prefecture_form = max(map(len, self.prefecture_forms), default=0)

    @staticmethod
    def add(forms, form, codes, kind, former=None):
        codes = (codes,) if isinstance(codes, str) else codes
        forms.setdefault(form, []).append(Meaning(codes, kind, former))

    # Prefectures

    def prefecture(self, value):
        """(prefecture, notice) for a prefecture cell; (None, None) for the whole province.
        The notice is None when the cell holds the official name or code, else says how it
        was read. Raises ValueError with the reason when the cell names no one prefecture."""
        value = "" if value is None else str(value)
        text = normalised(value)
        if text in PROVINCE:
            return None, None
        if len(text) > LONGEST_WRITTEN:
            raise ValueError("未知的州市“%s”" % quoted(value))
        meaning = self.meaning(self.prefecture_forms, text, value)
        if meaning is None:
            meaning = self.with_code(self.prefecture_forms, text, value)
        if meaning is None:
            for rest in self.without_province(text):  # 云南省普洱市
                meaning = self.meaning(self.prefecture_forms, rest, value)
                if meaning is not None:
                    meaning = meaning._replace(kind=SHORT) if TIER[meaning.kind] == 0 else meaning
                    break
        if meaning is None:
            if text in self.now_counties:
                former, codes = self.now_counties[text]
                county = self.counties[codes[0]]
                raise ValueError(
                    "“%s”已于%d年撤销，今为%s的“%s”（%s），请填写“%s”"
                    % (
                        quoted(value),
                        former.in_use_until,
                        county.prefecture.name,
                        county.name,
                        county.code,
                        county.prefecture.name,
                    )
                )
            raise ValueError(self.unknown(text, value, "州市", self.prefectures.values()))
        prefecture = self.prefectures[meaning.codes[0]]
        return prefecture, self.notice(value, meaning.kind, prefecture)

    # Counties

    def county(self, value, prefecture=None):
        """(county, notice) for a county cell. `prefecture`, the row's prefecture if known,
        tells apart a short form two prefectures share. The notice is None when the cell holds
        the official name or code, else says how it was read. Raises ValueError with the
        reason when the cell names no one county."""
        value = "" if value is None else str(value)
        text = normalised(value)
        if not text:
            raise ValueError("未填写县市区")
        if len(text) > LONGEST_WRITTEN:
            raise ValueError("未知的县市区“%s”" % quoted(value))
        for text_read in (text, *self.without_province(text)):  # 云南省普洱市澜沧县
            meaning = self.meaning(self.county_forms, text_read, value, prefecture)
            if meaning is None:
                meaning = self.with_code(self.county_forms, text_read, value, prefecture)
            if meaning is None:
                meaning = self.after_prefecture(text_read, value)
            if meaning is None:
                continue
            county = self.counties[meaning.codes[0]]
            also = self.also_prefecture.get(text_read)
            if also is not None and TIER[meaning.kind] > 0:
                # 大理, 红河, 普洱, 昭通市 in a county column: the county, or the prefecture
                # written in the wrong column? Only the full name or the code tells.
                raise ValueError(self.ambiguous(value, [county, also]))
            if text_read != text and TIER[meaning.kind] == 0:
                meaning = meaning._replace(kind=SHORT)
            return county, self.notice(value, meaning.kind, county)
        raise ValueError(self.unknown(text, value, "县市区", self.counties.values()))

    def accepted_county_forms(self):
        """{code: [forms]}: for each county, the other names (former names, short forms; not
        codes, not a prefecture in front) that county() reads as it with no row prefecture,
        so a list of them promises nothing the import refuses. Error-free forms only."""
        accepted = {code: [] for code in self.counties}
        for form in self.county_forms:
            if form.isdigit():
                continue
            try:
                county, notice = self.county(form)
            except ValueError:
                continue  # split, shared, or also a prefecture's name
            if notice is not None:
                accepted[county.code].append(form)
        return accepted

    @staticmethod
    def without_province(text):
        return [text[len(p) :] for p in PROVINCE_PREFIXES if text.startswith(p) and text != p]

    def after_prefecture(self, text, value):
        """The county of 普洱市澜沧县, 西双版纳州勐海县, 红河州屏边县: a prefecture's name or
        short form, then a county of that prefecture. None when no prefecture starts the text."""
        found = {}
        for prefecture, rest in self.prefecture_prefixes(text):
            meaning = self.meaning(self.county_forms, rest, value, prefecture)
            county = self.counties[meaning.codes[0]] if meaning else None
            if county is None:
                continue
            if county.prefecture_id != prefecture.pk:
                raise ValueError(
                    "“%s”中的“%s”（%s）属于%s，不属于%s"
                    % (quoted(value), county.name, county.code, county.prefecture, prefecture)
                )
            found.setdefault(county.code, meaning)
        if len(found) > 1:
            raise ValueError(self.ambiguous(value, [self.counties[code] for code in found]))
        if not found:
            return None
        (meaning,) = found.values()
        # Written with its prefecture, the county's official name is not the official form.
        return meaning._replace(kind=SHORT) if TIER[meaning.kind] == 0 else meaning

    def prefecture_prefixes(self, text):
        """(prefecture, the rest) for every prefecture name or short form that starts the text
        and is not all of it."""
        for end in range(2, min(len(text) - 1, self.longest_prefecture_form + 1)):
            meanings = self.prefecture_forms.get(text[:end], [])
            codes = {m.codes for m in meanings if m.kind not in (CODE_OF, FORMER_CODE)}
            if len(codes) == 1 and len(next(iter(codes))) == 1:
                yield self.prefectures[next(iter(codes))[0]], text[end:]

    # Shared steps

    def meaning(self, forms, text, value, prefecture=None):
        """The one meaning of a written form, from the first tier that has one (official,
        then former, then short forms); None when the form is unknown. Raises ValueError for a
        form of a split division or one that names several divisions."""
        meanings = forms.get(text)
        if not meanings:
            return None
        tier = min(TIER[m.kind] for m in meanings)
        distinct = {}
        # A form both of today's name and of a former one (澜沧 of 澜沧拉祜族自治县, 530828 and
        # 532729) reads as today's: its notice does not speak of a former name.
        for m in sorted(meanings, key=lambda m: m.former is not None):
            if TIER[m.kind] == tier:
                distinct.setdefault(m.codes, m)
        distinct = list(distinct.values())
        if len(distinct) > 1 and prefecture is not None:
            inside = [
                m for m in distinct if all(self.in_prefecture(c, prefecture) for c in m.codes)
            ]
            if len(inside) == 1:
                distinct = inside
        if len(distinct) > 1 and tier == 0 and forms is self.county_forms:
            # Names are unique only within a prefecture: the full name cannot tell.
            raise ValueError("县市区“%s”重名，请同时填写州市或改用区划代码" % quoted(value))
        if len(distinct) > 1:
            codes = dict.fromkeys(code for m in distinct for code in m.codes)
            raise ValueError(self.ambiguous(value, [self.division(code) for code in codes]))
        meaning = distinct[0]
        if len(meaning.codes) > 1:
            parts = "、".join(
                "“%s”（%s）" % (self.division(code).name, code) for code in meaning.codes
            )
            written = "“%s”" % quoted(value)
            if meaning.kind == FORMER_CODE:
                written += "（%s）" % meaning.former.name
            raise ValueError("%s已撤销并分设为%s，请填写现名" % (written, parts))
        return meaning

    def with_code(self, forms, text, value, prefecture=None):
        """The meaning of a code written with a name (530828 澜沧拉祜族自治县): both must name
        the same division. None when the text is not a code and a name."""
        match = CODE_AND_NAME.fullmatch(text) or NAME_AND_CODE.fullmatch(text)
        if match is None:
            return None
        code, name = match["code"], match["name"].strip("-_:/|·,、()")
        by_code = self.meaning(forms, code, code, prefecture)
        if by_code is None:
            raise ValueError("“%s”中的区划代码“%s”不存在" % (quoted(value), code))
        target = by_code.codes[0]
        if any(m.codes == (target,) for m in forms.get(name, [])):
            by_name = self.division(target)  # 532901 大理: one of the names of 532901
        else:
            try:
                if forms is self.county_forms:
                    by_name, _ = self.county(name, prefecture)
                else:
                    by_name, _ = self.prefecture(name)
            except ValueError as error:
                raise ValueError("“%s”中的名称有误：%s" % (quoted(value), error)) from None
        if by_name is None or by_name.code != target:
            named = "“%s”（%s）" % (by_name.name, by_name.code) if by_name else "全省"
            raise ValueError(
                "“%s”的区划代码与名称不符：%s是“%s”，不是%s"
                % (quoted(value), code, self.division(target).name, named)
            )
        # The code decides: official, no notice; a former code, its notice.
        return by_code if by_code.kind == FORMER_CODE else Meaning(by_code.codes, CODE_OF, None)

    def notice(self, value, kind, division):
        written = quoted(value)
        if kind in (OFFICIAL, CODE_OF):
            return None
        if kind == FORMER_CODE:
            return "“%s”按现行代码“%s”（%s）导入" % (written, division.code, division.name)
        if kind in (FORMER, FORMER_SHORT):
            return "“%s”按现名“%s”（%s）导入" % (written, division.name, division.code)
        return "“%s”按“%s”（%s）导入" % (written, division.name, division.code)

    def in_prefecture(self, code, prefecture):
        county = self.counties.get(code)
        return county is not None and county.prefecture_id == prefecture.pk

    def division(self, code):
        return self.counties.get(code) or self.prefectures[code]

    def ambiguous(self, value, divisions):
        names = ["“%s”（%s）" % (d.name, d.code) for d in divisions]
        return "“%s”可能是%s，请填写全称或区划代码" % (quoted(value), either(names))

    def unknown(self, text, value, level, divisions):
        """未知的县市区“…”, with up to three official names near what was written."""
        divisions = list(divisions)
        rest = text
        if level == "县市区":
            prefixes = list(self.prefecture_prefixes(text))
            if prefixes:  # 普洱市澜仓县: the nearest counties of 普洱市
                prefecture, rest = prefixes[-1]
                divisions = [d for d in divisions if d.prefecture_id == prefecture.pk]
        short_forms = county_short_forms if level == "县市区" else prefecture_short_forms
        official = {}
        for division in divisions:
            for form in [division.name, *short_forms(division.name)]:
                official.setdefault(form, division.name)
        # n is at least 1: difflib refuses 0 (a database or prefecture without counties).
        near = difflib.get_close_matches(rest, official, n=max(len(official), 1), cutoff=0.6)
        names = list(dict.fromkeys(official[form] for form in near))[:SUGGESTIONS]
        message = "未知的%s“%s”" % (level, quoted(value))
        if names:
            message += "，是否为：%s？" % "、".join("“%s”" % name for name in names)
        return message
