"""Saved layouts: when a sender's file heads a required column in a way hujin cannot infer,
the admin's refusal lets the user match the file's header to the column once; the match is
saved under the sender (报送单位) and read, with a notice, in that sender's later files only."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import AuditEntry, Scope
from projects.importers import ImportFailed, import_yearly_report
from projects.models import HeaderAlias, Project
from tests.jobs import confirmed

IMPORT = reverse("admin:projects_project_import")
LAYOUT = reverse("admin:projects_project_import_layout")
PROCESS = reverse("admin:projects_project_process_import")
CONTENT = (
    "项目编号,项目名,年度,县市区,项目类别,项目状态,上海援助资金（万元）\n"
    "LC-001,茶叶初制所,2023,澜沧拉祜族自治县,产业发展,计划,12\n"
).encode()
NOTICE = "第1行表头“项目名”按澜沧拉祜族自治县保存的表头对应读作“项目名称”"
REFUSAL = (
    "缺少必填列：项目名称。第1行表头中找到的列：项目编号、年度、县市区、项目类别、项目状态、"
    "上海援助资金（万元）。未认出的表头：项目名。"
)


def file(name="澜沧2023.csv"):
    upload = io.BytesIO(CONTENT)
    upload.name = name
    return upload


def post_upload(client, sender=None):
    return client.post(IMPORT, {"import_file": file(), "sender": sender.pk if sender else ""})


@pytest.fixture
def lancang_importer(client, django_user_model, county, menghai):
    user = django_user_model.objects.create_user("importer", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="导入员"))
    Scope.objects.create(user=user).counties.set([county])
    client.force_login(user)
    client.user = user
    return client


def test_a_saved_layout_is_read_for_its_sender_only_with_a_notice(county, menghai):
    HeaderAlias.objects.create(column="name", header="项目名", sender=county)

    with pytest.raises(ImportFailed) as refused:
        import_yearly_report(files=[("a.csv", io.BytesIO(CONTENT))], sender=menghai)
    report = import_yearly_report(files=[("a.csv", io.BytesIO(CONTENT))], sender=county)

    assert refused.value.errors == [REFUSAL]
    assert [line for _, line in report.remarks.notices] == [NOTICE]
    assert Project.objects.get().name == "茶叶初制所"


def test_the_command_reads_the_layout_of_the_sender_it_is_given(county, tmp_path):
    HeaderAlias.objects.create(column="name", header="项目名", sender=county)
    path = tmp_path / "a.csv"
    path.write_bytes(CONTENT)
    out = io.StringIO()

    call_command("import_yearly_report", str(path), quiet=True, sender="530828", stdout=out)

    assert out.getvalue().splitlines()[-2:] == [
        "提示：" + NOTICE,
        "created=1 updated=0 unchanged=0",
    ]
    short = io.StringIO()
    call_command("import_yearly_report", str(path), quiet=True, sender="澜沧县", stdout=short)
    assert short.getvalue().splitlines()[-1] == "created=0 updated=0 unchanged=1"
    with pytest.raises(CommandError, match="报送单位：未知的县市区“火星县”"):
        call_command("import_yearly_report", str(path), quiet=True, sender="火星县")


def test_an_office_matches_the_header_once_and_its_later_files_go_in(
    lancang_importer, county, menghai
):
    refused = post_upload(lancang_importer, county)

    assertContains(refused, REFUSAL)
    form = refused.context["layout_form"]
    assert [label for _, label in form.fields["column_name"].choices] == [
        "（文件中没有这一列）",
        "项目名",
    ]
    assert form.initial["sender"] == county.pk

    previewed = lancang_importer.post(
        LAYOUT, {**form.initial, "column_name": "项目名", "sender": county.pk}
    )

    assertContains(previewed, "已保存澜沧拉祜族自治县的表头对应：“项目名”→项目名称。")
    assertContains(previewed, NOTICE)
    assertContains(previewed, "新增 <strong>1</strong>")
    alias = HeaderAlias.objects.get()
    assert (alias.report, alias.column, alias.header, alias.sender) == (
        "yearly_report",
        "name",
        "项目名",
        county,
    )
    entry = AuditEntry.objects.for_object(alias).get()
    assert (entry.user, entry.action) == (lancang_importer.user, "create")
    confirm = previewed.context["confirm_form"].initial
    done = confirmed(lancang_importer, PROCESS, confirm)
    assertContains(done, "导入完成：1行，新增1")
    assert Project.objects.get().name == "茶叶初制所"

    again = post_upload(lancang_importer, county)
    assertContains(again, NOTICE)
    assertContains(again, "确认导入")


def test_without_the_sender_the_saved_layout_is_not_read(admin_client, county, menghai):
    HeaderAlias.objects.create(column="name", header="项目名", sender=county)

    for sender in (None, menghai):
        response = post_upload(admin_client, sender)

        assertContains(response, REFUSAL)
        assertNotContains(response, "确认导入")


def test_a_county_importer_sets_its_own_county_as_the_sender(lancang_importer, county):
    page = lancang_importer.get(IMPORT)

    assert page.context["form"].fields["sender"].initial == county.pk
    assert list(page.context["form"].fields["sender"].queryset) == [county]


def test_a_layout_cannot_be_saved_for_a_sender_outside_the_scope(lancang_importer, county, menghai):
    form = post_upload(lancang_importer, county).context["layout_form"]

    response = lancang_importer.post(
        LAYOUT, {**form.initial, "column_name": "项目名", "sender": menghai.pk}
    )

    assertContains(response, "选择一个有效的选项")
    assert not HeaderAlias.objects.exists()


def test_a_layout_with_nothing_matched_is_refused_by_name(lancang_importer, county):
    form = post_upload(lancang_importer, county).context["layout_form"]

    response = lancang_importer.post(LAYOUT, {**form.initial, "column_name": ""})

    assertContains(response, "请至少为一列选定文件中的表头。")
    assert not HeaderAlias.objects.exists()


def test_only_a_header_the_file_left_unread_can_be_matched(lancang_importer, county):
    """县市区 is in the file, read as its own column: it is not offered, nor accepted."""
    form = post_upload(lancang_importer, county).context["layout_form"]

    response = lancang_importer.post(LAYOUT, {**form.initial, "column_name": "县市区"})

    assertContains(response, "选择一个有效的选项")
    assert not HeaderAlias.objects.exists()


def test_another_users_upload_cannot_be_matched(lancang_importer, admin_client, county):
    form = post_upload(lancang_importer, county).context["layout_form"]

    response = admin_client.post(
        LAYOUT, {**form.initial, "column_name": "项目名", "sender": county.pk}, follow=True
    )

    assertContains(response, "上传的文件已导入或已过期，请重新上传。")
    assert not HeaderAlias.objects.exists()


def test_an_indicator_report_is_matched_the_same_way(admin_client, county, indicators):
    upload = io.BytesIO(
        "年度,县市区,考核指标,协议数,完成数\n2023,澜沧拉祜族自治县,帮助农村劳动力就业,800,2100\n".encode()
    )
    upload.name = "指标.csv"
    url = reverse("admin:indicators_indicatorfigure_import")
    form = admin_client.post(url, {"import_file": upload, "sender": county.pk}).context[
        "layout_form"
    ]

    previewed = admin_client.post(
        reverse("admin:indicators_indicatorfigure_import_layout"),
        {**form.initial, "column_indicator": "考核指标"},
    )

    assertContains(previewed, "第1行表头“考核指标”按澜沧拉祜族自治县保存的表头对应读作“指标”")
    assertContains(previewed, "新增 <strong>1</strong>")
    alias = HeaderAlias.objects.get()
    assert (alias.report, alias.column, alias.sender) == ("indicator_report", "indicator", county)
