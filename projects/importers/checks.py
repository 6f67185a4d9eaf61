"""The checks of a yearly report's staged rows against what is stored, before anything is
written: each refuses the rows it finds, with their sheet, row and column, in one query
whose rows are read as they are reported (a server-side cursor on PostgreSQL)."""

from django.conf import settings
from django.db import connection

from ..models import SHANGHAI_SOURCES, plain
from .columns import cell_line
from .rows import COLUMNS, OUTSIDE_SCOPE
from .staging import IN_COUNTY, as_decimal, new_value, tables

COLUMN_HEADERS = {column.field: column.header for column in COLUMNS}

# A county's stored projects are a yardstick once it has this many.
YARDSTICK_PROJECTS = 5
# An amount this many times the county's largest stored project is beyond belief…
YARDSTICK_FACTOR = 10
# …when it is also above this (万元): small counties start small.
YARDSTICK_FLOOR = 1000
MOVES_ALLOWED = (
    "如确需变更，请加--allow-moves（管理后台上传时或在出错页面勾选“允许变更年度或县市区”）"
    "后重新导入"
)
LARGE_ALLOWED = (
    "请核对本列是否实为元（表头写“上海援助资金（元）”即按元换算）；确认无误时，请加"
    "--allow-large-amounts（管理后台上传时或在出错页面勾选“确认大额资金无误”）后重新导入"
)


