"""Rewrites older audit entries in the audit trail's one format (counties/audit.py).

It lives in the top app because it reads the records of every app the entries point at.
Entries are read and written in chunks: an import of 100,000 rows wrote as many entries.
"""

from django.db import migrations

from counties.audit import upgraded

CHUNK = 2000


def village_name(village):
    # Village.__str__, which a historical model does not have.
    return "%s%s%s" % (village.county.name, village.township, village.name)


class Named:
    """The audit reference of the record an older value names, remembered per value."""

    def __init__(self):
        self.found = {}

    def __call__(self, model, value):
        key = (model._meta.label_lower, value)
        if key not in self.found:
            self.found[key] = self.look_up(model, value)
        return self.found[key]

    def look_up(self, model, value):
        manager = model._default_manager
        fields = {field.name for field in model._meta.concrete_fields}
        if isinstance(value, int) and not isinstance(value, bool):
            obj = manager.filter(pk=value).first()
        elif isinstance(value, str) and "code" in fields:
            code = value.split(" ", 1)[0]
            if manager.filter(code=code).exists():
                return None  # already "code name"
            matches = list(manager.filter(name=value)[:2]) if "name" in fields else []
            obj = matches[0] if len(matches) == 1 else None
        else:
            return None
        if obj is None:
            return None
        if model._meta.label_lower == "counties.village":
            return village_name(obj)
        if "code" in fields:
            name = getattr(obj, "name", "")
            return "%s %s" % (obj.code, name) if name else obj.code
        return None


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("counties", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    named = Named()
    for content_type in ContentType.objects.filter(pk__in=AuditEntry.objects.values("content_type")):
        try:
            model = apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            continue  # a model since removed: its entries stay as they are
        entries = AuditEntry.objects.filter(content_type=content_type).order_by("pk")
        last = 0
        while True:
            chunk = list(entries.filter(pk__gt=last)[:CHUNK])
            if not chunk:
                break
            last = chunk[-1].pk
            changed = []
            for entry in chunk:
                changes = upgraded(model, entry.changes, named)
                if changes is not None:
                    entry.changes = changes
                    changed.append(entry)
            AuditEntry.objects.bulk_update(changed, ["changes"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("counties", "0006_formerdivision"),
        ("personnel", "0001_initial"),
        ("projects", "0014_header_alias"),
        ("indicators", "0003_indicator_aliases"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
