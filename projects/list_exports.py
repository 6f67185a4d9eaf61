"""The fund list (/funds/) and the park list (/parks/) as XLSX: the records the page's filters
and the user's scope show, every one of them (not a page), in the page's order, laid out as a
report (counties.sheets) with the totals the page shows in a 合计 row. One query for the
records whatever their number; the totals are summed as the rows are written."""

from counties import sheets
from counties.views import reader_required

from .filters import FundFilter, ParkFilter
from .models import ZERO, Fund
from .views import FundListView, ParkListView

CHUNK = 2000

FUND_COLUMNS = [
    sheets.Column("年度", sheets.YEAR),
    sheets.Column("州市", sheets.PLACE),
    sheets.Column("受援县市区", sheets.PLACE),
    sheets.Column("资金来源", sheets.TEXT, sheets.widest(Fund.Source.labels)),
    sheets.Column("出资单位", sheets.NAME),
    sheets.Column("文号", sheets.TEXT, 24),
    sheets.Column("金额（万元）", sheets.MONEY),
    sheets.Column("已分配（万元）", sheets.MONEY),
    sheets.Column("未分配（万元）", sheets.MONEY),
]

PARK_COLUMNS = [
    sheets.Column("园区名称", sheets.NAME),
    sheets.Column("州市", sheets.PLACE),
    sheets.Column("所在县市区", sheets.PLACE),
    sheets.Column("上海结对区", sheets.TEXT),
    sheets.Column("上海合作方", sheets.NAME),
    sheets.Column("设立年度", sheets.YEAR),
    sheets.Column("示范园区", sheets.TEXT),
    sheets.Column("最近年度", sheets.YEAR),
    sheets.Column("入驻企业（家）", sheets.COUNT),
    sheets.Column("企业到位投资（万元）", sheets.MONEY),
    sheets.Column("园区建设投资（万元）", sheets.MONEY),
    sheets.Column("带动就业（人）", sheets.COUNT),
]


@reader_required
def fund_export(request):
    """The filtered fund list, with its sums of 金额, 已分配 and 未分配."""
    filterset = sheets.filtered(request, FundListView.queryset, FundFilter)
    if not filterset.is_valid():
        return sheets.filter_refusal(filterset)
    title = sheets.filtered_title("资金", filterset)
    workbook = sheets.new_workbook()
    sheet = sheets.ReportSheet(workbook, "资金", FUND_COLUMNS, title=title)
    count, sums = 0, [ZERO, ZERO, ZERO]
    for fund in filterset.qs.iterator(chunk_size=CHUNK):
        amounts = [fund.amount, fund.allocated, fund.remaining]
        place = [fund.county.prefecture.name, fund.county.name]
        sheet.append(
            [fund.year, *place, fund.get_source_display(), fund.donor, fund.document, *amounts]
        )
        count += 1
        sums = [total + amount for total, amount in zip(sums, amounts, strict=True)]
    sheet.total(["合计（%d笔）" % count, *[None] * 5, *sums])
    return sheets.download(sheets.saved(workbook), "资金")


@reader_required
def park_export(request):
    """The filtered park list, each park with its latest yearly record (blank without one),
    with the sums of those records' enterprises, investment and jobs."""
    filterset = sheets.filtered(request, ParkListView.queryset, ParkFilter)
    if not filterset.is_valid():
        return sheets.filter_refusal(filterset)
    title = sheets.filtered_title("沪滇共建产业园区", filterset)
    workbook = sheets.new_workbook()
    sheet = sheets.ReportSheet(workbook, "共建产业园区", PARK_COLUMNS, title=title)
    count, sums = 0, [0, ZERO, ZERO, 0]
    for park in filterset.qs.iterator(chunk_size=CHUNK):
        figures = [park.enterprises, park.investment, park.construction_investment, park.jobs]
        partner = park.partner_district.name if park.partner_district else None
        sheet.append(
            [
                park.name,
                park.county.prefecture.name,
                park.county.name,
                partner,
                park.partner_name,
                park.year_founded,
                "是" if park.is_demonstration else "否",
                park.latest_year,
                *figures,
            ]
        )
        count += 1
        sums = [total + (figure or 0) for total, figure in zip(sums, figures, strict=True)]
    sheet.total(["合计（%d个园区）" % count, *[None] * 7, *sums])
    return sheets.download(sheets.saved(workbook), "共建产业园区")
