"""The import command as operators run it: its counts line, dry runs, progress, re-imports that
change nothing, updates, the import batch record, and two imports at once."""

import datetime
import hashlib
import io
import re
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command, execute_from_command_line
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from counties.models import Scope
from projects.importers import import_yearly_report
from projects.models import ImportBatch, Project
from tests.cast import make_project

from .report_files import (
    csv_bytes,
    import_files,
    refused,
    row,
    write,
    xlsx_bytes,
    xlsx_row,
)

NEXT_YEAR = datetime.date.today().year + 1
# "报表.csv 已校验：2行（1234行/秒）"
PROGRESS = re.compile(r"^\S+ (已校验|已比对|已写入)：\d+行（\d+行/秒）$")


@pytest.fixture
def report_2023(tmp_path, county):
    """A CSV of two new projects."""
    rows = [row(), row("2023-LC-002", name="澜沧江畔步道", category="基础设施", status="计划")]
    return write(tmp_path, "2023年报表.csv", csv_bytes(rows))


def snapshot():
    """Every project's fields, its last write and its batch, by code."""
    return {
        p.code: (p.name, p.shanghai_funds, p.end_date, p.updated_at, p.import_batch_id)
        for p in Project.objects.all()
    }


def test_successful_import_ends_with_the_counts_line(report_2023):
    lines = import_files(report_2023)

    batch = ImportBatch.objects.get()
    assert lines == [
        "2023年报表.csv：2行，新增2，更新0，未变0（导入批次 %d）" % batch.pk,
        "created=2 updated=0 unchanged=0",
    ]
    assert Project.objects.count() == 2


def test_command_exits_zero_on_success_and_non_zero_on_failure(
    tmp_path, county, capsys, monkeypatch
):
    # As from a shell; run_from_argv closes every connection when done, and with it the test's.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    good = write(tmp_path, "good.csv", csv_bytes([row()]))
    bad = write(tmp_path, "bad.csv", csv_bytes([row("2023-LC-002", county="火星县")]))

    execute_from_command_line(["manage.py", "import_yearly_report", "--quiet", good])
    assert capsys.readouterr().out.splitlines()[-1] == "created=1 updated=0 unchanged=0"
    with pytest.raises(SystemExit) as exit_status:
        execute_from_command_line(["manage.py", "import_yearly_report", "--quiet", bad])

    assert exit_status.value.code != 0
    assert "第2行 县市区：未知的县市区“火星县”" in capsys.readouterr().err
    assert list(Project.objects.values_list("code", flat=True)) == ["2023-LC-001"]


def test_every_import_is_recorded_as_a_batch(tmp_path, county):
    content = csv_bytes([row(), row("2023-LC-002")])
    path = write(tmp_path, "普洱市2023年报表.csv", content)
    before = timezone.now()

    import_files(path)

    batch = ImportBatch.objects.get()
    assert batch.file_name == "普洱市2023年报表.csv"
    assert batch.file_sha256 == hashlib.sha256(content).hexdigest()
    assert (batch.rows, batch.created, batch.updated, batch.unchanged) == (2, 2, 0, 0)
    assert (batch.kind, batch.channel, batch.user) == ("yearly_report", "command", None)
    assert before <= batch.imported_at <= timezone.now()
    assert set(Project.objects.values_list("import_batch", flat=True)) == {batch.pk}


def test_each_file_of_an_import_gets_its_own_batch(tmp_path, county):
    first = write(tmp_path, "a.csv", csv_bytes([row("2023-LC-001")]))
    second = write(
        tmp_path, "b.xlsx", xlsx_bytes([xlsx_row("2023-LC-002"), xlsx_row("2023-LC-003")])
    )

    lines = import_files(first, second)

    assert lines[-1] == "created=3 updated=0 unchanged=0"
    a, b = ImportBatch.objects.get(file_name="a.csv"), ImportBatch.objects.get(file_name="b.xlsx")
    assert (a.rows, a.created, b.rows, b.created) == (1, 1, 2, 2)
    assert Project.objects.get(code="2023-LC-001").import_batch == a
    assert Project.objects.get(code="2023-LC-003").import_batch == b


