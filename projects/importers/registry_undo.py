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


# Undoing ------------------------------------------------------------------------------


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
    restored = []
    for name in sorted({name for entry in changes for name in entry.changes}):
        model_field = model._meta.get_field(name)
        named = [e.changes[name][0] for e in changes if name in e.changes]
        found = references(model_field, named) if model_field.is_relation else None
        for entry in changes:
            if name not in entry.changes:
                continue
            before = entry.changes[name][0]
            record = records[int(entry.object_id)]
            if model_field.is_relation:
                if before is not None and before not in found:
                    raise RollbackRefused(
                        "本批导入之前的%s“%s”已不存在，无法撤销。"
                        % (model_field.verbose_name, before)
                    )
                setattr(record, model_field.attname, found.get(before))
            else:
                setattr(record, name, read_value(model_field, before))
    restored = list(records.values())
    fields = sorted({name for entry in changes for name in entry.changes})
    if fields:
        model._default_manager.bulk_update(restored, fields, batch_size=BULK_SIZE)
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
