"""Benchmark of the browsing pages against the admin changelist, on a large PostgreSQL database.

    .venv/bin/python bench/pages_bench.py                  # 100,000 projects, 30 requests a page
    .venv/bin/python bench/pages_bench.py --slowest 3      # and each page's slowest queries

The database at BENCH_PG (default postgres://postgres@127.0.0.1:5432/hujin_pages_bench) is
dropped and created, migrated, given the reference data and then generated data with a fixed
seed: projects spread over the 129 counties and the years 2017–2025 (former poverty counties get
three times as many), funds with allocations to projects of their own county and year, cadres in
batches, parks with their yearly records, and indicator figures (a target and a result for every
county, indicator and year; the prefectures' and the province's own for a few indicators). It is
vacuumed, analyzed and left in place afterwards, for EXPLAIN.

Server time is what Django's test client takes to produce the whole response (middleware,
session and user, views, queries, template rendering) for a logged-in superuser, with the
production settings (DEBUG off, HTTPS, persistent connection). The target: under 50 ms median, and
faster than the admin changelist filtered the same way. On a shared machine the minimum shows
what a page costs when nothing else runs. The queries and the time spent in them (SQL ms) come
from one more request of each page, apart from the measured ones.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import warnings
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/hujin_pages_bench")
SEED = 20261129
YEARS = range(2017, 2026)
TARGET_MS = 50
CENT = Decimal("0.0001")


def fresh_database():
    name = PG.rsplit("/", 1)[1]
    base = PG.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute('DROP DATABASE IF EXISTS "%s"' % name)
        connection.execute('CREATE DATABASE "%s"' % name)


def setup_django():
    """Production settings on the benchmark database; `testserver` is the client's host, and
    its requests say they came over HTTPS (else they are redirected there)."""
    os.environ.update(
        DATABASE_URL=PG,
        SECRET_KEY="bench",
        DEBUG="0",
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="hujin.settings",
    )
    sys.path.insert(0, str(ROOT))
    # Static files are served from the finders here; STATIC_ROOT exists after collectstatic.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()


def copy_rows(table, columns, rows):
    """COPY rows (tuples in the order of `columns`) into a table; ids are given explicitly."""
    from django.db import connection

    with (
        connection.cursor() as cursor,
        cursor.copy("COPY %s (%s) FROM STDIN" % (table, ", ".join(columns))) as copy,
    ):
        for row in rows:
            copy.write_row(row)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT max(id) FROM %s))"
            % (table, table)
        )


def money(rng, low, high):
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def generate(projects, seed=SEED):
    """The generated data; returns the counts per table."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from counties.models import County, ShanghaiDistrict
    from personnel.models import Batch, Cadre
    from projects.models import Fund, ImportBatch, IndustrialPark, IndustrialParkYear, Project

    rng = random.Random(seed)
    now = timezone.now()
    counties = list(County.objects.select_related("prefecture").order_by("code"))
    weights = [3 if c.is_former_poverty else 1 for c in counties]
    districts = list(ShanghaiDistrict.objects.order_by("code"))
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
    scale = projects / 100_000

    # Cadre batches of three years each, the 13th serving now (the real ones are of that kind).
    batches = Batch.objects.bulk_create(
        Batch(number=n, start_year=2025 - 3 * (13 - n), end_year=2027 - 3 * (13 - n))
        for n in range(7, 14)
    )
    recent = [b for b in batches if b.end_year >= 2017]
    cadres = []
    for i in range(round(3_000 * scale)):
        batch = rng.choice(recent)
        start = datetime.date(batch.start_year, 7, 1)
        at_prefecture = rng.random() < 0.1
        county = rng.choices(counties, weights)[0]
        cadres.append(
            Cadre(
                name="示例干部%05d" % i,
                gender=rng.choice(Cadre.Gender.values),
                kind=rng.choice(Cadre.Kind.values),
                sending_unit="上海市示例单位%03d" % rng.randint(1, 300),
                post="挂职副县长" if rng.random() < 0.3 else "专业技术岗位",
                prefecture=county.prefecture if at_prefecture else None,
                county=None if at_prefecture else county,
                batch=batch,
                term_start=start,
                term_end=None if batch.number == 13 else datetime.date(batch.end_year, 6, 30),
                team=rng.choice(["", "", "", "medical", "education"]),
            )
        )
    cadres = Cadre.objects.bulk_create(cadres, batch_size=2000)
    cadres_by_county = {}
    for cadre in cadres:
        if cadre.county_id:
            cadres_by_county.setdefault(cadre.county_id, []).append(cadre.pk)

    parks = IndustrialPark.objects.bulk_create(
        IndustrialPark(
            name="示例共建产业园区%03d" % i,
            county=rng.choices(counties, weights)[0],
            partner_district=rng.choice([*districts, None]),
            partner_name="示例合作企业%02d" % rng.randint(1, 40),
            year_founded=rng.choice(YEARS),
            is_demonstration=rng.random() < 0.1,
        )
        for i in range(round(300 * scale))
    )
    # A yearly record for each year since the park was founded.
    park_years = IndustrialParkYear.objects.bulk_create(
        (
            IndustrialParkYear(
                park=park,
                year=year,
                enterprises=rng.randint(0, 30),
                investment=money(rng, 0, 20_000),
                construction_investment=money(rng, 0, 30_000),
                jobs=rng.randint(0, 1500),
            )
            for park in parks
            for year in YEARS
            if year >= park.year_founded
        ),
        batch_size=2000,
    )
    parks_by_county = {}
    for park in parks:
        parks_by_county.setdefault(park.county_id, []).append(park.pk)

    imports = {
        year: ImportBatch.objects.create(
            kind=ImportBatch.Kind.YEARLY_REPORT,
            channel=ImportBatch.Channel.COMMAND,
            user=user,
            file_name="%d年项目年度报表.xlsx" % year,
            file_sha256="%064x" % year,
            imported_at=now,
        )
        for year in YEARS
    }

    project_rows, m2m_rows = [], []
    by_county_year = {}
    serial = {}
    for pk, county in enumerate(rng.choices(counties, weights, k=projects), start=1):
        year = rng.choice(YEARS)
        serial[county.pk, year] = n = serial.get((county.pk, year), 0) + 1
        by_county_year.setdefault((county.pk, year), []).append(pk)
        month = rng.randint(1, 12)
        started = rng.random() < 0.8
        park = None
        if county.pk in parks_by_county and rng.random() < 0.05:
            park = rng.choice(parks_by_county[county.pk])
        project_rows.append(
            (
                pk,
                "%d-%s-%04d" % (year, county.code, n),
                "示例项目%07d" % pk,
                county.pk,
                rng.choice(Project.Category.values),
                year,
                rng.choice(Project.Status.values),
                datetime.date(year, month, 1) if started else None,
                datetime.date(year + 1, month, 28) if started else None,
                money(rng, 0, 5000),
                money(rng, 0, 300),
                rng.randint(0, 5000),
                "",
                "",
                park,
                imports[year].pk if rng.random() < 0.7 else None,
                now,
                now,
            )
        )
        if county.pk in cadres_by_county and rng.random() < 0.2:
            for cadre in rng.sample(cadres_by_county[county.pk], 1 + (rng.random() < 0.3)):
                m2m_rows.append((len(m2m_rows) + 1, pk, cadre))
    copy_rows(
        "projects_project",
        [
            "id",
            "code",
            "name",
            "county_id",
            "category",
            "year",
            "status",
            "start_date",
            "end_date",
            "shanghai_funds",
            "other_funds",
            "beneficiaries",
            "description",
            "notes",
            "park_id",
            "import_batch_id",
            "created_at",
            "updated_at",
        ],
        project_rows,
    )
    copy_rows("projects_project_cadres", ["id", "project_id", "cadre_id"], m2m_rows)

    # Each fund goes to projects of its county and year, at most its amount in all (the
    # triggers check it on every row).
    fund_rows, allocation_rows = [], []
    for pk, county in enumerate(rng.choices(counties, weights, k=round(20_000 * scale)), 1):
        year = rng.choice(YEARS)
        amount = money(rng, 50, 3000)
        source = rng.choice(Fund.Source.values)
        donor = "示例企业%03d" % rng.randint(1, 500) if source == "enterprise" else ""
        document = "沪合办〔%d〕%d号" % (year, rng.randint(1, 300))
        fund_rows.append((pk, source, year, county.pk, amount, donor, document))
        candidates = by_county_year.get((county.pk, year), [])
        chosen = rng.sample(candidates, min(len(candidates), rng.choice([0, 1, 2, 2, 3, 4])))
        shares = [rng.random() + 0.1 for _ in chosen]
        spent = amount * Decimal(rng.uniform(0.3, 1.0))
        for project, share in zip(chosen, shares, strict=True):
            part = (spent * Decimal(share / sum(shares))).quantize(CENT, ROUND_DOWN)
            if part > 0:
                allocation_rows.append((len(allocation_rows) + 1, pk, project, part))
    copy_rows(
        "projects_fund",
        ["id", "source", "year", "county_id", "amount", "donor", "document"],
        fund_rows,
    )
    copy_rows("projects_fundallocation", ["id", "fund_id", "project_id", "amount"], allocation_rows)
    figures = indicator_figures(rng, counties, now)
    copy_rows("projects_indicatorfigure", FIGURE_COLUMNS, figures)
    return {
        "projects": len(project_rows),
        "funds": len(fund_rows),
        "allocations": len(allocation_rows),
        "cadres": len(cadres),
        "project cadres": len(m2m_rows),
        "batches": len(batches),
        "parks": len(parks),
        "park years": len(park_years),
        "indicator figures": len(figures),
        **{
            "%s figures" % level: sum(1 for f in figures if f[3] == level)
            for level in ("county", "prefecture", "province")
        },
    }


