"""The dependency arrows point one way: projects → personnel → counties."""

import ast
from pathlib import Path

import pytest
from django.conf import settings


def imported_apps(app):
    """The top-level packages imported anywhere in an app."""
    found = set()
    for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [("counties", {"personnel", "projects"}), ("personnel", {"projects"})],
)
def test_app_does_not_import_the_apps_that_depend_on_it(app, forbidden):
    assert not imported_apps(app) & forbidden
