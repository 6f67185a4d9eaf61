"""The zip an XLSX or ODS is: its parts opened with their errors made FileErrors, every XML
part refused when it declares a DOCTYPE (calamine would not expand an entity, but would not
say so either), and for ODS the size checks parsing.check_xlsx makes of an XLSX.

A zip does not say what it holds: the package's sniff_zip looks for xl/workbook.xml, or for
the ODS mimetype.
"""

import codecs
import contextlib
import re
import zipfile
import zlib

from django.conf import settings

from ..parsing import MAX_RATIO, RATIO_CHECKED_FROM, SNIFF_BYTES, FileError
from .sheets import ENTITIES

# An XLSX or ODS holds a few dozen parts; a zip of thousands is no spreadsheet.
MAX_PARTS = 10_000


def check_sizes(parts, label):
    """parsing.check_xlsx's size checks, for a zip of another kind (ODS)."""
    if len(parts) > MAX_PARTS:
        raise FileError(
            "%s文件的压缩包中有%d个文件，不像正常的表格，已拒绝。" % (label, len(parts))
        )
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limit:
        raise FileError(
            "%(label)s文件解压后过大（%(size)d MB，上限%(limit)d MB），请拆分后再导入。"
            % {"label": label, "size": unpacked // (1 << 20), "limit": limit // (1 << 20)}
        )
    for part in parts:
        if part.file_size >= RATIO_CHECKED_FROM and part.file_size > MAX_RATIO * max(
            part.compress_size, 1
        ):
            raise FileError(
                "%(label)s文件中的“%(part)s”压缩比异常（超过%(ratio)d:1），不像正常的表格，已拒绝。"
                % {"label": label, "part": part.filename[:100], "ratio": MAX_RATIO}
            )


def check_prologs(archive, kind):
    """Refuses a DOCTYPE (and so any entity declaration) in any XML part, as defusedxml
    does for openpyxl: calamine would not expand entities, but says nothing either."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise FileError("%s文件的压缩包中有%d个文件，不像正常的表格，已拒绝。" % (kind, len(parts)))
    for part in parts:
        if part.filename.endswith((".xml", ".rels")) and not part.is_dir():
            with open_part(archive, part.filename, kind) as stream:
                if declares_doctype(stream):
                    raise FileError(ENTITIES % kind)


PROLOG_CHUNKS = 16
PROLOG_MISC = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)


def declares_doctype(stream):
    """Whether the XML before the root element holds a <!DOCTYPE (or any <! but a comment)."""
    data = b""
    for _ in range(PROLOG_CHUNKS):
        chunk = stream.read(SNIFF_BYTES)
        data += chunk
        text = data
        if text.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = text.decode("utf-16", errors="replace").encode("utf-8")
        elif text.startswith(codecs.BOM_UTF8):
            text = text[3:]
        at = 0
        while (match := PROLOG_MISC.match(text, at)) and match.end() > at:
            at = match.end()
        rest = text[at:].lstrip()
        if rest.startswith(b"<!"):
            return True
        if rest.startswith(b"<") and not rest.startswith(b"<?") or not chunk:
            return False
        # the prolog runs past what was read (a long comment): read on
    return True  # a prolog of a megabyte is no spreadsheet's: refused as one that declares


@contextlib.contextmanager
def open_part(archive, name, kind, what="文件已损坏"):
    try:
        with archive.open(name) as stream:
            yield stream
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        NotImplementedError,
        ValueError,
        UnicodeDecodeError,
    ) as error:
        raise FileError("无法读取%s文件（%s）：%s" % (kind, what, type(error).__name__)) from None
