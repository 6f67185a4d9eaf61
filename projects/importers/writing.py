"""Running a yearly project report import: validate every row, then write all or nothing.

Valid rows go straight into a temporary staging table while the files are read (COPY on
PostgreSQL), so a file is read once and memory holds only the project codes seen. Once every
row has passed, two set-based statements per file update the projects that changed and
insert the new ones; the counts come from the database. Any error rolls everything back.
"""

import functools
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from counties.models import AuditEntry, Village
from personnel.models import Cadre

from ..models import Fund, FundAllocation, ImportBatch, IndustrialPark, Project, plain
from .refusals import Findings
from .rows import COLUMNS, OUTSIDE_SCOPE, Places, RowReader, error_line
from .running import (
    PREVIEW_ROWS,
    FileReport,
    Progress,
    Report,
    audit_channel,
    in_one_transaction,
    new_batch,
    sources,
    validate,
)

STAGING = "import_staging"
# The staged columns: every Project field an import writes.
WRITTEN = [
    "code",
    "name",
    "year",
    "county_id",
    "category",
    "status",
    "shanghai_funds",
    "other_funds",
    "beneficiaries",
    "start_date",
    "end_date",
    "notes",
]
STAGING_TYPES = {
    "code": "text",
    "name": "text",
    "year": "integer",
    "county_id": "bigint",
    "category": "text",
    "status": "text",
    "shanghai_funds": "numeric",
    "other_funds": "numeric",
    "beneficiaries": "integer",
    "start_date": "date",
    "end_date": "date",
    "notes": "text",
}


def import_yearly_report(
    *,
    files,
    user=None,
    channel=ImportBatch.Channel.COMMAND,
    dry_run=False,
    progress=None,
    refusal=None,
):
    """Imports yearly project reports; all files are written in one transaction, or none.

    `files` is a list of Sources or of (name, seekable binary file) pairs. Raises
    ImportFailed with the first errors and their count; with `refusal` (RefusalFiles), the
    refused rows and the full list of errors are written there. Returns a Report. A dry run
    reports the same counts and preview, and writes nothing.
    """
    files = sources(files)
    report = Report([FileReport(f.name, f.sha256) for f in files])
    progress = progress or Progress()
    findings = Findings(refusal)

    def work():
        places = Places(user)
        with Staging() as staging:
            reader = functools.partial(RowReader, places=places)
            validate(
                files,
                report,
                progress,
                columns=COLUMNS,
                reader=reader,
                keep=staging.add,
                findings=findings,
            )
            staging.flush()
            staging.check_scope(files, report, places.allowed, findings)
            staging.check_links(files, report, findings)
            for index, file_report in enumerate(report.files):
                progress.restart()
                staging.compare(index, file_report)
                if not dry_run:
                    staging.write(index, file_report, user, channel)
                stage_name = "已比对" if dry_run else "已写入"
                progress(stage_name, file_report.name, file_report.rows, final=True)

    in_one_transaction(work, dry_run=dry_run)
    return report


