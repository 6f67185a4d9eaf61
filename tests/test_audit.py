"""The audit trail: every admin edit and every import is recorded field by field, and an
import batch can be undone while nothing touched its projects since."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains

from counties.models import AuditEntry, County, Pairing
from projects.importers import RollbackRefused, rollback_batch
from projects.models import Fund, FundAllocation, ImportBatch, Project

HEADER = "项目编号,项目名称,年度,县市区,项目类别,项目状态,上海援助资金（万元）\n"


@pytest.fixture
def project(county):
    return Project.objects.create(
        code="LC-001", name="茶叶初制所", county=county, category="industry", year=2023
    )


def entries(obj):
    return list(AuditEntry.objects.for_object(obj).order_by("pk"))


def project_form(project, **changes):
    data = {
        "code": project.code,
        "name": project.name,
        "category": project.category,
        "year": str(project.year),
        "status": project.status,
        "county": str(project.county_id),
        "shanghai_funds": "0",
        "other_funds": "0",
        "allocations-TOTAL_FORMS": "0",
        "allocations-INITIAL_FORMS": "0",
        "allocations-MIN_NUM_FORMS": "0",
        "allocations-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_an_admin_change_is_recorded_with_before_and_after(admin_client, admin_user, project):
    url = reverse("admin:projects_project_change", args=[project.pk])

    admin_client.post(url, project_form(project, name="茶叶精制厂", shanghai_funds="120.5"))

    [entry] = entries(project)
    assert (entry.user, entry.channel, entry.action) == (admin_user, "admin", "change")
    assert entry.changes == {"name": ["茶叶初制所", "茶叶精制厂"], "shanghai_funds": ["0", "120.5"]}


def test_the_change_shows_on_the_admin_history_and_the_project_page(
    admin_client, user_client, project
):
    url = reverse("admin:projects_project_change", args=[project.pk])
    admin_client.post(url, project_form(project, name="茶叶精制厂"))

    history = admin_client.get(reverse("admin:projects_project_history", args=[project.pk]))
    page = user_client.get(reverse("projects:detail", args=["LC-001"]))

    assertContains(history, "项目名称：茶叶初制所 → 茶叶精制厂")
    assertContains(page, "项目名称：茶叶初制所 → 茶叶精制厂")


def test_a_project_added_with_allocations_records_each_record(admin_client, county):
    fund = Fund.objects.create(source="city", year=2023, county=county, amount=Decimal("100"))
    data = {
        "code": "LC-002",
        "name": "村道硬化",
        "category": "infrastructure",
        "year": "2023",
        "status": "planned",
        "county": str(county.pk),
        "shanghai_funds": "30",
        "other_funds": "0",
        "allocations-TOTAL_FORMS": "1",
        "allocations-INITIAL_FORMS": "0",
        "allocations-MIN_NUM_FORMS": "0",
        "allocations-MAX_NUM_FORMS": "1000",
        "allocations-0-fund": str(fund.pk),
        "allocations-0-amount": "30",
    }

    admin_client.post(reverse("admin:projects_project_add"), data)

    project = Project.objects.get(code="LC-002")
    [created] = entries(project)
    assert created.action == "create"
    assert created.changes["name"] == [None, "村道硬化"]
    [allocation] = entries(FundAllocation.objects.get())
    assert allocation.changes["amount"] == [None, "30"]


def test_a_deletion_is_recorded_with_the_values_it_had(admin_client, county):
    fund = Fund.objects.create(source="social", year=2022, county=county, amount=Decimal("8"))

    admin_client.post(reverse("admin:projects_fund_delete", args=[fund.pk]), {"post": "yes"})

    [entry] = AuditEntry.objects.filter(object_id=str(fund.pk), content_type__model="fund")
    assert entry.action == "delete"
    assert entry.changes["amount"] == ["8", None]


def test_a_county_flag_and_a_pairing_change_are_recorded(admin_client, county, district):
    data = {
        "code": county.code,
        "name": county.name,
        "prefecture": str(county.prefecture_id),
        "division_type": county.division_type,
        "is_former_poverty": "on",
        "poverty_exit_year": "2020",
        "is_border": "on",
        "is_key_assistance": "on",
    }
    admin_client.post(reverse("admin:counties_county_change", args=[county.pk]), data)
    pairing = Pairing.objects.create(district=district, county=county, from_year=2017)
    admin_client.post(
        reverse("admin:counties_pairing_change", args=[pairing.pk]),
        {
            "district": district.pk,
            "county": county.pk,
            "from_year": "2017",
            "to_year": "2020",
            "basis": "explicit",
            "source": "",
        },
    )

    assert entries(County.objects.get())[0].changes == {"is_key_assistance": [False, True]}
    assert entries(pairing)[0].changes == {"to_year": [None, 2020]}


def run_import(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    # The tests move projects on purpose, as an operator who has looked does.
    call_command(
        "import_yearly_report", str(path), quiet=True, allow_moves=True, stdout=io.StringIO()
    )
    return ImportBatch.objects.latest("pk")


def test_an_import_records_each_project_it_creates_or_changes(tmp_path, project):
    batch = run_import(
        tmp_path,
        "a.csv",
        "LC-001,茶叶精制厂,2023,530828,产业发展,计划,0\nLC-009,新项目,2023,530828,其他,计划,5\n",
    )

    changed = entries(project)
    created = entries(Project.objects.get(code="LC-009"))
    assert [(e.action, e.channel, e.import_batch_id) for e in changed] == [
        ("change", "command", batch.pk)
    ]
    assert changed[0].changes["name"] == ["茶叶初制所", "茶叶精制厂"]
    assert [(e.action, e.import_batch_id) for e in created] == [("create", batch.pk)]


def test_an_unchanged_row_is_not_recorded(tmp_path, project):
    run_import(tmp_path, "a.csv", "LC-001,茶叶初制所,2023,530828,产业发展,计划,0\n")

    assert entries(project) == []


def test_undoing_a_batch_restores_what_it_changed_and_removes_what_it_created(
    tmp_path, admin_user, project
):
    first = run_import(tmp_path, "a.csv", "LC-002,村道,2023,530828,基础设施,在建,10\n")
    second = run_import(
        tmp_path,
        "b.csv",
        "LC-001,茶叶精制厂,2024,530828,产业发展,在建,12.5\n"
        "LC-002,村道,2023,530828,基础设施,完工,10\n"
        "LC-003,新项目,2024,530828,其他,计划,5\n",
    )

    assert rollback_batch(batch=second, user=admin_user) == (2, 1)

    tea, road = Project.objects.get(code="LC-001"), Project.objects.get(code="LC-002")
    assert (tea.name, tea.year, tea.status, tea.shanghai_funds) == (
        "茶叶初制所",
        2023,
        "planned",
        0,
    )
    assert tea.import_batch is None
    assert (road.status, road.import_batch) == ("building", first)
    assert not Project.objects.filter(code="LC-003").exists()
    second.refresh_from_db()
    assert (second.rolled_back_by, second.rolled_back_at is not None) == (admin_user, True)
    assert AuditEntry.objects.filter(channel="rollback", import_batch_id=second.pk).count() == 3


def test_undoing_is_refused_when_a_project_was_changed_since(
    tmp_path, admin_client, admin_user, project
):
    batch = run_import(tmp_path, "a.csv", "LC-001,茶叶精制厂,2023,530828,产业发展,计划,0\n")
    url = reverse("admin:projects_project_change", args=[project.pk])
    admin_client.post(url, project_form(Project.objects.get(), name="后来改的名字"))

    with pytest.raises(RollbackRefused) as refusal:
        rollback_batch(batch=batch, user=admin_user)

    assert "以下项目在本批导入之后又被修改过，无法撤销：LC-001" in str(refusal.value)
    assert Project.objects.get().name == "后来改的名字"


def test_undoing_twice_is_refused(tmp_path, admin_user, project):
    batch = run_import(tmp_path, "a.csv", "LC-005,新项目,2023,530828,其他,计划,5\n")
    rollback_batch(batch=batch, user=admin_user)

    with pytest.raises(RollbackRefused, match="该批导入已于"):
        rollback_batch(batch=batch, user=admin_user)


def test_an_administrator_undoes_a_batch_from_its_admin_page(tmp_path, admin_client, county):
    batch = run_import(tmp_path, "a.csv", "LC-005,新项目,2023,530828,其他,计划,5\n")
    page = reverse("admin:projects_importbatch_change", args=[batch.pk])
    assertContains(admin_client.get(page), "撤销此批导入")

    response = admin_client.post(
        reverse("admin:projects_importbatch_rollback", args=[batch.pk]), follow=True
    )

    assertContains(response, "已撤销该批导入：恢复0个项目，删除1个新增项目。")
    assert not Project.objects.filter(code="LC-005").exists()


def test_only_an_administrator_may_undo(tmp_path, client, django_user_model, county):
    batch = run_import(tmp_path, "a.csv", "LC-005,新项目,2023,530828,其他,计划,5\n")
    importer = django_user_model.objects.create_user("importer", is_staff=True)
    client.force_login(importer)

    response = client.post(reverse("admin:projects_importbatch_rollback", args=[batch.pk]))

    assert response.status_code == 403
    assert Project.objects.filter(code="LC-005").exists()


def test_undoing_a_batch_recorded_before_the_village_column_keeps_the_village(
    tmp_path, admin_user, project
):
    """Audit entries of imports from before 村 was a column hold no village: the undo
    keeps the stored village instead of failing or clearing it."""
    from counties.models import Village

    village = Village.objects.create(name="勐朗村", township="勐朗镇", county=project.county)
    Project.objects.filter(pk=project.pk).update(village=village)
    batch = run_import(tmp_path, "a.csv", "LC-001,茶叶精制厂,2023,530828,产业发展,计划,0\n")
    entry = AuditEntry.objects.get(import_batch_id=batch.pk)
    del entry.changes["village"]
    entry.save(update_fields=["changes"])

    assert rollback_batch(batch=batch, user=admin_user) == (1, 0)

    restored = Project.objects.get()
    assert (restored.name, restored.village) == ("茶叶初制所", village)
