"""Load on the production server: gunicorn with hujin's settings (DEBUG off) against the
100,000-project database of bench/pages_bench.py, requests in parallel, page by page.

    .venv/bin/python bench/load.py                       # 10 s a page, 4 clients, 3 workers
    .venv/bin/python bench/load.py --seconds 20 --clients 8 --workers 5
    .venv/bin/python bench/load.py --no-cache --only dashboard   # the dashboard uncached

The database at BENCH_PG (default postgres://postgres@127.0.0.1:5432/hujin_pages_bench) is
built by pages_bench.py when it holds no projects (or with --fresh), else used as it is. A
logged-in superuser's session is made in the database; the clients send its cookie over
kept-alive connections to 127.0.0.1. Per page: requests a second, the median and the 99th
percentile of the time to the whole response, the CPU time per request of the gunicorn
workers and of PostgreSQL (from /proc, so the machine should run nothing else), and the
answers other than 200.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pages_bench  # noqa: E402

ROOT = pages_bench.ROOT
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    """{pid: user and system CPU seconds used so far} of the processes still running."""
    used = {}
    for pid in pids:
        try:
            fields = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return used


def spent(before, after):
    """CPU seconds spent between two snapshots; a process started since counts whole (a
    worker gunicorn replaced after max_requests, a new database backend)."""
    return sum(seconds - before.get(pid, 0) for pid, seconds in after.items())


def children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def postgres_pids():
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return pids


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(fresh):
    """The database (built when needed), the measured pages and a session cookie."""
    import psycopg

    try:
        with psycopg.connect(pages_bench.PG) as connection:
            projects = connection.execute("SELECT count(*) FROM projects_project").fetchone()[0]
    except psycopg.Error:
        projects = 0
    if fresh or not projects:
        subprocess.run(
            [sys.executable, str(HERE / "pages_bench.py"), "--repeat", "2", "--warmup", "0"],
            check=True,
            cwd=ROOT,
        )
    pages_bench.setup_django()
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username="bench")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return pages_bench.pages(), session.session_key


def serve(port, workers, cache):
    env = dict(
        os.environ,
        DATABASE_URL=pages_bench.PG,
        SECRET_KEY="bench",
        DEBUG="0",
        HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY=str(workers),
        HUJIN_CACHE="memory" if cache else "none",
        HUJIN_FILES_DIR=tempfile.mkdtemp(prefix="hujin-load-"),
        LOG_LEVEL="WARNING",
        # Pages name static files by their plain names; no collectstatic for a benchmark.
        STATIC_ROOT=tempfile.mkdtemp(prefix="hujin-load-static-"),
    )
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


def hammer(port, url, cookie, seconds, clients):
    """(latencies in ms, answers other than 200) of `clients` threads for `seconds`."""
    latencies, errors = [], []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": "sessionid=%s" % cookie, "Host": "127.0.0.1"}
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                connection.request("GET", url, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors.append(status)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="of load a page")
    parser.add_argument("--clients", type=int, default=4, help="requests at once")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--no-cache", action="store_true", help="the dashboard uncached")
    parser.add_argument("--fresh", action="store_true", help="build the database anew")
    parser.add_argument("--only", action="append", help="pages whose label holds this")
    args = parser.parse_args()

    pages, cookie = prepare(args.fresh)
    if args.only:
        pages = [(label, url) for label, url in pages if any(o in label for o in args.only)]
    port = free_port()
    server = serve(port, args.workers, cache=not args.no_cache)
    try:
        print(
            "gunicorn, %d workers, %d clients, %.0f s a page, cache %s; load average %.1f"
            % (
                args.workers,
                args.clients,
                args.seconds,
                "off" if args.no_cache else "on",
                os.getloadavg()[0],
            )
        )
        print(
            "%-30s %7s %8s %8s %9s %8s %6s"
            % ("page", "req/s", "p50 ms", "p99 ms", "app ms/r", "db ms/r", "errors")
        )
        for label, url in pages:
            hammer(port, url, cookie, 1, args.clients)  # warm-up
            app, db = cpu_seconds(children(server.pid)), cpu_seconds(postgres_pids())
            started = time.monotonic()
            latencies, errors = hammer(port, url, cookie, args.seconds, args.clients)
            elapsed = time.monotonic() - started
            app = spent(app, cpu_seconds(children(server.pid)))
            db = spent(db, cpu_seconds(postgres_pids()))
            count = len(latencies)
            p99 = statistics.quantiles(latencies, n=100)[-1] if count > 1 else latencies[0]
            print(
                "%-30s %7.1f %8.1f %8.1f %9.1f %8.1f %6d%s"
                % (
                    label,
                    count / elapsed,
                    statistics.median(latencies),
                    p99,
                    app * 1000 / count,
                    db * 1000 / count,
                    len(errors),
                    " (%s)" % ", ".join(sorted({str(e) for e in errors})) if errors else "",
                )
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
