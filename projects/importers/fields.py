"""A registry's column from its model field (field_column): the cell read by the field's
kind (a place by any name offices write, a related record by its name or code, a choice by its
Chinese label, yes or no, an amount in 万元, a count, a year, a date) and written back by the
export as the import reads it."""

import re

from django.db import models

from counties.models import County, Prefecture, ShanghaiDistrict

from .columns import ReportColumn
from .parsing import SHORT_CHARS, canonical, quoted
from .rows import (
    no_nul,
    parse_date,
    parse_money,
    parse_year,
    parsed,
    required_text,
    villages_of,
)
from .values import read_count
from .words import header_unit

YES = {"是", "√", "✓", "y", "yes", "true", "1", "有"}
NO = {"否", "×", "✗", "n", "no", "false", "0", "无"}


# Reading a cell by its field ----------------------------------------------------------


class Lookups:
    """The related records a registry's cells name, each model loaded once, by every name
    and code it is written by (canonical text)."""

    def __init__(self, places):
        self.places = places
        self.loaded = {}

    def table(self, model, names):
        if model not in self.loaded:
            table = {}
            for obj in model._default_manager.all():
                for name in names(obj):
                    if name not in (None, ""):
                        table.setdefault(canonical(str(name)), []).append(obj)
            self.loaded[model] = table
        return self.loaded[model]

    def find(self, model, value, names, what):
        if len(value) > SHORT_CHARS * 4:
            raise ValueError("未知的%s“%s”" % (what, quoted(value)))
        found = self.table(model, names).get(canonical(value), [])
        if len(found) == 1:
            return found[0]
        if found:
            raise ValueError("有多个%s名为“%s”，请填写代码" % (what, quoted(value)))
        raise ValueError("未知的%s“%s”（请先在管理后台登记）" % (what, quoted(value)))


def record_names(obj):
    """What a related record is written by in a cell: its code, name, number, official name,
    credit code, as the model has them."""
    return [getattr(obj, name, None) for name in ("code", "name", "number", "credit_code")]


DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def batch_number(value):
    """A batch's number as rosters write it: 12, 第12批, 第十二批, 十二; None otherwise."""
    written = value.removeprefix("第").removesuffix("批")
    if written.isdigit():
        return int(written)
    tens, _, ones = written.rpartition("十")
    if "十" in written:
        if (tens and tens not in DIGITS) or (ones and ones not in DIGITS):
            return None
        return DIGITS.get(tens, 1) * 10 + DIGITS.get(ones, 0)
    return DIGITS.get(written)


def district_names(district):
    return [district.code, district.name, district.name.removesuffix("区")]


def parse_related(field):
    """The parse function of a foreign key's cell: the record it names, which must be one
    the field may hold (its limit_choices_to, as the admin's picker offers)."""
    model = field.related_model
    what = str(model._meta.verbose_name)
    limit = field.get_limit_choices_to()
    need = limited_to(model, limit)

    def parse(reader, raw, value, values):
        obj = find(reader, value, values)
        if obj is not None and limit and not meets(obj, limit):
            raise ValueError("“%s”不能作为%s：%s" % (quoted(value), field.verbose_name, need))
        return obj

    def find(reader, value, values):
        if model is County:
            prefecture = values.get("prefecture") or values.get("partner_prefecture")
            return reader.places.county(value, prefecture, reader)
        if model is Prefecture:
            return reader.places.prefecture(value, reader)
        if model._meta.label_lower == "counties.village":
            return parse_village(reader, value, values)
        if model is ShanghaiDistrict:
            return reader.lookups.find(model, value, district_names, what)
        if model._meta.label_lower == "personnel.batch":
            number = batch_number(value)
            value = str(number) if number is not None else value
        return reader.lookups.find(model, value, record_names, what)

    return parse