def test_import_by_a_user_records_the_user(county, django_user_model):
    user = django_user_model.objects.create_user("lancang-office")
    Scope.objects.create(user=user).counties.add(county)  # an import stays inside the scope
    content = csv_bytes([row()])

    report = import_yearly_report(files=[("报表.csv", io.BytesIO(content))], user=user)

    assert report.summary == "created=1 updated=0 unchanged=0"
    assert ImportBatch.objects.get().user == user
    assert Project.objects.get().import_batch.user == user


def test_reimporting_the_same_file_changes_nothing(report_2023):
    import_files(report_2023)
    first_batch = ImportBatch.objects.get()
    before = snapshot()

    lines = import_files(report_2023)

    assert lines[-1] == "created=0 updated=0 unchanged=2"
    assert snapshot() == before
    assert set(Project.objects.values_list("import_batch", flat=True)) == {first_batch.pk}
    again = ImportBatch.objects.exclude(pk=first_batch.pk).get()
    assert (again.rows, again.created, again.updated, again.unchanged) == (2, 0, 0, 2)


def test_the_same_data_written_differently_changes_nothing(tmp_path, county):
    import_files(write(tmp_path, "报表.csv", csv_bytes([row(shanghai_funds="1,234.50")])))
    before = snapshot()
    cells = {
        "shanghai_funds": 1234.5,
        "other_funds": "２０",
        "county": 530828,
        "prefecture": "530800",
        "category": "industry",
        "status": "building",
        "start_date": "2023年3月1日",
        "notes": "",
    }

    lines = import_files(write(tmp_path, "报表.xlsx", xlsx_bytes([xlsx_row(**cells)])))

    assert lines[-1] == "created=0 updated=0 unchanged=1"
    assert snapshot() == before


def test_a_changed_row_is_updated_and_linked_to_the_new_batch(tmp_path, report_2023):
    import_files(report_2023)
    first_batch = ImportBatch.objects.get()
    before = snapshot()
    changed = [
        row(),
        row(
            "2023-LC-002",
            name="澜沧江畔步道",
            category="基础设施",
            status="完工",
            shanghai_funds="88.5",
        ),
    ]

    lines = import_files(write(tmp_path, "2023年报表（修订）.csv", csv_bytes(changed)))

    assert lines[-1] == "created=0 updated=1 unchanged=1"
    second_batch = ImportBatch.objects.get(file_name="2023年报表（修订）.csv")
    assert (second_batch.updated, second_batch.unchanged) == (1, 1)
    project = Project.objects.get(code="2023-LC-002")
    assert (project.shanghai_funds, project.status) == (Decimal("88.5"), "completed")
    assert project.import_batch == second_batch
    assert project.updated_at > before["2023-LC-002"][3]
    assert snapshot()["2023-LC-001"] == before["2023-LC-001"]
    assert Project.objects.get(code="2023-LC-001").import_batch == first_batch


def test_an_update_leaves_what_the_report_does_not_hold_alone(tmp_path, county):
    project = make_project(
        code="2023-LC-001",
        name="茶叶初制所（一期）",
        county=county,
        description="新建茶叶初制所一座，带动周边农户增收。",
    )

    import_files(write(tmp_path, "报表.csv", csv_bytes([row()])))

    project.refresh_from_db()
    assert project.name == "茶叶初制所"
    assert project.description == "新建茶叶初制所一座，带动周边农户增收。"


def test_dry_run_reports_the_counts_and_writes_nothing(tmp_path, county):
    import_files(write(tmp_path, "first.csv", csv_bytes([row(), row("2023-LC-002")])))
    before = snapshot()
    rows = [row(), row("2023-LC-002", name="改名"), row("2023-LC-003")]

    lines = import_files(write(tmp_path, "报表.csv", csv_bytes(rows)), dry_run=True)

    assert lines == [
        "报表.csv：3行，新增1，更新1，未变1（未写入，试运行）",
        "created=1 updated=1 unchanged=1",
    ]
    assert snapshot() == before
    assert ImportBatch.objects.count() == 1


def test_dry_run_refuses_bad_rows_like_a_real_import(tmp_path, county):
    path = write(tmp_path, "报表.csv", csv_bytes([row(), row("2023-LC-002", year="1990")]))

    errors, _ = refused(path, dry_run=True)

    assert errors == ["第3行 年度：年度须为1996至%d之间的整数，而不是“1990”" % NEXT_YEAR]
    assert not Project.objects.exists()


def stderr_of(capsys, err):
    """Everything the command wrote to stderr, through self.stderr or sys.stderr."""
    return capsys.readouterr().err.splitlines() + err.getvalue().splitlines()


