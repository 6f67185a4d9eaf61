"""Reading the report sheets of one workbook, for running.validate: which sheets hold the
report, its table in each (header rows, layouts), and every row of it as a record to keep
or refuse, with the 合计 and 小计 rows checked, footers, hidden rows and the export's last
line told in notices."""

from typing import NamedTuple

from ..models import plain
from .parsing import FileError, text
from .tables import (
    EXPORT_END,
    HEADER_SEARCH_ROWS,
    MissingColumns,
    fill_merged,
    find_table,
    is_report_sheet_name,
    marker,
    read_head,
)

MAX_SHEETS = 256


class Row(NamedTuple):
    """A valid record, as validate() yields it."""

    file_index: int
    sheet_index: int
    number: int  # its row in the sheet
    values: dict  # by column key
    cleared: set  # the keys of the optional columns whose cell said （清空）


def place(file_index, sheet_index, number):
    """Where a record was read, as one small int (MAX_SHEETS fit in its 8 bits)."""
    return file_index << 40 | sheet_index << 32 | number


class SheetReading:
    """Reads the report sheets of one workbook: see validate."""

    def __init__(
        self, index, workbook, file_report, names, reader, findings, seen, prefix, layouts
    ):
        self.index, self.workbook, self.file_report = index, workbook, file_report
        self.layouts = layouts
        self.names, self.reader = names, reader
        self.findings, self.seen, self.file_prefix = findings, seen, prefix
        self.several_sheets = len(workbook.sheets) > 1

    def prefix(self, sheet_index):
        return self.file_report.line_prefix(sheet_index, bool(self.file_prefix))

    def run(self, files, progress):
        self.files = files
        if len(self.workbook.sheets) > MAX_SHEETS:
            raise FileError(
                "工作簿中有%d个工作表，超过%d个，请拆分后再导入。"
                % (len(self.workbook.sheets), MAX_SHEETS)
            )
        found = 0
        looked = []
        for position, sheet in enumerate(self.workbook.sheets):
            if sheet.hidden:
                self.findings.remark(
                    "notice",
                    "工作表",
                    "%s工作表“%s”已隐藏，未导入" % (self.file_prefix, sheet.name),
                )
                continue
            if self.several_sheets and not is_report_sheet_name(sheet.name):
                self.findings.remark(
                    "notice",
                    "工作表",
                    "%s工作表“%s”是说明或代码表，未导入" % (self.file_prefix, sheet.name),
                )
                continue
            looked.append(sheet.name)
            rows = sheet.rows()
            try:
                head, remembered = read_head(iter(rows), sheet.merged)
                result = None
                for layout in self.layouts:
                    result = result or layout(head, self.names, remembered)
                result = result or find_table(head, self.names, remembered)
            except FileError as error:
                for message in error.messages:
                    self.findings.error(self.prefix(position) + message)
                if isinstance(error, MissingColumns):
                    self.findings.unmatched.append((sheet.name, error))
                continue
            if result is None:
                if self.several_sheets:
                    self.findings.remark(
                        "notice",
                        "工作表",
                        "%s工作表“%s”中没有找到报表表头，未导入" % (self.file_prefix, sheet.name),
                    )
                continue
            found += 1
            table, head_rest = result
            yield from self.read_table(files, progress, sheet, position, rows, table, head_rest)
        if not found and not self.findings.count:
            # The columns a header row is known by: those marked so (the yearly report's
            # 项目编号 and 县市区), else the first required ones (a registry's).
            columns = self.names.columns
            named = [c for c in columns if c.hint] or [c for c in columns if c.required][:3]
            hints = "".join("“%s”" % c.header for c in named or columns[:3])
            where = "前%d行" % HEADER_SEARCH_ROWS
            if self.several_sheets:
                where = "工作表%s的%s" % ("、".join("“%s”" % n for n in looked), where)
            raise FileError("未找到表头：%s中没有%s等列名。" % (where, hints))

    def read_table(self, files, progress, sheet, sheet_index, rows, table, head_rest):
        """Reads a sheet's table; `sheet_index` is the sheet's place in the workbook's list."""
        findings, prefix = self.findings, self.prefix(sheet_index)
        # From here on, a row holds only the cells up to the header's last column.
        rows.width = table.width
        self.file_report.labels = self.file_report.labels or table.labels
        row_reader = self.reader(table)
        for level, message in row_reader.table_remarks:
            findings.remark(level, "表头", prefix + message)
        for message in table.notices:
            findings.remark("notice", "表头", prefix + message)
        headers = {column.key: column.header for column in self.names.columns}
        for key, (index, label, _) in table.positions.items():
            if index is not None and self.names.is_saved(label):
                findings.remark(
                    "notice",
                    "表头",
                    "%s第%d行表头“%s”按%s保存的表头对应读作“%s”"
                    % (prefix, table.header_row, label, self.names.sender, headers[key]),
                )
        if table.unread:
            findings.remark(
                "notice",
                "表头",
                "%s第%d行表头中以下列不属于本报表，未导入：%s"
                % (prefix, table.header_row, "、".join(table.unread)),
            )
        header = row_reader.table.header[: table.width]
        merged = [m for m in sheet.merged if m[2] > table.header_row]
        remembered = table.merged_values
        probe = [table.positions[k][0] for k in ("code", "name", "county") if k in table.positions]
        sums = Sums([c for c, *_ in row_reader.plan if c.summed])

        def rest():
            yield from head_rest
            yield from rows

        before = self.file_report.rows
        for number, cells, hidden in rest():
            if merged:
                cells = list(cells)
                fill_merged(number, cells, merged, remembered)
            if is_empty(cells):
                continue
            if hidden:
                findings.remark("notice", "隐藏行", "%s第%d行已隐藏，未导入" % (prefix, number))
                continue
            kind = marker(cells, probe)
            if kind == "footer":
                findings.remark(
                    "notice",
                    "表尾",
                    "%s第%d行是表尾（填报人、审核人等），未导入" % (prefix, number),
                )
                continue
            if kind == "end":
                self.export_end(number, cells, prefix, read=self.file_report.rows - before)
                continue
            if kind is not None:
                sums.check(kind, number, cells, row_reader, findings, prefix)
                continue
            for record in table.expand(number, cells) if table.expand else (cells,):
                self.file_report.rows += 1
                kept = self.read_record(
                    row_reader, header, prefix, sheet_index, number, record, sums
                )
                if kept is not None:
                    yield kept
                progress("已校验", files[self.index].name, self.file_report.rows)

    def export_end(self, number, cells, prefix, read):
        """The last line of hujin's export: a notice, and a warning if it counts otherwise
        than the rows above (rows taken out on purpose, or a file cut short)."""
        first = next(cell for cell in cells if cell is not None and cell != "")
        stated = int(EXPORT_END.match(first).group(1))
        if stated == read:
            self.findings.remark(
                "notice", "表尾", "%s第%d行是导出文件的结束行，未导入" % (prefix, number)
            )
        else:
            self.findings.remark(
                "warning",
                "表尾",
                "%s第%d行写明导出时共%d个项目，本表读到%d个：如不是有意删改，文件可能不完整"
                % (prefix, number, stated, read),
            )

    def read_record(self, row_reader, header, prefix, sheet_index, number, cells, sums):
        """Reads one record: a row, or one of the records a layout makes of a row; the Row
        to keep, or None (an error, or a valid row after one: nothing will be written)."""
        findings = self.findings
        values, problems, remarks = row_reader.read(number, cells)
        for level, label, line in remarks:
            findings.remark(level, label, prefix + line)
        key = row_reader.key(values) if not problems else None
        here = place(self.index, sheet_index, number)
        first = self.seen.setdefault(key, here) if key is not None else here
        if first != here:
            where = "第%d行" % (first & 0xFFFFFFFF)
            other_sheet = first >> 32 & 0xFF
            if self.several_sheets and (first >> 40, other_sheet) != (self.index, sheet_index):
                where = "工作表“%s”%s" % (self.workbook.sheets[other_sheet].name, where)
            if first >> 40 != self.index:
                where = "%s %s" % (self.files[first >> 40].name, where)
            problems.insert(0, row_reader.duplicate(number, where, values))
        if problems:
            findings.refused_row(header, number, cells, problems, prefix)
        else:
            sums.add(values)
            if not findings.count:
                return Row(self.index, sheet_index, number, values, row_reader.cleared)
        return None


