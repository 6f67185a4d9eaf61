"""A refused report costs the same whatever it holds: the first 200 errors are listed and the
rest counted, the files of refused rows and of all errors stop at their cap, cells beyond the
header are not kept, a cell longer than Excel allows is refused, and a cell is quoted short.

The worst files are small: an XLSX whose cells all point at one long shared string unpacks a
few KB into thousands of 30,000-character cells. Also here: the batch keeps the name that was
uploaded, and a code outside the importer's scope is refused in the same words whether or not
the project exists.
"""

import csv
import io
import json
import os
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from counties.models import County, Scope
from projects.models import ImportBatch, Project
from tests.indicators import indicator_files
from tests.jobs import confirmed

from .report_files import HEADERS, csv_bytes, refused, row, write

IMPORT = reverse("admin:projects_project_import")
PROCESS = reverse("admin:projects_project_process_import")
CSV, XLSX = "0", "1"
ROOT = Path(__file__).resolve().parents[2]
LONG = "长" * 30_000  # under Excel's limit: read, and quoted in every message it earns
# Each cell of a row of LONG is wrong but 备注: 12 errors, none a duplicate (the code is).
ERRORS_PER_LONG_ROW = 12
TOO_LONG = "单元格内容超过32767个字符，已拒绝"


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml."
PARTS = {
    "[Content_Types].xml": '<Types xmlns="%scontent-types"><Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="%ssheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="%sworksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="%ssharedStrings+xml"/></Types>'
    % (PACKAGE, TYPES, TYPES, TYPES),
    "_rels/.rels": '<Relationships xmlns="%srelationships"><Relationship Id="rId1" '
    'Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % (PACKAGE, OFFICE),
    "xl/workbook.xml": '<workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="s" sheetId="1" '
    'r:id="rId1"/></sheets></workbook>' % (MAIN, OFFICE),
    "xl/_rels/workbook.xml.rels": '<Relationships xmlns="%srelationships"><Relationship '
    'Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
    'Type="%s/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    % (PACKAGE, OFFICE, OFFICE),
}