class Staging:
    """A temporary table of validated rows, dropped at the end of the transaction."""

    BUFFER = 5000

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.buffer = []

    def __enter__(self):
        columns = ", ".join("%s %s" % (c, STAGING_TYPES[c]) for c in WRITTEN)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS %s" % STAGING)
            cursor.execute(
                "CREATE TEMPORARY TABLE %s (file_index integer, row_number integer, %s)"
                % (STAGING, columns)
            )
        return self

    def __exit__(self, *exc_info):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS %s" % STAGING)

    def add(self, index, number, values):
        values["county_id"] = values.pop("county").pk
        self.buffer.append((index, number, *[values[c] for c in WRITTEN]))
        if len(self.buffer) >= self.BUFFER:
            self.flush()

    def flush(self):
        if not self.buffer:
            return
        columns = "file_index, row_number, " + ", ".join(WRITTEN)
        with connection.cursor() as cursor:
            if self.postgres:
                sql = "COPY %s (%s) FROM STDIN" % (STAGING, columns)
                with cursor.cursor.copy(sql) as copy:
                    for row in self.buffer:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * (len(WRITTEN) + 2))
                sql = "INSERT INTO %s (%s) VALUES (%s)" % (STAGING, columns, marks)
                cursor.executemany(sql, self.buffer)
        self.buffer = []

    def differs(self):
        """SQL: the staged row t differs from the project p (NULL-safe)."""
        operator = "IS DISTINCT FROM" if self.postgres else "IS NOT"
        return " OR ".join("p.%s %s t.%s" % (c, operator, c) for c in WRITTEN)

    def check_scope(self, files, report, allowed, findings):
        """Refuses rows that would change a project of a county outside the user's scope,
        in the words of RowReader.code: nothing tells whether such a project exists."""
        if allowed is None:
            return
        outside = "NOT IN (%s)" % ", ".join(["%s"] * len(allowed)) if allowed else "IS NOT NULL"
        several = len(files) > 1
        # A server-side cursor on PostgreSQL: the rows are read as they are reported.
        with connection.chunked_cursor() as cursor:
            sql = (
                "SELECT t.file_index, t.row_number, t.code FROM %s t"
                " JOIN %s p ON p.code = t.code WHERE p.county_id %s"
                " ORDER BY t.file_index, t.row_number"
            )
            cursor.execute(sql % (STAGING, Project._meta.db_table, outside), list(allowed))
            while rows := cursor.fetchmany(1000):
                for index, number, code in rows:
                    label = report.files[index].labels.get("code", "项目编号")
                    line = error_line(number, label, OUTSIDE_SCOPE % code)
                    findings.error(("%s " % files[index].name if several else "") + line)
        findings.fail_if_any()

    def check_links(self, files, report, findings):
        """Refuses rows that would move a project to another county while it has a park,
        village, cadre or fund allocation that does not serve the new one (see
        Project.clean): the report does not carry those, so they would be left behind."""
        tables = {
            "project": Project._meta.db_table,
            "park": IndustrialPark._meta.db_table,
            "village": Village._meta.db_table,
            "allocation": FundAllocation._meta.db_table,
            "fund": Fund._meta.db_table,
            "project_cadres": Project.cadres.through._meta.db_table,
            "cadre": Cadre._meta.db_table,
        }
        links = {
            "所属园区": "EXISTS (SELECT 1 FROM {park} k WHERE k.id = p.park_id"
            " AND k.county_id <> t.county_id)",
            "村": "EXISTS (SELECT 1 FROM {village} v WHERE v.id = p.village_id"
            " AND v.county_id <> t.county_id)",
            "负责干部": "EXISTS (SELECT 1 FROM {project_cadres} pc"
            " JOIN {cadre} d ON d.id = pc.cadre_id WHERE pc.project_id = p.id"
            " AND NOT ((d.county_id IS NOT NULL AND d.county_id = t.county_id)"
            " OR (d.prefecture_id IS NOT NULL AND d.prefecture_id = new.prefecture_id)))",
            "资金分配": "EXISTS (SELECT 1 FROM {allocation} a JOIN {fund} f ON f.id = a.fund_id"
            " WHERE a.project_id = p.id AND f.county_id <> t.county_id)",
        }
        flags = ", ".join(
            "CASE WHEN %s THEN 1 ELSE 0 END AS f%d" % (sql.format(**tables), i)
            for i, sql in enumerate(links.values())
        )
        sql = (
            "SELECT * FROM (SELECT t.file_index, t.row_number, t.code, old.name, new.name, %s"
            " FROM %s t JOIN %s p ON p.code = t.code"
            " JOIN counties_county old ON old.id = p.county_id"
            " JOIN counties_county new ON new.id = t.county_id"
            " WHERE p.county_id <> t.county_id) moved WHERE %s"
            " ORDER BY file_index, row_number"
            % (
                flags,
                STAGING,
                tables["project"],
                " OR ".join("moved.f%d = 1" % i for i in range(len(links))),
            )
        )
        several = len(files) > 1
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql)
            while rows := cursor.fetchmany(1000):
                for index, number, code, old, new, *found in rows:
                    linked = "、".join(name for name, hit in zip(links, found, strict=True) if hit)
                    message = (
                        "项目“%(code)s”登记在%(old)s，已关联的%(linked)s不属于%(new)s，"
                        "县市区不能改为%(new)s；请先在管理后台取消这些关联"
                        % {"code": code, "old": old, "linked": linked, "new": new}
                    )
                    label = report.files[index].labels.get("county", "县市区")
                    line = error_line(number, label, message)
                    findings.error(("%s " % files[index].name if several else "") + line)
        findings.fail_if_any()

    def compare(self, index, file_report):
        """Counts what the file would create and update; keeps a preview of those rows."""
        joins = (
            "FROM %s t JOIN counties_county c ON c.id = t.county_id"
            " LEFT JOIN %s p ON p.code = t.code"
            " WHERE t.file_index = %%s AND (p.id IS NULL OR %s)"
            % (STAGING, Project._meta.db_table, self.differs())
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE(SUM(CASE WHEN p.id IS NULL THEN 1 ELSE 0 END), 0), COUNT(*) "
                + joins,
                [index],
            )
            created, changed = cursor.fetchone()
            cursor.execute(
                "SELECT t.row_number, CASE WHEN p.id IS NULL THEN 'new' ELSE 'update' END,"
                " t.code, t.name, t.year, c.name, t.shanghai_funds "
                + joins
                + " ORDER BY t.row_number LIMIT %d" % PREVIEW_ROWS,
                [index],
            )
            file_report.preview = [
                (*row[:6], plain(Decimal(str(row[6])))) for row in cursor.fetchall()
            ]
        file_report.created, file_report.updated = created, changed - created
        file_report.unchanged = file_report.rows - changed

    def write(self, index, file_report, user, channel):
        """Updates the changed projects and inserts the new ones, for one file's batch."""
        now = timezone.now()
        batch = new_batch(ImportBatch.Kind.YEARLY_REPORT, file_report, user, channel, now)
        table = Project._meta.db_table
        assignments = ", ".join("%s = t.%s" % (c, c) for c in WRITTEN if c != "code")
        columns = ", ".join(WRITTEN)
        audit = Audit(batch, user, now)
        with connection.cursor() as cursor:
            # The audit entries of changed projects hold their values from before the update.
            cursor.execute(audit.changes_sql(index, self.differs()), audit.params(index))
            cursor.execute(
                "UPDATE %s AS p SET %s, import_batch_id = %%s, updated_at = %%s"
                " FROM %s AS t WHERE t.file_index = %%s AND p.code = t.code AND (%s)"
                % (table, assignments, STAGING, self.differs()),
                [batch.pk, now, index],
            )
            updated = cursor.rowcount
            cursor.execute(
                "INSERT INTO %s (%s, description, import_batch_id, created_at, updated_at)"
                " SELECT %s, '', %%s, %%s, %%s FROM %s AS t WHERE t.file_index = %%s"
                " AND NOT EXISTS (SELECT 1 FROM %s AS p WHERE p.code = t.code)"
                % (table, columns, ", ".join("t." + c for c in WRITTEN), STAGING, table),
                [batch.pk, now, now, index],
            )
            created = cursor.rowcount
            cursor.execute(audit.creations_sql(), audit.params(now))
        # The comparison ran under the same lock in the same transaction: it cannot differ,
        # and if it ever did, the transaction must not commit (an assert vanishes under -O).
        if (created, updated) != (file_report.created, file_report.updated):
            raise RuntimeError(
                "import wrote %d new and %d changed projects, the comparison found %d and %d"
                % (created, updated, file_report.created, file_report.updated)
            )
        file_report.batch = batch


