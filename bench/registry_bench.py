"""Benchmark of a registry import (projects/importers/registry.py): villages across the 129
counties, imported new, then the same file again (every row found, nothing changed); then
the admin's XLSX export of them all (its resource, dataset and SafeXLSX, in the request).

    .venv/bin/python bench/registry_bench.py                 # 10,000 villages, SQLite
    .venv/bin/python bench/registry_bench.py --rows 20000 --db postgresql

Runs in a fresh database (the reference data loaded); PostgreSQL at BENCH_PG (default
postgres://postgres@127.0.0.1:5432/hujin_bench), dropped and created first. Prints the time,
the queries and the peak memory of each import.
"""

import argparse
import csv
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/hujin_bench")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    options = parser.parse_args()
    folder = tempfile.mkdtemp()
    if options.db == "postgresql":
        import psycopg

        name = PG.rsplit("/", 1)[1]
        with psycopg.connect(PG.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
            connection.execute('DROP DATABASE IF EXISTS "%s"' % name)
            connection.execute('CREATE DATABASE "%s"' % name)
        os.environ["DATABASE_URL"] = PG
    else:
        os.environ["DATABASE_URL"] = "sqlite:///%s/bench.sqlite3" % folder
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ["HUJIN_FILES_DIR"] = folder
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hujin.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from counties.models import County
    from projects.importers.registries import VILLAGES
    from projects.importers.registry import import_registry

    call_command("migrate", verbosity=0)
    call_command("loaddata", "reference", verbosity=0)
    counties = list(County.objects.values_list("name", flat=True))
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["县市区", "乡镇", "村名", "乡村振兴示范村", "边境小康村"])
    for number in range(options.rows):
        county = counties[number % len(counties)]
        writer.writerow([county, "第%d镇" % (number // 500), "测试村%05d" % number, "否", "否"])
    data = ("\ufeff" + text.getvalue()).encode("utf-8")
    for label in ("new", "again"):
        reset_queries()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            report = import_registry(VILLAGES, files=[("村.csv", io.BytesIO(data))])
        elapsed = time.perf_counter() - started
        print(
            "%s %-5s %6d rows: %.2f s, %d queries, created=%d unchanged=%d, peak %d MB"
            % (
                options.db,
                label,
                options.rows,
                elapsed,
                len(queries),
                report.total("created"),
                report.total("unchanged"),
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            )
        )
    from counties.exports import SafeXLSX
    from counties.models import Village
    from projects.registry_admin import export_resource

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        dataset = export_resource(VILLAGES)().export(queryset=Village.objects.all())
        content = SafeXLSX().export_data(dataset)
    print(
        "%s export %6d rows: %.2f s, %d queries, %d KB XLSX, peak %d MB"
        % (
            options.db,
            len(dataset),
            time.perf_counter() - started,
            len(queries),
            len(content) // 1024,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        )
    )


if __name__ == "__main__":
    main()
