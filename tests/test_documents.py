"""附件: files attached to a record through its admin page, checked against their extension,
listed on the record's page and downloaded by readers whose scope holds the record, and
written in the record's audit trail.

The admins of the registries add DocumentInline with one line; here it sits on a small
project admin of its own site (below), so that these tests post only the fields they are
about, through the same audited, scoped admin classes."""

import datetime
import io
import os
import struct
import zipfile
import zlib

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from pytest_django.asserts import assertContains, assertNotContains

from counties.admin import ScopedAdmin
from counties.admin_site import HujinAdminSite
from counties.models import AuditEntry, Pairing, Scope
from documents.admin import DocumentInline
from documents.models import Document
from hujin import urls as site_urls
from projects.models import Project
from tests.cast import make_project


class ProjectDocumentsAdmin(ScopedAdmin):
    fields = ["name"]
    inlines = [DocumentInline]


site = HujinAdminSite(name="docadmin")
site.register(Project, ProjectDocumentsAdmin)
urlpatterns = [path("docadmin/", site.urls), *site_urls.urlpatterns]
pytestmark = pytest.mark.urls(__name__)

PREFIX = "documents-document-content_type-object_id"


# Files, built in memory


def pdf_bytes(size=0):
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    return body + b"%" * max(0, size - len(body) - 6) + b"\n%%EOF"


def png_bytes():
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def xlsx_bytes():
    book = openpyxl.Workbook()
    book.active.append(["项目编号", "资金（万元）"])
    book.active.append(["2023-LC-001", 120])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bytes(*members):
    """A zip of (name, bytes) members, the first stored uncompressed (as ODF wants)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for position, (name, data) in enumerate(members):
            method = zipfile.ZIP_STORED if position == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def docx_bytes():
    return zip_bytes(("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>"))


def odt_bytes():
    return zip_bytes(
        ("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>")
    )


def ofd_bytes():
    return zip_bytes(("OFD.xml", b"<ofd:OFD/>"), ("Doc_0/Document.xml", b"<d/>"))


def ole2_bytes():
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def named(content, name):
    file = io.BytesIO(content)
    file.name = name
    return file


# The cast


def member(django_user_model, name, role, counties, staff=False):
    user = django_user_model.objects.create_user(name, password="x", is_staff=staff)
    user.groups.add(Group.objects.get(name=role))
    Scope.objects.create(user=user).counties.set(counties)
    return user


def logged_in(user):
    """A client of its own, logged in as `user`: tests here use several at once."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def project(county):
    return make_project(county=county)


@pytest.fixture
def clerk(django_user_model, county):
    """A 录入员 of 澜沧: changes the county's projects in the admin (deletes none)."""
    return logged_in(member(django_user_model, "clerk", "录入员", [county], staff=True))


@pytest.fixture
def reader(django_user_model, county):
    """A 查看者 of 澜沧, outside the admin."""
    return logged_in(member(django_user_model, "lancang", "查看者", [county]))


@pytest.fixture
def outsider(django_user_model, menghai):
    """A 查看者 of 勐海, another prefecture's county."""
    return logged_in(member(django_user_model, "outsider", "查看者", [menghai]))


def change_url(project):
    return reverse("docadmin:projects_project_change", args=[project.pk])


def attach(client, project, *files, kind="agreement", title=""):
    """Posts the project's admin page with one new document row per file."""
    existing = list(Document.objects.for_object(project))
    data = {
        "name": project.name,
        f"{PREFIX}-TOTAL_FORMS": str(len(existing) + len(files)),
        f"{PREFIX}-INITIAL_FORMS": str(len(existing)),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
        "_save": "保存",
    }
    for i, document in enumerate(existing):
        data.update(
            {
                f"{PREFIX}-{i}-id": str(document.pk),
                f"{PREFIX}-{i}-kind": document.kind,
                f"{PREFIX}-{i}-title": document.title,
            }
        )
    for i, file in enumerate(files, start=len(existing)):
        data.update({f"{PREFIX}-{i}-kind": kind, f"{PREFIX}-{i}-title": title})
        data[f"{PREFIX}-{i}-file"] = file
    return client.post(change_url(project), data)


def remove(client, project, document):
    data = {
        "name": project.name,
        f"{PREFIX}-TOTAL_FORMS": "1",
        f"{PREFIX}-INITIAL_FORMS": "1",
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
        f"{PREFIX}-0-id": str(document.pk),
        f"{PREFIX}-0-kind": document.kind,
        f"{PREFIX}-0-title": document.title,
        f"{PREFIX}-0-DELETE": "on",
        "_save": "保存",
    }
    return client.post(change_url(project), data)


