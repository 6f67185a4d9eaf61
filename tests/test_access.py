"""The attack's findings on undo, the audit trail, import batches, the admin's view-on-site
shortcut, formulas in XLSX files, sessions and headers, each as it was found and now
refused."""

import datetime
import io
import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import AuditEntry, County, Scope
from counties.scopes import scope_of
from indicators.models import IndicatorFigure
from projects.importers import RollbackRefused, rollback_batch
from projects.models import ImportBatch, Project

HEADER = "项目编号,项目名称,年度,县市区,项目类别,项目状态,上海援助资金（万元）\n"


@pytest.fixture
def menglian(prefecture):
    return County.objects.create(
        code="530827",
        name="孟连傣族拉祜族佤族自治县",
        prefecture=prefecture,
        division_type="自治县",
    )


def staff(django_user_model, name, role, *counties, everywhere=False):
    user = django_user_model.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    scope = Scope.objects.create(user=user, everywhere=everywhere)
    scope.counties.set(counties)
    return user


def run_import(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    # The tests move projects on purpose, as an operator who has looked does.
    call_command(
        "import_yearly_report", str(path), quiet=True, allow_moves=True, stdout=io.StringIO()
    )
    return ImportBatch.objects.latest("pk")


@pytest.fixture
def batches(tmp_path, county, menglian):
    """A batch of 澜沧 projects and one of 孟连 projects, imported from the command line."""
    return {
        "lancang": run_import(
            tmp_path, "澜沧.csv", "LC-001,茶叶初制所,2023,530828,产业发展,计划,10\n"
        ),
        "menglian": run_import(
            tmp_path, "孟连.csv", "ML-001,咖啡加工厂,2023,530827,产业发展,计划,8\n"
        ),
    }


# Undo --------------------------------------------------------------------------------


def test_a_county_administrator_cannot_undo_another_countys_import(
    client, django_user_model, county, batches
):
    admin = staff(django_user_model, "lancang-admin", "系统管理员", county)
    client.force_login(admin)

    response = client.post(
        reverse("admin:projects_importbatch_rollback", args=[batches["menglian"].pk])
    )

    assert response.status_code == 404
    assert Project.objects.filter(code="ML-001").exists()
    assert ImportBatch.objects.get(pk=batches["menglian"].pk).rolled_back_at is None


def test_a_county_administrator_undoes_its_own_countys_import(
    client, django_user_model, county, batches
):
    client.force_login(staff(django_user_model, "lancang-admin", "系统管理员", county))

    client.post(reverse("admin:projects_importbatch_rollback", args=[batches["lancang"].pk]))

    assert not Project.objects.filter(code="LC-001").exists()


def test_undoing_names_the_projects_outside_the_scope(django_user_model, county, batches):
    admin = staff(django_user_model, "lancang-admin", "系统管理员", county)

    with pytest.raises(RollbackRefused) as refusal:
        rollback_batch(batch=batches["menglian"], user=admin)

    assert str(refusal.value) == "以下项目不在您的数据范围内，不能撤销本批导入：ML-001 咖啡加工厂。"
    assert Project.objects.filter(code="ML-001").exists()


# Import batches ------------------------------------------------------------------------


def test_import_batches_are_listed_only_to_those_whose_scope_holds_what_they_wrote(
    client, django_user_model, county, batches
):
    client.force_login(staff(django_user_model, "lancang-importer", "导入员", county))

    listing = client.get(reverse("admin:projects_importbatch_changelist"))

    assertContains(listing, "澜沧.csv")
    assertNotContains(listing, "孟连.csv")
    other = reverse("admin:projects_importbatch_change", args=[batches["menglian"].pk])
    assert client.get(other).status_code == 302  # the admin's "no such record" redirect
    assert (
        ImportBatch.objects.visible_to(
            scope_of(staff(django_user_model, "nobody-admin", "导入员"))
        ).count()
        == 0
    )


def test_a_province_wide_user_and_a_superuser_see_every_batch(
    django_user_model, admin_user, batches
):
    province = staff(django_user_model, "province", "查看者", everywhere=True)

    assert ImportBatch.objects.visible_to(scope_of(province)).count() == 2
    assert ImportBatch.objects.visible_to(scope_of(admin_user)).count() == 2


# The audit trail -----------------------------------------------------------------------


def test_the_audit_trail_shows_a_county_administrator_only_its_countys_records(
    client, django_user_model, county, batches
):
    client.force_login(staff(django_user_model, "lancang-admin", "系统管理员", county))

    listing = client.get(reverse("admin:counties_auditentry_changelist"))

    assertContains(listing, "LC-001 茶叶初制所")
    assertNotContains(listing, "ML-001")
    menglian_entry = AuditEntry.objects.get(object_repr="ML-001 咖啡加工厂")
    change = reverse("admin:counties_auditentry_change", args=[menglian_entry.pk])
    assert client.get(change).status_code == 302


def test_a_deleted_records_entries_stay_in_its_county(
    admin_client, client, django_user_model, county, menglian
):
    project = Project.objects.create(code="ML-009", name="旧项目", county=menglian, year=2023)
    admin_client.post(reverse("admin:projects_project_delete", args=[project.pk]), {"post": "yes"})
    assert not Project.objects.filter(code="ML-009").exists()

    lancang_admin = staff(django_user_model, "lancang-admin", "系统管理员", county)
    menglian_admin = staff(django_user_model, "menglian-admin", "系统管理员", menglian)

    assert not AuditEntry.objects.visible_to(scope_of(lancang_admin)).filter(
        object_repr__contains="ML-009"
    )
    assert AuditEntry.objects.visible_to(scope_of(menglian_admin)).filter(
        object_repr__contains="ML-009"
    )


def test_user_administration_entries_are_shown_to_superusers_only(
    admin_user, django_user_model, county
):
    province_admin = staff(django_user_model, "province-admin", "系统管理员", everywhere=True)
    AuditEntry.objects.create(
        user=admin_user,
        channel="admin",
        action="change",
        content_type=ContentType.objects.get_for_model(province_admin),
        object_id=str(province_admin.pk),
        object_repr="province-admin",
        changes={"is_superuser": [False, True]},
    )

    assert not AuditEntry.objects.visible_to(scope_of(province_admin)).filter(
        object_repr="province-admin"
    )
    assert AuditEntry.objects.visible_to(scope_of(admin_user)).filter(object_repr="province-admin")


def test_an_import_writes_the_county_of_each_entry(batches, county, menglian):
    assert AuditEntry.objects.get(object_repr="LC-001 茶叶初制所").county == county
    assert AuditEntry.objects.get(object_repr="ML-001 咖啡加工厂").county == menglian


# The view-on-site shortcut -------------------------------------------------------------


def test_the_view_on_site_shortcut_names_no_project_outside_the_scope(
    client, django_user_model, county, menglian
):
    other = Project.objects.create(code="ML-SECRET", name="他县项目", county=menglian, year=2023)
    own = Project.objects.create(code="LC-OWN", name="本县项目", county=county, year=2023)
    content_type = ContentType.objects.get_for_model(Project).pk
    client.force_login(staff(django_user_model, "nobody", "导入员"))

    refused = client.get("/admin/r/%d/%d/" % (content_type, other.pk))

    assert refused.status_code == 404
    assert "ML-SECRET" not in refused.content.decode()
    client.force_login(staff(django_user_model, "clerk", "录入员", county))
    assert client.get("/admin/r/%d/%d/" % (content_type, other.pk)).status_code == 404
    allowed = client.get("/admin/r/%d/%d/" % (content_type, own.pk))
    assert allowed.status_code == 302
    assert allowed["Location"].endswith("/projects/LC-OWN/")


# Formulas in the XLSX files -------------------------------------------------------------


@pytest.fixture
def formula_indicator(indicators):
    indicator = indicators["fiscal_aid"]
    indicator.name, indicator.unit = '=HYPERLINK("http://x","点此")', "@SUM(A1)"
    indicator.save()
    IndicatorFigure.objects.create(
        indicator=indicator, year=2023, level="province", target=Decimal("10")
    )
    return indicator


def all_text(workbook):
    return [c for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row]


def test_a_formula_in_an_indicator_name_is_neutralised_in_the_dashboard_xlsx(
    admin_client, formula_indicator
):
    response = admin_client.get(reverse("dashboard:export"), {"year": 2023})

    content = b"".join(response.streaming_content)
    cells = all_text(load_workbook(io.BytesIO(content)))
    assert '\'=HYPERLINK("http://x","点此")' in cells
    assert "'@SUM(A1)" in cells
    assert not any(isinstance(c, str) and c.startswith(("=", "@")) for c in cells)


def test_a_formula_in_an_indicator_name_is_neutralised_in_the_indicator_template(
    admin_client, formula_indicator
):
    url = reverse("admin:indicators_indicatorfigure_import_template", args=["xlsx"])
    response = admin_client.get(url)

    content = b"".join(response.streaming_content)
    cells = all_text(load_workbook(io.BytesIO(content)))
    assert '\'=HYPERLINK("http://x","点此")' in cells
    assert not any(isinstance(c, str) and c.startswith(("=", "@")) for c in cells)


# Sessions and headers ------------------------------------------------------------------


def test_a_session_ends_after_eight_idle_hours(client, admin_user, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    client.force_login(admin_user)
    assert client.get(reverse("home")).status_code == 200

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_each_request_pushes_the_end_of_an_active_session_back(client, admin_user, monkeypatch):
    client.force_login(admin_user)
    client.get(reverse("home"))
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)

    client.get(reverse("home"))

    expiry = Session.objects.get().expire_date
    assert expiry > timezone.now() + datetime.timedelta(hours=7, minutes=55)


def test_every_page_sends_a_content_security_policy_without_inline_script(admin_client):
    for url in (reverse("home"), reverse("admin:index"), reverse("login")):
        policy = admin_client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy


def test_no_template_holds_an_inline_script_or_style(settings):
    from pathlib import Path

    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        text = path.read_text()
        assert "<script>" not in text, path
        assert 'style="' not in text, path
        assert " onclick=" not in text and " onchange=" not in text, path


def test_a_refused_export_is_chinese_with_its_charset(user_client):
    response = user_client.get(reverse("projects:export", kwargs={"fmt": "csv"}), {"year": "x"})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode("utf-8").startswith("筛选条件有误：")


def test_undoing_a_move_is_refused_once_a_fund_of_the_new_county_is_allocated(
    tmp_path, admin_user, county, menglian
):
    from projects.models import Fund, FundAllocation

    run_import(tmp_path, "a.csv", "LC-001,茶叶初制所,2023,530828,产业发展,计划,10\n")
    moved = run_import(tmp_path, "b.csv", "LC-001,茶叶初制所,2023,530827,产业发展,计划,10\n")
    fund = Fund.objects.create(source="city", year=2023, county=menglian, amount=Decimal("50"))
    FundAllocation.objects.create(
        fund=fund, project=Project.objects.get(code="LC-001"), amount=Decimal("5")
    )

    with pytest.raises(RollbackRefused) as refusal:
        rollback_batch(batch=moved, user=admin_user)

    assert str(refusal.value) == "以下项目在本批导入之后又被修改过，无法撤销：LC-001 茶叶初制所。"
    assert Project.objects.get(code="LC-001").county == menglian
