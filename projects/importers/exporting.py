"""Writing projects in the yearly report format, so that an export imports back unchanged,
and what every XLSX hujin writes shares: safe cells, the 填写说明 sheet, the temporary file."""

import csv
import datetime
import re
import tempfile

from ..models import plain
from .parsing import neutralise
from .rows import COLUMNS, HEADERS

CSV_CHUNK = 2000
# What an XLSX cell's text cannot hold raw: control characters (tab and LF aside) and CR.
ESCAPED = re.compile("[\x00-\x08\x0b-\x1f]")


def cells(project):
    """One project as the template's cells; the project must come with its county and
    prefecture (Project.objects.with_place())."""
    return [
        project.code,
        project.name,
        project.year,
        project.county.prefecture.name,
        project.county.name,
        project.get_category_display(),
        project.get_status_display(),
        project.shanghai_funds,
        project.other_funds,
        project.beneficiaries,
        project.start_date,
        project.end_date,
        project.notes,
    ]


def csv_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "as_tuple"):  # Decimal
        return plain(value)
    return neutralise(value)


class Line:
    """A file-like that hands back what csv.writer writes, for streaming."""

    def write(self, value):
        return value


def csv_lines(projects):
    """UTF-8 with BOM (so Excel opens it as Chinese), CRLF, one project a line."""
    writer = csv.writer(Line())
    yield "\ufeff" + writer.writerow(HEADERS)
    for project in projects.iterator(chunk_size=CSV_CHUNK):
        yield writer.writerow([csv_text(value) for value in cells(project)])


def xlsx_file(projects):
    """The projects (None: none, for the blank template) as an XLSX workbook in a temporary
    file, written in streaming mode, with a sheet of the format's rules."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("项目年度报表")
    sheet.append(HEADERS)

    def cell(value):
        if isinstance(value, datetime.date):
            date_cell = WriteOnlyCell(sheet, value)
            date_cell.number_format = "yyyy-mm-dd"
            return date_cell
        return xlsx_value(value)

    for project in projects.iterator(chunk_size=CSV_CHUNK) if projects is not None else ():
        sheet.append([cell(value) for value in cells(project)])
    guide_sheet(workbook, COLUMNS, RULES)
    return saved(workbook)


def xlsx_value(value):
    """A value as an XLSX cell may safely hold it: text that Excel would run as a formula is
    neutralised (every text cell hujin writes goes through here or csv_text), control
    characters escaped; numbers and dates unchanged."""
    value = neutralise(value)
    if isinstance(value, str) and ESCAPED.search(value):
        # XML turns a raw CR into LF and cannot hold other control characters (openpyxl
        # refuses them); Excel writes them as _xHHHH_, and so do we. The import reads them
        # back.
        value = ESCAPED.sub(lambda match: "_x%04X_" % ord(match.group()), value)
    return value


def safe_row(values):
    """A row of xlsx_value cells, for sheet.append()."""
    return [xlsx_value(value) for value in values]


def guide_sheet(workbook, columns, rules):
    """The 填写说明 sheet of a template: each column's header, alias, whether it is required
    and its rule. Returns the sheet, for more to be added below."""
    guide = workbook.create_sheet("填写说明")
    guide.append(["列名", "英文别名", "是否必填", "说明"])
    for column, rule in zip(columns, rules, strict=True):
        guide.append(
            safe_row([column.header, column.key, "必填" if column.required else "选填", rule])
        )
    return guide


def saved(workbook):
    """The workbook written to a temporary file, rewound for the response (which closes it)."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 the response closes it
    workbook.save(output)
    output.seek(0)
    return output


RULES = [
    "项目的唯一编号；同一文件中不得重复",
    "",
    "1996年至次年之间的年份",
    "官方名称或6位区划代码；填写时须包含所填县市区",
    "官方名称或6位区划代码",
    "产业发展、劳务协作、教育帮扶、医疗帮扶、消费帮扶、基础设施、乡村建设、社会帮扶、其他（或对应英文代码）",
    "计划、在建、完工、暂停（或对应英文代码）",
    "不小于0的数，单位万元，最多4位小数",
    "不小于0的数，单位万元；留空为0",
    "不小于0的整数",
    "日期，如2022-03-01、2022/3/1或2022年3月1日",
    "日期，不早于开工日期",
    "",
]
