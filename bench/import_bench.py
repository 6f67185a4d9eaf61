"""Benchmark of the yearly report import: ours, a default django-import-export resource, COPY.

    .venv/bin/python bench/import_bench.py                   # 100,000 rows, SQLite and PostgreSQL
    .venv/bin/python bench/import_bench.py --rows 1000000 --only ours --db sqlite   # memory check
    .venv/bin/python bench/import_bench.py --only ours --only ours_xlsx --only copy --db postgresql

Each measurement runs in a fresh process on a fresh database (the reference data loaded, no
projects), so its peak memory (ru_maxrss) is its own. The generated file uses a fixed seed.
PostgreSQL is reached at BENCH_PG (default postgres://postgres@127.0.0.1:5432/hujin_bench);
the database is dropped and created for each run.
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/hujin_bench")
HEADERS = [
    "项目编号",
    "项目名称",
    "年度",
    "州市",
    "县市区",
    "项目类别",
    "项目状态",
    "上海援助资金（万元）",
    "其他资金（万元）",
    "受益人数",
    "开工日期",
    "完工日期",
    "备注",
]
CATEGORIES = ["产业发展", "劳务协作", "教育帮扶", "医疗帮扶", "基础设施", "乡村建设"]
STATUSES = ["计划", "在建", "完工", "暂停"]


def generate(path, rows, seed=20261129):
    """A clean report of `rows` projects across all 129 counties (UTF-8 with BOM)."""
    reference = json.loads((ROOT / "fixtures" / "reference.json").read_text(encoding="utf-8"))
    prefectures = {
        o["fields"]["code"]: o["fields"]["name"]
        for o in reference
        if o["model"] == "counties.prefecture"
    }
    counties = [
        (o["fields"]["name"], prefectures[o["fields"]["prefecture"][0]])
        for o in reference
        if o["model"] == "counties.county"
    ]
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        for i in range(rows):
            county, prefecture = rng.choice(counties)
            year = rng.randint(2017, 2025)
            month = rng.randint(1, 12)
            writer.writerow(
                [
                    "B-%d-%07d" % (year, i),
                    "示例项目%07d" % i,
                    year,
                    prefecture,
                    county,
                    rng.choice(CATEGORIES),
                    rng.choice(STATUSES),
                    "%d.%02d" % (rng.randint(0, 5000), rng.randint(0, 99)),
                    "%d" % rng.randint(0, 300),
                    rng.randint(0, 5000),
                    "%d-%02d-01" % (year, month),
                    "%d-%02d-28" % (year + 1, month),
                    "",
                ]
            )


def generate_xlsx(csv_path, xlsx_path):
    """The same rows as an XLSX, written by openpyxl in streaming mode: numbers as numbers,
    dates as date cells, as an office's workbook holds them."""
    import datetime

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("项目年度报表")
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        sheet.append(next(reader))
        for row in reader:
            row[2], row[9] = int(row[2]), int(row[9])
            row[7], row[8] = float(row[7]), float(row[8])
            row[10] = datetime.date.fromisoformat(row[10])
            row[11] = datetime.date.fromisoformat(row[11])
            sheet.append(row)
    workbook.save(xlsx_path)


def child_env(db):
    env = dict(
        os.environ,
        SECRET_KEY="bench",
        ALLOWED_HOSTS="localhost",
        DJANGO_SETTINGS_MODULE="hujin.settings",
    )
    if db == "postgresql":
        env["DATABASE_URL"] = PG
    else:
        env["DATABASE_URL"] = "sqlite:///%s" % (OUT / "bench.sqlite3")
    return env


def fresh_database(db):
    if db == "postgresql":
        name = PG.rsplit("/", 1)[1]
        base = PG.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute('DROP DATABASE IF EXISTS "%s"' % name)
            connection.execute('CREATE DATABASE "%s"' % name)
    else:
        (OUT / "bench.sqlite3").unlink(missing_ok=True)
    env = child_env(db)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "loaddata", "reference", "-v0"], env=env, check=True, cwd=ROOT)


