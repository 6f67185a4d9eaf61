"""A registry (名册) on the engine: one record a row, found by its natural key, with the yearly
report's guarantees (real files, every error with its row and column, all or nothing, one batch
per file, undone from its audit entries, templates that import back).

A Registry is a model and a list of columns, each column one model field read by the field's
kind (field_column): a name or code for a place, a batch by its number, a choice by its Chinese
label, an amount in 万元. Its `key` names the columns that find the stored record; every other
column's blank cell keeps what is stored, （清空） clears it where the field may be empty. The
record then passes the model's own validation (full_clean: its clean() and constraints, the
admin's rules), and its place must lie in the importing user's scope, before and after.

How a cell is read by its field is fields.py; how a row's stored record is found and
checked, registry_records.py; how a batch is undone, registry_undo.py. The
registries themselves are declared in registries.py.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from counties.audit import audit_value
from counties.models import AuditEntry, audit_place
from counties.scopes import scope_of

from ..models import HeaderAlias, ImportBatch
from ..models.aliases import register
from .columns import ColumnReader, HeaderNames, cell_line
from .fields import Lookups
from .refusals import Findings, ImportFailed
from .registry_records import (
    AMBIGUOUS,
    MISSING,
    default_of,
    header_of,
    model_problems,
    other_uniques,
    stored_records,
)
from .registry_undo import in_scope, rollback_registry, set_links
from .rollback import UNDO
from .rows import Places
from .running import (
    PREVIEW_ROWS,
    FileReport,
    Progress,
    Report,
    audit_channel,
    in_one_transaction,
    lock_wait,
    new_batch,
    sources,
    validate,
)

BULK_SIZE = 1000
OUTSIDE = "不在您的数据范围内"
# The registry -----------------------------------------------------------------------


@dataclass(frozen=True)
class Registry:
    """A registry the admin imports and exports: see the module docstring.

    `key`: the value keys that find the stored record (its natural key), each a column's
    key or one of `derived`; `place(record)`: (county id, prefecture id) where it lies for
    the scope, by default where its audit entries go (counties.models.audit_place); neither:
    it may be imported only with a province-wide scope;
    `check(reader, values)`: yields (column key, message) for what is wrong across the
    row's cells, and may set the `derived` fields' values (a fund found from its year,
    source and donor cells); `export_related`: what the export selects besides.
    """

    kind: str
    name: str
    model: type
    columns: list
    key: tuple
    intro: str
    place: Callable = audit_place
    check: Callable | None = None
    export_related: tuple = ()
    preview: tuple = ()  # the value keys the preview shows; the key's by default
    derived: tuple = ()  # model fields `check` sets from read-only columns
    # check_records([(record, line)]): yields (line, column key, message) for what the
    # records break together (allocations summing over their fund); `line` makes the line.
    check_records: Callable | None = None

    def __post_init__(self):
        register(self.kind, self.columns, HeaderNames(self.columns))
        REGISTRIES[self.kind] = self
        UNDO[self.kind] = functools.partial(rollback_registry, self)

    def fields(self):
        """(value key, model field name) of the record's own fields a row writes."""
        meta = self.model._meta
        written = [
            (c.key, c.field)
            for c in self.columns
            if c.field and not meta.get_field(c.field).many_to_many
        ]
        return written + [(name, name) for name in self.derived]

    def many(self):
        """(value key, many-to-many field name) of the lists a row writes (a park's
        enterprises): each stored as the row lists them, after the record."""
        meta = self.model._meta
        return [
            (c.key, c.field)
            for c in self.columns
            if c.field and meta.get_field(c.field).many_to_many
        ]

    def field_of(self, key):
        return dict(self.fields())[key]

    @property
    def headers(self):
        return [column.header for column in self.columns]

    @property
    def preview_keys(self):
        return list(self.preview or self.key)

    def column(self, key):
        return next(column for column in self.columns if column.key == key)

    def key_of(self, values):
        """The natural key of a row's values (records by pk); MISSING for a part whose
        column the file does not have (a fund list without 文号: it matches any)."""
        parts = []
        for key in self.key:
            if key not in values:
                parts.append(MISSING)
                continue
            value = values[key]
            if value is None and key in self.blank_texts:
                value = ""  # a blank cell names a record whose text is empty
            parts.append(value.pk if isinstance(value, models.Model) else value)
        return tuple(parts)

    @functools.cached_property
    def blank_texts(self):
        """The key's text fields stored as "" when blank."""
        meta = self.model._meta
        return {
            key
            for key in self.key
            if isinstance(meta.get_field(self.field_of(key)), models.CharField | models.TextField)
            and not meta.get_field(self.field_of(key)).null
        }

    def stored_key(self, record):
        parts = []
        for key in self.key:
            model_field = self.model._meta.get_field(self.field_of(key))
            parts.append(getattr(record, model_field.attname))
        return tuple(parts)

    def key_words(self):
        """The natural key in words: its columns' headers, a derived part by its field's
        name (资金分配: 项目编号、资金)."""
        headers = {c.key: c.header for c in self.columns}
        meta = self.model._meta
        return "、".join(
            headers.get(key) or str(meta.get_field(self.field_of(key)).verbose_name)
            for key in self.key
        )

    def export_queryset(self, queryset):
        meta = self.model._meta
        related = [name for _, name in self.fields() if meta.get_field(name).is_relation]
        queryset = queryset.select_related(*related, *self.export_related)
        return queryset.prefetch_related(*(name for _, name in self.many()))

    def cells(self, record):
        return [column.export(record) for column in self.columns]


