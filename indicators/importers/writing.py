"""Running an indicator report import: validate every row of every file, then write all or nothing.

The same guarantees as the project import (running.py), with a simpler store: a report holds
a few thousand figures, so the validated rows wait in memory, one query loads the stored
figures of their years, and the ORM's bulk_create and bulk_update write the difference.
"""

import functools
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from counties.audit import audit_value, reference
from counties.models import AuditEntry
from projects.importers.refusals import Findings
from projects.importers.running import (
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
from projects.models import HeaderAlias, ImportBatch, plain

from ..models import IndicatorFigure
from . import wide
from .rows import (
    COLUMNS,
    KEPT,
    PLACE_FIELD,
    Catalogue,
    FigurePlaces,
    FigureReader,
    place_name,
)

BULK_SIZE = 1000


def import_indicator_report(
    *,
    files,
    user=None,
    channel=ImportBatch.Channel.COMMAND,
    dry_run=False,
    progress=None,
    refusal=None,
    sender=None,
):
    """Imports indicator reports; all files are written in one transaction, or none.

    `files` is a list of Sources or of (name, seekable binary file) pairs; `user` limits
    the places to their scope (None: everywhere). A blank 协议数, 完成数 or 备注 keeps the
    stored value. Raises ImportFailed with the first errors and their count; with `refusal`
    (RefusalFiles), the refused rows and the full list of errors are written there. Returns
    a Report. A dry run reports the same counts and preview, and writes nothing. `sender` (a
    County): whose office sent the files; its saved layout is read too.
    """
    files = sources(files)
    report = Report([FileReport(f.name, f.sha256) for f in files])
    progress = progress or Progress()
    catalogue = Catalogue()
    reader = functools.partial(FigureReader, places=FigurePlaces(user), catalogue=catalogue)
    rows = [[] for _ in files]
    findings = Findings(refusal)
    report.remarks = findings.remarks
    kind = ImportBatch.Kind.INDICATOR_REPORT
    for row in validate(
        files,
        report,
        progress,
        columns=COLUMNS,
        reader=reader,
        findings=findings,
        aliases=HeaderAlias.objects.by_column(kind),
        saved=HeaderAlias.objects.by_column(kind, sender) if sender else None,
        sender=str(sender or ""),
        layouts=[wide.layout(catalogue)],
    ):
        rows[row.file_index].append((row.number, row.values))

    def work():
        stored = stored_figures({values["year"] for file in rows for _, values in file})
        for file_rows, file_report in zip(rows, report.files, strict=True):
            progress.restart()
            plan = compare(file_rows, stored, file_report)
            if not dry_run:
                write(plan, file_report, user, channel)
            stage_name = "已比对" if dry_run else "已写入"
            progress(stage_name, file_report.name, file_report.rows, final=True)

    in_one_transaction(work, dry_run=dry_run, wait=lock_wait(channel))
    return report


def figure_key(figure):
    """The key FigureReader.key gives the row of this figure."""
    place = PLACE_FIELD[figure.level]
    place_id = getattr(figure, "%s_id" % place) if place else None
    return (figure.indicator_id, figure.year, figure.level, place_id)


def stored_figures(years):
    """The stored figures of these years, by key; one query."""
    return {figure_key(f): f for f in IndicatorFigure.objects.filter(year__in=years)}


@dataclass
class Plan:
    """What one file does: the figures to create, and those to change with their changes."""

    created: list = field(default_factory=list)  # (figure, values)
    changed: list = field(default_factory=list)  # (figure, values, {field: [before, after]})


def compare(file_rows, stored, file_report):
    """Sorts a file's rows into new, changed and unchanged figures; fills in the counts and
    the preview. A blank cell keeps the stored value; a new figure gets nothing for it."""
    plan = Plan()
    preview = []
    for number, values in file_rows:
        key = (values["indicator"].pk, values["year"], values["level"], key_place(values))
        figure = stored.get(key)
        if figure is None:
            figure = new_figure(values)
            plan.created.append((figure, values))
            kind = "new"
        else:
            changes = {}
            for name in KEPT:
                before, after = getattr(figure, name), values[name]
                if after is not None and after != before:
                    changes[name] = [audit_value(before), audit_value(after)]
                    setattr(figure, name, after)
            if not changes:
                continue
            plan.changed.append((figure, values, changes))
            kind = "update"
        if len(preview) < PREVIEW_ROWS:
            preview.append(
                (
                    number,
                    kind,
                    values["indicator"].name,
                    values["year"],
                    place_name(values["place"]),
                    shown(figure.target),
                    shown(figure.result),
                )
            )
    file_report.created, file_report.updated = len(plan.created), len(plan.changed)
    file_report.unchanged = file_report.rows - file_report.created - file_report.updated
    file_report.preview = preview
    return plan


def key_place(values):
    return values["place"].pk if values["place"] else None


def new_figure(values):
    figure = IndicatorFigure(
        indicator=values["indicator"],
        year=values["year"],
        level=values["level"],
        target=values["target"],
        result=values["result"],
        note=values["note"] or "",
    )
    if PLACE_FIELD[values["level"]]:
        setattr(figure, PLACE_FIELD[values["level"]], values["place"])
    return figure


def write(plan, file_report, user, channel):
    """Creates and updates one file's figures as its batch, each with its audit entry."""
    now = timezone.now()
    kind = ImportBatch.Kind.INDICATOR_REPORT
    batch = new_batch(kind, file_report, user, channel, now)
    for figure, _ in plan.created:
        figure.import_batch, figure.updated_at = batch, now
    IndicatorFigure.objects.bulk_create([f for f, _ in plan.created], batch_size=BULK_SIZE)
    earlier = {}
    for figure, _, _ in plan.changed:
        earlier[figure.pk] = figure.import_batch_id
        figure.import_batch, figure.updated_at = batch, now
    IndicatorFigure.objects.bulk_update(
        [f for f, _, _ in plan.changed],
        [*KEPT, "import_batch", "updated_at"],
        batch_size=BULK_SIZE,
    )
    entry = functools.partial(
        AuditEntry,
        at=now,
        user=user,
        channel=audit_channel(channel),
        content_type=ContentType.objects.get_for_model(IndicatorFigure),
        import_batch_id=batch.pk,
    )
    entries = [
        entry(
            action=AuditEntry.Action.CREATE,
            county_id=figure.county_id,
            prefecture_id=None if figure.county_id else figure.prefecture_id,
            object_id=str(figure.pk),
            object_repr=figure_repr(values),
            changes=created_changes(figure, values),
        )
        for figure, values in plan.created
    ]
    entries += [
        entry(
            action=AuditEntry.Action.CHANGE,
            county_id=figure.county_id,
            prefecture_id=None if figure.county_id else figure.prefecture_id,
            object_id=str(figure.pk),
            object_repr=figure_repr(values),
            changes={**changes, "import_batch": [earlier[figure.pk], batch.pk]},
        )
        for figure, values, changes in plan.changed
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=BULK_SIZE)
    file_report.batch = batch


def created_changes(figure, values):
    """A new figure's audit changes: every field from None (counties/audit.py)."""
    changes = {
        "indicator": [None, reference(values["indicator"])],
        "year": [None, figure.year],
        "level": [None, figure.level],
    }
    place = PLACE_FIELD[figure.level]
    if place:
        changes[place] = [None, reference(values["place"])]
    for name in KEPT:
        changes[name] = [None, audit_value(getattr(figure, name))]
    return changes


def figure_repr(values):
    """str(figure), from the row's values rather than a query per figure."""
    return "%s年 %s %s" % (values["year"], place_name(values["place"]), values["indicator"].name)


def shown(number):
    return plain(number) if number is not None else ""
