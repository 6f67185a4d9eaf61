"""Removes the demo data (fixtures/demo.json) from a database that got it by mistake.

Each demo record is found again by what identifies it (a project's code, a cadre's name and
batch, a fund's source, year, county and amount…), never by database id: the fixture's ids
say nothing about a database that has lived. A record is removed only while it is exactly
as the demo wrote it and nothing else refers to it, so that what staff changed, imported or
linked to a demo record stays; those are listed, to be looked at in the admin.
"""

import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

# The fields that find a demo record of each model again, by model name (so that a model
# moving to another app keeps its rule). A model not named here is found by all its fields.
IDENTITY = {
    "batch": ["number"],
    "village": ["county", "township", "name"],
    "industrialpark": ["name"],
    "cadre": ["name", "batch"],
    "exchangeposting": ["name", "county", "start_date"],
    "fund": ["source", "year", "county", "amount", "donor"],
    "project": ["code"],
    "fundallocation": ["fund", "project"],
    "indicatorfigure": ["indicator", "year", "level", "prefecture", "county", "district"],
}


class Unresolved(Exception):
    """A demo record refers to something the database does not have: it is not there."""


class Ambiguous(Exception):
    """Several records have a demo record's identifying values: none is taken for it."""


class Command(BaseCommand):
    help = (
        "从误载入演示数据的数据库中删除演示数据（fixtures/demo.json 中的项目、资金、园区、村、"
        "干部批次、示例干部、交流挂职和指标数据），在一个事务中完成；不删除参考数据。"
        "载入后被修改过或仍被其他记录使用的演示记录保留并列出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--yes", action="store_true", help="不询问，直接删除。")

    def handle(self, *args, yes, **options):
        plan = remove_demo(commit=False)
        self.report_kept(plan)
        if not plan.removed:
            self.stdout.write("数据库中没有可删除的演示数据，未做任何改动。")
            return
        if not yes:
            self.stdout.write("将删除以下%d条演示数据：" % len(plan.removed))
            self.list_records(plan.removed)
            try:
                answer = input("确认删除？请输入 yes：")
            except EOFError:
                raise CommandError("未确认，未做任何改动：不在终端中运行时请加 --yes。") from None
            if answer.strip().lower() != "yes":
                self.stdout.write("已取消，未做任何改动。")
                return
        done = remove_demo(commit=True)
        self.stdout.write(self.style.SUCCESS("已删除演示数据%d条：" % len(done.removed)))
        self.list_records(done.removed)

    def list_records(self, records):
        for label, text in records:
            self.stdout.write("  %s：%s" % (label, text))

    def report_kept(self, plan):
        if plan.kept:
            self.stdout.write(
                "保留%d条演示记录（请在管理后台核对，确属演示数据可在那里删除）：" % len(plan.kept)
            )
            for label, text, reason in plan.kept:
                self.stdout.write("  %s：%s（%s）" % (label, text, reason))
        if plan.missing:
            self.stdout.write("数据库中没有的演示记录%d条（已删除或从未载入）。" % plan.missing)


class Outcome:
    def __init__(self):
        self.removed = []  # (model label, record)
        self.kept = []  # (model label, record, why)
        self.missing = 0


def remove_demo(*, commit):
    """Deletes the demo's records from the database in one transaction, or with commit=False
    only finds what would go (and rolls back). Returns what was removed, kept and missing.

    A record stays when it changed since it was loaded, when it refers to a record that
    stays (an allocation of a project staff changed), or when anything else refers to it
    (a village staff gave a project of their own)."""
    outcome = Outcome()
    with transaction.atomic():
        entries = json.loads(demo_fixture().read_text(encoding="utf-8"))
        found = {}  # (model label, fixture pk) -> the database record, for pk references
        records = []  # (record, why it stays or "")
        kept = {}  # (model label, pk) -> the record that stays
        # In the fixture's order: what a record refers to comes before it.
        for entry in entries:
            model = apps.get_model(entry["model"])
            try:
                wanted = expected_values(model, entry["fields"], found)
                obj = find(model, wanted)
            except Unresolved:
                obj = None
            except Ambiguous as error:
                obj, count = error.args
                records.append((obj, "数据库中有%d条这样的记录，无法确定哪条是演示数据" % count))
                continue
            if obj is None:
                outcome.missing += 1
                continue
            if "pk" in entry:
                found[(model._meta.label_lower, entry["pk"])] = obj
            why = changes(obj, wanted) or refers_to(obj, kept)
            if why:
                kept[(obj._meta.label_lower, obj.pk)] = obj
            records.append((obj, why))
        # Dependents first: a project's allocations before it, a batch's cadres before it.
        for obj, why in reversed(records):
            label, text = obj._meta.verbose_name, str(obj)
            why = why or referrers(obj)
            if why:
                outcome.kept.append((label, text, why))
            else:
                obj.delete()
                outcome.removed.append((label, text))
        outcome.removed.reverse()
        outcome.kept.reverse()
        if not commit:
            transaction.set_rollback(True)
    return outcome