REGISTRIES = {}


class RegistryReader(ColumnReader):
    """Reads a registry's row; the row's key is its natural key."""

    def __init__(self, table, *, registry, places, lookups, today=None):
        super().__init__(registry.columns, table, today=today)
        self.registry, self.places, self.lookups = registry, places, lookups
        self.villages = {}
        self.extra = {}  # what a registry's own parse and check functions keep

    def check(self, values):
        return list(self.registry.check(self, values)) if self.registry.check else []

    def key(self, values):
        return self.registry.key_of(values)

    def duplicate(self, row_number, where, values):
        label = self.label(self.registry.key[0])
        message = "与%s重复：同一%s只能填写一行" % (where, self.registry.key_words())
        return cell_line(row_number, label, message)


# Importing ----------------------------------------------------------------------------


def import_registry(
    registry,
    *,
    files,
    user=None,
    channel=ImportBatch.Channel.COMMAND,
    dry_run=False,
    progress=None,
    refusal=None,
    sender=None,
):
    """Imports a registry's files: every row read and checked, then each record checked as
    the admin checks it; all files written in one transaction, or none. Arguments and result
    as projects.importers.import_yearly_report's."""
    files = sources(files)
    report = Report([FileReport(f.name, f.sha256) for f in files])
    progress = progress or Progress()
    places = Places(user)
    reader = functools.partial(
        RegistryReader, registry=registry, places=places, lookups=Lookups(places)
    )
    findings = Findings(refusal)
    report.remarks = findings.remarks
    rows = [[] for _ in files]
    for row in validate(
        files,
        report,
        progress,
        columns=registry.columns,
        reader=reader,
        findings=findings,
        aliases=HeaderAlias.objects.by_column(registry.kind),
        saved=HeaderAlias.objects.by_column(registry.kind, sender) if sender else None,
        sender=str(sender or ""),
    ):
        rows[row.file_index].append((row.number, row.sheet_index, row.values, row.cleared))
    scope = scope_of(user) if user is not None else None

    def work():
        stored = stored_records(registry, [values for file in rows for _, _, values, _ in file])
        plans = []
        for index, (file_rows, file_report) in enumerate(zip(rows, report.files, strict=True)):
            progress.restart()
            prefix = lambda sheet, i=index: report.line_prefix(i, sheet)  # noqa: E731
            plans.append(compare(registry, file_rows, stored, file_report, findings, scope, prefix))
        if registry.check_records:
            together = [entry for plan in plans for entry in plan.created + plan.changed]
            for where, key, message in registry.check_records([(r, w) for r, _, w in together]):
                findings.error(where(labels_of(report, key), message))
        findings.fail_if_any()
        if dry_run:
            return
        for plan, file_report in zip(plans, report.files, strict=True):
            write(registry, plan, file_report, user, channel)
            progress("已写入", file_report.name, file_report.rows, final=True)

    in_one_transaction(work, dry_run=dry_run, wait=lock_wait(channel))
    return report


@dataclass
class Plan:
    created: list = field(default_factory=list)  # (record, changes, line)
    changed: list = field(default_factory=list)  # (record, changes, line)
    links: list = field(default_factory=list)  # (record, many-to-many field, [ids])


def labels_of(report, key):
    """A column's header as the first file writes it."""
    return report.files[0].labels.get(key, "") if report.files else ""


