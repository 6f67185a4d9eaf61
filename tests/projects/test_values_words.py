"""The words of projects.importers.words: categories and statuses as the brief lists them, the
synonyms staff add, and the unit a header names, which the number readers then take.

The properties' examples are derived from each test's name (derandomize), so the suite gives
the same answer every run.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projects.importers.words import (
    CATEGORY_LABELS,
    CATEGORY_WORDS,
    STATUS_LABELS,
    STATUS_WORDS,
    header_unit,
    read_choice,
    words_with,
)
from projects.models import Project

from .cell_readers import PROPERTY, count, money, refused

# Choices: the words as the brief lists them, written out here, not taken from the tables.

CATEGORY_SYNONYMS = {
    "industry": ["产业发展类", "产业发展", "产业", "产业帮扶", "产业合作"],
    "employment": ["劳务协作", "劳务", "就业", "就业帮扶", "劳务协作类"],
    "education": ["教育帮扶", "教育", "组团式教育帮扶"],
    "health": ["医疗帮扶", "医疗", "医疗卫生", "卫生健康", "组团式医疗帮扶"],
    "consumption": ["消费帮扶", "消费"],
    "infrastructure": ["基础设施建设", "基础设施"],
    "village": ["乡村建设", "乡村振兴", "美丽乡村", "人居环境整治"],
    "social": ["社会帮扶", "社会力量帮扶"],
    "other": ["其他"],
}
STATUS_SYNONYMS = {
    "planned": ["计划", "计划实施", "拟实施", "未开工", "待实施", "前期"],
    "building": ["在建", "实施中", "正在实施", "已开工", "建设中", "推进中"],
    "completed": ["完工", "已完工", "已完成", "完成", "竣工", "已竣工"],
    "suspended": ["暂停", "暂缓", "停建", "中止", "缓建"],
}
ALL_CATEGORY_LABELS = (
    "产业发展、劳务协作、教育帮扶、医疗帮扶、消费帮扶、基础设施、乡村建设、社会帮扶、其他"
)


def pairs(synonyms):
    return [(word, code) for code, words in synonyms.items() for word in words]


@pytest.mark.parametrize("word, expected", pairs(CATEGORY_SYNONYMS))
def test_category_words(word, expected):
    result = read_choice(word, CATEGORY_WORDS, CATEGORY_LABELS)
    assert result == expected
    assert type(result) is str


@pytest.mark.parametrize("word, expected", pairs(STATUS_SYNONYMS))
def test_status_words(word, expected):
    assert read_choice(word, STATUS_WORDS, STATUS_LABELS) == expected


@pytest.mark.parametrize("choice, label", Project.Category.choices)
def test_category_codes_and_labels(choice, label):
    for word in (choice, label, choice.upper()):
        assert read_choice(word, CATEGORY_WORDS, CATEGORY_LABELS) == choice


@pytest.mark.parametrize("choice, label", Project.Status.choices)
def test_status_codes_and_labels(choice, label):
    for word in (choice, label, choice.title()):
        assert read_choice(word, STATUS_WORDS, STATUS_LABELS) == choice


@pytest.mark.parametrize(
    "word, table, expected",
    [
        ("产业发展类项目", CATEGORY_WORDS, "industry"),
        ("产业发展项目", CATEGORY_WORDS, "industry"),
        ("产业类", CATEGORY_WORDS, "industry"),
        ("产 业 发 展", CATEGORY_WORDS, "industry"),
        ("教育帮扶\u3000类", CATEGORY_WORDS, "education"),
        ("ＩＮＤＵＳＴＲＹ", CATEGORY_WORDS, "industry"),
        ("基础设施建设类项目", CATEGORY_WORDS, "infrastructure"),
        ("在建项目", STATUS_WORDS, "building"),
        ("已竣工项目", STATUS_WORDS, "completed"),
    ],
)
def test_choice_ignores_spacing_width_and_suffixes(word, table, expected):
    assert read_choice(word, table, "") == expected


@pytest.mark.parametrize("word", ["xx", "类", "项目", "产业发展类类", "人才"])
def test_unknown_category(word):
    message = refused(read_choice, word, CATEGORY_WORDS, CATEGORY_LABELS)
    assert message == "未知的取值“%s”（可填：%s）" % (word, ALL_CATEGORY_LABELS)


def test_unknown_status_lists_the_labels():
    message = refused(read_choice, "已验收", STATUS_WORDS, STATUS_LABELS)
    assert message == "未知的取值“已验收”（可填：计划、在建、完工、暂停）"


def test_unknown_choice_is_quoted_short():
    message = refused(read_choice, "产" * 120, CATEGORY_WORDS, CATEGORY_LABELS)
    assert message.startswith("未知的取值“%s…”（可填：" % ("产" * 50))


@PROPERTY
@given(word=st.one_of(st.text(max_size=20), st.sampled_from(list(CATEGORY_WORDS)).map(str)))
def test_choice_refuses_any_word_with_a_value_error(word):
    try:
        found = read_choice(word, CATEGORY_WORDS, CATEGORY_LABELS)
    except ValueError as error:
        assert str(error).startswith("未知的取值“")
    else:
        assert found is None or found in Project.Category.values


def test_words_with_staff_synonyms():
    table = words_with(STATUS_WORDS, {"已验收": "completed", " 前期工作 类": "planned"})
    assert read_choice("已验收", table, STATUS_LABELS) == "completed"
    assert read_choice("已验收项目", table, STATUS_LABELS) == "completed"
    assert read_choice("前期工作", table, STATUS_LABELS) == "planned"
    assert read_choice("在建", table, STATUS_LABELS) == "building"
    # The built-in table is left as it was.
    with pytest.raises(ValueError):
        read_choice("已验收", STATUS_WORDS, STATUS_LABELS)
    with pytest.raises(TypeError):
        STATUS_WORDS["已验收"] = "completed"


def test_words_with_a_staff_word_replaces_a_built_in_one():
    table = words_with(CATEGORY_WORDS, {"产业": "other"})
    assert read_choice("产业", table, CATEGORY_LABELS) == "other"
    assert read_choice("产业", CATEGORY_WORDS, CATEGORY_LABELS) == "industry"


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"已验收": "accepted"}, "同义词“已验收”对应的取值“accepted”不存在"),
        ({" ": "completed"}, "同义词“ ”是空白，不能使用"),
        ({"无": "completed"}, "同义词“无”是空白，不能使用"),
    ],
)
def test_words_with_refuses(extra, message):
    with pytest.raises(ValueError) as caught:
        words_with(STATUS_WORDS, extra)
    assert str(caught.value) == message


# Headers


@pytest.mark.parametrize(
    "header, expected",
    [
        ("上海援助资金（万元）", ("上海援助资金", "万元")),
        ("上海援助资金(元)", ("上海援助资金", "元")),
        ("上海援助资金 ( 千元 )", ("上海援助资金", "千元")),
        ("上海援助资金（亿元）", ("上海援助资金", "亿元")),
        ("上海援助资金（单位：万元）", ("上海援助资金", "万元")),
        ("上海援助资金【万元】", ("上海援助资金", "万元")),
        (" 受益人数（人） ", ("受益人数", "人")),
        ("培训人次（人次）", ("培训人次", "人次")),
        ("带动户数(户)", ("带动户数", "户")),
        ("完成率（%）", ("完成率", "%")),
        ("完成率（％）", ("完成率", "%")),
        ("资金", ("资金", None)),
        ("县（市、区）", ("县（市、区）", None)),
        ("县（市、区）（个）", ("县（市、区）", "个")),
        ("项目名称（必填）", ("项目名称（必填）", None)),
        ("（万元）", ("（万元）", None)),
        ("资金（万元）备注", ("资金（万元）备注", None)),
    ],
)
def test_header_unit(header, expected):
    assert header_unit(header) == expected


@pytest.mark.parametrize(
    "header",
    [
        " " * 30000 + "（万元）",
        "资" + " " * 30000 + "（万元）",
        "(" * 30000 + "万元)",
        "资金（" * 10000,
    ],
)
def test_header_unit_of_a_huge_header_cell(header):
    assert header_unit(header) == (header.strip(), None)


def test_header_unit_feeds_the_readers():
    """A header's unit is what the readers take: 元 converts, 人 checks."""
    _, unit = header_unit("上海援助资金(元)")
    assert money("1234567", unit) == (Decimal("123.4567"), [])
    _, unit = header_unit("带动户数（户）")
    assert refused(count, "300人", unit) == "单位“人”与本列的单位“户”不符：“300人”"
