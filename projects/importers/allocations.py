"""The fund allocations registry (资金分配): a row names its project by code and its fund by the
fund's year and source in the project's county (and donor and document, where one county has
several such funds); the file's allocations must fit their funds and the projects' 上海援助资金
together, as the admin's rules say for each (FundAllocation.clean)."""

from django.db.models import Sum

from counties.templatetags.money import plain

from ..models import (
    SHANGHAI_SOURCES,
    ZERO,
    Fund,
    FundAllocation,
    ImportBatch,
    Project,
    beyond_shanghai_funds,
)
from .columns import ReportColumn
from .fields import field_column
from .parsing import quoted
from .registry import Registry
from .rows import parse_code, parse_money


def parse_project(reader, raw, value, values):
    code = parse_code(reader, raw, value, values)
    projects = reader.extra.setdefault("projects", {})
    if code not in projects:
        projects[code] = Project.objects.select_related("county").filter(code=code).first()
    if projects[code] is None:
        raise ValueError("未登记的项目编号“%s”" % quoted(code))
    return projects[code]


FUND_CELLS = [
    ("fund_year", "资金年度", lambda a: a.fund.year),
    ("fund_source", "资金来源", lambda a: a.fund.get_source_display()),
    ("fund_donor", "出资单位", lambda a: a.fund.donor or None),
    ("fund_document", "文号", lambda a: a.fund.document or None),
]


def allocation_columns():
    fund_fields = ("year", "source", "donor", "document")
    year, source, donor, document = (field_column(Fund, name) for name in fund_fields)
    read_only = []
    for (key, header, export), column in zip(
        FUND_CELLS, (year, source, donor, document), strict=True
    ):
        read_only.append(
            ReportColumn(
                key,
                header,
                column.parse,
                required=column.required,
                export=export,
                rule=column.rule,
                width=column.width,
            )
        )
    return [
        ReportColumn(
            "project",
            "项目编号",
            parse_project,
            required=True,
            field="project",
            export=lambda a: a.project.code,
            rule="已登记的项目的编号",
            width=22,
            text_format=True,
        ),
        *read_only,
        ReportColumn(
            "amount",
            "分配金额（万元）",
            parse_money,
            required=True,
            aliases=("分配金额", "金额"),
            field="amount",
            unit="万元",
            export=lambda a: a.amount,
            rule="不小于0的数，单位万元",
        ),
    ]


def allocation_checks(reader, values):
    """The fund the row names: the project's county's fund of that year and source (and
    donor and document, where written)."""
    project = values.get("project")
    if project is None or any(values.get(key) is None for key, *_ in FUND_CELLS[:2]):
        return  # a cell of them is refused already (blank or unreadable)
    funds = reader.extra.setdefault("funds", {})
    if project.county_id not in funds:
        funds[project.county_id] = list(Fund.objects.filter(county_id=project.county_id))
    wanted = (values["fund_year"], values["fund_source"])
    found = [f for f in funds[project.county_id] if (f.year, f.source) == wanted]
    for key, name in (("fund_donor", "donor"), ("fund_document", "document")):
        if values.get(key):
            found = [f for f in found if getattr(f, name) == values[key]]
    if len(found) == 1:
        values["fund"] = found[0]
        return
    what = "%d年%s" % (values["fund_year"], Fund.Source(values["fund_source"]).label)
    if found:
        yield (
            "fund_donor",
            "%s有%d笔%s资金，请填写出资单位或文号以区分"
            % (
                project.county.name,
                len(found),
                what,
            ),
        )
    else:
        yield "fund_year", "%s没有%s资金（请先登记资金）" % (project.county.name, what)


def allocations_together(records):
    """What a file's allocations break together that each alone does not: a fund allocated
    beyond its amount, a project given more Shanghai funds than its 上海援助资金 (the rules
    of FundAllocation.clean, over the stored allocations and the file's)."""
    written = [record.pk for record, _ in records if record.pk]
    by_fund, by_project = {}, {}
    for record, line in records:
        by_fund.setdefault(record.fund_id, []).append((record, line))
        if record.fund.source in SHANGHAI_SOURCES:
            by_project.setdefault(record.project_id, []).append((record, line))
    others = FundAllocation.objects.exclude(pk__in=written)
    fund_others = dict(
        others.filter(fund__in=list(by_fund))
        .values("fund")
        .annotate(total=Sum("amount"))
        .values_list("fund", "total")
    )
    for entries in by_fund.values():
        fund = entries[0][0].fund
        total = fund_others.get(fund.pk, ZERO) + sum((r.amount for r, _ in entries), ZERO)
        if total > fund.amount:
            line = entries[-1][1]
            yield (
                line,
                "amount",
                "超出资金总额：%s共%s万元，已分配和本文件分配合计%s万元"
                % (
                    fund,
                    plain(fund.amount),
                    plain(total),
                ),
            )
    project_others = dict(
        others.filter(project__in=list(by_project), fund__source__in=SHANGHAI_SOURCES)
        .values("project")
        .annotate(total=Sum("amount"))
        .values_list("project", "total")
    )
    for entries in by_project.values():
        project = entries[0][0].project
        total = project_others.get(project.pk, ZERO) + sum((r.amount for r, _ in entries), ZERO)
        refusal = beyond_shanghai_funds(project, total)
        if refusal:
            yield entries[-1][1], "amount", refusal.rstrip("。")


ALLOCATIONS = Registry(
    kind=ImportBatch.Kind.ALLOCATIONS,
    name="资金分配",
    model=FundAllocation,
    columns=allocation_columns(),
    key=("project", "fund"),
    derived=("fund",),
    intro="每行一笔资金分配给一个项目的金额。资金按项目所在县市区的“资金年度＋资金来源”找到，"
    "同年同来源有多笔时再按出资单位、文号区分；按“项目编号＋资金”找到已登记的分配：找到则更新金额，找不到则新增。",
    check=allocation_checks,
    check_records=allocations_together,
    export_related=("fund", "project"),
    preview=("project", "fund", "amount"),
)