def compare(registry, file_rows, stored, file_report, findings, scope, prefix):
    """Builds each row's record (the stored one changed, or a new one), checks it as the
    admin does and sorts it into new, changed or unchanged; errors go to `findings`."""
    plan = Plan()
    preview = []
    model = registry.model
    uniques = other_uniques(registry)
    seen_unique = {}
    labels = file_report.labels
    for number, sheet, values, cleared in file_rows:
        line = functools.partial(cell_line, number)
        where = prefix(sheet)
        key = registry.key_of(values)
        record = stored.get(key)
        if record is AMBIGUOUS:
            message = "已登记的记录中有多条%s相同，无法确定是哪一条，请在管理后台处理" % (
                registry.key_words()
            )
            headers = {column.key: column.header for column in registry.columns}
            absent = [
                headers.get(part_key, part_key)
                for part_key, part in zip(registry.key, key, strict=True)
                if part is MISSING
            ]
            if absent:
                message = (
                    "已登记的记录中有多条与本行相同，文件没有“%s”列，无法确定是哪一条，请加上该列"
                    % ("”“".join(absent))
                )
            findings.error(where + line(labels.get(registry.key[0], ""), message))
            continue
        new = record is None
        if not new and not in_scope(scope, registry.place(record)):
            key_label = labels.get(registry.key[0], "")
            findings.error(where + line(key_label, "已登记的该记录" + OUTSIDE))
            continue
        if new:
            record = model()
        changes = {}
        for key, name in registry.fields():
            if key not in values and not new:
                continue  # a column the file does not have keeps what is stored
            value = values.get(key)
            if value is None and key not in cleared and key not in registry.derived:
                if not new:
                    continue
                value = default_of(model, name)
            model_field = model._meta.get_field(name)
            if value is None and not model_field.null and not model_field.is_relation:
                value = "" if isinstance(model_field, models.CharField | models.TextField) else None
            before = getattr(record, model_field.name) if not new else None
            if new or before != value:
                if value is None and model_field.has_default() and not model_field.null:
                    continue
                changes[model_field.name] = [
                    None if new else audit_value(before),
                    audit_value(value),
                ]
                setattr(record, model_field.name, value)
        links = list(linked(registry, record, new, values, cleared, changes))
        if not new and not changes:
            continue
        problems = model_problems(registry, record, labels)
        if not in_scope(scope, registry.place(record)):
            place_key = "county" if "county" in labels else registry.key[0]
            problems.append((labels.get(place_key, ""), "所在地" + OUTSIDE))
        for unique_fields in uniques:
            written = tuple(
                getattr(record, model._meta.get_field(f).attname) for f in unique_fields
            )
            if any(part in (None, "") for part in written):
                continue
            earlier = seen_unique.setdefault(unique_fields, {}).setdefault(written, number)
            if earlier != number:
                label = labels.get(unique_fields[0], "")
                problems.append(
                    (label, "与第%d行重复：%s须唯一" % (earlier, header_of(model, unique_fields)))
                )
        for label, message in problems:
            findings.error(where + line(label, message))
        if problems:
            continue
        where_line = lambda label, message, w=where, n=number: w + cell_line(n, label, message)  # noqa: E731
        (plan.created if new else plan.changed).append((record, changes, where_line))
        plan.links.extend((record, name, ids) for name, ids in links)
        if len(preview) < PREVIEW_ROWS:
            shown = [values.get(key) for key in registry.preview_keys]
            preview.append((number, "new" if new else "update", *[show(v) for v in shown]))
    file_report.created, file_report.updated = len(plan.created), len(plan.changed)
    file_report.unchanged = file_report.rows - file_report.created - file_report.updated
    file_report.preview = preview
    return plan


def linked(registry, record, new, values, cleared, changes):
    """(field name, [ids]) of each list the row changes, the change noted in `changes` as
    the admin's audit trail writes it (the records' names, sorted)."""
    for key, name in registry.many():
        value = values.get(key)
        if value is None and key not in cleared:
            continue  # not in the file, or blank: the stored list stays
        wanted = {obj.pk: obj for obj in value or ()}
        before = {} if new else {obj.pk: obj for obj in getattr(record, name).all()}
        if set(wanted) == set(before):
            continue
        names = lambda objs: sorted(str(obj) for obj in objs)  # noqa: E731
        changes[name] = [None if new else names(before.values()), names(wanted.values())]
        yield name, sorted(wanted)


def show(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(show(item) for item in value)
    if isinstance(value, models.Model):
        return str(getattr(value, "name", value))
    return audit_value(value)


def write(registry, plan, file_report, user, channel):
    """Creates and updates one file's records as its batch, each with its audit entry."""
    now = timezone.now()
    model = registry.model
    batch = new_batch(registry.kind, file_report, user, channel, now)
    try:
        with transaction.atomic():
            created = [r for r, _, _ in plan.created]
            model._default_manager.bulk_create(created, batch_size=BULK_SIZE)
            own = {name for _, name in registry.fields()}
            fields = sorted({n for _, changes, _ in plan.changed for n in changes if n in own})
            if fields:
                model._default_manager.bulk_update(
                    [r for r, _, _ in plan.changed], fields, batch_size=BULK_SIZE
                )
            set_links(model, plan.links)
    except IntegrityError as error:
        message = "写入时数据库拒绝了其中的记录（%s），未写入任何数据；请将文件发给系统管理员。"
        raise ImportFailed([message % error]) from None
    content_type = ContentType.objects.get_for_model(model)
    entries = []
    for action, records in (
        (AuditEntry.Action.CREATE, plan.created),
        (AuditEntry.Action.CHANGE, plan.changed),
    ):
        for record, changes, _ in records:
            county, prefecture = registry.place(record)
            entries.append(
                AuditEntry(
                    at=now,
                    user=user,
                    channel=audit_channel(channel),
                    action=action,
                    content_type=content_type,
                    object_id=str(record.pk),
                    object_repr=str(record)[:200],
                    changes=changes,
                    import_batch_id=batch.pk,
                    county_id=county,
                    prefecture_id=None if county else prefecture,
                )
            )
    AuditEntry.objects.bulk_create(entries, batch_size=BULK_SIZE)
    file_report.batch = batch
