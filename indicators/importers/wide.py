"""The one-row-per-place layout of the indicator report, as prefectures and the province
send it: a place column (州市, 县市区 or 上海结对区), then for each indicator its name over
two sub-columns 协议数 and 完成数; the year in a 年度 column or in the title (2022年…).

    2022年各州市东西部协作主要指标完成情况
    州市   | 帮助农村劳动力就业（人） |     | 上海财政援助资金（万元） |
           | 协议数 | 完成数             | 协议数 | 完成数             |
    普洱市 | 3600   | 15500              | 8000   | 8200               |

find_wide finds it in a sheet's first rows; its Table expands each row into one record per
indicator in the canonical columns (rows.COLUMNS), which the report's reader reads as usual.
"""

from projects.importers.parsing import FileError, text
from projects.importers.tables import Table, year_in_title

from .rows import COLUMNS

PLACE_KEYS = ("prefecture", "county", "district")
KEYS = [column.key for column in COLUMNS]


def layout(catalogue):
    """The layout function for validate(layouts=…) with this catalogue."""

    def find(head, names, remembered):
        return find_wide(head, names, catalogue, remembered)

    return find


def find_wide(head, names, catalogue, remembered):
    """(Table, rows after the header) for the wide layout, or None when the sheet is not so."""
    for position in range(len(head) - 1):
        number, cells, hidden = head[position]
        below = head[position + 1][1]
        parts = indicator_parts(cells, below, names, catalogue)
        if hidden or not parts:
            continue
        place = {}
        for index in range(max(len(cells), len(below))):
            for row in (cells, below):
                column, _ = names.match(row[index]) if index < len(row) else (None, None)
                if column is not None and column.key not in ("target", "result", "indicator"):
                    place.setdefault(column.key, index)
        if not set(PLACE_KEYS) & set(place):
            continue
        year, notice = None, None
        if "year" not in place:
            year, notice = year_from_title(head[:position])
        table = WideTable(head[position + 1][0], place, parts, year, len(below))
        table.merged_values = remembered
        if notice:
            table.notices.append(notice)
        return table, head[position + 2 :]
    return None


def indicator_parts(cells, below, names, catalogue):
    """[(index, indicator, "target" or "result")] of a header row over its sub-header."""
    parts = []
    current = None
    for index in range(len(below)):
        value = text(cells[index]) if index < len(cells) else ""
        if value:
            current = catalogue.find(value)
        column, _ = names.match(below[index])
        if current is not None and column is not None and column.key in ("target", "result"):
            parts.append((index, current, column.key))
    return parts


def year_from_title(rows):
    year, notice = year_in_title(rows)
    if year is None:
        raise FileError("没有“年度”列，标题中也没有年份（如“2022年……”）：请加一列“年度”。")
    return year, notice


class WideTable(Table):
    """A Table whose rows are expanded into one record per indicator, in rows.COLUMNS."""

    def __init__(self, header_row, place, parts, year, width):
        labels = {
            "indicator": "指标",
            "target": "协议数",
            "result": "完成数",
            "year": "年度",
            "prefecture": "州市",
            "county": "县市区",
            "district": "上海结对区",
            "note": "备注",
        }
        positions = {key: (KEYS.index(key), labels[key], None) for key in KEYS}
        super().__init__(header_row, positions, [labels[key] for key in KEYS])
        self.place, self.year, self.row_width = place, year, width
        by_indicator = {}
        for index, indicator, key in parts:
            by_indicator.setdefault(indicator.pk, [indicator, None, None])
            by_indicator[indicator.pk][1 if key == "target" else 2] = index
        # [(indicator, target index, result index)] in sheet order
        self.indicators = list(by_indicator.values())
        self.expand = self.records

    def records(self, number, cells):
        """One record per indicator with a target or a result in this row."""
        width = len(cells)

        def cell(index):
            return cells[index] if index is not None and index < width else None

        common = {key: cell(index) for key, index in self.place.items()}
        if self.year is not None:
            common["year"] = self.year
        for indicator, target, result in self.indicators:
            figures = cell(target), cell(result)
            if all(value is None or text(value) == "" for value in figures):
                continue
            record = {**common, "indicator": indicator.code}
            record["target"], record["result"] = figures
            yield [record.get(key) for key in KEYS]
