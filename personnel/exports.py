"""The cadre list (/personnel/) as XLSX: the cadres the page's filters and the user's scope
show, every one of them (not a page), in the page's order, laid out as a report
(counties.sheets) with the page's count in a 合计 row; one query whatever their number."""

from counties import sheets
from counties.views import reader_required

from .filters import CadreFilter
from .models import Cadre
from .views import CadreListView

CHUNK = 2000
ON_POST = "在岗"  # a term without an end, as the page writes it

COLUMNS = [
    sheets.Column("姓名", sheets.TEXT),
    sheets.Column("类别", sheets.TEXT, sheets.widest(Cadre.Kind.labels)),
    sheets.Column("组团式帮扶", sheets.TEXT, sheets.widest(Cadre.Team.labels)),
    sheets.Column("批次", sheets.TEXT, 20),
    sheets.Column("派驻州市", sheets.PLACE),
    sheets.Column("派驻县市区", sheets.PLACE),
    sheets.Column("在滇挂职岗位", sheets.NAME),
    sheets.Column("上海派出单位", sheets.NAME),
    sheets.Column("任期开始", sheets.DATE),
    sheets.Column("任期结束", sheets.DATE),
]


@reader_required
def export(request):
    """The filtered cadre list; a cadre posted to a prefecture has no 县市区."""
    filterset = sheets.filtered(request, CadreListView.queryset, CadreFilter)
    if not filterset.is_valid():
        return sheets.filter_refusal(filterset)
    title = sheets.filtered_title("援滇干部人才", filterset)
    workbook = sheets.new_workbook()
    sheet = sheets.ReportSheet(workbook, "援滇干部人才", COLUMNS, title=title)
    count = 0
    for cadre in filterset.qs.iterator(chunk_size=CHUNK):
        prefecture = cadre.county.prefecture if cadre.county else cadre.prefecture
        sheet.append(
            [
                cadre.name,
                cadre.get_kind_display(),
                cadre.get_team_display() or None,
                str(cadre.batch) if cadre.batch else None,
                prefecture.name,
                cadre.county.name if cadre.county else None,
                cadre.post,
                cadre.sending_unit,
                cadre.term_start,
                cadre.term_end or ON_POST,
            ]
        )
        count += 1
    sheet.total(["合计（%d人）" % count])
    return sheets.download(sheets.saved(workbook), "援滇干部人才")
