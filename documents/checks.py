"""What an attached file may be: its extension names one of the types below, and its content
must be that type, by its first bytes and, for the zip-based formats, the names inside the
zip. Nothing is unpacked but an OpenDocument's `mimetype` member (a few dozen bytes).

A short, exact check of a few signatures rather than a detection library: the types are few
and fixed, the Office formats need their zip looked into anyway (a .docx and an .xlsx start
with the same bytes), and a library guessing among hundreds of types is more than this needs.
Legacy Office and WPS files (.doc .xls .ppt .wps .et .dps) are all OLE2 compound files: the
signature says that much, not which program wrote the file.
"""

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError

HEAD_BYTES = 16
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# An OpenDocument's first member, `mimetype`, names its type in ASCII: short.
MIMETYPE_BYTES = 100

# What a file's content is, by name, as the refusal says it.
CONTENTS = {
    "pdf": "PDF文档",
    "png": "PNG图片",
    "jpeg": "JPEG图片",
    "gif": "GIF图片",
    "webp": "WebP图片",
    "docx": "Word文档（.docx）",
    "xlsx": "Excel表格（.xlsx）",
    "pptx": "PowerPoint演示文稿（.pptx）",
    "odt": "OpenDocument文本（.odt）",
    "ods": "OpenDocument表格（.ods）",
    "odp": "OpenDocument演示文稿（.odp）",
    "ofd": "OFD版式文档",
    "ole2": "旧版Office或WPS文件（.doc、.xls、.ppt、.wps、.et、.dps）",
    "zip": "ZIP压缩包",
    "broken_zip": "损坏的ZIP压缩包",
    "program": "可执行程序",
    None: "无法识别的内容",
}

ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


@dataclass(frozen=True)
class Allowed:
    """One extension: the content it must have and the media type it is served as."""

    content: str
    media_type: str


OCTET = "application/octet-stream"
OPENXML = "application/vnd.openxmlformats-officedocument."
ALLOWED = {
    ".pdf": Allowed("pdf", "application/pdf"),
    ".png": Allowed("png", "image/png"),
    ".jpg": Allowed("jpeg", "image/jpeg"),
    ".jpeg": Allowed("jpeg", "image/jpeg"),
    ".gif": Allowed("gif", "image/gif"),
    ".webp": Allowed("webp", "image/webp"),
    ".docx": Allowed("docx", OPENXML + "wordprocessingml.document"),
    ".xlsx": Allowed("xlsx", OPENXML + "spreadsheetml.sheet"),
    ".pptx": Allowed("pptx", OPENXML + "presentationml.presentation"),
    ".doc": Allowed("ole2", "application/msword"),
    ".xls": Allowed("ole2", "application/vnd.ms-excel"),
    ".ppt": Allowed("ole2", "application/vnd.ms-powerpoint"),
    # WPS Office's own formats (文字, 表格, 演示): OLE2 files, no registered media type.
    ".wps": Allowed("ole2", OCTET),
    ".et": Allowed("ole2", OCTET),
    ".dps": Allowed("ole2", OCTET),
    ".odt": Allowed("odt", "application/vnd.oasis.opendocument.text"),
    ".ods": Allowed("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ".odp": Allowed("odp", "application/vnd.oasis.opendocument.presentation"),
    # The national standard format of electronic official documents (GB/T 33190).
    ".ofd": Allowed("ofd", "application/ofd"),
}
# Images a browser shows by themselves: served inline (documents/views.py).
IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
ALLOWED_SHOWN = (
    "PDF、图片（JPG、PNG、GIF、WebP）、Word/Excel/PowerPoint（含旧版）、WPS、OpenDocument或OFD"
)


@dataclass(frozen=True)
class Checked:
    """An upload that passed: its name as uploaded, media type, size and SHA-256."""

    name: str
    media_type: str
    size: int
    sha256: str


def check_upload(upload):
    """Checks an uploaded file (Django's UploadedFile): its size against
    DOCUMENT_MAX_UPLOAD_BYTES before anything is read, its extension, then its content
    against the extension. Returns a Checked, or raises ValidationError in words."""
    name = PurePosixPath(upload.name or "").name
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            "文件过大（%(size).1f MB），上限为%(limit)d MB。"
            % {"size": upload.size / (1 << 20), "limit": limit >> 20},
            code="too_big",
        )
    suffix = PurePosixPath(name).suffix.lower()
    allowed = ALLOWED.get(suffix)
    if allowed is None:
        raise ValidationError(
            "不能上传“%(name)s”：只能上传%(allowed)s文件（按扩展名识别）。"
            % {"name": name, "allowed": ALLOWED_SHOWN},
            code="type",
        )
    upload.seek(0)
    found = content_of(upload)
    if found != allowed.content:
        raise ValidationError(
            "文件内容与扩展名不符：“%(name)s”的扩展名是%(suffix)s，内容却是%(found)s。"
            "请上传真正的%(expected)s，或改正文件的扩展名。"
            % {
                "name": name,
                "suffix": suffix,
                "found": CONTENTS[found],
                "expected": CONTENTS[allowed.content],
            },
            code="content",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Checked(name, allowed.media_type, upload.size, digest.hexdigest())


def content_of(file):
    """What a binary file (seekable, at its start) holds: a key of CONTENTS."""
    head = file.read(HEAD_BYTES)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(OLE2):
        return "ole2"
    if head.startswith((b"MZ", b"\x7fELF")):
        return "program"
    if head.startswith(ZIP):
        file.seek(0)
        return zip_content(file)
    return None


def zip_content(file):
    """What a zip holds: an Office Open XML or OpenDocument file, OFD, or another zip."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if "[Content_Types].xml" in names:
                for folder, content in OOXML_FOLDERS.items():
                    if any(name.startswith(folder) for name in names):
                        return content
            first = members[0] if members else None
            if first and first.filename == "mimetype" and first.file_size <= MIMETYPE_BYTES:
                declared = archive.read(first).decode("ascii", "replace").strip()
                if declared in ODF_TYPES:
                    return ODF_TYPES[declared]
            if "OFD.xml" in names:
                return "ofd"
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError):
        # Truncated, encrypted or with an unknown compression: not what it says it is.
        return "broken_zip"
    return "zip"
