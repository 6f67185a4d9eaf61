"""What a registry's import finds and checks of each row's record (registry.py): the stored
record its natural key names, the part of the key a file has no column for matching any
(Stored), and the model's own validation as the admin runs it (model_problems)."""

from django.core.exceptions import ValidationError
from django.db import models


def stored_records(registry, rows):
    """The stored records the rows name (Stored): found by the first part of each row's key
    the file has, a query per 500 values."""
    wanted = {}
    for values in rows:
        key = registry.key_of(values)
        position = next((i for i, part in enumerate(key) if part is not MISSING), None)
        if position is not None:
            wanted.setdefault(position, set()).add(key[position])
    queryset = registry.export_queryset(registry.model._default_manager.all())
    found = {}
    for position, parts in wanted.items():
        name = registry.model._meta.get_field(registry.field_of(registry.key[position])).attname
        if None in parts:  # a blank foreign key (a cadre of no numbered batch)
            parts.discard(None)
            found.update((r.pk, r) for r in queryset.filter(**{"%s__isnull" % name: True}))
        parts = list(parts)
        for start in range(0, len(parts), 500):
            chunk = parts[start : start + 500]
            found.update((r.pk, r) for r in queryset.filter(**{"%s__in" % name: chunk}))
    return Stored(registry, list(found.values()))


# A part of a row's key whose column the file does not have.
MISSING = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
# A natural key two stored records share: the import cannot tell which a row means.
AMBIGUOUS = object()


class Stored:
    """Stored records by natural key. A row's key matches on the parts the file has: a
    fund list without 出资单位 and 文号 finds the county's one fund of that year and source
    (AMBIGUOUS when it has several)."""

    def __init__(self, registry, records):
        self.registry, self.records, self.indexes = registry, records, {}

    def get(self, key):
        present = tuple(part is not MISSING for part in key)
        index = self.indexes.get(present)
        if index is None:
            index = self.indexes[present] = {}
            for record in self.records:
                shown = self.part(self.registry.stored_key(record), present)
                index[shown] = AMBIGUOUS if shown in index else record
        return index.get(self.part(key, present))

    @staticmethod
    def part(key, present):
        return tuple(value for value, kept in zip(key, present, strict=True) if kept)


def default_of(model, name):
    model_field = model._meta.get_field(name)
    return model_field.get_default() if model_field.has_default() else None


def other_uniques(registry):
    """The model's unique field sets other than the primary key and the natural key: a file
    may not give two records the same one (the database would refuse the second)."""
    model = registry.model
    key_fields = {registry.field_of(key) for key in registry.key}
    sets = [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    for constraint in model._meta.constraints:
        unique = isinstance(constraint, models.UniqueConstraint)
        if unique and constraint.condition is None and constraint.fields:
            sets.append(tuple(constraint.fields))
    for together in model._meta.unique_together:
        sets.append(tuple(together))
    return [s for s in sets if set(s) != key_fields]


def header_of(model, fields):
    return "、".join(str(model._meta.get_field(f).verbose_name) for f in fields)


def model_problems(registry, record, labels):
    """(column label, message) for what the model's own validation refuses (full_clean:
    field checks but the foreign keys already found, clean(), constraints)."""
    model = registry.model
    related = [f.name for f in model._meta.concrete_fields if f.is_relation]
    errors = {}
    # full_clean's steps, but the foreign keys' own check (the import found each record)
    # and the unique checks (the natural key found the stored record; other_uniques).
    for step in (lambda: record.clean_fields(exclude=related), record.clean):
        try:
            step()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    key_fields = {registry.field_of(key) for key in registry.key}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and set(constraint.fields) == key_fields:
            continue  # the natural key found the stored record, or there is none
        try:
            constraint.validate(model, record)
        except ValidationError as error:
            name = constraint_field(constraint)
            if name is not None and not hasattr(error, "error_dict"):
                error = ValidationError({name: error.messages})
            errors = error.update_error_dict(errors)
    if errors:
        error = ValidationError(errors)
        by_field = {name: labels.get(key, "") for key, name in registry.fields()}
        problems = []
        for name, messages in error.message_dict.items():
            label = by_field.get(name, "")
            for message in messages:
                problems.append((label, message.rstrip("。")))
        return problems
    return []


def constraint_field(constraint):
    """The field a check constraint's message is about, so that its error names a column:
    the one its condition names last (截止年度 in last_year >= first_year). None for other
    constraints."""
    if not isinstance(constraint, models.CheckConstraint):
        return None

    def last(node):
        if isinstance(node, models.Q):
            for child in reversed(node.children):
                found = last(child)
                if found is not None:
                    return found
            return None
        return node[0].split("__", 1)[0] if isinstance(node, tuple) else None

    return last(constraint.condition)
