"""修改 links from the browsing pages to a record's admin page, for users who may change it:
`{% load editing %}` … `{% edit_link object %}`. The admin's 在前台查看 goes the other way
(get_absolute_url, behind the record's scope: counties.admin.view_on_site)."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def edit_link(context, obj, label="修改"):
    """A link to `obj`'s admin change page when the user is staff with the change permission
    of its model, else nothing. The page shows only records of the user's scope, and the
    admin checks the scope again; no query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_staff or obj is None:
        return ""
    opts = obj._meta
    if not user.has_perm("%s.change_%s" % (opts.app_label, opts.model_name)):
        return ""
    try:
        url = reverse("admin:%s_%s_change" % (opts.app_label, opts.model_name), args=[obj.pk])
    except NoReverseMatch:
        return ""
    return format_html(
        '<a class="edit-link" href="{}">{}<span class="visually-hidden">{}</span></a>',
        url,
        label,
        "：%s" % obj,
    )
