"""The audit trail's one format (counties/audit.py): an admin edit and an import write a
change the same way, amounts and dates as text, never floats; undo reads it back; entries
written before the format are rewritten into it by a migration and stay undoable."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from pytest_django.asserts import assertContains

from counties.models import AuditEntry, County, Village
from projects.importers import RollbackRefused, rollback_batch
from projects.models import ImportBatch, Project
from tests.projects.post_data import project_data

HEADER = "项目编号,项目名称,年度,县市区,村,项目类别,项目状态,上海援助资金（万元）,开工日期\n"


@pytest.fixture
def village(county):
    return Village.objects.create(name="勐滨村", township="勐朗镇", county=county)


@pytest.fixture
def project(county):
    return Project.objects.create(
        code="LC-001", name="茶叶初制所", county=county, category="industry", year=2023
    )


def imported(tmp_path, text):
    path = tmp_path / "report.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    call_command("import_yearly_report", str(path), quiet=True, stdout=io.StringIO())
    return ImportBatch.objects.latest("pk")


def last_change(project):
    return AuditEntry.objects.for_object(project).filter(action="change").first().changes


def admin_edit(client, project, county=None, **fields):
    data = project_data(county or project.county, code=project.code, name=project.name, **fields)
    url = reverse("admin:projects_project_change", args=[project.pk])
    assert client.post(url, data).status_code == 302


def test_an_admin_edit_and_an_import_write_the_same_change_the_same_way(
    tmp_path, admin_client, county, village
):
    by_admin = Project.objects.create(code="LC-001", name="茶叶初制所", county=county, year=2023)
    by_import = Project.objects.create(code="LC-002", name="村道硬化", county=county, year=2023)
    change = {"village": str(village.pk), "shanghai_funds": "120.5", "start_date": "2023-03-01"}

    admin_edit(admin_client, by_admin, category="industry", year="2023", **change)
    imported(tmp_path, "LC-002,村道硬化,2023,530828,勐滨村,产业发展,计划,120.5,2023-03-01\n")

    expected = {
        "village": [None, "澜沧拉祜族自治县勐朗镇勐滨村"],
        "shanghai_funds": ["0", "120.5"],
        "start_date": [None, "2023-03-01"],
    }
    admin_changes = last_change(by_admin)
    import_changes = last_change(by_import)
    assert {key: admin_changes[key] for key in expected} == expected
    assert {key: import_changes[key] for key in expected} == expected


def test_an_imported_project_is_recorded_with_text_amounts_and_code_named_county(
    tmp_path, county, village
):
    imported(tmp_path, "LC-009,新项目,2023,530828,勐滨村,其他,计划,12.3400,2023-03-01\n")

    entry = AuditEntry.objects.get(action="create")
    assert entry.changes["shanghai_funds"] == [None, "12.34"]
    assert entry.changes["other_funds"] == [None, "0"]
    assert entry.changes["county"] == [None, "530828 澜沧拉祜族自治县"]
    assert entry.changes["village"] == [None, "澜沧拉祜族自治县勐朗镇勐滨村"]
    assert "village_id" not in entry.changes
    stored = json.dumps(entry.changes)
    assert not any(isinstance(new, float) for _, new in entry.changes.values()), stored


def test_an_admin_move_names_both_counties_by_code_and_name(admin_client, project, menghai):
    admin_edit(admin_client, project, category="industry", year="2023", county=menghai)

    assert last_change(project)["county"] == ["530828 澜沧拉祜族自治县", "532822 勐海县"]


def test_undo_restores_amounts_dates_and_the_village_read_from_the_trail(
    tmp_path, admin_user, project, village
):
    Project.objects.filter(pk=project.pk).update(
        village=village, shanghai_funds=Decimal("8.25"), start_date=datetime.date(2022, 5, 1)
    )
    batch = imported(tmp_path, "LC-001,茶叶初制所,2023,530828,,产业发展,计划,100,2023-03-01\n")
    Project.objects.filter(pk=project.pk).update(village=None)  # as the trail does not know

    assert rollback_batch(batch=batch, user=admin_user) == (1, 0)

    restored = Project.objects.get()
    assert (restored.shanghai_funds, restored.start_date, restored.village) == (
        Decimal("8.25"),
        datetime.date(2022, 5, 1),
        village,
    )


def test_undo_is_refused_by_name_when_the_earlier_village_is_gone(
    tmp_path, admin_user, project, village, county
):
    other = Village.objects.create(name="富邦村", township="富邦乡", county=county)
    Project.objects.filter(pk=project.pk).update(village=village)
    batch = imported(tmp_path, "LC-001,茶叶初制所,2023,530828,富邦村,产业发展,计划,0,\n")
    Village.objects.filter(pk=village.pk).update(name="勐滨新村")

    with pytest.raises(RollbackRefused) as refusal:
        rollback_batch(batch=batch, user=admin_user)

    assert str(refusal.value) == (
        "本批导入之前项目所在的村“澜沧拉祜族自治县勐朗镇勐滨村”已不存在（已删除或改名），无法撤销。"
    )
    assert Project.objects.get().village == other


BEFORE = [("indicators", "0003_indicator_aliases")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_older_entries_are_rewritten_in_the_format_and_stay_undoable(admin_user):
    old = migrate(BEFORE)
    Prefecture = old.get_model("counties", "Prefecture")
    OldCounty = old.get_model("counties", "County")
    puer = Prefecture.objects.create(code="530800", name="普洱市", division_type="地级市")
    lancang = OldCounty.objects.create(
        code="530828", name="澜沧拉祜族自治县", prefecture=puer, division_type="自治县"
    )
    OldVillage = old.get_model("counties", "Village")
    village = OldVillage.objects.create(name="勐滨村", township="勐朗镇", county=lancang)
    batch = old.get_model("projects", "ImportBatch").objects.create(
        kind="yearly_report", channel="command", file_name="2023.csv", file_sha256="0" * 64
    )
    OldProject = old.get_model("projects", "Project")
    project = OldProject.objects.create(
        code="LC-001",
        name="茶叶精制厂",
        county=lancang,
        year=2023,
        import_batch=batch,
        shanghai_funds=Decimal("100"),
    )
    project_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="projects", model="project"
    )
    entry = old.get_model("counties", "AuditEntry").objects
    # As the project import wrote it: a JSON number, the village's id, "code name".
    imported = entry.create(
        channel="command",
        action="change",
        content_type=project_type,
        object_id=str(project.pk),
        object_repr="LC-001 茶叶精制厂",
        import_batch_id=batch.pk,
        county=lancang,
        changes={
            "name": ["茶叶初制所", "茶叶精制厂"],
            "shanghai_funds": [12.5, 100],
            "village_id": [village.pk, None],
            "county": ["530828 澜沧拉祜族自治县", "530828 澜沧拉祜族自治县"],
            "import_batch": [None, batch.pk],
        },
    )
    # As an admin edit wrote it: the county by its name alone.
    edited = entry.create(
        channel="admin",
        action="create",
        content_type=project_type,
        object_id="999",
        object_repr="LC-999 旧项目",
        county=lancang,
        changes={"county": [None, "澜沧拉祜族自治县"], "shanghai_funds": [None, "5"]},
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert AuditEntry.objects.get(pk=imported.pk).changes == {
        "name": ["茶叶初制所", "茶叶精制厂"],
        "shanghai_funds": ["12.5", "100"],
        "village": ["澜沧拉祜族自治县勐朗镇勐滨村", None],
        "county": ["530828 澜沧拉祜族自治县", "530828 澜沧拉祜族自治县"],
        "import_batch": [None, batch.pk],
    }
    assert AuditEntry.objects.get(pk=edited.pk).changes == {
        "county": [None, "530828 澜沧拉祜族自治县"],
        "shanghai_funds": [None, "5"],
    }
    admin = type(admin_user).objects.create_superuser("undoer", "", "x")
    assert rollback_batch(batch=ImportBatch.objects.get(pk=batch.pk), user=admin) == (1, 0)
    restored = Project.objects.get(code="LC-001")
    assert (restored.name, restored.shanghai_funds, restored.village.name) == (
        "茶叶初制所",
        Decimal("12.5"),
        "勐滨村",
    )
    assert restored.county == County.objects.get(code="530828")


def test_the_history_shows_amounts_and_choices_as_the_pages_do(admin_client, project):
    admin_edit(
        admin_client, project, category="infrastructure", year="2023", shanghai_funds="1200.5"
    )

    for url in (
        reverse("admin:projects_project_history", args=[project.pk]),
        reverse("projects:detail", args=[project.code]),
    ):
        page = admin_client.get(url)
        assertContains(page, "上海援助资金（万元）：0.00 → 1,200.50")
        assertContains(page, "项目类别：产业发展 → 基础设施")
