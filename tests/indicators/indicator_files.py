"""Indicator report files as offices send them, built in memory, and the command run on them."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

# The template's columns, written out here rather than imported: the tests pin the format.
HEADERS = ["年度", "州市", "县市区", "上海结对区", "指标", "协议数", "完成数", "备注"]


def csv_bytes(rows, *, header=HEADERS, title=None, encoding="utf-8-sig"):
    """A CSV file as Excel writes it (CRLF), with an optional title row above the header."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    if title is not None:
        writer.writerow([title])
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADERS, title=None):
    """An XLSX workbook; each cell keeps its Python type (int, float, str, None)."""
    workbook = Workbook()
    sheet = workbook.active
    if title is not None:
        sheet.append([title])
    sheet.append(header)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(directory, name, content):
    path = directory / name
    path.write_bytes(content)
    return str(path)


def run(*paths, **options):
    """Runs the command as an operator would; returns its stdout lines."""
    out, err = io.StringIO(), io.StringIO()
    options.setdefault("quiet", True)
    try:
        call_command("import_indicator_report", *paths, stdout=out, stderr=err, **options)
    except CommandError as error:
        raise AssertionError("%s\n%s" % (error, err.getvalue())) from error
    return out.getvalue().splitlines()


def refused(*paths):
    """Runs the command expecting it to refuse; returns (stderr lines, CommandError text)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_indicator_report", *paths, quiet=True, stdout=out, stderr=err)
    return err.getvalue().splitlines(), str(failure.value)