FIGURE_COLUMNS = [
    "id",
    "indicator_id",
    "year",
    "level",
    "prefecture_id",
    "county_id",
    "district_id",
    "target",
    "result",
    "note",
    "import_batch_id",
    "updated_at",
]
# Targets by unit, as the yearly agreements set them for a county (low, high).
FIGURE_RANGES = {"万元": (50, 20_000), "人": (10, 5_000), "人次": (100, 20_000)}
# Indicators the prefectures and the province report themselves, not only their counties' sum.
REPORTED_ABOVE = ["fiscal_aid", "labour_jobs", "consumption_aid", "parks"]


def indicator_figures(rng, counties, now):
    """Rows for COPY: a target and a result for every county, indicator and year, and for a
    few indicators the prefectures' and the province's own (a little under their counties'
    sum, as reports round and count late)."""
    from indicators.models import Indicator

    rows = []

    def add(indicator, year, level, prefecture, county, target, result):
        row = (len(rows) + 1, indicator.pk, year, level, prefecture, county, None)
        rows.append((*row, target, result, "", None, now))

    indicators = list(Indicator.objects.order_by("position"))
    for year in YEARS:
        for indicator in indicators:
            low, high = FIGURE_RANGES.get(indicator.unit, (1, 30))
            sums = {}
            for county in counties:
                target = Decimal(rng.randint(low, high))
                result = (target * Decimal(rng.uniform(0.6, 1.6))).quantize(Decimal(1))
                add(indicator, year, "county", None, county.pk, target, result)
                totals = sums.setdefault(county.prefecture_id, [Decimal(0), Decimal(0)])
                totals[0] += target
                totals[1] += result
            if indicator.code not in REPORTED_ABOVE:
                continue
            for prefecture, (target, result) in sums.items():
                result = (result * Decimal(rng.uniform(0.95, 1))).quantize(Decimal(1))
                add(indicator, year, "prefecture", prefecture, None, target, result)
            target = sum(t for t, _ in sums.values())
            result = sum(r for _, r in sums.values())
            add(indicator, year, "province", None, None, target, result)
    return rows


