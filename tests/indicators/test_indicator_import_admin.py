"""Staff import an indicator report in the admin: upload → preview → confirm, or a list of
errors; the blank templates; who sees which figures."""

import csv
import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import AuditEntry, Scope
from indicators.models import IndicatorFigure
from projects.models import ImportBatch
from tests.jobs import confirmed

from .indicator_files import HEADERS, csv_bytes, xlsx_bytes

IMPORT = reverse("admin:indicators_indicatorfigure_import")
PROCESS = reverse("admin:indicators_indicatorfigure_process_import")
CHANGELIST = reverse("admin:indicators_indicatorfigure_changelist")


def template_url(fmt):
    return reverse("admin:indicators_indicatorfigure_import_template", args=[fmt])


def upload(client, content, name="指标.csv", fmt="0"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(IMPORT, {"format": fmt, "resource": "0", "import_file": file})


def confirm(client, preview):
    return confirmed(client, PROCESS, preview.context["confirm_form"].initial)


@pytest.fixture
def good_file(county, district, indicators):
    return csv_bytes(
        [
            ["2023", "", "澜沧拉祜族自治县", "", "帮助农村劳动力就业（人）", "1,200", "1350", ""],
            ["2023", "", "", "黄浦区", "labour_shanghai", "300", "", "<b>粗体</b>"],
        ],
        encoding="gb18030",
    )


def test_the_import_page_offers_both_templates_and_says_blank_cells_keep_values(admin_client):
    response = admin_client.get(IMPORT)

    assertContains(response, template_url("xlsx"))
    assertContains(response, template_url("csv"))
    assertContains(response, "<strong>协议数、完成数或备注留空的单元格不会覆盖已有数值</strong>")
    assertContains(response, "导入协作指标报表")


def test_the_blank_csv_template_is_the_header_with_a_bom(admin_client):
    response = admin_client.get(template_url("csv"))

    assert unquote(response["Content-Disposition"]).endswith("协作指标报表模板.csv")
    assert (
        response.content.decode("utf-8")
        == "\ufeff年度,州市,县市区,上海结对区,指标,协议数,完成数,备注\r\n"
    )


def test_the_blank_xlsx_template_lists_the_rules_the_levels_and_every_indicator(
    admin_client, indicators
):
    response = admin_client.get(template_url("xlsx"))

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["协作指标报表", "填写说明"]
    assert [c.value for c in workbook.worksheets[0][1]] == HEADERS
    guide = [trimmed(cells) for cells in workbook["填写说明"].iter_rows(values_only=True)]
    assert guide[0] == ["列名", "英文别名", "是否必填", "说明"]
    assert [row[:3] for row in guide[1:9]] == [
        ["年度", "year", "必填"],
        ["州市", "prefecture", "选填"],
        ["县市区", "county", "选填"],
        ["上海结对区", "district", "选填"],
        ["指标", "indicator", "必填"],
        ["协议数", "target", "选填"],
        ["完成数", "result", "选填"],
        ["备注", "note", "选填"],
    ]
    assert guide[10][0] == (
        "层级由所填地点决定：填写县市区为县市区的指标；只填州市为州市的指标；"
        "只填上海结对区为该区结对的指标；地点均不填为全省的指标。"
    )
    start = guide.index(["指标代码", "指标名称", "计量单位", "类别", "所属指标"])
    listed = guide[start + 1 :]
    assert len(listed) == len(indicators) == 22
    assert ["labour_jobs", "帮助农村劳动力就业", "人", "劳务协作"] in listed
    assert ["teachers", "其中：教师", "人", "人才支援", "选派专业技术人才"] in listed


def trimmed(cells):
    """A sheet row without the empty cells openpyxl pads it with to the sheet's width."""
    cells = list(cells)
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def test_the_blank_xlsx_template_imports_as_an_empty_report(admin_client, indicators):
    content = b"".join(admin_client.get(template_url("xlsx")).streaming_content)

    response = upload(admin_client, content, "模板.xlsx", fmt="1")

    assertContains(response, "共 0 行：新增 <strong>0</strong>")


def test_an_upload_shows_a_preview_and_writes_nothing(admin_client, good_file):
    response = upload(admin_client, good_file)

    assertContains(response, "导入预览：指标.csv")
    assertContains(response, "新增 <strong>2</strong>")
    assertContains(
        response,
        "<tr><th>行号</th><th>操作</th><th>指标</th><th>年度</th><th>地点</th>"
        "<th>协议数</th><th>完成数</th></tr>",
    )
    assertContains(
        response,
        '<tr class="new"><td>2</td><td>新增</td><td>帮助农村劳动力就业</td><td>2023</td>'
        "<td>澜沧拉祜族自治县</td><td>1200</td><td>1350</td></tr>",
    )
    assertContains(response, "确认导入")
    assert not IndicatorFigure.objects.exists()
    assert not ImportBatch.objects.exists()


def test_confirming_the_preview_imports_the_file_as_one_batch(admin_client, admin_user, good_file):
    response = confirm(admin_client, upload(admin_client, good_file))

    assertContains(response, "导入完成：2行，新增2，更新0，未变0。")
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.channel, batch.user, batch.file_name) == (
        "indicator_report",
        "admin",
        admin_user,
        "指标.csv",
    )
    assert sorted(IndicatorFigure.objects.values_list("level", "target", "note")) == [
        ("county", Decimal("1200"), ""),
        ("pairing", Decimal("300"), "<b>粗体</b>"),
    ]
    assert set(AuditEntry.objects.values_list("channel", "user", "import_batch_id")) == {
        ("import", admin_user.pk, batch.pk)
    }


