"""What a printed page says about itself: `{% load report %}` … `{% print_heading %}`.

The lists and the dashboard print as reports; under their title and the filters in force
(templates/includes/filter_summary.html) this block names the reader's 数据范围 and the date,
so that a sheet of paper says whose view of the data it is. Screens do not show it
(.print-only in static/css/site.css).
"""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html

from ..scopes import scope_of

register = template.Library()

EVERYWHERE = "全省"
NOWHERE = "无"


def scope_in_words(user):
    """The user's scope as a reader says it: 全省, or the prefectures it holds whole and the
    other counties inside it, in the order of their codes; no query (the scope's one read
    names them: counties.scopes.Reach.places)."""
    reach = scope_of(user)
    if reach.everywhere:
        return EVERYWHERE
    return "、".join(name for _, name in reach.places) or NOWHERE


@register.simple_tag(takes_context=True)
def print_heading(context):
    """A print-only line: 数据范围 in words and the date printed."""
    return format_html(
        '<p class="print-heading print-only">'
        "<span>数据范围：{}</span> <span>打印日期：{}</span></p>",
        scope_in_words(context["request"].user),
        format_date(timezone.localdate(), "Y年n月j日"),
    )