def stored(files_dir):
    """Every file kept under documents/ in the shared files folder."""
    folder = files_dir / "documents"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def refusal(response):
    """The errors of the documents' rows on a refused admin page."""
    formset = response.context["inline_admin_formsets"][0].formset
    return [error for errors in formset.errors for error in errors.get("file", [])]


def document_of(project, content=None, name="合同.pdf", kind="agreement", **fields):
    """A document attached through the ORM, for the tests of reading it."""
    content = content or pdf_bytes()
    return Document.objects.create(
        record=project,
        kind=kind,
        file=ContentFile(content, name=name),
        original_name=name,
        size=len(content),
        media_type="image/png" if name.endswith(".png") else "application/pdf",
        sha256="0" * 64,
        **fields,
    )


# Uploading


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("结对帮扶协议.pdf", pdf_bytes(), "application/pdf"),
        (
            "资金明细.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("现场照片.PNG", png_bytes(), "image/png"),
        (
            "验收报告.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("验收报告.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("批复.ofd", ofd_bytes(), "application/ofd"),
        ("旧合同.doc", ole2_bytes(), "application/msword"),
        ("表格.et", ole2_bytes(), "application/octet-stream"),
    ],
)
def test_a_clerk_attaches_a_file_on_the_projects_admin_page(
    clerk, project, files_dir, name, content, media_type
):
    response = attach(clerk, project, named(content, name))

    assert response.status_code == 302, refusal(response)
    document = Document.objects.get()
    assert document.record == project
    assert (document.title, document.original_name) == (name, name)
    assert (document.media_type, document.size) == (media_type, len(content))
    assert document.uploaded_by.username == "clerk"
    assert len(document.sha256) == 64
    [kept] = stored(files_dir)
    assert kept.read_bytes() == content
    # A random name, never the one uploaded.
    assert name.lower().rsplit(".", 1)[0] not in kept.name
    assert kept.suffix == "." + name.lower().rsplit(".", 1)[1]


