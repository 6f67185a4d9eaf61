"""Staff import a yearly report in the admin with a real browser: the format is guessed from the
file's extension, the upload goes through static/js/import-progress.js (which sends it with
XMLHttpRequest and shows the answer in place), then the preview is confirmed and a worker
process imports it while its page waits."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import ImportBatch, Project

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "导入测试-密码-2023"
REPORT = (
    "项目编号,项目名称,年度,县市区,项目类别,项目状态,上海援助资金（万元）\r\n"
    "2023-LC-001,茶叶初制所,2023,澜沧拉祜族自治县,产业发展,在建,169.41\r\n"
)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("importer", password=PASSWORD)


@pytest.mark.usefixtures("county")
def test_staff_upload_a_report_see_the_preview_and_confirm_it(
    page, staff, log_in, tmp_path, worker
):
    report = tmp_path / "2023年澜沧县报表.csv"
    report.write_text(REPORT, encoding="utf-8")

    page.goto("/admin/projects/project/import/")
    log_in("importer", PASSWORD)
    expect(page.get_by_role("heading", name="项目年度报表（沪滇协作项目年度报表）")).to_be_visible()

    page.locator("input[type=file]").set_input_files(report)

    # The script sends the file itself: the upload is an XHR, not a page load.
    with page.expect_request(lambda r: r.method == "POST" and r.resource_type == "xhr"):
        page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_role("heading", name="导入预览：2023年澜沧县报表.csv")).to_be_visible()
    preview = page.locator("table.import-preview tbody tr")
    expect(preview).to_have_count(1)
    expect(preview).to_contain_text("2023-LC-001")
    expect(preview).to_contain_text("新增")
    assert not Project.objects.exists()

    page.get_by_role("button", name="确认导入").click()

    # The import is queued: its page says so, and reloads itself until a worker has done it.
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("排队中")
    worker()
    expect(page.get_by_text("导入完成：1行，新增1，更新0，未变0。")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("status")).to_contain_text("已完成")
    project = Project.objects.get(code="2023-LC-001")
    assert (project.name, project.county.code, str(project.shanghai_funds.normalize())) == (
        "茶叶初制所",
        "530828",
        "169.41",
    )
    assert project.import_batch == ImportBatch.objects.get(user=staff, channel="admin")
