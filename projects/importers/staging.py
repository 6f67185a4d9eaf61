"""The staging table of a yearly report import: validated rows wait there, in one temporary
table, until every row has passed; then two set-based statements per file update the
projects that changed and insert the new ones, and the counts come from the database.

What a staged row makes of a project is said once, here (new_value, inserted_value), for
the comparison, the update, the checks and the audit entries alike.
"""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from counties.models import AuditEntry, County, Village
from personnel.models import Cadre

from ..models import Fund, FundAllocation, ImportBatch, IndustrialPark, Programme, Project, plain
from .rows import COLUMNS
from .running import PREVIEW_ROWS, audit_channel, new_batch

STAGING = "import_staging"


def tables():
    """The names of the tables the import's SQL reads, from the models (format keys)."""
    return {
        "project": Project._meta.db_table,
        "county": County._meta.db_table,
        "park": IndustrialPark._meta.db_table,
        "allocation": FundAllocation._meta.db_table,
        "fund": Fund._meta.db_table,
        "project_cadres": Project.cadres.through._meta.db_table,
        "cadre": Cadre._meta.db_table,
        "staging": STAGING,
    }


def as_decimal(value):
    """A numeric column's value as SQLite (float or int) or PostgreSQL (Decimal) gives it."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


# The staged columns: every Project field an import writes, in the columns' order.
WRITTEN = [column.field for column in COLUMNS if column.field]
STAGING_TYPES = {column.field: column.staging for column in COLUMNS if column.field}
# Optional columns: a blank cell (NULL when staged) keeps the stored value; （清空） sets a bit
# of the row's `cleared` and stores the column's default.
OPTIONAL = [column for column in COLUMNS if column.field and not column.required]
CLEAR_BITS = {column.key: 1 << position for position, column in enumerate(OPTIONAL)}
WRITTEN_COLUMNS = [column for column in COLUMNS if column.field]
CLEARED_VALUE = {"": "''", None: "NULL"}


def sql_literal(value):
    """The SQL of a column's default: NULL, '' or a number."""
    if value is None or value == "":
        return CLEARED_VALUE[value]
    return str(value)


def new_value(field):
    """SQL: what the project's `field` becomes from staged row t over stored project p — the
    staged value; for an optional column, the stored one where the cell was blank, and the
    column's default where it said （清空）."""
    column = OPTIONAL_BY_FIELD.get(field)
    if column is None:
        return "t.%s" % field
    return "CASE WHEN (t.cleared & %d) <> 0 THEN %s ELSE COALESCE(t.%s, p.%s) END" % (
        CLEAR_BITS[column.key],
        sql_literal(column.default),
        field,
        field,
    )


def inserted_value(field):
    """SQL: a new project's `field` from staged row t: the column's default where blank."""
    column = OPTIONAL_BY_FIELD.get(field)
    if column is None or column.default is None:
        return "t.%s" % field
    return "COALESCE(t.%s, %s)" % (field, sql_literal(column.default))


OPTIONAL_BY_FIELD = {column.field: column for column in OPTIONAL}


class InCounty:
    """A record of the project's own county that the report names (its village, its
    programme): how the preview names it, how the audit trail names it (its __str__, over
    the record r and r's county rc), and the model the undo finds it in."""

    def __init__(self, model, shown, audited):
        self.model, self.shown, self.audited = model, shown, audited

    @property
    def table(self):
        return self.model._meta.db_table

    def name_sql(self, how, id_sql):
        """SQL: the name of the record with id `id_sql` (NULL for none)."""
        return (
            "(SELECT %s FROM %s r JOIN {county} rc ON rc.id = r.county_id WHERE r.id = %s)"
            % (how, self.table, id_sql)
        ).format(**tables())


IN_COUNTY = {
    "village_id": InCounty(Village, "r.township || r.name", "rc.name || r.township || r.name"),
    "programme_id": InCounty(Programme, "r.name", "rc.name || ' ' || r.name"),
}

# The preview shows names, not ids: the county, village and programme, new (n…) and
# stored (o…).
NAME_JOINS = (
    " LEFT JOIN {county} nc ON nc.id = t.county_id LEFT JOIN {county} oc ON oc.id = p.county_id"
)
SHOWN = {
    "county_id": ("nc.name", "oc.name"),
    **{
        field: (
            record.name_sql(record.shown, new_value(field)),
            record.name_sql(record.shown, "p.%s" % field),
        )
        for field, record in IN_COUNTY.items()
    },
}
CHOICES = {"category": dict(Project.Category.choices), "status": dict(Project.Status.choices)}
PREVIEW_HEADERS = [column.header for column in COLUMNS if column.field]


def shown_sql(field):
    """SQL: a column's new value and its stored one, as the preview shows them."""
    return SHOWN.get(field, (new_value(field), "p.%s" % field))


def preview_row(file_report, row):
    """(row label, "new" or "update", cell texts…); an update's changed cell reads
    "new（原为 old）"."""
    sheet_index, number, is_new, *pairs = row
    label = number
    if len(file_report.sheets) > 1:
        label = "%s 第%d行" % (file_report.sheets[sheet_index], number)
    cells = []
    for position, field in enumerate(WRITTEN):
        new, old = shown(field, pairs[2 * position]), shown(field, pairs[2 * position + 1])
        if not is_new and old != new:
            new = "%s（原为%s）" % (new or "空", old or "空")
        cells.append(new)
    return (label, "new" if is_new else "update", *cells)