def demo_fixture():
    """The file `loaddata demo` loads."""
    for folder in settings.FIXTURE_DIRS:
        if (Path(folder) / "demo.json").exists():
            return Path(folder) / "demo.json"
    raise CommandError("找不到演示数据文件 demo.json（FIXTURE_DIRS）。")


def expected_values(model, fields, found):
    """The fixture's values of one record as the database holds them: a reference becomes
    the id of the record it names (by natural key, or the demo record already found)."""
    wanted = {}
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if isinstance(field, models.DateTimeField):
            continue  # bookkeeping times: saving a record unchanged moves them
        if field.many_to_many:
            wanted[name] = {reference(field, item, found) for item in value}
        elif field.is_relation:
            wanted[name] = None if value is None else reference(field, value, found)
        else:
            wanted[name] = field.to_python(value)
    # What an import has written since is the report's, not the demo's.
    if "import_batch" not in wanted and any(f.name == "import_batch" for f in model._meta.fields):
        wanted["import_batch"] = None
    return wanted


def reference(field, value, found):
    related = field.related_model
    if isinstance(value, list):
        try:
            return related._default_manager.get_by_natural_key(*value).pk
        except related.DoesNotExist:
            raise Unresolved from None
    obj = found.get((related._meta.label_lower, value))
    if obj is None:
        raise Unresolved
    return obj.pk


def find(model, wanted):
    """The database record with the demo record's identifying values, or None."""
    names = IDENTITY.get(model._meta.model_name) or [
        name for name in wanted if not model._meta.get_field(name).many_to_many
    ]
    lookup = {model._meta.get_field(name).attname: wanted[name] for name in names if name in wanted}
    matches = model._default_manager.filter(**lookup)
    count = matches.count()
    if count > 1:
        raise Ambiguous(matches.first(), count)
    return matches.first()


def changes(obj, wanted):
    """Why a found record is no longer the demo's: the fields changed since it was loaded."""
    changed = []
    for name, value in wanted.items():
        field = obj._meta.get_field(name)
        if field.many_to_many:
            current = set(getattr(obj, name).values_list("pk", flat=True))
        else:
            current = getattr(obj, field.attname)
        if current != value:
            changed.append(str(field.verbose_name))
    if "import_batch" in wanted and obj.import_batch_id != wanted["import_batch"]:
        return "载入后已被导入批次%d改写" % obj.import_batch_id
    return "载入后修改了%s" % "、".join(changed) if changed else ""


def refers_to(obj, kept):
    """Why a record must stay with another: the records that stay which it refers to."""
    targets = []
    for field in obj._meta.get_fields():
        if field.many_to_many and not field.auto_created:
            ids = getattr(obj, field.name).values_list("pk", flat=True)
        elif field.many_to_one:
            ids = [getattr(obj, field.attname)]
        else:
            continue
        label = field.related_model._meta.label_lower
        targets += [kept[(label, pk)] for pk in ids if (label, pk) in kept]
    if not targets:
        return ""
    return "随保留的%s一并保留" % "、".join(
        "%s %s" % (target._meta.verbose_name, target) for target in targets[:3]
    )


def referrers(obj):
    """Why a record must stay for others: the records that still refer to it."""
    users = []
    for relation in obj._meta.related_objects:
        queryset = relation.related_model._base_manager.filter(**{relation.field.name: obj})
        users += ["%s %s" % (queryset.model._meta.verbose_name, item) for item in queryset[:3]]
    return "仍被%s使用" % "、".join(users[:3]) if users else ""
