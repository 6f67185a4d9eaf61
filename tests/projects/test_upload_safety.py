"""Uploads are checked before they are read: size, what the content really is, zip and XML
bombs; what the admin keeps stays in its files folder (STORAGES["uploads"]) and only as long
as needed, nothing in the temporary directory; a bad file gets a clear message, never a
server error. Through the admin's upload screen and the command alike."""

import csv
import io
import os
import tempfile
import time
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from projects.models import ImportBatch, Project
from tests.jobs import confirmed

from .report_files import csv_bytes, import_files, refused, row, write, xlsx_bytes, xlsx_row

IMPORT = reverse("admin:projects_project_import")
PROCESS = reverse("admin:projects_project_process_import")
CSV, XLSX = "0", "1"  # the admin's format choices
GOOD_CSV = csv_bytes([row()])
# What Excel writes as "Unicode text": UTF-16 with a BOM, tab-separated.
UNICODE_TEXT = "\r\n".join(
    "\t".join(cells)
    for cells in [
        ["项目编号", "项目名称", "年度", "县市区", "项目类别", "项目状态", "上海援助资金（万元）"],
        ["2023-LC-001", "茶叶初制所", "2023", "澜沧拉祜族自治县", "产业发展", "在建", "169.41"],
    ]
).encode("utf-16")


def good_xlsx():
    return xlsx_bytes([xlsx_row()])


def upload(admin_client, content, name, fmt):
    file = io.BytesIO(content)
    file.name = name
    return admin_client.post(IMPORT, {"format": fmt, "resource": "0", "import_file": file})


def confirm(admin_client, preview):
    return confirmed(admin_client, PROCESS, preview.context["confirm_form"].initial)


@pytest.fixture
def temp_dir(tmp_path, monkeypatch):
    """A temporary directory of its own, to see what an upload leaves in it."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


def kept(directory):
    """Every file under `directory`, by its path inside it."""
    if not directory.exists():
        return []
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())


def with_part(content, name, data, compress=zipfile.ZIP_DEFLATED):
    """The workbook with one more part in its zip."""
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(zipfile.ZipInfo(name), data, compress_type=compress)
    return buffer.getvalue()


def with_xml(content, name, edit):
    """The workbook with one XML part rewritten by `edit` (text → text)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == name:
                data = edit(data.decode()).encode()
            target.writestr(item, data)
    return buffer.getvalue()


# Size


