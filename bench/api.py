"""Benchmark of the JSON APIs over HTTP: gunicorn on 127.0.0.1, a bounded load generator beside it.

    .venv/bin/python bench/api.py                # PostgreSQL, 50,000 listings (kotoverkko_bench_api)
    .venv/bin/python bench/api.py --sqlite --listings 2000   # smoke run on SQLite (var/bench_api.sqlite3)

Builds its own data (bench/directory.py's builder), creates the PostgreSQL database and drops it
at the end (--keep keeps it), serves the app with gunicorn and drives it with threads of
http.client for at most --requests requests or --seconds seconds per endpoint. Prints requests
per second, median and p95 latency and the mean response size for
GET /api/v1/listings/?q=…&language=… and GET /linkedevents/v1/event/ (skipped when it answers 404).

Rate limiting is turned off for the run (the load comes from one address), and the cache is
per-process memory, as a bench has no Redis.
"""

from __future__ import annotations

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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DATABASE = "kotoverkko_bench_api"
WORDS = ["kerho", "kielikahvila", "kurssi", "kuoro", "suomen kieli", "digitaidot", "perhekerho"]
LANGUAGES = ["fi", "ar", "so", "en", "ru", "uk", "fa"]
BENCH_SETTINGS = """
from config.settings.base import *  # noqa: F403

API_ANON_RATE = "1000000000/60"
API_TOKEN_RATE = "1000000000/60"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
"""


def _postgres_base() -> str:
    return os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def configure(*, postgres: bool) -> str:
    """Point Django at the bench database (created here) and set it up; returns DATABASE_URL."""
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 40)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    if postgres:
        import psycopg

        with psycopg.connect(f"{_postgres_base()}/postgres", autocommit=True) as conn:
            if not conn.execute("select 1 from pg_database where datname = %s", [DATABASE]).fetchone():
                conn.execute(f"create database {DATABASE}")
        url = f"{_postgres_base()}/{DATABASE}"
    else:
        (ROOT / "var").mkdir(exist_ok=True)
        url = f"sqlite:///{ROOT / 'var' / 'bench_api.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    import django

    django.setup()
    return url


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect(f"{_postgres_base()}/postgres", autocommit=True) as conn:
        conn.execute(f"drop database if exists {DATABASE} with (force)")
    print(f"Dropped database {DATABASE}.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(*, port: int, workers: int, settings_dir: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_api_settings",
        "PYTHONPATH": os.pathsep.join([settings_dir, str(ROOT)]),
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--chdir",
        str(ROOT),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env)  # noqa: S603 (our own fixed command line)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _body = get(port, "/healthz")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start within 60 seconds")


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Accept": "application/json", "Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def drive(
    label: str, port: int, paths: list[str], *, requests: int, seconds: float, concurrency: int
) -> None:
    """Send at most `requests` requests (or for `seconds`) from `concurrency` threads; print figures."""
    lock = threading.Lock()
    timings: list[float] = []
    sizes: list[int] = []
    errors: list[str] = []
    counter = iter(range(requests))
    deadline = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            path = paths[index % len(paths)]
            started = time.perf_counter()
            try:
                status, body = get(port, path)
            except OSError as error:
                with lock:
                    errors.append(f"{path}: {error}")
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == 200:
                    timings.append(elapsed)
                    sizes.append(len(body))
                else:
                    errors.append(f"{path}: HTTP {status}")

    get(port, paths[0])  # warm-up: imports, connections, caches
    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _index in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if not timings:
        print(f"{label}: no successful requests; first errors: {errors[:3]}")
        return
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(
        f"{label:<44} {len(timings) / wall:7.1f} req/s   median {statistics.median(timings):7.1f} ms   "
        f"p95 {p95:7.1f} ms   mean size {statistics.mean(sizes) / 1024:7.1f} KiB   "
        f"({len(timings)} requests, {len(errors)} errors, {concurrency} clients)"
    )
    if errors:
        print(f"  first errors: {errors[:3]}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sqlite", action="store_true", help="use SQLite instead of PostgreSQL (smoke runs)")
    parser.add_argument("--listings", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=2000, help="at most this many requests per endpoint")
    parser.add_argument("--seconds", type=float, default=60, help="at most this long per endpoint")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    args = parser.parse_args()
    postgres = not args.sqlite
    configure(postgres=postgres)
    from directory import build  # bench/directory.py: the same 50,000-listing data set
    from django.db import connection

    print(f"Database: {connection.vendor}; listings: {args.listings}")
    build(args.listings)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    connection.close()
    port = free_port()
    with tempfile.TemporaryDirectory() as settings_dir:
        Path(settings_dir, "bench_api_settings.py").write_text(BENCH_SETTINGS)
        server = start_gunicorn(port=port, workers=args.workers, settings_dir=settings_dir)
        try:
            print(f"gunicorn on 127.0.0.1:{port} with {args.workers} workers")
            listing_paths = [
                f"/api/v1/listings/?q={word.replace(' ', '+')}&language={language}"
                for word, language in zip(WORDS, LANGUAGES, strict=True)
            ]
            bounds = {"requests": args.requests, "seconds": args.seconds, "concurrency": args.concurrency}
            drive("GET /api/v1/listings/?q=…&language=…", port, listing_paths, **bounds)
            status, _body = get(port, "/linkedevents/v1/event/")
            if status == 404:
                print("GET /linkedevents/v1/event/: skipped (the endpoint answers 404: not built yet)")
            else:
                drive("GET /linkedevents/v1/event/", port, ["/linkedevents/v1/event/"], **bounds)
        finally:
            server.terminate()
            server.wait(timeout=30)
    if postgres and not args.keep:
        drop_database()


if __name__ == "__main__":
    main()
