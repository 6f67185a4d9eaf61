"""Existing audit entries get the place of their record (AuditEntry.county, .prefecture),
which is now the entry's scope. Only records that still exist can tell their place; the
entries of records deleted before this migration stay without one, and so are shown to
province-wide users and superusers only.

It lives in this app, the top of the dependency graph, because it reads the records of
every app."""

from django.db import migrations

# (app, model) → the path to the record's county and, for records of a whole prefecture,
# to its prefecture.
PLACES = {
    ("counties", "county"): ("pk", None),
    ("counties", "prefecture"): (None, "pk"),
    ("counties", "village"): ("county_id", None),
    ("counties", "pairing"): ("county_id", "prefecture_id"),
    ("personnel", "cadre"): ("county_id", "prefecture_id"),
    ("personnel", "exchangeposting"): ("county_id", None),
    ("projects", "project"): ("county_id", None),
    ("projects", "fund"): ("county_id", None),
    ("projects", "fundallocation"): ("project__county_id", None),
    ("projects", "industrialpark"): ("county_id", None),
    ("projects", "indicatorfigure"): ("county_id", "prefecture_id"),
}


def fill(apps, schema_editor):
    AuditEntry = apps.get_model("counties", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for (app_label, model_name), (county, prefecture) in PLACES.items():
        content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        if content_type is None:
            continue
        entries = AuditEntry.objects.filter(content_type=content_type)
        ids = set(entries.values_list("object_id", flat=True))
        model = apps.get_model(app_label, model_name)
        fields = ["pk", *(f for f in (county, prefecture) if f and f != "pk")]
        places = {}
        for keys in chunks(sorted(int(i) for i in ids if i.isdigit())):
            for row in model.objects.filter(pk__in=keys).values(*fields):
                county_id = row[county] if county else None
                prefecture_id = row[prefecture] if prefecture and not county_id else None
                places[str(row["pk"])] = (county_id, prefecture_id)
        for (county_id, prefecture_id), keys in group(places).items():
            for part in chunks(keys):
                entries.filter(object_id__in=part).update(
                    county_id=county_id, prefecture_id=prefecture_id
                )


def chunks(items, size=900):
    """Lists of at most `size` items: SQLite limits the parameters of one statement."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def group(places):
    """Object ids by their place, so that one UPDATE serves all the records of a place."""
    grouped = {}
    for key, place in places.items():
        grouped.setdefault(place, []).append(key)
    return grouped


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0005_audit_entry_place"),
        ("personnel", "0001_initial"),
        ("projects", "0011_browse_role"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