def written_xlsx(rows, strings=(), header=HEADERS):
    """An XLSX as written by hand (openpyxl cuts long strings, and repeats what is shared):
    a cell is an int, the index of a shared string, or a str, written inline; a row may end
    with FAR, a shared string's index, put out at column XFD."""

    def cell(value):
        if isinstance(value, int):
            return '<c t="s"><v>%d</v></c>' % value
        return '<c t="inlineStr"><is><t>%s</t></is></c>' % escape(value)

    def xml(number, cells):
        far = ""
        if cells and isinstance(cells[-1], Far):
            far = '<c r="XFD%d" t="s"><v>%d</v></c>' % (number, cells[-1].index)
            cells = cells[:-1]
        return '<row r="%d">%s%s</row>' % (number, "".join(map(cell, cells)), far)

    sheet = "".join(xml(n, cells) for n, cells in enumerate([header, *rows], start=1))
    parts = {
        **PARTS,
        "xl/sharedStrings.xml": '<sst xmlns="%s">%s</sst>'
        % (MAIN, "".join("<si><t>%s</t></si>" % escape(s) for s in strings)),
        "xl/worksheets/sheet1.xml": '<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>'
        % (MAIN, sheet),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


class Far(int):
    """A shared string's index, for a cell out at column XFD."""

    @property
    def index(self):
        return int(self)


def expanding_xlsx(rows, header=HEADERS):
    """An XLSX of a few KB: every cell of every row points at the one shared string LONG."""
    return written_xlsx([[0] * len(header)] * rows, [LONG], header)


def upload(client, content, name, fmt, url=IMPORT):
    file = io.BytesIO(content)
    file.name = name
    return client.post(url, {"format": fmt, "resource": "0", "import_file": file})


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def temp_dir(tmp_path, monkeypatch):
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


# The list of errors


def test_the_command_lists_the_first_200_errors_and_counts_the_rest(county, tmp_path):
    content = expanding_xlsx(25)
    assert len(content) < 10_000

    errors, summary = refused(write(tmp_path, "r.xlsx", content))

    total = 25 * ERRORS_PER_LONG_ROW
    assert len(errors) == 201
    assert errors[-1] == "另有%d处错误未列出" % (total - 200)
    assert summary == "导入失败：共%d处错误，未写入任何数据。" % total
    assert errors[:2] == ["第2行 项目编号：超过40个字", "第2行 项目名称：超过200个字"]
    assert max(len(line) for line in errors) < 200


def test_the_admin_lists_the_first_200_errors_and_offers_them_all(
    admin_client, admin_user, county, files_dir
):
    response = upload(admin_client, expanding_xlsx(25), "r.xlsx", XLSX)

    total = 25 * ERRORS_PER_LONG_ROW
    assert len(response.content) < 200_000
    page = response.content.decode()
    listed = page.split('<ul class="import-errors">')[1].split("</ul>")[0]
    assert listed.count("<li>") == 200
    assertContains(response, "共 %d 处错误" % total)
    assertContains(response, "另有%d处错误未列出" % (total - 200))
    assertNotContains(response, "确认导入")
    result = response.context["result"]
    errors_url = reverse("admin:projects_project_import_errors", args=[result.errors_token])
    assertContains(response, errors_url)
    lines = download(admin_client, errors_url).decode("utf-8").splitlines()
    assert len(lines) == total
    assert lines[:200] == result.failure.errors
    kept = files_dir / "refusals" / str(admin_user.pk) / ("%s.txt" % result.errors_token)
    assert mode(kept) == 0o600


def test_a_long_cell_is_quoted_short_in_its_message(county, tmp_path):
    content = csv_bytes([row(category="修" * 1000)])

    errors, _ = refused(write(tmp_path, "r.csv", content))

    assert errors == ["第2行 项目类别：未知的取值“%s…”（可填：%s）" % ("修" * 50, CATEGORIES)]


CATEGORIES = "产业发展、劳务协作、教育帮扶、医疗帮扶、消费帮扶、基础设施、乡村建设、社会帮扶、其他"


def test_a_refusal_at_the_confirm_step_lists_ten_errors_and_counts_the_rest(admin_client, county):
    good = csv_bytes([row("LC-%03d" % n) for n in range(30)])
    preview = upload(admin_client, good, "r.csv", CSV)
    county.delete()  # meanwhile, the county went: every row is refused now

    response = confirmed(admin_client, PROCESS, preview.context["confirm_form"].initial)

    assertContains(response, "导入失败，未写入任何数据：第2行 县市区：未知的县市区")
    assertContains(response, "；另有20处错误未列出")


# The refused rows


def test_the_refused_rows_file_stops_at_its_cap_and_says_so(
    admin_client, admin_user, county, files_dir, monkeypatch
):
    monkeypatch.setattr("projects.importers.refusals.MAX_FILE_BYTES", 4 << 20)

    response = upload(admin_client, expanding_xlsx(25), "r.xlsx", XLSX)

    token = response.context["result"].bad_rows_token
    path = files_dir / "refusals" / str(admin_user.pk) / ("%s.csv" % token)
    assert mode(path) == 0o600
    assert path.stat().st_size < (4 << 20) + 1000
    content = download(
        admin_client, reverse("admin:projects_project_import_bad_rows", args=[token])
    )
    records = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    # A row is 13 cells of 30,000 three-byte characters: 1.2 MB; three fit in 4 MB.
    assert [r[0] for r in records[1:4]] == ["2", "3", "4"]
    assert records[4:] == [["另有22行未列出：文件已达4 MB上限。"]]


def test_a_cell_in_the_refused_rows_is_cut_to_excels_limit(admin_client, county, temp_dir):
    response = upload(admin_client, csv_bytes([row(notes="注" * 40_000)]), "r.csv", CSV)

    assertContains(response, "第2行 备注：%s" % TOO_LONG)
    token = response.context["result"].bad_rows_token
    content = download(
        admin_client, reverse("admin:projects_project_import_bad_rows", args=[token])
    )
    records = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert records[1][-2] == "注" * 32766 + "…"


def test_uploads_and_refusals_are_readable_by_their_owner_only(
    admin_client, admin_user, county, files_dir
):
    upload(admin_client, csv_bytes([row()]), "good.csv", CSV)
    upload(admin_client, csv_bytes([row(county="火星县")]), "bad.csv", CSV)

    files = sorted(path for path in files_dir.rglob("*") if path.is_file())
    owner = str(admin_user.pk)
    assert [(p.parent.parent.name, p.parent.name, p.suffix) for p in files] == [
        ("refusals", owner, ".csv"),
        ("uploads", owner, ".json"),
        ("uploads", owner, ".upload"),
    ]
    assert {mode(path) for path in files} == {0o600}
    assert {mode(path.parent) for path in files} == {0o700}


def test_what_imports_leave_behind_is_swept_after_a_day(admin_client, county, files_dir):
    upload(admin_client, csv_bytes([row(county="火星县")]), "bad.csv", CSV)
    (old,) = files_dir.rglob("*.csv")
    os.utime(old, (0, 0))
    elsewhere = files_dir / "someone-elses.csv"
    elsewhere.write_text("x")
    os.utime(elsewhere, (0, 0))

    upload(admin_client, csv_bytes([row()]), "good.csv", CSV)

    assert not old.exists()
    assert elsewhere.exists()


# Cells far to the right


def xfd_xlsx(rows):
    """The report, each row with the long string out at column XFD (16,384) too."""
    return written_xlsx([[*cells, Far(0)] for cells in rows], [LONG])


def test_cells_out_at_column_xfd_are_not_kept(admin_client, county, temp_dir):
    content = xfd_xlsx([row("LC-%d" % n, county="火星县") for n in range(50)])

    response = upload(admin_client, content, "r.xlsx", XLSX)

    assert len(response.content) < 200_000
    token = response.context["result"].bad_rows_token
    content = download(
        admin_client, reverse("admin:projects_project_import_bad_rows", args=[token])
    )
    records = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert {len(record) for record in records} == {len(HEADERS) + 2}
    assert len(content) < 50 * 1000


def test_a_report_with_cells_out_at_xfd_imports_its_columns(county, tmp_path):
    from .report_files import import_files

    content = xfd_xlsx([row("LC-%d" % n) for n in range(3)])

    lines = import_files(write(tmp_path, "r.xlsx", content), quiet=True)

    assert lines[-1] == "created=3 updated=0 unchanged=0"


# Cells longer than Excel allows


def test_an_xlsx_cell_over_excels_limit_is_refused_by_its_row_and_column(county, tmp_path):
    good = [*row()[:-1], "注" * 32_767]
    content = written_xlsx([good, [*row("LC-2")[:-1], "注" * 32_768]])

    errors, _ = refused(write(tmp_path, "r.xlsx", content))

    assert errors == ["第3行 备注：%s" % TOO_LONG]
    assert not Project.objects.exists()


def test_a_csv_cell_over_excels_limit_is_refused_by_its_row_and_column(county, tmp_path):
    errors, _ = refused(write(tmp_path, "r.csv", csv_bytes([row(name="名" * 40_000)])))

    assert errors == ["第2行 项目名称：%s" % TOO_LONG]


def test_an_indicator_cell_over_excels_limit_is_refused(indicators, county, tmp_path):
    content = indicator_files.csv_bytes(
        [["2023", "", county.name, "", "labour_jobs", "1", "", "注" * 40_000]]
    )

    errors, _ = indicator_files.refused(write(tmp_path, "r.csv", content))

    assert errors == ["第2行 备注：%s" % TOO_LONG]


def test_an_expanding_indicator_report_lists_the_first_200_errors(indicators, tmp_path):
    content = expanding_xlsx(40, header=indicator_files.HEADERS)

    errors, summary = indicator_files.refused(write(tmp_path, "r.xlsx", content))

    assert len(errors) == 201
    assert errors[-1].startswith("另有") and errors[-1].endswith("处错误未列出")
    assert max(len(line) for line in errors) < 200


# Memory


MEASURED = """
import io, json, os, resource, sys
limit = 1 << 31
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import django
django.setup()
from django.core.management import call_command
from django.core.management.base import CommandError
call_command("migrate", verbosity=0)
from counties.models import County, Prefecture
puer = Prefecture.objects.create(code="530800", name="普洱市", division_type="地级市")
County.objects.create(code="530828", name="澜沧拉祜族自治县", prefecture=puer)
path = sys.argv[1]
try:
    call_command("import_yearly_report", path, dry_run=True, quiet=True,
                 stdout=io.StringIO(), stderr=io.StringIO())
except CommandError:
    pass
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
client.force_login(get_user_model().objects.create_superuser("bounds", "", "x"))
with open(path, "rb") as file:
    response = client.post("/admin/projects/project/import/", {"import_file": file})
result = response.context["result"]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"count": result.failure.count, "peak": peak}))
"""


def test_memory_does_not_grow_with_the_errors_of_a_file(tmp_path):
    """Thousands of rows of 30,000-character cells from a file of a few KB, through the
    command and the admin's upload (a dry run each), in a process of its own. It took 2.8 GB."""
    path = write(tmp_path, "r.xlsx", expanding_xlsx(3000))
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="hujin.settings",
        DATABASE_URL="sqlite:///%s" % (tmp_path / "db.sqlite3"),
        TMPDIR=str(tmp_path),
        HUJIN_FILES_DIR=str(tmp_path / "files"),
    )

    child = subprocess.run(
        [sys.executable, "-c", MEASURED, path],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert child.returncode == 0, child.stderr[-2000:]
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    assert figures["count"] == 3000 * ERRORS_PER_LONG_ROW
    # Django, openpyxl and a migrated database take 70–350 MB depending on the machine; the
    # old engine took 2.8 GB on this file, and its peak grew with every error.
    assert figures["peak"] < 600 << 20
    # The admin's refused rows and full list of errors, kept in its files folder.
    refusals = sorted((tmp_path / "files" / "refusals").rglob("*.*"))
    assert [p.suffix for p in refusals] == [".csv", ".txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("hujin-")]
    assert all(p.stat().st_size < (20 << 20) + 1000 for p in refusals)


# The file's name


def test_the_batch_keeps_the_name_uploaded_not_the_one_posted_back(admin_client, county):
    preview = upload(admin_client, csv_bytes([row()]), "2023年澜沧县报表.csv", CSV)
    forged = {**preview.context["confirm_form"].initial, "original_file_name": "伪造.csv"}

    response = confirmed(admin_client, PROCESS, forged)

    assertContains(response, "导入完成：1行")
    assert ImportBatch.objects.get().file_name == "2023年澜沧县报表.csv"


def test_the_confirm_step_posts_no_name_only_the_uploads_token_and_choices(admin_client, county):
    preview = upload(admin_client, csv_bytes([row()]), "报表.csv", CSV)
    posted = dict(preview.context["confirm_form"].initial)

    confirmed(admin_client, PROCESS, posted)

    assert set(posted) == {"token", "sender", "allow_moves", "allow_large_amounts"}
    assert ImportBatch.objects.get().file_name == "报表.csv"


# Other scopes' project codes


@pytest.fixture
def menglian(prefecture):
    return County.objects.create(
        code="530827", name="孟连傣族拉祜族佤族自治县", prefecture=prefecture
    )


@pytest.fixture
def lancang_importer(client, django_user_model, county, menglian):
    user = django_user_model.objects.create_user("importer", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="导入员"))
    Scope.objects.create(user=user).counties.set([county])
    client.force_login(user)
    return client


def scope_errors(client, code):
    """The errors of an import, by a 澜沧 importer, of one 澜沧 row with this code."""
    response = upload(client, csv_bytes([row(code)]), "r.csv", CSV)
    assertNotContains(response, "确认导入")
    return response.context["result"].failure.errors


@pytest.mark.parametrize("code", ["530827202300100001", "P-ML"], ids=["county-code", "other-code"])
def test_a_code_outside_the_scope_is_refused_alike_whether_or_not_it_exists(
    lancang_importer, menglian, code
):
    Project.objects.create(code=code, name="孟连项目", county=menglian, year=2023)
    existing = scope_errors(lancang_importer, code)

    assert existing == ["第2行 项目编号：项目编号“%s”不在您的数据范围内" % code]
    if code.startswith("530827"):
        missing = scope_errors(lancang_importer, "530827202300100002")
        assert missing == [existing[0].replace(code, "530827202300100002")]
    assert Project.objects.get(code=code).county == menglian


def test_a_code_with_the_importers_own_county_code_imports(lancang_importer):
    response = upload(lancang_importer, csv_bytes([row("530828202300100001")]), "r.csv", CSV)

    assertContains(response, "确认导入")


def test_an_importer_without_a_limited_scope_may_use_any_county_code(admin_client, county):
    response = upload(admin_client, csv_bytes([row("530827202300100001")]), "r.csv", CSV)

    assertContains(response, "确认导入")
