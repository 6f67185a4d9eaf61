"""Reading list pages the way a user does: which rows, which options, in which order."""

import re

PROJECT_LINK = re.compile(r'<td><a href="/projects/([^/"]+)/">\1</a></td>')
SELECT = re.compile(r'<select name="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION_VALUE = re.compile(r'<option value="([^"]*)"')


def html(response):
    return response.content.decode()


def project_codes(response):
    """Project codes in the order of the table rows."""
    return PROJECT_LINK.findall(html(response))


def select_options(response):
    """Each <select> of the page by name, with the values of its options."""
    return {name: OPTION_VALUE.findall(body) for name, body in SELECT.findall(html(response))}
