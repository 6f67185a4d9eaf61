"""Undoing an import batch, from the audit entries it wrote (see staging.Audit)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from counties.audit import read_value, references
from counties.models import AuditEntry
from counties.scopes import scope_of

from ..models import ImportBatch, Project
from .running import Busy, lock
from .staging import IN_COUNTY, Audit

# How a registry's batch is undone, by ImportBatch.Kind (registry.py fills it in).
UNDO = {}
UNDO_BUSY = "另一项导入或撤销正在进行，等待%d秒后仍未结束；本批导入未撤销，请稍后再试。"


class RollbackRefused(Exception):
    """A batch cannot be undone; `records` names the projects touched since (or the reason)."""

    def __init__(self, message, records=()):
        super().__init__(message)
        self.records = list(records)


def rollback_batch(*, batch, user):
    """Undoes an import batch: the projects it created are deleted and the projects it changed
    get their earlier values back, in one transaction, each step in the audit trail.

    A registry's batch is undone by its registry (UNDO, registry.rollback_registry).
    Refuses (RollbackRefused) a batch of another report type (indicator reports cannot be
    undone yet), a batch already undone, one with projects outside the user's scope (named),
    or one whose projects anything touched later (an admin edit, another import, a fund
    allocation): undoing would then destroy newer work.
    Returns the number of projects restored and deleted.
    """
    content_type = ContentType.objects.get_for_model(Project)
    with transaction.atomic():
        wait = settings.IMPORT_LOCK_WAIT_SECONDS
        try:
            lock(wait)
        except Busy:
            raise RollbackRefused(UNDO_BUSY % wait) from None
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.rolled_back_at:
            raise RollbackRefused("该批导入已于%s撤销。" % timezone.localtime(batch.rolled_back_at))
        if batch.kind in UNDO:
            counts = UNDO[batch.kind](batch, user)
            batch.rolled_back_at, batch.rolled_back_by = timezone.now(), user
            batch.save(update_fields=["rolled_back_at", "rolled_back_by"])
            return counts
        if batch.kind != ImportBatch.Kind.YEARLY_REPORT:
            raise RollbackRefused(
                "只能撤销项目年度报表和各名册的导入；%s的数据请在管理后台逐条修改。"
                % batch.get_kind_display()
            )
        entries = list(
            AuditEntry.objects.filter(import_batch_id=batch.pk, content_type=content_type)
        )
        ids = [entry.object_id for entry in entries]
        outside = []
        if not scope_of(user).everywhere:  # exclude(Q()) would exclude all
            written = Project.objects.filter(pk__in=[int(i) for i in ids])
            elsewhere = written.exclude(pk__in=written.visible_to(scope_of(user)))
            outside = ["%s %s" % p for p in elsewhere.values_list("code", "name")]
        if outside:
            raise RollbackRefused(
                "以下项目不在您的数据范围内，不能撤销本批导入：%s。" % "、".join(sorted(outside)),
                sorted(outside),
            )
        last = max((entry.pk for entry in entries), default=0)
        later = AuditEntry.objects.filter(content_type=content_type, object_id__in=ids, pk__gt=last)
        touched = set(later.values_list("object_repr", flat=True))
        created = [int(e.object_id) for e in entries if e.action == AuditEntry.Action.CREATE]
        # A fund allocation leaves no entry on its project: one on a created project, or on
        # a project the batch moved to another county (undoing would move it away from the
        # allocation's fund), is newer work too.
        moved = [
            int(e.object_id)
            for e in entries
            if e.action == AuditEntry.Action.CHANGE
            and e.changes.get("county", [None, None])[0] != e.changes.get("county", [None, None])[1]
        ]
        allocated = Project.objects.filter(pk__in=created + moved, allocations__isnull=False)
        touched |= {"%s %s" % pair for pair in allocated.distinct().values_list("code", "name")}
        if touched:
            raise RollbackRefused(
                "以下项目在本批导入之后又被修改过，无法撤销：%s。" % "、".join(sorted(touched)),
                sorted(touched),
            )
        now = timezone.now()
        changes = [entry for entry in entries if entry.action == AuditEntry.Action.CHANGE]
        kept = unrecorded(changes)
        earlier = Earlier(changes)
        restored = {entry.pk: restore(entry, earlier, kept) for entry in changes}
        Project.objects.bulk_update(restored.values(), [*RESTORED, "updated_at"], batch_size=2000)
        Project.objects.filter(pk__in=created).delete()
        AuditEntry.objects.bulk_create(
            # Where the project is after the undo; a deleted one, where it was.
            undoing(
                entry, user, now, restored[entry.pk].county_id if entry.pk in restored else None
            )
            for entry in entries
        )
        batch.rolled_back_at, batch.rolled_back_by = now, user
        batch.save(update_fields=["rolled_back_at", "rolled_back_by"])
    return len(restored), len(created)


def undoing(entry, user, now, county_id=None):
    """The audit entry of undoing one of a batch's entries: the record it created deleted, or
    the record it changed changed back; filed where the record is after the undo (`county_id`,
    by default where the entry was)."""
    return AuditEntry(
        at=now,
        user=user,
        channel=AuditEntry.Channel.ROLLBACK,
        action=AuditEntry.Action.DELETE
        if entry.action == AuditEntry.Action.CREATE
        else AuditEntry.Action.CHANGE,
        content_type_id=entry.content_type_id,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        changes={name: [new, old] for name, (old, new) in entry.changes.items()},
        import_batch_id=entry.import_batch_id,
        county_id=county_id or entry.county_id,
        prefecture_id=None if county_id else entry.prefecture_id,
    )


RESTORED = [*Audit.FIELDS, "county", "import_batch"]


def unrecorded(entries):
    """{project id: {field: value}} of the fields an entry does not record (an import from
    before a column was added did not write it): nothing touched the projects since the
    batch, so their stored values are those from before it. One query, or none."""
    missing = {c for entry in entries for c in Audit.FIELDS if Audit.KEYS[c] not in entry.changes}
    if not missing:
        return {}
    ids = [int(entry.object_id) for entry in entries]
    rows = Project.objects.filter(pk__in=ids).values("pk", *sorted(missing))
    return {row.pop("pk"): row for row in rows}


class Earlier:
    """The records the change entries name as their projects' earlier county, village and
    programme, read through the audit trail's format (counties/audit.py): one query each."""

    def __init__(self, entries):
        county = Project._meta.get_field("county")
        named = [entry.changes["county"][0] for entry in entries]
        self.counties = references(county, named)
        self.in_county = {}
        for name, record in IN_COUNTY.items():
            field = Project._meta.get_field(name)
            values = [entry.changes.get(field.name, [None])[0] for entry in entries]
            candidates = record.model.objects.filter(county__in=self.counties.values())
            found = references(field, values, candidates.select_related("county"))
            self.in_county[name] = (found, field.verbose_name)

    def county(self, name):
        return self.found(self.counties, name, "县市区")

    def record(self, field, name):
        """The id of the village or programme (`field`) an entry names, or None."""
        records, kind = self.in_county[field]
        return None if name is None else self.found(records, name, kind)

    @staticmethod
    def found(records, name, kind):
        if name not in records:
            raise RollbackRefused(
                "本批导入之前项目所在的%s“%s”已不存在（已删除或改名），无法撤销。" % (kind, name)
            )
        return records[name]


def restore(entry, earlier, kept):
    """The project of a change entry, with the values it had before the import; `earlier`
    finds its county, village and programme, `kept` holds what unrecorded() found."""
    project = Project(pk=int(entry.object_id))
    for name in Audit.FIELDS:
        field, key = Project._meta.get_field(name), Audit.KEYS[name]
        if key not in entry.changes:
            setattr(project, name, kept[project.pk][name])
        elif name in IN_COUNTY:
            setattr(project, name, earlier.record(name, entry.changes[key][0]))
        else:
            setattr(project, name, read_value(field, entry.changes[key][0]))
    project.county_id = earlier.county(entry.changes["county"][0])
    project.import_batch_id = entry.changes["import_batch"][0]
    project.updated_at = timezone.now()
    return project