class Audit:
    """SQL writing one audit entry per project an import creates or changes, in the same
    transaction: the field values before and after, county as "code name" (see rollback)."""

    FIELDS = [c for c in WRITTEN if c != "county_id"]

    def __init__(self, batch, user, now):
        self.batch, self.user, self.now = batch, user, now
        self.postgres = connection.vendor == "postgresql"
        self.channel = audit_channel(batch.channel)
        self.content_type = ContentType.objects.get_for_model(Project).pk

    def json(self, pairs):
        """{key: [old, new], …} as SQL: jsonb_build_object/array on PostgreSQL, json_… on SQLite."""
        prefix = "jsonb_build" if self.postgres else "json"
        items = ", ".join(
            "'%s', %s_array(%s, %s)" % (key, prefix, old, new) for key, old, new in pairs
        )
        return "%s_object(%s)" % (prefix, items)

    def insert(self, action, changes, county, source):
        """`county`: the SQL of the county the project is in once written (the entry's scope)."""
        return (
            "INSERT INTO %s (at, user_id, channel, action, content_type_id, object_id,"
            " object_repr, changes, import_batch_id, county_id)"
            " SELECT %%s, %%s, %%s, '%s', %%s, CAST(p.id AS TEXT), p.code || ' ' || p.name, %s,"
            " %%s, %s %s" % (AuditEntry._meta.db_table, action, changes, county, source)
        )

    def params(self, *extra):
        user = self.user.pk if self.user else None
        return [self.now, user, self.channel, self.content_type, self.batch.pk, *extra]

    def changes_sql(self, index, differs):
        pairs = [(c, "p.%s" % c, "t.%s" % c) for c in self.FIELDS]
        pairs.append(("county", "old.code || ' ' || old.name", "new.code || ' ' || new.name"))
        pairs.append(("import_batch", "p.import_batch_id", str(self.batch.pk)))
        return self.insert(
            "change",
            self.json(pairs),
            "t.county_id",
            "FROM %s p JOIN %s t ON p.code = t.code"
            " JOIN counties_county old ON old.id = p.county_id"
            " JOIN counties_county new ON new.id = t.county_id"
            " WHERE t.file_index = %%s AND (%s)" % (Project._meta.db_table, STAGING, differs),
        )

    def creations_sql(self):
        pairs = [(c, "NULL", "p.%s" % c) for c in self.FIELDS]
        pairs.append(("county", "NULL", "c.code || ' ' || c.name"))
        return self.insert(
            "create",
            self.json(pairs),
            "p.county_id",
            "FROM %s p JOIN counties_county c ON c.id = p.county_id"
            " WHERE p.import_batch_id = %d AND p.created_at = %%s"
            % (Project._meta.db_table, self.batch.pk),
        )
