"""Fuzzing every registry's import: a row of one registered record with one cell replaced by
anything a spreadsheet cell can hold, or a row of random text under the registry's headers,
ends in a clean outcome, a Report or ImportFailed naming rows, never another exception (a
database error at the write, a crash in a parse or check function); a refusal writes
nothing. Examples as in test_import_fuzz.py (derived from the test's name; FUZZ_EXPLORE=1
draws new ones)."""

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from counties.models import AuditEntry
from projects.importers import ImportFailed
from projects.importers.registries import ALL
from projects.importers.registry import import_registry
from projects.models import ImportBatch

from .test_import_fuzz import FUZZ, NUL_IN_CSV, cell_texts, cell_values
from .test_registry_imports import project, registry_cast  # noqa: F401  (fixtures)

IDS = [registry.kind for registry in ALL]


def state(registry):
    """What an import may change: the registry's records with their values, and the
    batches and audit entries."""
    records = list(registry.model.objects.order_by("pk").values())
    return records, ImportBatch.objects.count(), AuditEntry.objects.count()


def outcome(registry, name, content):
    """Imports one file; returns the error lines, or None when it was imported."""
    before = state(registry)
    try:
        import_registry(registry, files=[(name, io.BytesIO(content))])
    except ImportFailed as failure:
        assert failure.errors, "a refusal without a reason"
        # A NUL near the start of a CSV makes it no text file at all: the one file-wide refusal.
        if failure.errors != [NUL_IN_CSV]:
            assert all(line.startswith("第2行") for line in failure.errors), failure.errors
        assert state(registry) == before, "a refused import wrote something"
        return failure.errors
    return None


def xlsx_bytes(header, cells):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(header, cells):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow(cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def registered_row(registry):
    """The cells of the registry's first registered record, as its export writes them."""
    record = registry.export_queryset(registry.model.objects.order_by("pk")).first()
    return registry.cells(record)


@pytest.mark.usefixtures("registry_cast")
@pytest.mark.parametrize("registry", ALL, ids=IDS)
def test_the_registered_row_imports_back_unchanged(registry):
    content = xlsx_bytes(registry.headers, registered_row(registry))

    assert outcome(registry, "名册.xlsx", content) is None
    assert ImportBatch.objects.get().unchanged == 1


@pytest.mark.usefixtures("registry_cast")
@pytest.mark.parametrize("registry", ALL, ids=IDS)
def test_one_odd_cell_in_any_registry_is_imported_or_refused_by_row(registry):
    good = registered_row(registry)

    @FUZZ
    @given(position=st.integers(0, len(good) - 1), value=cell_values())
    def check(position, value):
        cells = list(good)
        cells[position] = value
        outcome(registry, "名册.xlsx", xlsx_bytes(registry.headers, cells))

    check()


@pytest.mark.usefixtures("registry_cast")
@pytest.mark.parametrize("registry", ALL, ids=IDS)
def test_a_row_of_anything_in_any_registry_is_refused_by_row(registry):
    @FUZZ
    @given(cells=st.lists(cell_texts(), min_size=0, max_size=len(registry.headers) + 2))
    def check(cells):
        outcome(registry, "名册.csv", csv_bytes(registry.headers, cells))

    check()


# Examples the fuzzing found


@pytest.mark.usefixtures("registry_cast")
def test_an_allocation_without_its_funds_year_is_refused_by_its_cell():
    # The fund check formatted the year it looks for with %d: a TypeError on a blank cell.
    registry = next(registry for registry in ALL if registry.kind == "allocations")
    cells = registered_row(registry)
    cells[registry.headers.index("资金年度")] = ""

    assert outcome(registry, "资金分配.xlsx", xlsx_bytes(registry.headers, cells)) == [
        "第2行 资金年度：不能为空"
    ]


# Through the admin


def admin_url(registry, view):
    opts = registry.model._meta
    return reverse("admin:%s_%s_%s" % (opts.app_label, opts.model_name, view))


HOSTILE_UPLOADS = [
    ("名册.xlsx", b"PK\x03\x04" + b"\x00" * 64, "文件"),  # a zip cut short
    ("名册.csv", "县市区\r\n".encode() + b"\xff\xfe\x00\x01" * 8, "文件"),
    ("名册.pdf", b"%PDF-1.7\n", "文件"),
    ("名册.csv", "\ufeff无关的表头,另一列\r\n甲,乙\r\n".encode(), "未找到表头：前15行中没有“"),
]


@pytest.mark.parametrize("registry", ALL, ids=IDS)
@pytest.mark.parametrize(("name", "content", "said"), HOSTILE_UPLOADS)
def test_a_hostile_upload_to_any_registrys_import_screen_is_refused_in_words(
    admin_client, county, registry, name, content, said
):
    upload = io.BytesIO(content)
    upload.name = name

    response = admin_client.post(admin_url(registry, "import"), {"import_file": upload})

    assert response.status_code == 200
    page = response.content.decode()
    assert "确认导入" not in page
    assert said in page
    assert "没有等列名" not in page
    assert not ImportBatch.objects.exists()


def test_a_registry_file_without_its_header_names_the_columns_looked_for(county):
    villages = next(registry for registry in ALL if registry.kind == "villages")

    content = csv_bytes(["无关的表头", "另一列"], ["甲", "乙"])

    with pytest.raises(ImportFailed) as failure:
        import_registry(villages, files=[("村.csv", io.BytesIO(content))])

    assert failure.value.errors == ["未找到表头：前15行中没有“县市区”“村名”等列名。"]
