"""Undoing a registry's import batch (registry.py), from the audit entries it wrote: what it
created is deleted, what it changed gets its earlier values back."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from counties.audit import read_value, references
from counties.models import AuditEntry
from counties.scopes import scope_of

from .rollback import RollbackRefused, undoing

BULK_SIZE = 1000


def in_scope(scope, place):
    """Whether a record at `place` (county id, prefecture id) is inside `scope`."""
    if scope is None or scope.everywhere:
        return True
    county, prefecture = place
    if county is not None:
        return county in (scope.county_ids or ())
    return prefecture is not None and prefecture in (scope.prefecture_ids or ())


def set_links(model, links):
    """Stores the lists of `links` ((record, field name, [ids])): each record's list of a
    field replaced by the ids given, in two statements a field. The import writes lists
    with it, the undo puts the earlier ones back."""
    for name in sorted({name for _, name, _ in links}):
        model_field = model._meta.get_field(name)
        through = model_field.remote_field.through
        source = model_field.m2m_field_name() + "_id"
        target = model_field.m2m_reverse_field_name() + "_id"
        these = [(record.pk, ids) for record, field_name, ids in links if field_name == name]
        through.objects.filter(**{source + "__in": [pk for pk, _ in these]}).delete()
        rows = [through(**{source: pk, target: id_}) for pk, ids in these for id_ in ids]
        through.objects.bulk_create(rows, batch_size=BULK_SIZE)


# Undoing ------------------------------------------------------------------------------


def earlier(found, model_field, name):
    """The id of the record an entry names as the field's earlier value."""
    if name not in found:
        raise RollbackRefused(
            "本批导入之前的%s“%s”已不存在，无法撤销。" % (model_field.verbose_name, name)
        )
    return found[name]


def rollback_registry(registry, batch, user):
    """Undoes a registry's batch: records it created are deleted, records it changed get
    their earlier values back, each step in the audit trail; refused when a record lies
    outside the user's scope, was changed since, or is used by a record added since."""
    model = registry.model
    content_type = ContentType.objects.get_for_model(model)
    entries = list(AuditEntry.objects.filter(import_batch_id=batch.pk, content_type=content_type))
    scope = scope_of(user)
    outside = [
        e.object_repr for e in entries if not in_scope(scope, (e.county_id, e.prefecture_id))
    ]
    if outside:
        raise RollbackRefused(
            "以下记录不在您的数据范围内，不能撤销本批导入：%s。" % "、".join(sorted(outside)),
            sorted(outside),
        )
    ids = [entry.object_id for entry in entries]
    last = max((entry.pk for entry in entries), default=0)
    later = AuditEntry.objects.filter(content_type=content_type, object_id__in=ids, pk__gt=last)
    touched = sorted(set(later.values_list("object_repr", flat=True)))
    if touched:
        raise RollbackRefused(
            "以下记录在本批导入之后又被修改过，无法撤销：%s。" % "、".join(touched), touched
        )
    changes = [e for e in entries if e.action == AuditEntry.Action.CHANGE]
    created = [e.object_id for e in entries if e.action == AuditEntry.Action.CREATE]
    records = model._default_manager.in_bulk([int(e.object_id) for e in changes])
    links = []
    for name in sorted({name for entry in changes for name in entry.changes}):
        model_field = model._meta.get_field(name)
        named = [e.changes[name][0] for e in changes if name in e.changes]
        if model_field.many_to_many:
            named = [name for names in named for name in names or ()]
        found = references(model_field, named) if model_field.is_relation else None
        for entry in changes:
            if name not in entry.changes:
                continue
            before = entry.changes[name][0]
            record = records[int(entry.object_id)]
            if model_field.many_to_many:
                links.append((record, name, [earlier(found, model_field, n) for n in before]))
            elif model_field.is_relation:
                found_id = None if before is None else earlier(found, model_field, before)
                setattr(record, model_field.attname, found_id)
            else:
                setattr(record, name, read_value(model_field, before))
    restored = list(records.values())
    own = {f.name for f in model._meta.concrete_fields}
    fields = sorted({name for entry in changes for name in entry.changes if name in own})
    if fields:
        model._default_manager.bulk_update(restored, fields, batch_size=BULK_SIZE)
    set_links(model, links)
    try:
        with transaction.atomic():
            model._default_manager.filter(pk__in=[int(pk) for pk in created]).delete()
    except ProtectedError as error:
        used = sorted({str(obj) for obj in error.protected_objects})[:20]
        raise RollbackRefused(
            "本批导入新增的记录已被其他记录使用（%s），无法撤销。" % "、".join(used), used
        ) from None
    now = timezone.now()
    AuditEntry.objects.bulk_create(undoing(entry, user, now) for entry in entries)
    return len(restored), len(created)
