"""A record's 附件 on its page: `{% load documents %}` … `{% documents record %}`, nothing
when it has none. The page shows a record of the user's scope; each link checks it again
(documents/views.py)."""

from django import template

from documents.models import Document

register = template.Library()


@register.inclusion_tag("documents/list.html")
def documents(record):
    """The record's documents, in one query."""
    return {"documents": list(Document.objects.for_object(record)) if record else []}