def test_openpyxl_parses_xml_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_admin_refuses_a_file_over_the_limit_before_reading_or_keeping_it(
    admin_client, county, settings, temp_dir, files_dir, monkeypatch
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1 << 20

    def must_not_read(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr("projects.importers.uploads.Upload.store", must_not_read)
    monkeypatch.setattr("projects.importers.screens.run", must_not_read)
    big = GOOD_CSV + b"\n" * (3 << 19)

    response = upload(admin_client, big, "big.csv", CSV)

    assertContains(response, "文件过大（1.5 MB），上限为1 MB。更大的文件请用命令行导入。")
    assert kept(temp_dir) == kept(files_dir) == []
    assert not ImportBatch.objects.exists()


def test_the_command_is_not_bound_by_the_upload_limit(county, settings, tmp_path):
    # An operator on the server is trusted, and large files are what the command is for.
    settings.IMPORT_MAX_UPLOAD_BYTES = 100

    lines = import_files(write(tmp_path, "report.csv", GOOD_CSV), quiet=True)

    assert lines[-1] == "created=1 updated=0 unchanged=0"


# What the file really is


MISMATCHES = [
    ("report.csv", good_xlsx, "文件实际是XLSX文件，而文件名或所选格式是CSV：请改正后重新上传。"),
    ("report.xlsx", lambda: GOOD_CSV, "文件实际是CSV文件，而文件名或所选格式是XLSX"),
    (
        "report.xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "无法读取XLS文件：文件已损坏、加密或不是Excel文件。",
    ),
    (
        "report.csv",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "无法读取XLS文件：文件已损坏、加密或不是Excel文件。",
    ),
    (
        "photo.csv",
        lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "文件不是CSV或XLSX：含有空字符（NUL），不是文本文件。",
    ),
    ("report.csv", lambda: GOOD_CSV + b"\x00\x00", "含有空字符（NUL）"),
    (
        "report.csv",
        lambda: bytes(range(0x80, 0x100)) * 4,
        "内容既不是UTF-8也不是GBK/GB18030编码的文本",
    ),
    (
        "letter.xlsx",
        lambda: with_part(b"", "word/document.xml", "<w/>"),
        "文件不是XLSX：压缩包中没有Excel工作簿。",
    ),
    ("report.xlsx", lambda: good_xlsx()[:3000], "无法读取XLSX文件：文件已损坏或不是XLSX。"),
]


@pytest.mark.parametrize(("name", "content", "message"), MISMATCHES)
def test_the_command_checks_the_content_not_the_name(county, tmp_path, name, content, message):
    errors, _ = refused(write(tmp_path, name, content()))

    assert any(message in line for line in errors), errors
    assert not Project.objects.exists()


@pytest.mark.parametrize(("name", "content", "message"), MISMATCHES)
def test_the_admin_checks_the_content_against_the_chosen_format(
    admin_client, county, temp_dir, files_dir, name, content, message
):
    fmt = XLSX if name.endswith(".xlsx") else CSV

    response = upload(admin_client, content(), name, fmt)

    assert response.status_code == 200
    assertContains(response, message)
    assertNotContains(response, "确认导入")
    assert kept(temp_dir) == kept(files_dir) == []


def test_a_damaged_xls_without_a_format_chosen_is_named_too(admin_client, county):
    response = upload(admin_client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "a.xls", "")

    assertContains(response, "无法读取XLS文件：文件已损坏、加密或不是Excel文件。")


def test_excel_unicode_text_utf16_is_still_a_csv(county, tmp_path):
    lines = import_files(write(tmp_path, "report.txt", UNICODE_TEXT), quiet=True)

    assert lines[-1] == "created=1 updated=0 unchanged=0"


def test_a_cell_over_the_csv_field_limit_is_a_clear_error(county, tmp_path):
    content = csv_bytes([row(notes="长" * 140_000)])

    errors, _ = refused(write(tmp_path, "report.csv", content))

    assert errors == ["CSV格式有误（第2行）：单元格超过131072个字符"]


# Zip and XML bombs


def test_an_xlsx_part_compressed_beyond_reason_is_refused_unopened(county, tmp_path, monkeypatch):
    bomb = with_part(good_xlsx(), "xl/media/image1.bin", bytes(20 << 20))
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("opened"))

    errors, _ = refused(write(tmp_path, "report.xlsx", bomb))

    assert errors == [
        "XLSX文件中的“xl/media/image1.bin”压缩比异常（超过100:1），不像正常的表格，已拒绝。"
    ]


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused(county, tmp_path, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1 << 20
    large = with_part(good_xlsx(), "xl/media/image1.bin", os.urandom(2 << 20), zipfile.ZIP_STORED)

    errors, _ = refused(write(tmp_path, "report.xlsx", large))

    assert errors == ["XLSX文件解压后过大（2 MB，上限1 MB），请拆分后再导入。"]


def test_an_xlsx_part_cannot_unpack_larger_than_its_stated_size(county, tmp_path):
    # The zip directory says the sheet is 200 bytes; it is more. zipfile stops at 200 bytes
    # and the CRC check fails: a clean refusal, never an unbounded unpacking.
    content = bytearray(good_xlsx())
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    real = sheet.file_size.to_bytes(4, "little")
    assert content.count(real) >= 2  # the local header and the central directory entry
    content = bytes(content).replace(real, (200).to_bytes(4, "little"))

    errors, _ = refused(write(tmp_path, "report.xlsx", content))

    assert len(errors) == 1 and errors[0].startswith("无法读取XLSX文件"), errors
    assert not Project.objects.exists()


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL = '<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


SHARED_STRINGS = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def with_shared_strings(content, declaration):
    """The workbook with a shared strings part (Excel always writes one; openpyxl may not)."""
    content = with_xml(
        content, "[Content_Types].xml", lambda xml: xml.replace("</Types>", SHARED_STRINGS)
    )
    strings = (
        '<?xml version="1.0" encoding="UTF-8"?>%s<sst xmlns="http://schemas.openxmlformats.org'
        '/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>x</t></si></sst>'
    )
    return with_part(content, "xl/sharedStrings.xml", strings % declaration)


def declare(declaration):
    def edit(xml):
        start = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
        return xml[:start] + declaration + xml[start:]

    return edit


@pytest.mark.parametrize("declaration", [LAUGHS, EXTERNAL], ids=["billion-laughs", "external"])
@pytest.mark.parametrize(
    "part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"]
)
def test_xml_entity_declarations_are_refused_in_every_part(county, tmp_path, declaration, part):
    if part == "xl/sharedStrings.xml":
        content = with_shared_strings(good_xlsx(), declaration)
    else:
        content = with_xml(good_xlsx(), part, declare(declaration))

    errors, _ = refused(write(tmp_path, "report.xlsx", content))

    assert errors == ["XLSX文件含有不允许的XML实体声明（可能是恶意文件），已拒绝。"]


def test_a_workbook_with_shared_strings_still_imports(county, tmp_path):
    lines = import_files(write(tmp_path, "r.xlsx", with_shared_strings(good_xlsx(), "")))

    assert lines[-1] == "created=1 updated=0 unchanged=0"


def test_a_damaged_sheet_is_a_clear_error_not_a_crash(admin_client, county):
    content = with_xml(good_xlsx(), "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])

    response = upload(admin_client, content, "report.xlsx", XLSX)

    assertContains(response, "无法读取XLSX文件（工作表已损坏）：")
    assert not Project.objects.exists()


# The temporary files


def test_an_upload_is_kept_in_the_files_folder_only_until_it_is_confirmed(
    admin_client, admin_user, county, temp_dir, files_dir, tmp_path, monkeypatch
):
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)

    preview = upload(admin_client, GOOD_CSV, "../../../报表.csv", CSV)
    waiting = kept(files_dir)
    token = preview.context["confirm_form"].initial["token"]
    response = confirm(admin_client, preview)

    folder = "uploads/%d/" % admin_user.pk
    assert waiting == [folder + token + ".json", folder + token + ".upload"]
    assertContains(response, "导入完成：1行")
    assert ImportBatch.objects.get().file_name == "报表.csv"
    assert kept(files_dir) == kept(temp_dir) == kept(workdir) == []


def test_a_refused_upload_leaves_only_its_bad_rows_in_the_files_folder(
    admin_client, admin_user, county, temp_dir, files_dir
):
    response = upload(admin_client, csv_bytes([row(county="火星县")]), "bad.csv", CSV)

    assertContains(response, "文件未通过校验")
    token = response.context["result"].bad_rows_token
    assert kept(files_dir) == ["refusals/%d/%s.csv" % (admin_user.pk, token)]
    assert kept(temp_dir) == []


def test_another_user_cannot_download_the_bad_rows_of_a_refused_upload(
    admin_client, client, django_user_model, county
):
    response = upload(admin_client, csv_bytes([row(county="火星县")]), "bad.csv", CSV)
    token = response.context["result"].bad_rows_token
    url = reverse("admin:projects_project_import_bad_rows", args=[token])
    other = django_user_model.objects.create_superuser("other", "", "x")
    client.force_login(other)

    own = admin_client.get(url)
    assert own.status_code == 200
    assert b"".join(own.streaming_content).decode("utf-8-sig").startswith("原行号,项目编号")
    assert client.get(url).status_code == 404


def test_another_user_cannot_confirm_an_upload(admin_client, client, django_user_model, county):
    preview = upload(admin_client, GOOD_CSV, "report.csv", CSV)
    other = django_user_model.objects.create_superuser("other", "", "x")
    client.force_login(other)

    response = confirm(client, preview)

    assertContains(response, "未导入：上传的文件已导入或已过期，请重新上传。")
    assert not Project.objects.exists()
    assertContains(confirm(admin_client, preview), "导入完成：1行")


def test_a_second_confirm_is_told_the_file_is_gone(admin_client, county):
    preview = upload(admin_client, GOOD_CSV, "report.csv", CSV)
    confirm(admin_client, preview)

    again = confirm(admin_client, preview)

    assertContains(again, "未导入：上传的文件已导入或已过期，请重新上传。")
    assert ImportBatch.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/etc/passwd", "decoy", "decoy.csv", "0" * 32, "../" + "0" * 29]
)
def test_the_confirm_step_reads_and_deletes_no_other_file(
    admin_client, admin_user, county, temp_dir, files_dir, name
):
    decoys = [temp_dir / "decoy.csv", files_dir / "uploads" / str(admin_user.pk) / "decoy.csv"]
    for decoy in decoys:
        decoy.parent.mkdir(parents=True, exist_ok=True)
        decoy.write_bytes(GOOD_CSV)

    response = admin_client.post(PROCESS, {"token": name, "confirm": "确认导入"}, follow=True)

    assertContains(response, "上传的文件已导入或已过期")
    assert all(decoy.exists() for decoy in decoys)
    assert not Project.objects.exists()