class StagedChecks:
    """The checks of one import: `report` (running.Report) names the files and sheets,
    `findings` (refusals.Findings) takes the errors; each check fails if it found any."""

    def __init__(self, report, findings):
        self.report, self.findings = report, findings

    def refuse(self, sql, params, line, allow=None):
        """Runs `sql`, whose rows start with file index, sheet index and row number; each
        row is refused with `line(*rest)` = (column key, message). `allow`: the import's
        flag that would accept these rows (ImportFailed.allowable, for the admin's box)."""
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql.format(**tables()), params)
            while rows := cursor.fetchmany(1000):
                for index, sheet_index, number, *rest in rows:
                    key, message = line(*rest)
                    label = self.report.files[index].labels.get(key, "")
                    prefix = self.report.line_prefix(index, sheet_index)
                    self.findings.error(prefix + cell_line(number, label, message))
        if allow is not None:
            self.findings.allowable = allow
        self.findings.fail_if_any()

    def scope(self, allowed):
        """Refuses rows that would change a project of a county outside the user's scope,
        in the words of RowReader.code: nothing tells whether such a project exists."""
        if allowed is None:
            return
        outside = "NOT IN (%s)" % ", ".join(["%s"] * len(allowed)) if allowed else "IS NOT NULL"
        sql = (
            "SELECT t.file_index, t.sheet_index, t.row_number, t.code FROM {staging} t"
            " JOIN {project} p ON p.code = t.code WHERE p.county_id %s"
            " ORDER BY t.file_index, t.sheet_index, t.row_number" % outside
        )
        self.refuse(sql, list(allowed), lambda code: ("code", OUTSIDE_SCOPE % code))

    def dates(self):
        """Refuses rows whose 完工日期 would fall before the 开工日期 once a blank cell has
        kept the stored date (a row with both is refused when it is read)."""
        start, end = new_value("start_date"), new_value("end_date")
        sql = (
            "SELECT t.file_index, t.sheet_index, t.row_number, %s, %s FROM {staging} t"
            " JOIN {project} p ON p.code = t.code WHERE %s < %s"
            " ORDER BY t.file_index, t.sheet_index, t.row_number" % (start, end, end, start)
        )

        def line(start, end):
            return (
                "end_date",
                "完工日期（%s）不能早于开工日期（%s；本行留空的一项按已登记的值）"
                % (
                    end,
                    start,
                ),
            )

        self.refuse(sql, [], line)

    def large_amounts(self):
        """Refuses 上海援助资金 above IMPORT_MAX_PROJECT_FUNDS, or far above the largest the
        county has reported (once it has reported a few projects)."""
        bound = settings.IMPORT_MAX_PROJECT_FUNDS
        sql = (
            "SELECT t.file_index, t.sheet_index, t.row_number, t.shanghai_funds, c.name,"
            " y.largest FROM {staging} t JOIN {county} c ON c.id = t.county_id"
            " LEFT JOIN (SELECT county_id, MAX(shanghai_funds) AS largest, COUNT(*) AS n"
            " FROM {project} GROUP BY county_id) y ON y.county_id = t.county_id"
            " WHERE t.shanghai_funds > %s OR (y.n >= %s AND t.shanghai_funds > %s"
            " AND t.shanghai_funds > y.largest * %s)"
            " ORDER BY t.file_index, t.sheet_index, t.row_number"
        )

        def line(amount, county, largest):
            amount = plain(as_decimal(amount))
            if as_decimal(amount) > bound:
                why = "%s万元超过单个项目上限%d万元" % (amount, bound)
            else:
                why = "%s万元是%s已登记项目中最大一项（%s万元）的%d倍以上" % (
                    amount,
                    county,
                    plain(as_decimal(largest)),
                    YARDSTICK_FACTOR,
                )
            return "shanghai_funds", "%s，%s" % (why, LARGE_ALLOWED)

        params = [bound, YARDSTICK_PROJECTS, YARDSTICK_FLOOR, YARDSTICK_FACTOR]
        self.refuse(sql, params, line, allow="allow_large_amounts")

    def moves(self):
        """Refuses rows that would change a stored project's year or county: a code reported
        again with another year is more often a reused or mistyped code than a move."""
        sql = (
            "SELECT t.file_index, t.sheet_index, t.row_number, t.code, p.year, old.name,"
            " t.year, new.name FROM {staging} t JOIN {project} p ON p.code = t.code"
            " JOIN {county} old ON old.id = p.county_id JOIN {county} new ON new.id = t.county_id"
            " WHERE p.year <> t.year OR p.county_id <> t.county_id"
            " ORDER BY t.file_index, t.sheet_index, t.row_number"
        )

        def line(code, old_year, old_county, year, county):
            key = "year" if old_year != year else "county"
            return key, "项目“%s”已登记为%d年度、%s，本行为%d年度、%s；%s" % (
                code,
                old_year,
                old_county,
                year,
                county,
                MOVES_ALLOWED,
            )

        self.refuse(sql, [], line, allow="allow_moves")

    def allocated(self):
        """Refuses rows that would set a stored project's 上海援助资金 below the Shanghai
        funds allocated to it (FundAllocation.clean: allocations never exceed it)."""
        funds = new_value("shanghai_funds")
        sql = (
            "SELECT t.file_index, t.sheet_index, t.row_number, t.code, %s, a.total"
            " FROM {staging} t JOIN {project} p ON p.code = t.code"
            " JOIN (SELECT a.project_id, SUM(a.amount) AS total FROM {allocation} a"
            " JOIN {fund} f ON f.id = a.fund_id WHERE f.source IN (%%s, %%s)"
            " GROUP BY a.project_id) a ON a.project_id = p.id"
            " WHERE %s < a.total ORDER BY t.file_index, t.sheet_index, t.row_number"
        ) % (funds, funds)

        def line(code, amount, total):
            return "shanghai_funds", (
                "项目“%s”已分配上海财政资金%s万元，上海援助资金不能改为%s万元；"
                "请先在管理后台减少该项目的资金分配"
                % (code, plain(as_decimal(total)), plain(as_decimal(amount)))
            )

        self.refuse(sql, list(SHANGHAI_SOURCES), line)

    def links(self):
        """Refuses rows that would move a project to another county while it keeps a park,
        village, programme, cadre or fund allocation that does not serve the new one (see
        Project.clean): the report carries the village and programme (a row may name the
        new county's), not the others, which would be left behind."""
        links = {
            "所属园区": "EXISTS (SELECT 1 FROM {park} k WHERE k.id = p.park_id"
            " AND k.county_id <> t.county_id)",
            **{
                COLUMN_HEADERS[field]: "EXISTS (SELECT 1 FROM %s r WHERE r.id = %s"
                " AND r.county_id <> t.county_id)" % (record.table, new_value(field))
                for field, record in IN_COUNTY.items()
            },
            "负责干部": "EXISTS (SELECT 1 FROM {project_cadres} pc"
            " JOIN {cadre} d ON d.id = pc.cadre_id WHERE pc.project_id = p.id"
            " AND NOT ((d.county_id IS NOT NULL AND d.county_id = t.county_id)"
            " OR (d.prefecture_id IS NOT NULL AND d.prefecture_id = new.prefecture_id)))",
            "资金分配": "EXISTS (SELECT 1 FROM {allocation} a JOIN {fund} f ON f.id = a.fund_id"
            " WHERE a.project_id = p.id AND f.county_id <> t.county_id)",
        }
        flags = ", ".join(
            "CASE WHEN %s THEN 1 ELSE 0 END AS f%d" % (sql, i)
            for i, sql in enumerate(links.values())
        )
        sql = (
            "SELECT * FROM (SELECT t.file_index, t.sheet_index, t.row_number, t.code,"
            " old.name AS old_name, new.name AS new_name, %s"
            " FROM {staging} t JOIN {project} p ON p.code = t.code"
            " JOIN {county} old ON old.id = p.county_id"
            " JOIN {county} new ON new.id = t.county_id"
            " WHERE p.county_id <> t.county_id) moved WHERE %s"
            " ORDER BY file_index, sheet_index, row_number"
            % (flags, " OR ".join("moved.f%d = 1" % i for i in range(len(links))))
        )

        def line(code, old, new, *found):
            linked = "、".join(name for name, hit in zip(links, found, strict=True) if hit)
            return "county", (
                "项目“%(code)s”登记在%(old)s，已关联的%(linked)s不属于%(new)s，"
                "县市区不能改为%(new)s；请先在管理后台取消这些关联"
                % {"code": code, "old": old, "linked": linked, "new": new}
            )

        self.refuse(sql, [], line)
