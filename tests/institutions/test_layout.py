"""institutions sits between counties (and documents, which attaches files to any record)
and personnel: it imports those only, and its templates load no tags of the apps that come
after it."""

import re

from django.conf import settings

from tests.test_layout import BASE, LIBRARIES, imported_apps

LATER = {"personnel", "projects", "indicators"}


def test_institutions_imports_no_app_that_comes_after_it():
    assert not imported_apps("institutions") & LATER


def test_institutions_comes_right_after_counties_and_documents_in_the_settings():
    apps = settings.INSTALLED_APPS
    assert apps.index("documents") == apps.index("counties") + 1
    assert apps.index("institutions") == apps.index("documents") + 1


def test_institution_templates_load_no_tags_of_the_apps_after_it():
    loaded = [
        library
        for path in (BASE / "templates" / "institutions").rglob("*.html")
        for tags in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", path.read_text())
        for library in tags.split()
        if LIBRARIES.get(library) in LATER
    ]
    assert loaded == []


def test_no_institutions_source_file_passes_500_lines():
    long = [
        path.name
        for path in (BASE / "institutions").rglob("*.py")
        if "migrations" not in path.parts and len(path.read_text().splitlines()) > 500
    ]
    assert long == []