def test_a_file_that_fails_only_at_confirm_is_reported_not_a_crash(admin_client, county):
    preview = upload(admin_client, GOOD_CSV, "report.csv", CSV)
    county.delete()  # meanwhile, the county went

    response = confirm(admin_client, preview)

    assertContains(response, "导入失败，未写入任何数据：第2行 县市区：未知的县市区")
    assert not ImportBatch.objects.exists()


def test_bad_rows_neutralise_every_cell_excel_would_run_header_included(admin_client, county):
    header = ["项目编号", "项目名称", "年度", "县市区", "项目类别", "项目状态"]
    header += ["上海援助资金（万元）", '=HYPERLINK("http://x")']
    content = csv_bytes(
        [["=1+1", "@SUM(A1)", "2023", "火星县", "产业发展", "在建", "1", "+cmd"]], header=header
    )
    response = upload(admin_client, content, "bad.csv", CSV)

    token = response.context["result"].bad_rows_token
    bad = admin_client.get(reverse("admin:projects_project_import_bad_rows", args=[token]))
    text = b"".join(bad.streaming_content).decode("utf-8-sig")

    records = list(csv.reader(io.StringIO(text)))
    assert records[0][-2] == '\'=HYPERLINK("http://x")'
    assert records[1][1:3] == ["'=1+1", "'@SUM(A1)"]
    assert records[1][-2] == "'+cmd"
    assert not [c for r in records for c in r if c.startswith(("=", "+", "-", "@"))]