def measure(kind, db, path, rows):
    """Runs one measurement in a child process; returns (seconds, peak MB)."""
    fresh_database(db)
    command = [sys.executable, __file__, "--child", kind, "--file", str(path), "--rows", str(rows)]
    result = subprocess.run(command, env=child_env(db), cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("%s on %s failed:\n%s" % (kind, db, result.stderr[-3000:]))
    # The child prints its own peak memory and its time: RUSAGE_CHILDREN would give the
    # largest of all children so far, not this one's.
    memory, seconds = (float(line) for line in result.stdout.strip().splitlines()[-2:])
    return seconds, memory


def child(kind, path, rows):
    """Inside the child process: set up Django, run one kind of import, print MB and seconds."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    started = time.perf_counter()
    if kind in ("ours", "ours_xlsx"):
        from django.core.management import call_command

        with open(os.devnull, "w") as devnull:
            call_command("import_yearly_report", str(path), quiet=True, stdout=devnull)
    elif kind == "import_export":
        default_import_export(path, rows)
    elif kind == "copy":
        copy(path)
    seconds = time.perf_counter() - started
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(seconds)


def default_import_export(path, rows):
    """What a user builds in an afternoon: a ModelResource with default options."""
    import tablib
    from import_export import fields, resources, widgets

    from counties.models import County
    from projects.models import Project

    class ProjectResource(resources.ModelResource):
        county = fields.Field(
            attribute="county",
            column_name="县市区",
            widget=widgets.ForeignKeyWidget(County, "name"),
        )

        class Meta:
            model = Project
            import_id_fields = ["code"]
            fields = [
                "code",
                "name",
                "year",
                "county",
                "category",
                "status",
                "shanghai_funds",
                "other_funds",
                "beneficiaries",
                "start_date",
                "end_date",
                "notes",
            ]

    labels = {label: value for value, label in Project.Category.choices}
    labels.update({label: value for value, label in Project.Status.choices})
    keys = ["code", "name", "year", None, "县市区", "category", "status", "shanghai_funds"]
    keys += ["other_funds", "beneficiaries", "start_date", "end_date", "notes"]
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        dataset = tablib.Dataset(headers=[k for k in keys if k])
        for row in reader:
            if len(dataset) >= rows:
                break
            values = [labels.get(v, v) for k, v in zip(keys, row, strict=True) if k]
            dataset.append(values)
    result = ProjectResource().import_data(dataset, dry_run=False)
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("import-export refused rows")


def copy(path):
    """PostgreSQL COPY of the same file into a bare table: the physical floor."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_copy (code text, name text, year int, prefecture text,"
            " county text, category text, status text, shanghai_funds numeric,"
            " other_funds numeric, beneficiaries int, start_date date, end_date date, notes text)"
        )
        with (
            open(path, "rb") as f,
            cursor.copy(
                "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')"
            ) as copy,
        ):
            f.read(3)  # the BOM
            while chunk := f.read(1 << 20):
                copy.write(chunk)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--only", choices=["ours", "ours_xlsx", "import_export", "copy"], action="append"
    )
    parser.add_argument(
        "--ie-rows", type=int, help="rows for the import-export run (default: all; it is slow)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, Path(args.file), args.rows)

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / ("report-%d.csv" % args.rows)
    if not path.exists():
        generate(path, args.rows)
    print("file: %s (%d rows, %.1f MB)" % (path.name, args.rows, path.stat().st_size / 1e6))
    xlsx = path.with_suffix(".xlsx")
    kinds = args.only or ["ours", "ours_xlsx", "import_export", "copy"]
    if "ours_xlsx" in kinds and not xlsx.exists():
        generate_xlsx(path, xlsx)
        print("file: %s (%.1f MB)" % (xlsx.name, xlsx.stat().st_size / 1e6))
    databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = {}
    for db in databases:
        for kind in kinds:
            if kind == "copy" and db != "postgresql":
                continue
            rows = args.ie_rows or args.rows if kind == "import_export" else args.rows
            seconds, memory = measure(kind, db, xlsx if kind == "ours_xlsx" else path, rows)
            results[db, kind] = rows / seconds
            print(
                "%-10s %-14s %9d rows %8.2f s %9.0f rows/s  peak %6.0f MB"
                % (db, kind, rows, seconds, rows / seconds, memory)
            )
    for db in databases:
        ours = results.get((db, "ours"))
        if ours and (db, "import_export") in results:
            print(
                "%s: ours is %.1f× faster than default import-export"
                % (db, ours / results[db, "import_export"])
            )
        if ours and (db, "copy") in results:
            print("%s: ours takes %.1f× the time of COPY" % (db, results[db, "copy"] / ours))


if __name__ == "__main__":
    main()