def test_a_second_confirm_of_the_same_upload_is_refused(admin_client, good_file):
    preview = upload(admin_client, good_file)
    confirm(admin_client, preview)

    response = confirm(admin_client, preview)

    assertContains(response, "未导入：上传的文件已导入或已过期，请重新上传。")
    assert ImportBatch.objects.count() == 1


def test_a_bad_file_lists_every_error_offers_the_bad_rows_and_cannot_be_confirmed(
    admin_client, county, indicators
):
    rows = [
        ["2023", "", "澜沧拉祜族自治县", "", "labour_jobs", "1200", "", ""],
        ["2023", "", "澜沧拉祜族自治县", "", "<script>alert(1)</script>", "-3", "", ""],
        ["2023", "", "", "", "trained", "", "", ""],
    ]

    response = upload(admin_client, csv_bytes(rows))

    assertContains(response, "文件未通过校验，未写入任何数据")
    assertContains(response, "共 3 处错误。")
    assertContains(
        response,
        "<li>第3行 指标：未知的指标“&lt;script&gt;alert(1)&lt;/script&gt;”"
        "（请填写指标代码或名称，见模板中的“填写说明”表）</li>",
    )
    assertContains(response, "<li>第3行 协议数：不能为负数：“-3”</li>")
    assertContains(response, "<li>第4行 协议数：协议数和完成数至少填写一项</li>")
    assertNotContains(response, "<script>alert(1)</script>")
    assertNotContains(response, "确认导入")
    assert not IndicatorFigure.objects.exists()

    token = response.context["result"].bad_rows_token
    bad_rows = admin_client.get(
        reverse("admin:indicators_indicatorfigure_import_bad_rows", args=[token])
    )
    records = list(
        csv.reader(io.StringIO(b"".join(bad_rows.streaming_content).decode("utf-8-sig")))
    )
    assert records[0] == ["原行号", *HEADERS, "错误说明"]
    assert [record[0] for record in records[1:]] == ["3", "4"]


