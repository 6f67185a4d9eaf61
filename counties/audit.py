"""How a value is written in the audit trail (AuditEntry.changes) and read back from it.

Every writer goes through here: admin edits and user administration (counties/admin.py
`snapshot`), the indicator import, undo, and the project import, whose SQL writes the same
text (projects/importers/staging.py `Audit`; a test holds the two to one another). Undo reads
what it restores with `read_value` and `references`. The format is what a person reads on a
record's 历史 page, exact:

- a related record with a code: "code name" (“530828 澜沧拉祜族自治县”, “LC-001 茶叶初制所”);
  an import batch: its number; any other record as the admin names it (its str);
- an amount: its digits as text without trailing zeros (“120.5”, “0”), never a float;
- a date: ISO text (“2023-03-01”); a time: local time, to the second, ISO text;
- text, whole numbers, yes/no and choice codes as they are; nothing: null;
- many-to-many: the sorted list of the records as the admin names them.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone

from .templatetags.money import money, plain


def audit_value(value):
    """One field's value as the audit trail stores it (see the module docstring)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, datetime.datetime):
        # Forms show and post whole seconds in local time; finer would be a change each save.
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return reference(value)
    return str(value)


def reference(obj):
    """A related record as the audit trail names it: "code name" where it has a code, an
    import batch by its number, anything else as the admin names it."""
    if is_batch(type(obj)):
        return obj.pk
    code = getattr(obj, "code", None)
    if code:
        name = getattr(obj, "name", None)
        return "%s %s" % (code, name) if name else code
    return str(obj)


def is_batch(model):
    # Import batches belong to the projects app, above this one: known by their label.
    return model._meta.label_lower == "projects.importbatch"


def has_code(model):
    return any(field.name == "code" for field in model._meta.concrete_fields)


def references(field, values, candidates=None):
    """{audit value: pk} of the records of foreign key `field` these stored values name, in
    one query: by code for records with a code, by number for import batches, else by name
    among `candidates` (a queryset of the related model; all its records by default). A
    value naming no record today (deleted, or its code changed) is missing from the result."""
    model = field.related_model
    values = {value for value in values if value is not None}
    if not values:
        return {}
    if is_batch(model):
        found = set(model._default_manager.filter(pk__in=values).values_list("pk", flat=True))
        return {value: value for value in values if value in found}
    if has_code(model):
        codes = {str(value).split(" ", 1)[0]: value for value in values}
        rows = model._default_manager.filter(code__in=codes).values_list("code", "pk")
        return {codes[code]: pk for code, pk in rows}
    records = candidates if candidates is not None else model._default_manager.all()
    named = ((reference(obj), obj.pk) for obj in records)
    return {name: pk for name, pk in named if name in values}


def read_value(field, value):
    """The model value of a (non-relation) field from its audit value."""
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        # Entries written before this format held amounts as JSON numbers: str() is exact
        # for the four decimals stored.
        return Decimal(str(value))
    return field.to_python(value)


def shown(field, value):
    """An audit value as the 历史 pages show it: an amount as every amount is shown, a choice
    by its label, yes or no, records (many-to-many, a user's places) by their names joined
    with 、; None and no records stay None (the pages write （空）). `field` is None for a
    value that is no field of the record (a user's 数据范围)."""
    if value is None:
        return None
    if isinstance(value, list):
        return "、".join(str(item) for item in value) or None
    if isinstance(value, bool):
        return "是" if value else "否"
    if field is None:
        return value
    if isinstance(field, models.DecimalField):
        return money(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return value


def upgraded(model, changes, named):
    """An entry's changes written before this format, in it; for the data migrations of
    each app, with `model` the historical model of the entry's record and `named(model,
    value)` the reference of the related record an older value names (by id, or by name
    as admin edits wrote it), None when it names none. Returns None when nothing changes.

    Older entries held amounts as JSON numbers (the project import), the village as its id
    under "village_id" (the project import), and related records by name alone (admin
    edits) or as "code name" (the imports). `named` should remember what it found: it is
    asked once per value of every entry."""
    result, changed = {}, False
    for key, pair in changes.items():
        field = field_of(model, key)
        if field is None or not isinstance(pair, list):
            result[key] = pair
            continue
        new = [upgraded_value(field, value, named) for value in pair]
        changed |= new != pair or key != field.name
        result[field.name] = new
    return result if changed else None


def field_of(model, key):
    """The concrete field an entry's key names (by name or, as "village_id", attname)."""
    for field in model._meta.concrete_fields:
        if key in (field.name, field.attname):
            return field
    return None


def upgraded_value(field, value, named):
    if value is None:
        return None
    if isinstance(field, models.DecimalField) and not isinstance(value, bool):
        try:
            return plain(Decimal(str(value)))
        except ArithmeticError:
            return value
    if field.many_to_one and not is_batch(field.related_model):
        return named(field.related_model, value) or value
    return value
