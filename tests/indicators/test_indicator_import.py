"""The indicator report (协作指标报表) import: the level from the place cells filled, every
error with its row and column, all or nothing, blank cells that keep what is stored, counts,
batches, the audit trail, scopes, and the command's contract."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import execute_from_command_line
from django.db import connections

from counties.models import AuditEntry, County, Scope
from indicators.importers.writing import import_indicator_report
from indicators.models import IndicatorFigure
from projects.importers import ImportFailed, RollbackRefused, rollback_batch
from projects.models import ImportBatch

from .indicator_files import HEADERS, csv_bytes, refused, run, write, xlsx_bytes

# One row of each level; full-width digits, a thousands separator, the name with its unit.
GOOD_ROWS = [
    ["2023", "", "", "", "fiscal_aid", "12,000", "11500.5", "全省合计"],
    ["2023", "普洱市", "", "", "帮助农村劳动力就业（人）", "5000", "", ""],
    ["2023", "普洱市", "澜沧拉祜族自治县", "", "labour_jobs", "1200", "1350", "超额完成"],
    ["2023", "", "", "黄浦区", "到上海就业", "３００", "", ""],
]
GOOD_XLSX_ROWS = [
    [2023, None, None, None, "fiscal_aid", 12000, 11500.5, "全省合计"],
    [2023, "普洱市", None, None, "帮助农村劳动力就业(人)", 5000, None, None],
    [2023, "普洱市", "澜沧拉祜族自治县", None, "labour_jobs", 1200, 1350, "超额完成"],
    [2023, None, None, "310101", "到上海就业", 300, None, None],
]
STORED = {
    ("fiscal_aid", "province", "全省"): (Decimal("12000"), Decimal("11500.5"), "全省合计"),
    ("labour_jobs", "prefecture", "普洱市"): (Decimal("5000"), None, ""),
    ("labour_jobs", "county", "澜沧拉祜族自治县"): (Decimal("1200"), Decimal("1350"), "超额完成"),
    ("labour_shanghai", "pairing", "黄浦区"): (Decimal("300"), None, ""),
}
NEXT_YEAR = datetime.date.today().year + 1
UNKNOWN = "（请填写指标代码或名称，见模板中的“填写说明”表）"


@pytest.fixture
def cast(county, menghai, district, indicators):
    """普洱市 with 澜沧, 西双版纳 with 勐海, 黄浦区, and the catalogue."""
    return indicators


def stored():
    """Every figure as (indicator code, level, place name): (target, result, note)."""
    return {
        (f.indicator.code, f.level, f.place_name): (f.target, f.result, f.note)
        for f in IndicatorFigure.objects.with_place()
    }


def counts():
    return (
        IndicatorFigure.objects.count(),
        ImportBatch.objects.count(),
        AuditEntry.objects.count(),
    )


def imported(content, name="指标.csv", **options):
    return import_indicator_report(files=[(name, io.BytesIO(content))], **options)


def errors_of(content, name="指标.csv", **options):
    with pytest.raises(ImportFailed) as failure:
        imported(content, name, **options)
    return failure.value.errors


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("指标.csv", csv_bytes(GOOD_ROWS, title="2023年度沪滇协作指标完成情况")),
        ("指标.csv", csv_bytes(GOOD_ROWS, encoding="gb18030")),
        ("指标.xlsx", xlsx_bytes(GOOD_XLSX_ROWS, title="2023年度沪滇协作指标完成情况")),
    ],
    ids=["utf-8-bom", "gb18030", "xlsx"],
)
def test_a_good_file_writes_figures_of_every_level(cast, name, content):
    report = imported(content, name)

    assert report.summary == "created=4 updated=0 unchanged=0"
    assert stored() == STORED
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.channel, batch.rows, batch.created) == (
        "indicator_report",
        "command",
        4,
        4,
    )
    assert set(IndicatorFigure.objects.values_list("import_batch", flat=True)) == {batch.pk}


def test_the_preview_lists_what_the_file_does(cast):
    report = imported(csv_bytes(GOOD_ROWS), dry_run=True)

    assert report.files[0].preview == [
        (2, "new", "上海财政援助资金", 2023, "全省", "12000", "11500.5"),
        (3, "new", "帮助农村劳动力就业", 2023, "普洱市", "5000", ""),
        (4, "new", "帮助农村劳动力就业", 2023, "澜沧拉祜族自治县", "1200", "1350"),
        (5, "new", "到上海就业", 2023, "黄浦区", "300", ""),
    ]


def test_a_dry_run_counts_and_writes_nothing(cast):
    report = imported(csv_bytes(GOOD_ROWS), dry_run=True)

    assert report.summary == "created=4 updated=0 unchanged=0"
    assert counts() == (0, 0, 0)


def test_english_headers_and_unknown_columns_are_accepted(cast):
    header = ["Year", "County", "序号", "indicator", "TARGET", "result"]
    content = csv_bytes([["2023", "530828", "1", "labour_jobs", "10", "12"]], header=header)

    imported(content)

    assert stored() == {
        ("labour_jobs", "county", "澜沧拉祜族自治县"): (Decimal("10"), Decimal("12"), "")
    }


def test_a_bad_file_lists_every_error_and_writes_nothing(cast):
    imported(csv_bytes([GOOD_ROWS[0]]))
    before = counts()
    rows = [
        ["2023", "", "", "", "teleportation", "1", "", ""],
        ["2023", "普洱市", "", "", "labour_jobs", "abc", "", ""],
        ["2023", "普洱市", "澜沧拉祜族自治县", "", "labour_jobs", "", "-5", ""],
        ["2023", "普洱市", "勐海县", "", "labour_jobs", "1", "", ""],
        ["2023", "", "澜沧拉祜族自治县", "", "labour_poor", "", "", "只有备注"],
        ["2023", "", "澜沧拉祜族自治县", "", "trained", "10", "", ""],
        ["2023", "普洱市", "530828", "", "培训农村劳动力和干部人才", "", "20", ""],
        ["2023", "", "澜沧拉祜族自治县", "黄浦区", "labour_jobs", "1", "", ""],
        ["1995", "", "", "火星区", "labour_jobs", "1.23456", "", ""],
    ]

    errors = errors_of(csv_bytes(rows))

    assert errors == [
        "第2行 指标：未知的指标“teleportation”" + UNKNOWN,
        "第3行 协议数：不是数字：“abc”",
        "第4行 完成数：不能为负数：“-5”",
        "第5行 州市：县市区“勐海县”不属于“普洱市”",
        "第6行 协议数：协议数和完成数至少填写一项",
        "第8行 指标：与第7行重复：同一指标、年度和地点只能填写一行",
        "第9行 上海结对区：上海结对区不能与州市或县市区同时填写",
        "第10行 年度：年度须为1996至%d之间的整数，而不是“1995”" % NEXT_YEAR,
        "第10行 上海结对区：未知的上海结对区“火星区”",
        "第10行 协议数：最多4位小数：“1.23456”",
    ]
    assert counts() == before


def test_the_error_names_the_column_as_the_file_writes_it(cast):
    header = ["year", "county", "indicator", "target", "result"]

    errors = errors_of(csv_bytes([["2023", "530828", "labour_jobs", "", ""]], header=header))

    assert errors == ["第2行 target：协议数和完成数至少填写一项"]


def test_a_row_repeated_in_another_file_names_the_first(cast):
    a = csv_bytes([GOOD_ROWS[2]])
    b = csv_bytes([["2023", "", "530828", "", "帮助农村劳动力就业", "", "1400", ""]])

    with pytest.raises(ImportFailed) as failure:
        import_indicator_report(files=[("a.csv", io.BytesIO(a)), ("b.csv", io.BytesIO(b))])

    assert failure.value.errors == [
        "b.csv 第2行 指标：与a.csv 第2行重复：同一指标、年度和地点只能填写一行"
    ]
    assert counts() == (0, 0, 0)


def test_a_file_without_its_header_or_number_columns_is_refused(cast):
    no_header = csv_bytes([["2023", "labour_jobs", "1"]], header=["甲", "乙", "丙"])
    no_numbers = csv_bytes([["2023", "labour_jobs"]], header=["年度", "指标"])

    assert errors_of(no_header) == ["未找到表头：前15行中没有“年度”“指标”等列名。"]
    assert errors_of(no_numbers) == ["缺少列：“协议数”和“完成数”至少要有一列。"]


def test_reimporting_the_same_file_changes_nothing(cast):
    content = csv_bytes(GOOD_ROWS)
    imported(content)
    figures = list(IndicatorFigure.objects.values_list("pk", "updated_at", "import_batch"))
    entries = AuditEntry.objects.count()

    report = imported(content)

    assert report.summary == "created=0 updated=0 unchanged=4"
    assert list(IndicatorFigure.objects.values_list("pk", "updated_at", "import_batch")) == figures
    assert AuditEntry.objects.count() == entries


def test_blank_cells_keep_the_stored_values(cast):
    spring = csv_bytes(
        [["2023", "", "澜沧拉祜族自治县", "", "labour_jobs", "1200", "", "年初协议"]]
    )
    autumn = csv_bytes([["2023", "", "澜沧拉祜族自治县", "", "labour_jobs", "", "1,350", ""]])
    first = imported(spring).files[0].batch

    report = imported(autumn)

    assert report.summary == "created=0 updated=1 unchanged=0"
    assert stored() == {
        ("labour_jobs", "county", "澜沧拉祜族自治县"): (
            Decimal("1200"),
            Decimal("1350"),
            "年初协议",
        )
    }
    figure = IndicatorFigure.objects.get()
    second = report.files[0].batch
    assert figure.import_batch == second
    entry = AuditEntry.objects.filter(object_id=str(figure.pk)).order_by("pk").last()
    assert (entry.action, entry.channel, entry.import_batch_id) == ("change", "command", second.pk)
    assert entry.changes == {"result": [None, "1350"], "import_batch": [first.pk, second.pk]}
    assert entry.object_repr == "2023年 澜沧拉祜族自治县 帮助农村劳动力就业"


def test_each_new_figure_has_its_audit_entry(cast):
    batch = imported(csv_bytes(GOOD_ROWS[2:3])).files[0].batch

    figure = IndicatorFigure.objects.get()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.import_batch_id) == (
        "create",
        str(figure.pk),
        batch.pk,
    )
    assert entry.changes == {
        "indicator": [None, "labour_jobs 帮助农村劳动力就业"],
        "year": [None, 2023],
        "level": [None, "county"],
        "county": [None, "530828 澜沧拉祜族自治县"],
        "target": [None, "1200"],
        "result": [None, "1350"],
        "note": [None, "超额完成"],
    }
    labels = {label for label, _, _ in entry.changed_fields()}
    assert labels == {"指标", "年度", "层级", "县市区", "协议数", "完成数", "备注"}


def test_an_indicator_batch_cannot_be_undone(cast, admin_user):
    batch = imported(csv_bytes(GOOD_ROWS)).files[0].batch

    with pytest.raises(RollbackRefused) as refusal:
        rollback_batch(batch=batch, user=admin_user)

    assert (
        str(refusal.value)
        == "只能撤销项目年度报表和各名册的导入；协作指标报表的数据请在管理后台逐条修改。"
    )
    assert IndicatorFigure.objects.count() == 4


# Scope


@pytest.fixture
def lancang_user(cast, county):
    """A user whose scope is 澜沧 alone; 普洱市 also holds 孟连."""
    County.objects.create(
        code="530827", name="孟连傣族拉祜族佤族自治县", prefecture=county.prefecture
    )
    user = User.objects.create_user("lancang")
    Scope.objects.create(user=user).counties.set([county])
    return user


def test_a_user_imports_the_figures_of_their_counties(lancang_user):
    report = imported(csv_bytes(GOOD_ROWS[2:3]), user=lancang_user)

    assert report.summary == "created=1 updated=0 unchanged=0"


def test_places_outside_the_scope_are_refused(lancang_user):
    rows = [
        GOOD_ROWS[2],
        ["2023", "", "勐海县", "", "labour_jobs", "1", "", ""],
        ["2023", "普洱市", "", "", "labour_jobs", "1", "", ""],
        ["2023", "", "", "", "labour_jobs", "1", "", ""],
        ["2023", "", "", "黄浦区", "labour_jobs", "1", "", ""],
    ]

    errors = errors_of(csv_bytes(rows), user=lancang_user)

    assert errors == [
        "第3行 县市区：“勐海县”不在您的数据范围内",
        "第4行 州市：“普洱市”不在您的数据范围内",
        "第5行 州市：全省和上海区结对的指标须由数据范围为全省的用户导入",
        "第6行 上海结对区：全省和上海区结对的指标须由数据范围为全省的用户导入",
    ]
    assert counts() == (0, 0, 0)


def test_a_prefecture_whose_counties_are_all_in_the_scope_may_be_imported(cast, menghai):
    user = User.objects.create_user("banna")
    Scope.objects.create(user=user).prefectures.set([menghai.prefecture])
    rows = [["2023", "西双版纳傣族自治州", "", "", "labour_jobs", "10", "", ""]]

    imported(csv_bytes(rows), user=user)

    assert stored() == {("labour_jobs", "prefecture", "西双版纳傣族自治州"): (10, None, "")}


def test_a_province_wide_user_imports_every_level(cast):
    user = User.objects.create_user("province")
    Scope.objects.create(user=user, everywhere=True)

    assert imported(csv_bytes(GOOD_ROWS), user=user).summary == "created=4 updated=0 unchanged=0"


# The command


def test_the_command_prints_a_line_per_file_and_the_counts_last(cast, tmp_path):
    spring = write(tmp_path, "春季.csv", csv_bytes(GOOD_ROWS[:2]))
    autumn = write(tmp_path, "年底.xlsx", xlsx_bytes(GOOD_XLSX_ROWS[2:]))

    lines = run(spring, autumn)

    first, second = ImportBatch.objects.order_by("pk")
    assert lines == [
        "春季.csv：2行，新增2，更新0，未变0（导入批次 %d）" % first.pk,
        "年底.xlsx：2行，新增2，更新0，未变0（导入批次 %d）" % second.pk,
        "created=4 updated=0 unchanged=0",
    ]
    entry = AuditEntry.objects.filter(import_batch_id=second.pk).first()
    assert (entry.channel, entry.user) == ("command", None)


def test_the_command_dry_run_writes_nothing(cast, tmp_path):
    lines = run(write(tmp_path, "指标.csv", csv_bytes(GOOD_ROWS)), dry_run=True)

    assert lines == [
        "指标.csv：4行，新增4，更新0，未变0（未写入，试运行）",
        "created=4 updated=0 unchanged=0",
    ]
    assert counts() == (0, 0, 0)


def test_the_command_lists_every_error_and_fails(cast, tmp_path):
    rows = [["2023", "", "", "", "teleportation", "1", "", ""], GOOD_ROWS[1], GOOD_ROWS[1]]

    lines, message = refused(write(tmp_path, "错.csv", csv_bytes(rows)))

    assert lines == [
        "第2行 指标：未知的指标“teleportation”" + UNKNOWN,
        "第4行 指标：与第3行重复：同一指标、年度和地点只能填写一行",
    ]
    assert message == "导入失败：共2处错误，未写入任何数据。"
    assert counts() == (0, 0, 0)


def test_the_command_exits_non_zero_on_failure(cast, tmp_path, capsys, monkeypatch):
    # As from a shell; run_from_argv closes every connection when done, and with it the test's.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    good = write(tmp_path, "good.csv", csv_bytes(GOOD_ROWS))
    bad = write(tmp_path, "bad.csv", csv_bytes([["2023", "", "", "", "x", "1", "", ""]]))

    execute_from_command_line(["manage.py", "import_indicator_report", "--quiet", good])
    assert capsys.readouterr().out.splitlines()[-1] == "created=4 updated=0 unchanged=0"
    with pytest.raises(SystemExit) as exit_status:
        execute_from_command_line(["manage.py", "import_indicator_report", "--quiet", bad])

    assert exit_status.value.code != 0
    assert "第2行 指标：未知的指标“x”" in capsys.readouterr().err
    assert IndicatorFigure.objects.count() == 4


def test_the_headers_are_the_templates(cast):
    # The tests' own list pins the format; it must be what the template offers.
    from indicators.importers.rows import HEADERS as TEMPLATE_HEADERS

    assert TEMPLATE_HEADERS == HEADERS
