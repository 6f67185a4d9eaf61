"""Roles and scopes: each role sees, changes, imports and exports only inside its scope."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import County, Pairing, Prefecture, Scope, ShanghaiDistrict
from projects.models import Fund, FundAllocation, ImportBatch, Project
from tests.jobs import confirmed

HEADER = "项目编号,项目名称,年度,县市区,项目类别,项目状态,上海援助资金（万元）\r\n"


@pytest.fixture
def places(db):
    puer = Prefecture.objects.create(code="530800", name="普洱市", division_type="地级市")
    chuxiong = Prefecture.objects.create(
        code="532300", name="楚雄彝族自治州", division_type="自治州"
    )
    lancang = County.objects.create(
        code="530828", name="澜沧拉祜族自治县", prefecture=puer, division_type="自治县"
    )
    menglian = County.objects.create(
        code="530827", name="孟连傣族拉祜族佤族自治县", prefecture=puer, division_type="自治县"
    )
    dayao = County.objects.create(
        code="532326", name="大姚县", prefecture=chuxiong, division_type="县"
    )
    huangpu = ShanghaiDistrict.objects.create(code="310101", name="黄浦区")
    Pairing.objects.create(district=huangpu, county=lancang, from_year=2017)
    for code, county in (("P-LC", lancang), ("P-ML", menglian), ("P-DY", dayao)):
        Project.objects.create(
            code=code, name="项目" + code, county=county, category="other", year=2023
        )
    return {"chuxiong": chuxiong, "lancang": lancang, "dayao": dayao, "huangpu": huangpu}


def member(django_user_model, name, role, staff=True, **scope):
    user = django_user_model.objects.create_user(name, password="x", is_staff=staff)
    user.groups.add(Group.objects.get(name=role))
    if scope:
        places = {k: scope.pop(k) for k in ("prefectures", "counties", "districts") if k in scope}
        user_scope = Scope.objects.create(user=user, **scope)
        for field, values in places.items():
            getattr(user_scope, field).set(values)
    return user


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def chuxiong_clerk(client, django_user_model, places):
    """录入员 for the whole of 楚雄州."""
    user = member(django_user_model, "chuxiong", "录入员", prefectures=[places["chuxiong"]])
    return logged_in(client, user)


@pytest.fixture
def huangpu_clerk(client, django_user_model, places):
    """录入员 of the 黄浦区 cooperation office: the counties 黄浦 is paired with."""
    user = member(django_user_model, "huangpu", "录入员", districts=[places["huangpu"]])
    return logged_in(client, user)


def codes(response):
    return sorted(p.code for p in response.context["object_list"])


def test_the_four_roles_exist_with_their_permissions(db):
    roles = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }

    assert set(roles) >= {"系统管理员", "录入员", "导入员", "查看者"}
    assert {"add_project", "change_project", "change_fund", "add_cadre"} <= roles["录入员"]
    assert not {"delete_project", "import_project"} & roles["录入员"]
    assert roles["导入员"] >= {"import_project", "view_project"}
    assert "add_project" not in roles["导入员"]
    assert all(codename.startswith("view_") for codename in roles["查看者"] - {"browse"})
    assert "browse" in roles["查看者"] and "browse" in roles["录入员"]
    assert "browse" not in roles["导入员"]
    assert {"add_user", "change_group"} <= roles["系统管理员"]


def test_a_clerk_browses_only_the_projects_of_the_scope(chuxiong_clerk):
    assert codes(chuxiong_clerk.get(reverse("projects:list"))) == ["P-DY"]
    assert chuxiong_clerk.get(reverse("projects:detail", args=["P-LC"])).status_code == 404
    assert chuxiong_clerk.get(reverse("counties:detail", args=["530828"])).status_code == 404
    assert chuxiong_clerk.get(reverse("counties:detail", args=["532326"])).status_code == 200


def test_an_export_holds_only_the_scope(chuxiong_clerk):
    response = chuxiong_clerk.get(reverse("projects:export", kwargs={"fmt": "csv"}))

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "P-DY" in content
    assert "P-LC" not in content
    assert "P-ML" not in content


def test_a_district_office_works_on_the_counties_it_is_paired_with_now(huangpu_clerk, places):
    assert codes(huangpu_clerk.get(reverse("projects:list"))) == ["P-LC"]

    Pairing.objects.update(to_year=2020)  # the pairing ended: the scope follows it

    assert codes(huangpu_clerk.get(reverse("projects:list"))) == []


def test_a_user_without_a_scope_sees_no_records(client, django_user_model, places):
    user = member(django_user_model, "nobody", "查看者", staff=False)

    response = logged_in(client, user).get(reverse("projects:list"))

    assert response.status_code == 403
    assertContains(
        response, "您的账号还没有设置数据范围，看不到任何记录，请联系系统管理员。", status_code=403
    )


def test_a_province_wide_reader_sees_everything_and_changes_nothing(
    client, django_user_model, places
):
    user = member(django_user_model, "official", "查看者", everywhere=True)
    reader = logged_in(client, user)

    assert codes(reader.get(reverse("projects:list"))) == ["P-DY", "P-LC", "P-ML"]
    project = Project.objects.get(code="P-DY")
    change = reverse("admin:projects_project_change", args=[project.pk])
    response = reader.post(change, {"code": "P-DY", "name": "改名"})
    assert response.status_code == 403
    assert Project.objects.get(code="P-DY").name == "项目P-DY"


def test_the_admin_list_holds_only_the_scope(chuxiong_clerk):
    response = chuxiong_clerk.get(reverse("admin:projects_project_changelist"))

    assert sorted(p.code for p in response.context["cl"].result_list) == ["P-DY"]


def test_another_scopes_record_by_admin_url_is_forbidden(chuxiong_clerk):
    lancang_project = Project.objects.get(code="P-LC")

    response = chuxiong_clerk.get(
        reverse("admin:projects_project_change", args=[lancang_project.pk])
    )

    assert response.status_code == 403


def test_a_clerk_cannot_choose_a_county_outside_the_scope(chuxiong_clerk, places):
    add = reverse("admin:projects_project_add")
    data = {
        "code": "P-NEW",
        "name": "新项目",
        "category": "other",
        "year": "2024",
        "status": "planned",
        "shanghai_funds": "0",
        "other_funds": "0",
        "allocations-TOTAL_FORMS": "0",
        "allocations-INITIAL_FORMS": "0",
        "allocations-MIN_NUM_FORMS": "0",
        "allocations-MAX_NUM_FORMS": "1000",
    }

    refused = chuxiong_clerk.post(add, {**data, "county": places["lancang"].pk})
    accepted = chuxiong_clerk.post(add, {**data, "county": places["dayao"].pk})

    assertContains(refused, "选择一个有效的选项")
    assert accepted.status_code == 302
    assert Project.objects.get(code="P-NEW").county == places["dayao"]


def test_the_county_autocomplete_offers_only_the_scope(chuxiong_clerk):
    response = chuxiong_clerk.get(
        "/admin/autocomplete/",
        {"app_label": "projects", "model_name": "project", "field_name": "county", "term": ""},
    )

    assert [r["text"] for r in response.json()["results"]] == ["大姚县"]


def test_a_clerk_may_not_import(chuxiong_clerk):
    assert chuxiong_clerk.get(reverse("admin:projects_project_import")).status_code == 403


@pytest.fixture
def lancang_importer(client, django_user_model, places):
    user = member(django_user_model, "importer", "导入员", counties=[places["lancang"]])
    return logged_in(client, user)


def upload(client, text):
    file = io.BytesIO(text.encode("utf-8"))
    file.name = "report.csv"
    return client.post(
        reverse("admin:projects_project_import"),
        {"format": "0", "resource": "0", "import_file": file},
    )


def test_an_importer_imports_rows_of_the_scope(lancang_importer):
    response = upload(lancang_importer, HEADER + "P-LC2,新项目,2024,530828,其他,计划,5\r\n")
    confirm = response.context["confirm_form"].initial

    confirmed(lancang_importer, reverse("admin:projects_project_process_import"), confirm)

    assert Project.objects.get(code="P-LC2").county.code == "530828"
    assert ImportBatch.objects.get().user.username == "importer"


def test_an_import_with_a_row_outside_the_scope_is_refused_whole(lancang_importer):
    response = upload(
        lancang_importer,
        HEADER + "P-LC2,新项目,2024,530828,其他,计划,5\r\nP-DY2,外地,2024,大姚县,其他,计划,5\r\n",
    )

    assertContains(response, "第3行 县市区：“大姚县”不在您的数据范围内")
    assertNotContains(response, "确认导入")
    assert not Project.objects.filter(code__in=["P-LC2", "P-DY2"]).exists()


def test_an_import_cannot_move_another_scopes_project_into_the_scope(lancang_importer):
    response = upload(lancang_importer, HEADER + "P-ML,搬家,2023,530828,其他,计划,5\r\n")

    assertContains(response, "第2行 项目编号：项目编号“P-ML”不在您的数据范围内")
    assert Project.objects.get(code="P-ML").county.code == "530827"


def test_an_administrator_manages_users_and_undoes_imports(
    client, django_user_model, places, tmp_path
):
    """系统管理员 without superuser status: users (not roles, which are for superusers), and
    undoing an import batch."""
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "P-LC9,新项目,2024,530828,其他,计划,5\n", encoding="utf-8")
    call_command("import_yearly_report", str(path), quiet=True, stdout=io.StringIO())
    admin = logged_in(client, member(django_user_model, "root", "系统管理员", everywhere=True))

    assert admin.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert (
        admin.get(
            reverse("admin:auth_group_change", args=[Group.objects.get(name="查看者").pk])
        ).status_code
        == 403
    )
    batch = ImportBatch.objects.get()
    admin.post(reverse("admin:projects_importbatch_rollback", args=[batch.pk]))
    assert not Project.objects.filter(code="P-LC9").exists()


def test_a_fund_outside_the_scope_cannot_be_allocated_on_the_project_screen(chuxiong_clerk, places):
    lancang_fund = Fund.objects.create(
        source="city", year=2023, county=places["lancang"], amount=Decimal("100")
    )
    project = Project.objects.get(code="P-DY")
    data = {
        "code": "P-DY",
        "name": project.name,
        "category": "other",
        "year": "2023",
        "status": "planned",
        "county": places["dayao"].pk,
        "shanghai_funds": "0",
        "other_funds": "0",
        "allocations-TOTAL_FORMS": "1",
        "allocations-INITIAL_FORMS": "0",
        "allocations-MIN_NUM_FORMS": "0",
        "allocations-MAX_NUM_FORMS": "1000",
        "allocations-0-fund": lancang_fund.pk,
        "allocations-0-amount": "10",
    }

    response = chuxiong_clerk.post(
        reverse("admin:projects_project_change", args=[project.pk]), data
    )

    assertContains(response, "选择一个有效的选项")
    assert not FundAllocation.objects.exists()
