"""The words of a report's choice columns (项目类别, 项目状态) as offices write them, and the
unit a header names in its last brackets."""

from types import MappingProxyType

from ..models import Project
from .parsing import SHORT_CHARS, canonical, quoted
from .values import UNITS, is_blank

# Choices: a cell's word is matched ignoring spaces, full/half width, letter case and a
# trailing 类, 项目 or 类项目 (产业发展类项目 is 产业发展).
CHOICE_SUFFIXES = ("类项目", "项目", "类")


def choice_key(word):
    """A word as choice tables hold it: NFKC, no spaces, lower case, without 类/项目."""
    if len(word) > SHORT_CHARS:
        return word
    key = "".join(canonical(word).split()).lower()
    for suffix in CHOICE_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def choice_words(choices, synonyms):
    """A table for read_choice: a model's codes and labels, and the words reports write."""
    table = {}
    for code, label in choices:
        table[choice_key(code)] = str(code)
        table[choice_key(label)] = str(code)
    for word, code in synonyms.items():
        table[choice_key(word)] = str(code)
    return MappingProxyType(table)


def words_with(base, extra):
    """A table for read_choice: `base` with words staff added, `extra` (word → code).

    A staff word replaces a built-in one; its code must be one of the table's, and the word
    must say something once spaces and a trailing 类/项目 are dropped.
    """
    codes = set(base.values())
    table = dict(base)
    for word, code in extra.items():
        key = choice_key(word)
        if not key or is_blank(key):
            raise ValueError("同义词“%s”是空白，不能使用" % quoted(word))
        if code not in codes:
            raise ValueError("同义词“%s”对应的取值“%s”不存在" % (quoted(word), code))
        table[key] = str(code)
    return MappingProxyType(table)


CATEGORY_WORDS = choice_words(
    Project.Category.choices,
    {
        **dict.fromkeys(
            ["产业发展类", "产业发展", "产业", "产业帮扶", "产业合作"], Project.Category.INDUSTRY
        ),
        **dict.fromkeys(
            ["劳务协作", "劳务", "就业", "就业帮扶", "劳务协作类"], Project.Category.EMPLOYMENT
        ),
        **dict.fromkeys(["教育帮扶", "教育", "组团式教育帮扶"], Project.Category.EDUCATION),
        **dict.fromkeys(
            ["医疗帮扶", "医疗", "医疗卫生", "卫生健康", "组团式医疗帮扶"], Project.Category.HEALTH
        ),
        **dict.fromkeys(["消费帮扶", "消费"], Project.Category.CONSUMPTION),
        **dict.fromkeys(["基础设施建设", "基础设施"], Project.Category.INFRASTRUCTURE),
        **dict.fromkeys(
            ["乡村建设", "乡村振兴", "美丽乡村", "人居环境整治"], Project.Category.VILLAGE
        ),
        **dict.fromkeys(["社会帮扶", "社会力量帮扶"], Project.Category.SOCIAL),
        "其他": Project.Category.OTHER,
    },
)
STATUS_WORDS = choice_words(
    Project.Status.choices,
    {
        **dict.fromkeys(
            ["计划", "计划实施", "拟实施", "未开工", "待实施", "前期"], Project.Status.PLANNED
        ),
        **dict.fromkeys(
            ["在建", "实施中", "正在实施", "已开工", "建设中", "推进中"], Project.Status.BUILDING
        ),
        **dict.fromkeys(
            ["完工", "已完工", "已完成", "完成", "竣工", "已竣工"], Project.Status.COMPLETED
        ),
        **dict.fromkeys(["暂停", "暂缓", "停建", "中止", "缓建"], Project.Status.SUSPENDED),
    },
)
CATEGORY_LABELS = "、".join(label for _, label in Project.Category.choices)
STATUS_LABELS = "、".join(label for _, label in Project.Status.choices)


def read_choice(value, words, allowed):
    """The code a cell's word stands for in `words` (a table from choice_words or
    words_with), or None for a blank cell; `allowed` is what the error lists
    (CATEGORY_LABELS, STATUS_LABELS). A code alone, not (code, warnings): a word never
    needs a warning."""
    if not value:
        return None
    found = words.get(value)
    if found is not None:
        return found
    if is_blank(value):
        return None
    found = words.get(choice_key(value))
    if found is None:
        raise ValueError("未知的取值“%s”（可填：%s）" % (quoted(value), allowed))
    return found


# A header's final bracket, full- or half-width (or 【】, []), possibly "单位：万元".
OPENERS = "（(【["
CLOSERS = "）)】]"


def header_unit(header):
    """A header as (name, unit): "上海援助资金（万元）" is ("上海援助资金", "万元").

    Only a final bracket holding a unit counts (UNITS): "县（市、区）" has no unit. Read
    without a regular expression: a header cell may be as long as any cell.
    """
    name = header.strip()
    if not name or name[-1] not in CLOSERS or len(name) > SHORT_CHARS:
        return name, None
    opening = max(name.rfind(bracket) for bracket in OPENERS)
    before = name[:opening].rstrip() if opening > 0 else ""
    content = name[opening + 1 : -1]
    if not before or any(bracket in content for bracket in CLOSERS):
        return name, None
    unit = "".join(canonical(content).split())
    if unit.startswith("单位:"):
        unit = unit[3:]
    if unit not in UNITS:
        return name, None
    return before, unit
