"""Upgrading a database from before the indicators had their own app: the figures, their
import batch and audit entries, and the roles' permissions on them come through readable,
and an import batch of the same database can still be undone."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from counties.models import AuditEntry
from indicators.models import Indicator, IndicatorFigure
from projects.importers import rollback_batch
from projects.models import ImportBatch, Project

BEFORE = [
    ("counties", "0005_audit_entry_place"),
    ("personnel", "0001_initial"),
    ("projects", "0012_audit_entry_places"),
    ("indicators", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_an_old_database_keeps_its_figures_permissions_entries_and_undo():
    old = migrate(BEFORE)
    Prefecture = old.get_model("counties", "Prefecture")
    County = old.get_model("counties", "County")
    OldContentType = old.get_model("contenttypes", "ContentType")
    puer = Prefecture.objects.create(code="530800", name="普洱市", division_type="地级市")
    lancang = County.objects.create(
        code="530828", name="澜沧拉祜族自治县", prefecture=puer, division_type="自治县"
    )
    batch = old.get_model("projects", "ImportBatch").objects.create(
        kind="yearly_report", channel="command", file_name="2023.csv", file_sha256="0" * 64
    )
    project = old.get_model("projects", "Project").objects.create(
        code="LC-001", name="茶叶初制所", county=lancang, year=2023, import_batch=batch
    )
    figure_batch = old.get_model("projects", "ImportBatch").objects.create(
        kind="indicator_report", channel="command", file_name="指标.csv", file_sha256="1" * 64
    )
    # A transactional test before this one may have flushed the catalogue migration 0009 wrote.
    indicator, _ = old.get_model("projects", "Indicator").objects.get_or_create(
        code="labour_jobs",
        defaults={"name": "帮助农村劳动力就业", "unit": "人", "group": "labour", "position": 80},
    )
    indicators = old.get_model("projects", "Indicator").objects.count()
    figure = old.get_model("projects", "IndicatorFigure").objects.create(
        indicator=indicator,
        year=2023,
        level="county",
        county=lancang,
        target="1000",
        result="1500",
        import_batch=figure_batch,
    )
    figure_type = OldContentType.objects.get(app_label="projects", model="indicatorfigure")
    project_type = OldContentType.objects.get(app_label="projects", model="project")
    entry = old.get_model("counties", "AuditEntry")
    entry.objects.create(
        channel="command",
        action="create",
        content_type=figure_type,
        object_id=str(figure.pk),
        object_repr="帮助农村劳动力就业 2023 澜沧拉祜族自治县",
        changes={"result": [None, "1500"]},
        import_batch_id=figure_batch.pk,
        county=lancang,
    )
    entry.objects.create(
        channel="command",
        action="create",
        content_type=project_type,
        object_id=str(project.pk),
        object_repr="LC-001 茶叶初制所",
        changes={"name": [None, "茶叶初制所"], "county": [None, "530828 澜沧拉祜族自治县"]},
        import_batch_id=batch.pk,
        county=lancang,
    )

    migrate(latest())

    moved = IndicatorFigure.objects.select_related("indicator", "county").get()
    assert (moved.indicator.name, moved.county.name, moved.result) == (
        "帮助农村劳动力就业",
        "澜沧拉祜族自治县",
        1500,
    )
    assert moved.import_batch.file_name == "指标.csv"
    assert Indicator.objects.count() == indicators
    content_type = ContentType.objects.get_for_model(IndicatorFigure)
    assert (content_type.app_label, content_type.pk) == ("indicators", figure_type.pk)
    [history] = AuditEntry.objects.for_object(moved)
    assert (history.content_type.model_class(), history.county.name) == (
        IndicatorFigure,
        "澜沧拉祜族自治县",
    )
    reader = get_user_model().objects.create_user("reader")
    reader.groups.add(Group.objects.get(name="查看者"))
    importer = get_user_model().objects.create_user("importer")
    importer.groups.add(Group.objects.get(name="导入员"))
    assert reader.has_perm("indicators.view_indicatorfigure")
    assert importer.has_perm("indicators.import_indicatorfigure")
    admin = get_user_model().objects.create_superuser("admin", "", "x")

    assert rollback_batch(batch=ImportBatch.objects.get(pk=batch.pk), user=admin) == (0, 1)
    assert not Project.objects.filter(code="LC-001").exists()