def test_uploads_and_refusal_files_older_than_a_day_are_swept_at_the_next_upload(
    admin_client, county, files_dir
):
    waiting = upload(admin_client, GOOD_CSV, "waiting.csv", CSV)
    refused = upload(admin_client, csv_bytes([row(county="火星县")]), "bad.csv", CSV)
    day_ago = time.time() - 24 * 3600 - 60
    for path in files_dir.rglob("*.*"):
        os.utime(path, (day_ago, day_ago))

    fresh = upload(admin_client, GOOD_CSV, "fresh.csv", CSV)

    token = fresh.context["confirm_form"].initial["token"]
    assert [p.rsplit("/", 1)[1] for p in kept(files_dir)] == [token + ".json", token + ".upload"]
    assertContains(confirm(admin_client, waiting), "上传的文件已导入或已过期")
    bad_rows = refused.context["result"].bad_rows_token
    url = reverse("admin:projects_project_import_bad_rows", args=[bad_rows])
    assert admin_client.get(url).status_code == 404


def test_a_preview_on_one_app_server_is_confirmed_on_another(
    admin_client, county, tmp_path, monkeypatch
):
    """Two app servers share the files folder, not their temporary directories."""
    first, second = tmp_path / "server-1-tmp", tmp_path / "server-2-tmp"
    first.mkdir()
    second.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(first))
    preview = upload(admin_client, GOOD_CSV, "report.csv", CSV)
    monkeypatch.setattr(tempfile, "tempdir", str(second))

    response = confirm(admin_client, preview)

    assertContains(response, "导入完成：1行")
    assert Project.objects.get().code == "2023-LC-001"


def test_the_daily_sweep_removes_what_waited_over_a_day_and_says_how_many(
    admin_client, county, files_dir
):
    upload(admin_client, GOOD_CSV, "waiting.csv", CSV)
    upload(admin_client, csv_bytes([row(county="火星县")]), "bad.csv", CSV)
    fresh = upload(admin_client, GOOD_CSV, "fresh.csv", CSV)
    token = fresh.context["confirm_form"].initial["token"]
    day_ago = time.time() - 24 * 3600 - 60
    for path in files_dir.rglob("*.*"):
        if not path.name.startswith(token):
            os.utime(path, (day_ago, day_ago))
    out = io.StringIO()

    call_command("sweep_files", stdout=out)

    assert out.getvalue() == "已删除3个过期文件。\n"
    assert [p.rsplit("/", 1)[1] for p in kept(files_dir)] == [token + ".json", token + ".upload"]