def shown(field, value):
    if value is None:
        return ""
    if field in CHOICES:
        return CHOICES[field].get(value, value)
    if STAGING_TYPES[field] == "numeric":
        return plain(as_decimal(value))
    return str(value)


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
                "CREATE TEMPORARY TABLE %s (file_index integer, sheet_index integer,"
                " row_number integer, cleared integer, %s)" % (STAGING, columns)
            )
        return self

    def __exit__(self, *exc_info):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS %s" % STAGING)

    def add(self, row):
        """Stages a valid row (reading.Row)."""
        values = row.values
        values["county"] = values.pop("county").pk
        bits = 0
        for key in row.cleared:
            bits |= CLEAR_BITS[key]
        cells = [values.get(c.key) for c in WRITTEN_COLUMNS]
        self.buffer.append((row.file_index, row.sheet_index, row.number, bits, *cells))
        if len(self.buffer) >= self.BUFFER:
            self.flush()

    def flush(self):
        if not self.buffer:
            return
        columns = "file_index, sheet_index, row_number, cleared, " + ", ".join(WRITTEN)
        with connection.cursor() as cursor:
            if self.postgres:
                sql = "COPY %s (%s) FROM STDIN" % (STAGING, columns)
                with cursor.cursor.copy(sql) as copy:
                    for row in self.buffer:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * (len(WRITTEN) + 4))
                sql = "INSERT INTO %s (%s) VALUES (%s)" % (STAGING, columns, marks)
                cursor.executemany(sql, self.buffer)
        self.buffer = []

    def differs(self):
        """SQL: the project p would change by the staged row t (NULL-safe)."""
        operator = "IS DISTINCT FROM" if self.postgres else "IS NOT"
        return " OR ".join("p.%s %s %s" % (c, operator, new_value(c)) for c in WRITTEN)

    def compare(self, index, file_report):
        """Counts what the file would create and update; keeps a preview of those rows."""
        joins = (
            "FROM {staging} t LEFT JOIN {project} p ON p.code = t.code"
            " WHERE t.file_index = %%s AND (p.id IS NULL OR %s)" % self.differs()
        ).format(**tables())
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE(SUM(CASE WHEN p.id IS NULL THEN 1 ELSE 0 END), 0), COUNT(*) "
                + joins,
                [index],
            )
            created, changed = cursor.fetchone()
            # Every written column, its new value beside the stored one (for updates).
            shown = ", ".join("%s, %s" % shown_sql(c) for c in WRITTEN)
            names = NAME_JOINS.format(**tables())
            cursor.execute(
                "SELECT t.sheet_index, t.row_number, CASE WHEN p.id IS NULL THEN 1 ELSE 0 END,"
                " %s "
                % shown
                + joins.replace(" WHERE ", names + " WHERE ", 1)
                + " ORDER BY t.sheet_index, t.row_number LIMIT %d" % PREVIEW_ROWS,
                [index],
            )
            file_report.preview = [preview_row(file_report, row) for row in cursor.fetchall()]
        file_report.created, file_report.updated = created, changed - created
        file_report.unchanged = file_report.rows - changed

    def write(self, index, file_report, user, channel):
        """Updates the changed projects and inserts the new ones, for one file's batch."""
        now = timezone.now()
        batch = new_batch(ImportBatch.Kind.YEARLY_REPORT, file_report, user, channel, now)
        table = Project._meta.db_table
        assignments = ", ".join("%s = %s" % (c, new_value(c)) for c in WRITTEN if c != "code")
        columns = ", ".join(WRITTEN)
        inserted = ", ".join(inserted_value(c) for c in WRITTEN)
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
                % (table, columns, inserted, STAGING, table),
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
    transaction: the field values before and after, in the audit trail's one format
    (counties/audit.py; tests/test_audit.py holds the import's entries to the admin's)."""

    FIELDS = [c for c in WRITTEN if c != "county_id"]
    # The entry's key of each field, as the admin writes it: "village", not "village_id".
    KEYS = {c: Project._meta.get_field(c).name for c in FIELDS}

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

    def value(self, field, sql):
        """SQL: a field's value as the audit trail writes it — an amount as text without
        trailing zeros (audit.plain), a village or programme as the admin names it (its
        __str__)."""
        if STAGING_TYPES[field] == "numeric":
            # PostgreSQL keeps the column's four decimals; SQLite stores 120.5 as a number.
            return "CAST(%s(%s) AS TEXT)" % ("trim_scale" if self.postgres else "", sql)
        if field in IN_COUNTY:
            record = IN_COUNTY[field]
            return record.name_sql(record.audited, sql)
        return sql

    def pairs(self, old, new):
        return [(self.KEYS[c], self.value(c, old(c)), self.value(c, new(c))) for c in self.FIELDS]

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
        pairs = self.pairs(lambda c: "p.%s" % c, new_value)
        pairs.append(("county", "old.code || ' ' || old.name", "new.code || ' ' || new.name"))
        pairs.append(("import_batch", "p.import_batch_id", str(self.batch.pk)))
        return self.insert(
            "change",
            self.json(pairs),
            "t.county_id",
            (
                "FROM {project} p JOIN {staging} t ON p.code = t.code"
                " JOIN {county} old ON old.id = p.county_id"
                " JOIN {county} new ON new.id = t.county_id"
            ).format(**tables())
            + " WHERE t.file_index = %%s AND (%s)" % differs,
        )

    def creations_sql(self):
        pairs = self.pairs(lambda c: "NULL", lambda c: "p.%s" % c)
        pairs.append(("county", "NULL", "c.code || ' ' || c.name"))
        return self.insert(
            "create",
            self.json(pairs),
            "p.county_id",
            "FROM {project} p JOIN {county} c ON c.id = p.county_id".format(**tables())
            + " WHERE p.import_batch_id = %d AND p.created_at = %%s" % self.batch.pk,
        )
