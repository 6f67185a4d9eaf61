"""Reading the filter menus of list pages (counties/filters.py CheckboxMenu) as a user sees
them: which boxes, which ticked."""

import re

CHECKBOX = re.compile(r'<input type="checkbox" name="([^"]+)" value="([^"]*)"[^>]*>')


def checkbox_values(response, name):
    """The values of the checkboxes named `name`, in the page's order."""
    page = response.content.decode()
    return [value for found, value in CHECKBOX.findall(page) if found == name]


def checked_values(response, name):
    """The values of the ticked checkboxes named `name`."""
    page = response.content.decode()
    return [
        value
        for found, value in CHECKBOX.findall(page)
        if found == name and re.search(r'value="%s"[^>]* checked' % re.escape(value), page)
    ]