def parse_village(reader, value, values):
    """A village of the row's county, by its name or 乡镇 + name, as the yearly report reads
    one (rows.villages_of)."""
    county = values.get("county") or values.get("partner_county")
    if county is None:
        raise ValueError("须同时填写村所在的县市区")
    if county.pk not in reader.villages:
        reader.villages[county.pk] = villages_of(county)
    found = reader.villages[county.pk].get(canonical(value).replace(" ", ""), [])
    if len(found) == 1:
        return found[0]
    if found:
        raise ValueError("%s有多个“%s”，请写明乡镇" % (county.name, quoted(value)))
    raise ValueError("“%s”不是%s已登记的村" % (quoted(value), county.name))


# What separates the names of a list in one cell: 甲公司、乙公司；丙公司
LIST_SEPARATORS = re.compile(r"[、，,；;\n]+")


def parse_many(field):
    """The parse function of a many-to-many field's cell: names separated by 、，；or lines,
    each a record the field may hold (its limit_choices_to, as the admin's picker offers)."""
    model = field.related_model
    what = str(model._meta.verbose_name)
    limit = field.get_limit_choices_to()
    need = limited_to(model, limit)

    def parse(reader, raw, value, values):
        found, unknown = {}, []
        for name in LIST_SEPARATORS.split(value):
            name = name.strip()
            if not name:
                continue
            matches = reader.lookups.table(model, record_names).get(canonical(name), [])
            if not matches:
                unknown.append(name)
                continue
            if len(matches) > 1:
                raise ValueError("有多个%s名为“%s”，请填写代码" % (what, quoted(name)))
            obj = matches[0]
            if not meets(obj, limit):
                raise ValueError("“%s”不能列入%s：%s" % (quoted(name), field.verbose_name, need))
            found[obj.pk] = obj
        if unknown:
            names = "、".join("“%s”" % quoted(name) for name in unknown[:5])
            raise ValueError("未登记的%s：%s（请先在管理后台登记）" % (what, names))
        return list(found.values())

    return parse


def meets(obj, limit):
    """Whether a record is one a field's limit_choices_to allows: compared in memory for
    plain field values ({"side": "shanghai"}), asked of the database otherwise."""
    if not limit:
        return True
    if isinstance(limit, dict) and not any("__" in name for name in limit):
        return all(getattr(obj, name) == value for name, value in limit.items())
    return type(obj)._default_manager.complex_filter(limit).filter(pk=obj.pk).exists()


def limited_to(model, limit):
    """A field's limit_choices_to ({"kind": "enterprise"}) in words: 类别须为企业."""
    words = []
    for name, value in (limit or {}).items():
        model_field = model._meta.get_field(name)
        shown = dict(model_field.flatchoices).get(value, value)
        words.append("%s须为%s" % (model_field.verbose_name, shown))
    return "，".join(words) or "不在可选范围内"


def parse_choice(choices):
    """A choice by its Chinese label or its code."""
    by_text = {}
    for code, label in choices:
        by_text[canonical(str(label))] = code
        by_text[canonical(str(code)).lower()] = code
    listed = "、".join(str(label) for _, label in choices)

    def parse(reader, raw, value, values):
        found = by_text.get(canonical(value)) or by_text.get(canonical(value).lower())
        if found is None:
            raise ValueError("“%s”不是可选的值（可填：%s）" % (quoted(value), listed))
        return found

    return parse


def parse_bool(reader, raw, value, values):
    if raw is True or raw is False:
        return raw
    written = canonical(value).lower()
    if written in YES:
        return True
    if written in NO:
        return False
    raise ValueError("应填写“是”或“否”：“%s”" % quoted(value))


def parse_count_in(unit):
    def parse(reader, raw, value, values):
        return parsed(reader, read_count(raw, value, unit=reader.unit_here or unit))

    return parse


# Spaces between two Chinese characters: offices pad names to line them up (王　芳,
# 惠　民镇); a name means the same without them.
PADDING = re.compile(
    r"(?<=[\u3400-\u9fff\uf900-\ufaff])[\s\u3000]+(?=[\u3400-\u9fff\uf900-\ufaff])"
)


