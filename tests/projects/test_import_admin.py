"""Staff import a yearly report in the admin: upload → preview → confirm, or a list of errors."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from projects.models import ImportBatch, Project
from tests.jobs import confirmed

IMPORT = reverse("admin:projects_project_import")
PROCESS = reverse("admin:projects_project_process_import")
HEADER = "项目编号,项目名称,年度,县市区,项目类别,项目状态,上海援助资金（万元）\r\n"


def upload(name, text, encoding="utf-8"):
    file = io.BytesIO(text.encode(encoding))
    file.name = name
    return file


def post_upload(admin_client, file, fmt="0"):
    return admin_client.post(IMPORT, {"format": fmt, "resource": "0", "import_file": file})


@pytest.fixture
def good_gbk_file(county):
    return upload(
        "2023年澜沧县报表.csv",
        HEADER
        + "LC-2023-001,茶叶初制所,2023,澜沧拉祜族自治县,产业发展,在建,120.5\r\n"
        + 'LC-2023-002,村道硬化,2023,530828,基础设施,完工,"1,000"\r\n',
        encoding="gbk",
    )


def test_import_page_offers_the_blank_template_in_both_formats(admin_client):
    response = admin_client.get(IMPORT)

    assertContains(response, reverse("admin:projects_project_import_template", args=["xlsx"]))
    assertContains(response, reverse("admin:projects_project_import_template", args=["csv"]))


def test_blank_csv_template_has_the_chinese_headers_and_a_bom(admin_client):
    response = admin_client.get(reverse("admin:projects_project_import_template", args=["csv"]))

    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff项目编号,项目名称,年度,州市,县市区,项目类别,项目状态,")
    assert "上海援助资金（万元）" in content


def test_blank_xlsx_template_has_the_headers_and_a_sheet_of_rules(admin_client, county):
    from openpyxl import load_workbook

    response = admin_client.get(reverse("admin:projects_project_import_template", args=["xlsx"]))

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["项目年度报表", "填写说明", "县市区代码表"]
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["项目编号", "项目名称", "年度"]
    # Codes stay text when typed; the header stays in view; the lists offer the words.
    assert sheet["A2"].number_format == "@"
    assert sheet.freeze_panes == "A2"
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["E2:E1001"] == "'县市区代码表'!$A$2:$A$2"
    assert lists["G2:G1001"] == '"计划,在建,完工,暂停"'
    counties = [[c.value for c in r] for r in workbook["县市区代码表"].iter_rows()]
    assert counties[0] == ["县市区", "区划代码", "州市", "导入时也认可的写法"]
    assert counties[1][:3] == ["澜沧拉祜族自治县", "530828", "普洱市"]
    assert "澜沧县" in counties[1][3].split("、")


def test_upload_shows_a_preview_and_writes_nothing(admin_client, good_gbk_file):
    response = post_upload(admin_client, good_gbk_file)

    assertContains(response, "新增 <strong>2</strong>")
    assertContains(response, "LC-2023-001")
    assertContains(response, "茶叶初制所")
    assertContains(response, "确认导入")
    assert not Project.objects.exists()
    assert not ImportBatch.objects.exists()


def test_the_preview_shows_every_column_and_what_an_update_changes(
    admin_client, county, good_gbk_file
):
    Project.objects.create(
        code="LC-2023-001",
        name="茶叶初制所",
        county=county,
        category="industry",
        status="planned",
        year=2023,
        shanghai_funds=Decimal("100"),
        notes="已立项",
    )

    response = post_upload(admin_client, good_gbk_file)

    preview = response.context["result"].file.preview
    assert preview[0] == (
        2,
        "update",
        "LC-2023-001",
        "茶叶初制所",
        "2023",
        "澜沧拉祜族自治县",
        "产业发展",
        "在建（原为计划）",
        "120.5（原为100）",
        "0",
        "",
        "",
        "",
        "已立项",  # a blank cell keeps the stored note
        "",
        "",
    )
    assert preview[1][:3] == (3, "new", "LC-2023-002")
    assertContains(response, "<th>其他资金（万元）</th>", html=False)
    assertContains(response, "120.5（原为100）")


def test_confirming_the_preview_imports_the_file_as_one_batch(
    admin_client, admin_user, good_gbk_file
):
    preview = post_upload(admin_client, good_gbk_file)
    confirm = preview.context["confirm_form"]

    response = confirmed(admin_client, PROCESS, confirm.initial)

    assertContains(response, "导入完成：2行，新增2，更新0，未变0。")
    batch = ImportBatch.objects.get()
    assert (batch.user, batch.channel, batch.file_name) == (
        admin_user,
        "admin",
        "2023年澜沧县报表.csv",
    )
    assert set(Project.objects.values_list("code", "import_batch")) == {
        ("LC-2023-001", batch.pk),
        ("LC-2023-002", batch.pk),
    }


def test_a_bad_file_lists_every_error_offers_the_bad_rows_and_cannot_be_confirmed(
    admin_client, county
):
    bad = upload(
        "bad.csv",
        HEADER
        + "LC-2023-001,茶叶初制所,2023,澜沧拉祜族自治县,产业发展,在建,120.5\r\n"
        + "LC-2023-002,村道硬化,2023,火星县,基础设施,完工,-3\r\n"
        + "LC-2023-003,<script>alert(1)</script>,abc,530828,产业发展,在建,1\r\n",
    )

    response = post_upload(admin_client, bad)

    assertContains(response, "文件未通过校验，未写入任何数据")
    assertContains(response, "第3行 县市区：未知的县市区“火星县”")
    assertContains(response, "第3行 上海援助资金（万元）：金额不能为负数：“-3”")
    assertContains(response, "第4行 年度：年度须为1996至")
    assertNotContains(response, "<script>alert(1)</script>")
    assertNotContains(response, "确认导入")
    assert not Project.objects.exists()

    bad_rows = admin_client.get(
        reverse(
            "admin:projects_project_import_bad_rows",
            args=[response.context["result"].bad_rows_token],
        )
    )
    rows = list(csv.reader(io.StringIO(b"".join(bad_rows.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["原行号", *HEADER.strip().split(","), "错误说明"]
    assert [row[:2] for row in rows[1:]] == [["3", "LC-2023-002"], ["4", "LC-2023-003"]]
    assert "未知的县市区“火星县”" in rows[1][-1]


def test_bad_rows_download_refuses_a_token_that_is_not_one(admin_client):
    url = reverse("admin:projects_project_import_bad_rows", args=["..%2F..%2Fetc%2Fpasswd"])

    assert admin_client.get(url).status_code == 404


def test_an_xlsx_upload_goes_through_the_same_engine(admin_client, county):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["项目编号", "项目名称", "年度", "县市区", "项目类别", "项目状态", "上海援助资金(万元)"]
    )
    sheet.append(["LC-2023-009", "核桃初加工", 2023, 530828, "industry", "planned", 169.41])
    file = io.BytesIO()
    workbook.save(file)
    file.seek(0)
    file.name = "report.xlsx"

    preview = post_upload(admin_client, file, fmt="1")
    confirmed(admin_client, PROCESS, preview.context["confirm_form"].initial)

    project = Project.objects.get(code="LC-2023-009")
    assert str(project.shanghai_funds.normalize()) == "169.41"
    assert project.county == county


def test_a_large_amount_is_accepted_from_the_refusal_page_without_uploading_again(
    admin_client, county, settings
):
    settings.IMPORT_MAX_PROJECT_FUNDS = 100
    file = upload("大额.csv", HEADER + "LC-1,茶叶初制所,2023,530828,产业发展,在建,150\r\n")
    refused = post_upload(admin_client, file)
    again = refused.context["again_form"]

    assertContains(refused, "150万元超过单个项目上限100万元")
    assertContains(refused, "确认大额资金无误")
    assert list(again.fields) == ["token", "sender", "allow_moves", "allow_large_amounts"]
    assert [name for name in again.fields if not again.fields[name].widget.is_hidden] == [
        "allow_large_amounts"
    ]
    still = admin_client.post(
        reverse("admin:projects_project_import_again"), {**again.initial, "allow_large_amounts": ""}
    )
    assertContains(still, "150万元超过单个项目上限100万元")

    previewed = admin_client.post(
        reverse("admin:projects_project_import_again"),
        {**again.initial, "allow_large_amounts": "on"},
    )

    assertContains(previewed, "新增 <strong>1</strong>")
    confirm = previewed.context["confirm_form"].initial
    assert confirm["allow_large_amounts"] is True
    done = confirmed(admin_client, PROCESS, confirm)
    assertContains(done, "导入完成：1行，新增1")
    assert Project.objects.get().shanghai_funds == 150


def test_a_move_is_accepted_from_the_refusal_page(admin_client, county):
    Project.objects.create(code="LC-1", name="茶叶初制所", county=county, year=2022)
    file = upload("改年度.csv", HEADER + "LC-1,茶叶初制所,2023,530828,产业发展,在建,15\r\n")
    again = post_upload(admin_client, file).context["again_form"]

    previewed = admin_client.post(
        reverse("admin:projects_project_import_again"), {**again.initial, "allow_moves": "on"}
    )
    confirm = previewed.context["confirm_form"].initial
    confirmed(admin_client, PROCESS, confirm)

    assert Project.objects.get().year == 2023
