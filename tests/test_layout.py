"""The dependency arrows point one way: indicators → projects → personnel → institutions →
documents → counties, in Python imports and in the templates' {% load %} tags; and no source
file grows past 500 lines."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ORDER = ["counties", "documents", "institutions", "personnel", "projects", "indicators"]
BASE = Path(settings.BASE_DIR)
# Template tag libraries by the app that defines them.
LIBRARIES = {
    path.stem: path.parts[-3]
    for app in ORDER
    for path in (BASE / app / "templatetags").glob("*.py")
    if path.stem != "__init__"
}
# The county page shows the county's scorecard, drawn by indicators: a named exception, so
# that the page a county officer opens first has its targets and results on it.
TEMPLATE_EXCEPTIONS = {
    ("counties/county_detail.html", "scorecard"),
    ("counties/county_detail.html", "institution_pairings"),
}


def imported_apps(app):
    """The top-level packages imported anywhere in an app."""
    found = set()
    for path in (BASE / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def later(app):
    return set(ORDER[ORDER.index(app) + 1 :])


@pytest.mark.parametrize("app", ORDER)
def test_app_does_not_import_the_apps_that_depend_on_it(app):
    assert not imported_apps(app) & later(app)


@pytest.mark.parametrize("app", ORDER)
def test_app_templates_load_no_tags_of_the_apps_that_depend_on_them(app):
    loaded = []
    for path in (BASE / "templates" / app).rglob("*.html"):
        name = str(path.relative_to(BASE / "templates"))
        for tags in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", path.read_text()):
            for library in tags.split():
                owner = LIBRARIES.get(library)
                if owner in later(app) and (name, library) not in TEMPLATE_EXCEPTIONS:
                    loaded.append((name, library))
    assert loaded == []


def test_the_named_exception_is_still_needed():
    page = (BASE / "templates" / "counties" / "county_detail.html").read_text()
    assert "{% load scorecard %}" in page
    assert LIBRARIES["scorecard"] == "indicators"


def test_no_source_file_outside_migrations_passes_500_lines():
    long = [
        (str(path.relative_to(BASE)), length)
        for app in [*ORDER, "hujin"]
        for path in (BASE / app).rglob("*.py")
        if "migrations" not in path.parts and (length := len(path.read_text().splitlines())) > 500
    ]
    assert long == []


def module_name(path):
    parts = list(path.relative_to(BASE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(name):
    return (BASE / name.replace(".", "/") / "__init__.py").exists()


def imports_of(path, name, modules):
    """The hujin modules a module imports, at its top or inside a function alike."""
    package = name if is_package(name) else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                target = "%s.%s" % (base, alias.name)
                found.add(target if target in modules else base)
    return found & modules - {name}


def test_no_module_imports_itself_back_through_others():
    """No import cycle anywhere, deferred imports inside functions included (an app's
    ready() imports what registers itself; nothing imports an apps module back)."""
    paths = {
        module_name(path): path
        for app in [*ORDER, "hujin"]
        for path in (BASE / app).rglob("*.py")
        if "migrations" not in path.parts and "management" not in path.parts
    }
    modules = set(paths)
    graph = {name: imports_of(path, name, modules) for name, path in paths.items()}
    cycles = []

    def visit(name, trail):
        for target in sorted(graph[name]):
            if target in trail:
                cycles.append(" → ".join([*trail[trail.index(target) :], target]))
            elif target not in done:
                visit(target, [*trail, target])
        done.add(name)

    done = set()
    for name in sorted(graph):
        if name not in done:
            visit(name, [name])
    assert cycles == []