def test_an_xlsx_upload_updates_what_a_csv_left(admin_client, good_file):
    confirm(admin_client, upload(admin_client, good_file))
    later = xlsx_bytes([[2023, None, "530828", None, "labour_jobs", None, 1400, "年底"]])

    preview = upload(admin_client, later, "年底.xlsx", fmt="1")

    assertContains(preview, "更新 <strong>1</strong>")
    assertContains(preview, '<tr class="update"><td>2</td><td>更新</td>')
    confirm(admin_client, preview)
    figure = IndicatorFigure.objects.get(level="county")
    assert (figure.target, figure.result, figure.note) == (Decimal("1200"), 1400, "年底")


# Roles and scopes


def staff(client, django_user_model, role, **scope):
    user = django_user_model.objects.create_user(role, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    counties = scope.pop("counties", [])
    Scope.objects.create(user=user, **scope).counties.set(counties)
    client.force_login(user)
    return client


def test_an_importer_imports_the_figures_of_their_county(
    client, django_user_model, roles, county, indicators
):
    importer = staff(client, django_user_model, "导入员", counties=[county])
    rows = [["2023", "", "澜沧拉祜族自治县", "", "labour_jobs", "10", "", ""]]

    confirm(importer, upload(importer, csv_bytes(rows)))

    assert IndicatorFigure.objects.get().county == county


def test_an_importer_may_not_import_province_figures(
    client, django_user_model, roles, county, indicators
):
    importer = staff(client, django_user_model, "导入员", counties=[county])
    rows = [["2023", "", "", "", "labour_jobs", "10", "", ""]]

    response = upload(importer, csv_bytes(rows))

    assertContains(
        response, "<li>第2行 州市：全省和上海区结对的指标须由数据范围为全省的用户导入</li>"
    )


def test_a_clerk_may_not_import(client, django_user_model, roles, county):
    clerk = staff(client, django_user_model, "录入员", counties=[county])

    assert clerk.get(IMPORT).status_code == 403


def test_the_figures_list_shows_a_user_only_the_figures_of_their_scope(
    client, django_user_model, roles, county, menghai, district, indicators
):
    labour = indicators["labour_jobs"]
    for level, place in [
        ("county", {"county": county}),
        ("county", {"county": menghai}),
        ("prefecture", {"prefecture": county.prefecture}),
        ("province", {}),
        ("pairing", {"district": district}),
    ]:
        IndicatorFigure.objects.create(
            indicator=labour, year=2023, level=level, target=Decimal("1"), **place
        )
    reader = staff(client, django_user_model, "查看者", counties=[county])
    reader_scope = Scope.objects.get(user__username="查看者")
    reader_scope.prefectures.set([county.prefecture])

    response = reader.get(CHANGELIST)

    shown = {(f.level, f.place_name) for f in response.context["cl"].result_list}
    assert shown == {("county", "澜沧拉祜族自治县"), ("prefecture", "普洱市")}


def test_a_province_wide_user_sees_every_figure(
    client, django_user_model, roles, county, district, indicators
):
    labour = indicators["labour_jobs"]
    IndicatorFigure.objects.create(indicator=labour, year=2023, level="province", target=1)
    IndicatorFigure.objects.create(
        indicator=labour, year=2023, level="pairing", district=district, result=2
    )
    reader = staff(client, django_user_model, "查看者", everywhere=True)

    response = reader.get(CHANGELIST)

    assertContains(response, '<td class="field-place">全省</td>', html=False)
    assertContains(response, "黄浦区")
    assert response.context["cl"].result_count == 2


def test_a_clerk_of_a_county_may_not_enter_a_province_figure(
    client, django_user_model, roles, county, indicators
):
    clerk = staff(client, django_user_model, "录入员", counties=[county])
    form = {"indicator": indicators["labour_jobs"].pk, "year": "2023", "target": "5"}

    refused = clerk.post(
        reverse("admin:indicators_indicatorfigure_add"), {**form, "level": "province"}
    )
    clerk.post(
        reverse("admin:indicators_indicatorfigure_add"),
        {**form, "level": "county", "county": county.pk},
    )

    assertContains(refused, "全省和上海区结对的指标须由数据范围为全省的用户录入。")
    assert list(IndicatorFigure.objects.values_list("level", flat=True)) == ["county"]