def pages():
    """(label, URL) of each page measured; the filtered ones (and the dashboards) use the county
    with the most projects, in its busiest year, its prefecture, and its project with the most
    allocations."""
    from django.db.models import Count

    from counties.models import County
    from projects.models import Project

    county = County.objects.annotate(n=Count("projects")).order_by("-n", "code").first()
    year = (
        county.projects.values("year")
        .annotate(n=Count("pk"))
        .order_by("-n", "-year")
        .values_list("year", flat=True)
        .first()
    )
    matches = county.projects.filter(year=year).count()
    project = (
        Project.objects.filter(county=county)
        .annotate(n=Count("allocations"))
        .order_by("-n", "code")
        .first()
    )
    print(
        "filtered pages: %s %s (%d projects in all), %d: %d projects; project %s"
        % (county.code, county.name, county.n, year, matches, project.code)
    )
    admin = "/admin/projects/project/?county__id__exact=%d&year=%d" % (county.pk, year)
    dashboard = "/dashboard/?year=%d&place=" % year
    return [
        ("project list, county+year", "/projects/?county=%s&year=%d" % (county.code, year)),
        ("admin changelist, county+year", admin),
        ("county page", "/counties/%s/" % county.code),
        ("dashboard, province", dashboard),
        ("dashboard, prefecture", dashboard + county.prefecture.code),
        ("dashboard, county", dashboard + county.code),
        ("project page", "/projects/%s/" % project.code),
        ("project list, all", "/projects/"),
        ("project list, all, 200 a page", "/projects/?page_size=200"),
        ("cadre list", "/personnel/"),
        ("fund list", "/funds/"),
        ("landing page", "/"),
    ]