def test_the_admin_page_shows_each_file_with_its_size_and_a_box_for_another(clerk, project):
    document = document_of(project, content=pdf_bytes(2048), title="结对帮扶协议")

    response = clerk.get(change_url(project))

    assertContains(response, 'enctype="multipart/form-data"')
    url = reverse("documents:file", args=[document.pk])
    assertContains(response, '<a href="%s">合同.pdf</a>' % url, html=True)
    assertContains(response, "2.0\xa0KB")
    assertContains(response, 'type="file" name="%s-1-file"' % PREFIX)
    assertNotContains(response, 'type="file" name="%s-0-file"' % PREFIX)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "协议.pdf",
            zip_bytes(("协议.txt", b"text")),
            "文件内容与扩展名不符：“协议.pdf”的扩展名是.pdf，内容却是ZIP压缩包。"
            "请上传真正的PDF文档，或改正文件的扩展名。",
        ),
        (
            "报告.docx",
            b"MZ\x90\x00\x03" + b"\x00" * 200,
            "文件内容与扩展名不符：“报告.docx”的扩展名是.docx，内容却是可执行程序。"
            "请上传真正的Word文档（.docx），或改正文件的扩展名。",
        ),
        (
            "报告.docx",
            xlsx_bytes(),
            "文件内容与扩展名不符：“报告.docx”的扩展名是.docx，内容却是Excel表格（.xlsx）。"
            "请上传真正的Word文档（.docx），或改正文件的扩展名。",
        ),
        (
            "照片.jpg",
            png_bytes(),
            "文件内容与扩展名不符：“照片.jpg”的扩展名是.jpg，内容却是PNG图片。"
            "请上传真正的JPEG图片，或改正文件的扩展名。",
        ),
        (
            "安装.exe",
            b"MZ\x90\x00",
            "不能上传“安装.exe”：只能上传PDF、图片（JPG、PNG、GIF、WebP）、Word/Excel/PowerPoint"
            "（含旧版）、WPS、OpenDocument或OFD文件（按扩展名识别）。",
        ),
        ("空白.pdf", b"", "文件是空的（0字节），请选择有内容的文件。"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_in_words(
    clerk, project, files_dir, name, content, message
):
    response = attach(clerk, project, named(content, name))

    assert response.status_code == 200
    assert refusal(response) == [message]
    assertContains(response, message)
    assert not Document.objects.exists()
    assert stored(files_dir) == []


def test_a_file_over_the_limit_is_refused_before_it_is_read(clerk, project, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1 << 20

    response = attach(clerk, project, named(pdf_bytes((1 << 20) + 1), "扫描件.pdf"))

    assert refusal(response) == ["文件过大（1.0 MB），上限为1 MB。"]
    assert not Document.objects.exists()


def test_a_file_at_the_limit_is_accepted(clerk, project, settings, files_dir):
    # Over FILE_UPLOAD_MAX_MEMORY_SIZE: Django hands it over as a temporary file.
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 3 << 20

    response = attach(clerk, project, named(pdf_bytes(3 << 20), "扫描件.pdf"))

    assert response.status_code == 302
    assert Document.objects.get().size == 3 << 20
    assert stored(files_dir)[0].stat().st_size == 3 << 20


def test_a_request_larger_than_django_takes_is_refused_in_chinese(clerk, project, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1

    response = attach(clerk, project, named(pdf_bytes(), "一.pdf"), named(pdf_bytes(), "二.pdf"))

    assert response.status_code == 400
    assertContains(response, "请求有误", status_code=400)
    assert not Document.objects.exists()


def test_a_title_given_is_kept_and_the_file_name_shown_beside_it(clerk, project):
    attach(clerk, project, named(pdf_bytes(), "scan001.pdf"), title="2023年结对帮扶协议")

    document = Document.objects.get()
    assert document.title == "2023年结对帮扶协议"
    assert document.described() == "协议/合同：2023年结对帮扶协议（scan001.pdf）"


def test_the_admin_page_of_another_countys_project_is_forbidden(clerk, menghai, files_dir):
    elsewhere = make_project(county=menghai, code="2023-MH-001")

    response = attach(clerk, elsewhere, named(pdf_bytes(), "合同.pdf"))

    assert response.status_code == 403
    assert not Document.objects.exists()
    assert stored(files_dir) == []


def test_a_viewer_sees_the_files_and_can_attach_none(client, django_user_model, county, project):
    document = document_of(project)
    viewer = member(django_user_model, "viewer", "查看者", [county], staff=True)
    client.force_login(viewer)

    response = client.get(change_url(project))

    assert response.status_code == 200
    assertContains(response, reverse("documents:file", args=[document.pk]))
    assertNotContains(response, 'type="file"')
    assertNotContains(response, "DELETE")


# The audit trail


def test_attaching_and_removing_a_file_is_written_in_the_projects_audit_trail(
    clerk, project, django_capture_on_commit_callbacks
):
    attach(clerk, project, named(pdf_bytes(), "合同.pdf"))
    document = Document.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        remove(clerk, project, document)

    entries = AuditEntry.objects.for_object(project)
    assert [(e.action, e.changes) for e in entries] == [
        ("change", {"附件": [["协议/合同：合同.pdf"], []]}),
        ("change", {"附件": [[], ["协议/合同：合同.pdf"]]}),
    ]
    assert {(e.user.username, e.county_id) for e in entries} == {("clerk", project.county_id)}
    assert entries[1].changed_fields() == [("附件", None, "协议/合同：合同.pdf")]


def test_the_projects_page_shows_the_attachment_in_its_history(clerk, reader, project):
    attach(clerk, project, named(pdf_bytes(), "合同.pdf"))
    attach(clerk, project, named(png_bytes(), "照片.png"), kind="photo")

    response = reader.get(project.get_absolute_url())

    assertContains(response, "附件：协议/合同：合同.pdf → 协议/合同：合同.pdf、照片：照片.png")


def test_renaming_a_document_is_written_in_the_projects_audit_trail(clerk, project):
    document = document_of(project, title="协议")
    data = {
        "name": project.name,
        f"{PREFIX}-TOTAL_FORMS": "1",
        f"{PREFIX}-INITIAL_FORMS": "1",
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
        f"{PREFIX}-0-id": str(document.pk),
        f"{PREFIX}-0-kind": "funding",
        f"{PREFIX}-0-title": "资金批复",
        "_save": "保存",
    }

    response = clerk.post(change_url(project), data)

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.kind, document.title, document.original_name) == (
        "funding",
        "资金批复",
        "合同.pdf",
    )
    [entry] = AuditEntry.objects.for_object(project)
    assert entry.changes == {
        "附件": [["协议/合同：协议（合同.pdf）"], ["资金批复/文件：资金批复（合同.pdf）"]]
    }


def test_the_documents_own_entries_lie_in_the_projects_county(clerk, project):
    attach(clerk, project, named(pdf_bytes(), "合同.pdf"))

    own = AuditEntry.objects.filter(content_type__app_label="documents").get()
    assert (own.action, own.county_id, own.prefecture_id) == ("create", project.county_id, None)


# Removing


def test_a_removed_documents_file_goes_once_the_removal_is_committed(
    clerk, project, files_dir, django_capture_on_commit_callbacks
):
    attach(clerk, project, named(pdf_bytes(), "合同.pdf"))
    document = Document.objects.get()
    [kept] = stored(files_dir)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = remove(clerk, project, document)
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert kept.exists()  # until the transaction commits

    for callback in callbacks:
        callback()
    assert not kept.exists()


def test_a_document_deleted_in_bulk_loses_its_file_too(
    project, files_dir, django_capture_on_commit_callbacks
):
    document_of(project)
    [kept] = stored(files_dir)

    with django_capture_on_commit_callbacks(execute=True):
        Document.objects.all().delete()

    assert not kept.exists()


def test_the_daily_sweep_of_old_uploads_keeps_the_documents(project, files_dir):
    document_of(project)
    [kept] = stored(files_dir)
    long_ago = (datetime.datetime.now() - datetime.timedelta(days=400)).timestamp()
    os.utime(kept, (long_ago, long_ago))

    call_command("sweep_files", stdout=io.StringIO())

    assert kept.exists()


# Reading


def test_a_reader_of_the_county_sees_the_documents_on_the_projects_page(reader, project):
    agreement = document_of(
        project,
        title="结对帮扶协议",
        uploaded_at=datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC),
    )

    response = reader.get(project.get_absolute_url())

    assertContains(response, "<h2>附件 <small>1个</small></h2>", html=True)
    url = reverse("documents:file", args=[agreement.pk])
    assertContains(response, '<a href="%s">结对帮扶协议</a>' % url, html=True)
    assertContains(response, "协议/合同")
    assertContains(response, "2024-03-01")


def test_a_project_without_documents_has_no_documents_section(reader, project):
    response = reader.get(project.get_absolute_url())

    assert response.status_code == 200
    assertNotContains(response, "附件")


def test_a_reader_of_the_county_downloads_the_file_under_its_name(reader, project):
    content = pdf_bytes(4096)
    document = document_of(project, content=content, name="结对帮扶协议.pdf")

    response = reader.get(reverse("documents:file", args=[document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%BB%93%E5%AF%B9%E5%B8%AE%E6%89%B6%E5%8D%8F%E8%AE%AE.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_a_photo_is_shown_in_the_browser(reader, project):
    document = document_of(project, content=png_bytes(), name="photo.png", kind="photo")

    response = reader.get(reverse("documents:file", args=[document.pk]))

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="photo.png"'
    response.close()


def test_a_reader_of_another_county_gets_a_404_for_the_file_and_the_page(outsider, project):
    document = document_of(project, title="结对帮扶协议")

    download = outsider.get(reverse("documents:file", args=[document.pk]))
    page = outsider.get(project.get_absolute_url())

    assert download.status_code == 404
    assert page.status_code == 404
    assertNotContains(page, "结对帮扶协议", status_code=404)
    assertNotContains(page, "附件", status_code=404)


def test_a_missing_document_is_the_same_404(outsider, project):
    response = outsider.get(reverse("documents:file", args=[987654]))

    assert response.status_code == 404


def test_an_importer_who_does_not_read_the_pages_may_not_download(
    client, django_user_model, county, project
):
    document = document_of(project)
    client.force_login(member(django_user_model, "importer", "导入员", [county], staff=True))

    response = client.get(reverse("documents:file", args=[document.pk]))

    assert response.status_code == 403


def test_nobody_logged_out_downloads(client, project):
    document = document_of(project)

    response = client.get(reverse("documents:file", args=[document.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_district_pairings_documents_follow_its_county(reader, outsider, county, district):
    """counties.Pairing.visible_to: a pairing's agreement is for readers of its county."""
    pairing = Pairing.objects.create(district=district, county=county, from_year=2021)
    document = document_of(pairing)
    url = reverse("documents:file", args=[document.pk])

    assert outsider.get(url).status_code == 404
    response = reader.get(url)
    assert response.status_code == 200
    response.close()


def test_the_documents_section_costs_the_same_queries_however_many_documents(reader, project):
    document_of(project)
    reader.get(project.get_absolute_url())  # Django's content type cache, filled once

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = reader.get(project.get_absolute_url())
        assert response.status_code == 200
        return len(captured)

    one = queries()
    for number in range(4):
        document_of(project, name="照片%d.png" % number, kind="photo", content=png_bytes())
    assert queries() == one