def test_progress_goes_to_stderr_with_rows_and_rate(report_2023, capsys):
    out, err = io.StringIO(), io.StringIO()

    call_command("import_yearly_report", report_2023, stdout=out, stderr=err)

    progress = stderr_of(capsys, err)
    assert progress, "no progress on stderr"
    assert all(PROGRESS.match(line) for line in progress), progress
    assert any("已校验：2行" in line for line in progress), progress
    assert any("已写入：2行" in line for line in progress), progress
    assert not any(PROGRESS.match(line) for line in out.getvalue().splitlines())
    assert out.getvalue().splitlines()[-1] == "created=2 updated=0 unchanged=0"


def test_quiet_import_writes_no_progress(report_2023, capsys):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_yearly_report", report_2023, quiet=True, stdout=out, stderr=err)

    assert stderr_of(capsys, err) == []
    assert out.getvalue().splitlines()[-1] == "created=2 updated=0 unchanged=0"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_overlapping_new_codes_at_once_write_each_code_once(county):
    """The first import holds its transaction open after writing; the second, with two of the
    same new codes, must neither fail nor write them again."""
    files = {
        "普洱.csv": csv_bytes([row("2023-LC-001"), row("2023-LC-002"), row("2023-LC-003")]),
        "澜沧.csv": csv_bytes([row("2023-LC-002"), row("2023-LC-003"), row("2023-LC-004")]),
    }
    first_written = threading.Event()
    commit_first = threading.Event()
    outcome = {}

    def run(name, hold_open):
        try:
            with transaction.atomic():
                report = import_yearly_report(files=[(name, io.BytesIO(files[name]))])
                if hold_open:
                    first_written.set()
                    commit_first.wait(timeout=10)
            outcome[name] = report.summary
        except Exception as error:  # the outcome is asserted below, whatever it is
            outcome[name] = repr(error)
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("普洱.csv", True))
    second = threading.Thread(target=run, args=("澜沧.csv", False))
    first.start()
    assert first_written.wait(timeout=10)
    second.start()
    second.join(timeout=1)
    commit_first.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert outcome == {
        "普洱.csv": "created=3 updated=0 unchanged=0",
        "澜沧.csv": "created=1 updated=0 unchanged=2",
    }
    codes = list(Project.objects.order_by("code").values_list("code", flat=True))
    assert codes == ["2023-LC-001", "2023-LC-002", "2023-LC-003", "2023-LC-004"]
    assert ImportBatch.objects.count() == 2


def hold_the_import_lock(held, release):
    """In a thread of its own: holds the import lock, as a long import does, until released."""
    from projects.importers.running import lock

    try:
        with transaction.atomic():
            lock()
            held.set()
            release.wait(timeout=30)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_admin_import_waiting_for_the_lock_is_told_so_not_given_a_500(
    admin_client, county, settings
):
    settings.IMPORT_LOCK_WAIT_SECONDS = 1
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_the_import_lock, args=(held, release))
    holder.start()
    try:
        assert held.wait(timeout=10)
        file = io.BytesIO(csv_bytes([row()]))
        file.name = "r.csv"

        response = admin_client.post(
            reverse("admin:projects_project_import"), {"import_file": file}
        )
    finally:
        release.set()
        holder.join(timeout=10)

    assert response.status_code == 200
    assert response.context["result"].failure.errors == [
        "另一项导入或撤销正在进行，等待1秒后仍未结束；未写入任何数据，请稍后再试。"
    ]
    assert not Project.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_undo_waiting_for_the_lock_is_refused_with_the_reason(admin_user, county, settings):
    from projects.importers import RollbackRefused, rollback_batch

    report = import_yearly_report(files=[("r.csv", io.BytesIO(csv_bytes([row()])))])
    settings.IMPORT_LOCK_WAIT_SECONDS = 1
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_the_import_lock, args=(held, release))
    holder.start()
    try:
        assert held.wait(timeout=10)
        with pytest.raises(RollbackRefused) as refusal:
            rollback_batch(batch=report.files[0].batch, user=admin_user)
    finally:
        release.set()
        holder.join(timeout=10)

    assert str(refusal.value) == (
        "另一项导入或撤销正在进行，等待1秒后仍未结束；本批导入未撤销，请稍后再试。"
    )
    assert Project.objects.count() == 1