class Sums:
    """The sums of the summed columns over the rows read, to check 合计 and 小计 rows by."""

    def __init__(self, columns):
        self.columns = columns
        self.total = dict.fromkeys((c.key for c in columns), 0)
        self.since_subtotal = dict(self.total)

    def add(self, values):
        for column in self.columns:
            amount = values.get(column.key)
            if amount is not None:
                self.total[column.key] += amount
                self.since_subtotal[column.key] += amount

    def check(self, kind, number, cells, reader, findings, prefix):
        """Compares a 合计 (or 小计) row with the rows above it (since the last 小计)."""
        name = "小计" if kind == "subtotal" else "合计"
        expected = self.since_subtotal if kind == "subtotal" else self.total
        differs = []
        for column, index, label, unit in reader.plan:
            if not column.summed:
                continue
            raw = cells[index] if index < len(cells) else None
            value = text(raw)
            if not value:
                continue
            try:
                stated = reader.parse_cell(column, raw, value, unit, {})
            except ValueError:
                continue
            if stated != expected[column.key]:
                differs.append(
                    "%s为%s，上方各行之和为%s" % (label, plain(stated), plain(expected[column.key]))
                )
        if differs:
            findings.remark(
                "warning",
                "合计行",
                "%s第%d行是%s行，未导入；其中%s，请核对"
                % (prefix, number, name, "；".join(differs)),
            )
        else:
            findings.remark("notice", "合计行", "%s第%d行是%s行，未导入" % (prefix, number, name))
        if kind == "subtotal":
            self.since_subtotal = dict.fromkeys(self.since_subtotal, 0)


def is_empty(cells):
    """A row with nothing in it but spaces; spreadsheets are full of them."""
    if not any(cells):
        return True
    # Cell by cell, never joined: a row of long cells costs no copy of them.
    return not any(c.strip() if c.__class__ is str else c is not None for c in cells)
