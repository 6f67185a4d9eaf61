from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from counties.scopes import scope_of
from counties.views import reader_required

from .checks import IMAGES
from .models import Document

NOT_FOUND = "没有这个附件，或它所属的记录不在您的数据范围内。"


@require_safe
@reader_required
def document_file(request, pk):
    """A document's file, to a reader whose scope holds its record (the record's own
    visible_to); a 404 for anyone else, as the record's page is.

    Images are shown in the browser: their content was checked to be PNG, JPEG, GIF or WebP,
    which run nothing. Everything else downloads under its original name: a PDF viewer runs
    the document's scripts and forms, and Office files open in their programs anyway."""
    document = get_object_or_404(Document, pk=pk)
    if document.record_in(scope_of(request.user)) is None:
        raise Http404(NOT_FOUND)
    try:
        file = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise Http404("附件的文件已不存在，请联系系统管理员。") from None
    response = FileResponse(
        file,
        as_attachment=document.media_type not in IMAGES,
        filename=document.original_name,
        content_type=document.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Confidential: kept by the user's browser, never by a shared cache on the way.
    patch_cache_control(response, private=True)
    return response