def parse_text(max_length):
    """A text cell; in a short text (a name, a unit, a post), spaces between Chinese
    characters are taken out, with a notice."""

    def parse(reader, raw, value, values):
        if not max_length:
            return no_nul(value)
        unpadded = PADDING.sub("", value)
        if unpadded != value:
            reader.notice("“%s”中的空格已去掉，按“%s”导入" % (quoted(value), unpadded))
        return required_text(unpadded, max_length)

    return parse


def is_year(model_field):
    return model_field.name.endswith("year") or str(model_field.verbose_name).endswith("年度")


def exported(model_field):
    """A record's cell of a field, as the import reads it back."""
    name = model_field.name
    if model_field.many_to_many:
        return lambda record: "、".join(sorted(o.name for o in getattr(record, name).all())) or None
    if model_field.is_relation:
        model = model_field.related_model

        def related(record):
            obj = getattr(record, name)
            if obj is None:
                return None
            if model._meta.label_lower == "personnel.batch":
                return obj.number
            if model._meta.label_lower == "projects.project":
                return obj.code
            return obj.name

        return related
    if model_field.choices:
        return lambda record: getattr(record, "get_%s_display" % name)() or None
    if isinstance(model_field, models.BooleanField):
        return lambda record: "是" if getattr(record, name) else "否"
    return lambda record: getattr(record, name)


def field_column(
    model, name, header=None, *, key=None, required=None, aliases=(), rule="", width=None
):
    """The column writing `model`'s field `name`, read by the field's kind; headed by its
    verbose_name (with its unit) unless `header` is given; required where the field is.
    Its key (the English header too) is the field's name unless `key` is given: at most 20
    characters, as a staff-added header (HeaderAlias) names it."""
    model_field = model._meta.get_field(name)
    header = header or str(model_field.verbose_name)
    blank_ok = model_field.blank or model_field.null or model_field.has_default()
    unit = None
    staging = None
    if model_field.many_to_many:
        parse = parse_many(model_field)
    elif model_field.is_relation:
        parse = parse_related(model_field)
    elif model_field.choices:
        parse = parse_choice(model_field.flatchoices)
    elif isinstance(model_field, models.BooleanField):
        parse = parse_bool
    elif isinstance(model_field, models.DecimalField):
        parse, unit = parse_money, "万元"
        header = header if "万元" in header else "%s（万元）" % header
    elif isinstance(model_field, models.DateField):
        parse, staging = parse_date, "date"
    elif isinstance(model_field, models.IntegerField):
        if is_year(model_field):
            parse, staging = parse_year, "integer"
        else:
            unit = header_unit(header)[1] or "人"
            parse = parse_count_in(unit)
    else:
        parse = parse_text(getattr(model_field, "max_length", None))
    return ReportColumn(
        key or name,
        header,
        parse,
        required=(not blank_ok) if required is None else required,
        aliases=tuple(aliases),
        field=name,
        staging=staging,
        clearable=model_field.null
        or model_field.many_to_many
        or (model_field.blank and not model_field.is_relation),
        unit=unit,
        export=exported(model_field),
        rule=rule or default_rule(model_field),
        width=width or (26 if model_field.is_relation else 14),
        text_format=name.endswith("code"),
    )


def default_rule(model_field):
    if model_field.many_to_many:
        return (
            "已登记的%s的名称，多个用顿号（、）分隔" % model_field.related_model._meta.verbose_name
        )
    if model_field.is_relation:
        return "已登记的%s的名称或代码" % model_field.related_model._meta.verbose_name
    if model_field.choices:
        return "可填：%s" % "、".join(str(label) for _, label in model_field.flatchoices)
    if isinstance(model_field, models.BooleanField):
        return "是或否"
    if isinstance(model_field, models.DecimalField):
        return "不小于0的数，单位万元"
    if isinstance(model_field, models.DateField):
        return "日期，如2023-03-01或2023年3月1日"
    if isinstance(model_field, models.IntegerField):
        return "1996年至次年之间的年份" if is_year(model_field) else "不小于0的整数"
    return str(model_field.help_text or "")
