"""The yearly report's 项目群 column: a row names the programme of its county that the
project belongs to; the export writes it back, the audit trail records it, undo restores it."""

import io

import pytest

from counties.models import AuditEntry, County
from projects.importers import import_yearly_report, rollback_batch
from projects.models import Programme, Project
from tests.cast import make_project

from .report_files import HEADERS, KEYS, TEXT_CELLS, csv_bytes, refused

MENGLIAN = "孟连傣族拉祜族佤族自治县"
HEADER = [*HEADERS, "项目群"]


def report(*rows):
    """A CSV report with the 项目群 column last; each row is (project code, 项目群 cell, and
    cells to replace by key)."""
    lines = [
        [{**TEXT_CELLS, "code": code, **cells}[key] for key in KEYS] + [programme]
        for code, programme, cells in rows
    ]
    return [("报表.csv", io.BytesIO(csv_bytes(lines, header=HEADER)))]


@pytest.fixture
def menglian(prefecture):
    return County.objects.create(
        code="530827", name=MENGLIAN, prefecture=prefecture, division_type="自治县"
    )


@pytest.fixture
def walnuts(county):
    return Programme.objects.create(county=county, name="核桃产业链", first_year=2021)


def test_a_row_puts_its_project_in_the_programme_it_names(walnuts):
    import_yearly_report(files=report(("2023-LC-001", "核桃 产业链", {})))

    assert Project.objects.get(code="2023-LC-001").programme == walnuts
    entry = AuditEntry.objects.get(action="create")
    assert entry.changes["programme"] == [None, "澜沧拉祜族自治县 核桃产业链"]


def test_a_programme_of_another_county_or_unknown_is_refused_by_row_and_column(
    walnuts, menglian, tmp_path
):
    Programme.objects.create(county=menglian, name="孟连咖啡", first_year=2022)
    path = tmp_path / "报表.csv"
    path.write_bytes(
        report(("2023-LC-001", "孟连咖啡", {}), ("2023-LC-002", "茶产业", {}))[0][1].read()
    )

    errors, _ = refused(str(path))

    unknown = "不是澜沧拉祜族自治县已登记的项目群（请先在管理后台登记，或导入项目群名录）"
    assert errors == ["第2行 项目群：“孟连咖啡”" + unknown, "第3行 项目群：“茶产业”" + unknown]
    assert not Project.objects.exists()


def test_a_blank_cell_keeps_the_programme_and_clearing_takes_the_project_out(walnuts, county):
    make_project(county=county, programme=walnuts)

    import_yearly_report(files=report(("2023-LC-001", "", {"name": "茶叶初制所二期"})))
    assert Project.objects.get().programme == walnuts

    import_yearly_report(files=report(("2023-LC-001", "（清空）", {})))
    assert Project.objects.get().programme is None


def test_the_preview_names_the_programme_and_what_it_was(walnuts, county):
    make_project(county=county)
    Programme.objects.create(county=county, name="班利村示范村建设")

    result = import_yearly_report(files=report(("2023-LC-001", "核桃产业链", {})), dry_run=True)

    assert result.files[0].preview[0][-1] == "核桃产业链（原为空）"
    assert Project.objects.get().programme is None


def test_undo_puts_the_project_back_in_its_earlier_programme(walnuts, county, admin_user):
    village = Programme.objects.create(county=county, name="班利村示范村建设")
    make_project(county=county, programme=walnuts)

    done = import_yearly_report(files=report(("2023-LC-001", "班利村示范村建设", {})))
    assert Project.objects.get().programme == village

    rollback_batch(batch=done.files[0].batch, user=admin_user)
    assert Project.objects.get().programme == walnuts


def test_a_move_keeps_no_programme_of_the_old_county(walnuts, menglian, county, tmp_path):
    make_project(county=county, programme=walnuts)
    path = tmp_path / "报表.csv"
    path.write_bytes(report(("2023-LC-001", "", {"county": MENGLIAN}))[0][1].read())

    errors, _ = refused(str(path), allow_moves=True)

    assert errors == [
        "第2行 县市区：项目“2023-LC-001”登记在澜沧拉祜族自治县，已关联的项目群不属于%s，"
        "县市区不能改为%s；请先在管理后台取消这些关联" % (MENGLIAN, MENGLIAN)
    ]


def test_a_move_may_name_a_programme_of_the_new_county(walnuts, menglian, county):
    coffee = Programme.objects.create(county=menglian, name="孟连咖啡")
    make_project(county=county, programme=walnuts)

    import_yearly_report(
        files=report(("2023-LC-001", "孟连咖啡", {"county": MENGLIAN})), allow_moves=True
    )

    project = Project.objects.get()
    assert (project.county, project.programme) == (menglian, coffee)