def measure(client, urls, repeat, warmup):
    """Milliseconds of each of `repeat` requests of each URL, after `warmup` unmeasured ones.
    The pages take turns, so that whatever else the machine is doing slows them alike."""
    times = {url: [] for url in urls}
    for i in range(warmup + repeat):
        for url in urls:
            started = time.perf_counter()
            response = client.get(url, secure=True)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                sys.exit("%s answered %d" % (url, response.status_code))
            if i >= warmup:
                times[url].append(elapsed * 1000)
    return times


def queries(client, url):
    """(ms, SQL) of each query of one request. A separate, unmeasured request: capturing
    slows every query a little. The times are taken around each execute, finer than
    CaptureQueriesContext's whole milliseconds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            times.append((time.perf_counter() - started) * 1000)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
        client.get(url, secure=True)
    return list(zip(times, (q["sql"] for q in captured.captured_queries), strict=True))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30, help="measured requests a page")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured requests first")
    parser.add_argument(
        "--slowest", type=int, default=0, metavar="N", help="print each page's N slowest queries"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    fresh_database()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("loaddata", "reference", verbosity=0)
    counts = generate(args.projects)
    # VACUUM too, as autovacuum would have by then: it sets the visibility map that index-only
    # scans (such as a COUNT(*)) rely on.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        "database %s: %s; built in %.1f s"
        % (
            PG.rsplit("/", 1)[1],
            ", ".join("%d %s" % (n, name) for name, n in counts.items()),
            time.perf_counter() - started,
        )
    )

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    measured = pages()
    load = os.getloadavg()[0]
    times = measure(client, [url for _, url in measured], args.repeat, args.warmup)
    results = []
    for label, url in measured:
        median = statistics.median(times[url])
        p90 = statistics.quantiles(times[url], n=10, method="inclusive")[-1]
        results.append((label, url, median, p90, min(times[url]), queries(client, url)))

    admin = next(median for label, _, median, *_ in results if label.startswith("admin"))
    print()
    print(
        "%d requests a page after %d warm-ups (load average %.1f before, %.1f after); target:"
        " median under %d ms and under the admin changelist's %.1f ms"
        % (args.repeat, args.warmup, load, os.getloadavg()[0], TARGET_MS, admin)
    )
    print(
        "%-30s %9s %7s %7s %7s %6s  %-6s %s"
        % ("page", "median ms", "p90 ms", "min ms", "queries", "SQL ms", "target", "URL")
    )
    for label, url, median, p90, fastest, captured in results:
        meets = median < TARGET_MS and (label.startswith("admin") or median < admin)
        print(
            "%-30s %9.1f %7.1f %7.1f %7d %6.1f  %-6s %s"
            % (
                label,
                median,
                p90,
                fastest,
                len(captured),
                sum(ms for ms, _ in captured),
                "yes" if meets else "NO",
                url,
            )
        )
    if args.slowest:
        for label, url, *_, captured in results:
            print("\n%s (%s): %.1f ms in SQL" % (label, url, sum(ms for ms, _ in captured)))
            for ms, sql in sorted(captured, key=lambda q: -q[0])[: args.slowest]:
                print("  %7.1f ms  %s" % (ms, sql if len(sql) < 400 else sql[:400] + " …"))


if __name__ == "__main__":
    main()
