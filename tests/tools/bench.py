"""Requests per second and latency of the public pages under gunicorn, beside a constant page.

    .venv/bin/python tests/tools/bench.py [--duration 10] [--json results.json]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres]
        [--redis-url redis://127.0.0.1:6379/12]

What it does, leaving nothing behind:
1. makes a temporary folder with an SQLite database (or, with --database-url, a temporary
   database on that PostgreSQL server, dropped afterwards; Django's options in the URL's query,
   such as ?conn_max_age=60, are kept), media and collected static files;
2. runs `migrate`, `seed_content` and `collectstatic` with production settings
   (`DJANGO_DEBUG=false`, a random secret key, plain http on loopback: `DJANGO_HTTPS=false`),
   through `tests/tools/bench_settings.py`: the site's settings with a URLconf that adds
   `/bench/constant/`, a fixed 14 KB page that touches neither templates nor the database,
   and `/bench/plain/`, the members in the plainest template (see bench_urls.py);
3. for the 6 seeded members, then again after adding 494 published members (500 in all):
   - counts the SQL queries of one request per page through Django's test client, with an
     empty cache ("cold") and right after ("warm"), with the page cache on and off;
   - serves the site with gunicorn and `collective/gunicorn.py` (2 sync workers, 127.0.0.1 and
     a free port), once with the page cache on (`DJANGO_PAGE_CACHE_SECONDS`, default 3600) and
     once with it off (0), and loads the constant page, then each page (the plain page with
     the cache off only), with wrk (16 connections, 2 threads, --duration seconds, after a
     short warm-up that also fills the page cache);
   - times 20 single requests of "Who are we" with the cache off (the render time);
4. prints a Markdown table (requests/s, p50 and p99 latency, requests/s relative to the
   constant page on the same server, response size, queries per request) and writes
   everything as JSON (--json);
5. stops gunicorn (also on Ctrl-C and errors), removes the folder (and database) and empties
   the Redis database again.

It exits 1 on errors (a page that does not answer 200, wrk errors, tracebacks in the server
log), never because of the numbers. All load goes to 127.0.0.1; --database-url and
--redis-url must point at loopback too. The benchmark clears the cache of --redis-url several
times (FLUSHDB), so it refuses a Redis database that is not empty: give it a free number.
Needs wrk (`apt-get install -y wrk`).

wrk and gunicorn share the machine's CPUs, so the absolute numbers say more about the machine
than about the site; the ratio to the constant page is what carries over.
"""

import argparse
import contextlib
import datetime
import ipaddress
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "127.0.0.1"
SEEDED_MEMBERS = 6
CONSTANT = "/bench/constant/"
PLAIN = "/bench/plain/"
WHO_ARE_WE = "/nl/wie-zijn-wij/"
MEMBER = "/nl/leden/njr/"
PATHS = [CONSTANT, PLAIN, WHO_ARE_WE, MEMBER]
# What is measured per server: (label, path). The constant page first on each server, and each
# page is compared with the constant page of its own server: measured minutes apart, in other
# processes, a shared machine's drift shows up in the ratio as if it were the site's. The plain
# page (see bench_urls.py) never uses the page cache: it is measured beside the uncached pages.
PAGES = [("Who are we", WHO_ARE_WE), ("member", MEMBER)]
RUNS = {
    "cached": [("constant page", CONSTANT), *PAGES],
    "uncached": [("constant page", CONSTANT), ("plain page", PLAIN), *PAGES],
}
YARDSTICKS = (CONSTANT, PLAIN)
MARKER = "BENCH_JSON "

WRK_SCRIPT = """\
-- Prints wrk's summary as one JSON line (times in microseconds).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "transfer_bytes": %d, "p50_us": %d, "p90_us": %d, '
    .. '"p99_us": %d, "mean_us": %.1f, "max_us": %d, "errors": {"connect": %d, "read": %d, '
    .. '"write": %d, "status": %d, "timeout": %d}}\\n',
    "MARKER", summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean,
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
""".replace("MARKER", MARKER)

# Run with `manage.py shell -c`: the queries of one request per path, with the cache empty and
# right after. A first request warms what a running process keeps anyway (URL resolvers,
# templates, translations), so "cold" is about the page cache only.
QUERIES_SCRIPT = """\
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from collective import caching

client = Client(HTTP_HOST="127.0.0.1")
result = {}
for path in PATHS:
    client.get(path)
    caching.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        counts.append(len(queries.captured_queries))
    result[path] = {"cold": counts[0], "warm": counts[1]}
caching.clear()
print(MARKER + json.dumps(result))
"""

# Run with `manage.py shell -c`: published members up to TOTAL, with Dutch and English names
# and descriptions of about the length of the real ones, saved like the admin saves them
# (history, translation state and cache signals included).
MEMBERS_SCRIPT = """\
import random
from django.db import transaction
from organizations.models import MemberOrganization

WORDS_NL = ("kinderen jongeren rechten organisatie Nederland onderwijs zorg jeugd school "
            "gezin bescherming stem advies onderzoek samen veilig toekomst").split()
WORDS_EN = ("children young people rights organization Netherlands education care youth "
            "school family protection voice advice research together safe future").split()

def text(rng, words, sentences):
    return " ".join(
        " ".join(rng.choice(words) for _ in range(rng.randint(10, 16))).capitalize() + "."
        for _ in range(sentences)
    )

with transaction.atomic():
    count = MemberOrganization.objects.count()
    for number in range(count + 1, TOTAL + 1):
        rng = random.Random(number)
        sentences = rng.randint(4, 7)
        MemberOrganization.objects.create(
            slug=f"lid-{number:04d}",
            name_nl=f"Stichting Kinderrechten {number}",
            name_en=f"Children's Rights Foundation {number}",
            description_nl=text(rng, WORDS_NL, sentences),
            description_en=text(rng, WORDS_EN, sentences),
            website=f"https://lid-{number}.example.org/",
            position=1000 + number,
            is_published=True,
        )
print(MARKER + str(MemberOrganization.objects.published().count()))
"""


class BenchError(Exception):
    """Something that makes the measurement invalid; the run stops with exit status 1."""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def require_loopback(url, option):
    """Load may only go to this machine: refuse a database or cache URL on another host."""
    host = urlsplit(url).hostname
    if host in (None, "", "localhost"):
        return  # no host: a Unix socket
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise SystemExit(f"{option} must point at loopback (127.0.0.1, ::1, localhost), not {host}")


def flush_redis(url):
    """Empty the Redis database again (it was empty before the run)."""
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


def require_empty_redis(url):
    """The benchmark clears its cache; refuse a Redis database that holds someone's keys."""
    import redis

    try:
        keys = redis.Redis.from_url(url, socket_connect_timeout=2).dbsize()
    except redis.RedisError as error:
        raise SystemExit(f"--redis-url: cannot reach {url}: {error}") from error
    if keys:
        raise SystemExit(
            f"--redis-url: {url} holds {keys} keys, and the benchmark clears its database; "
            "choose a database number nothing uses (redis://127.0.0.1:6379/N)"
        )


@contextlib.contextmanager
def temporary_postgres(url):
    """A new, empty database on the server of url, dropped afterwards; yields its URL."""
    import psycopg
    from psycopg import sql

    name = f"bench_{secrets.token_hex(6)}"
    parts = urlsplit(url)
    # Django's options in the query (?conn_max_age=60) are for the site, not for libpq.
    server = urlunsplit(parts._replace(query=""))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def site_environment(workdir, database_url, redis_url, settings="tests.tools.bench_settings"):
    """Production settings for a throwaway site in workdir, plain http on loopback.

    The benchmark and the fault runs use their settings with the constant page; Lighthouse
    passes the site's own settings.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "GUNICORN_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        DJANGO_DEBUG="false",
        DJANGO_HTTPS="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url or "",  # empty: local memory; also overrides a REDIS_URL in .env
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(BASE_DIR),
    )
    return env


def manage(env, *args, timeout=600):
    """Run a manage.py command; its output, or BenchError with the output when it fails."""
    command = [sys.executable, str(BASE_DIR / "manage.py"), *args]
    result = subprocess.run(
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise BenchError(
            f"manage.py {args[0]} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
        )
    return result.stdout


def marked_output(output):
    for line in output.splitlines():
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER) :])
    raise BenchError(f"No result in the output:\n{output}")


def shell(env, script, **values):
    code = "".join(f"{name} = {value!r}\n" for name, value in values.items()) + script
    return marked_output(manage(env, "shell", "--no-imports", "-c", code))


class Server:
    """gunicorn with collective/gunicorn.py on a free loopback port; a context manager."""

    def __init__(self, env, workdir, name):
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.env = {
            **env,
            "GUNICORN_BIND": f"{HOST}:{self.port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_THREADS": "1",
        }
        self.log_path = workdir / f"gunicorn-{name}.log"
        self.process = None

    def __enter__(self):
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [str(GUNICORN), "-c", "collective/gunicorn.py", "collective.wsgi"],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group: Ctrl-C reaches only this script, which stops it.
                start_new_session=True,
            )
        try:
            self.wait_until_up()
        except BaseException:  # also Ctrl-C: __exit__ is not called when __enter__ fails
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # SIGTERM: gunicorn stops its workers gracefully
        try:
            self.process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def wait_until_up(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn stopped:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(self.base_url + CONSTANT, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer within {timeout}s:\n{self.log_path.read_text()}")

    def get(self, path):
        """One GET (no compression asked, like wrk); the body, or BenchError unless 200."""
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=30) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            raise BenchError(f"{path} answered {error.code}") from error

    def problems(self):
        """Tracebacks and warnings the site logged, and how often workers were replaced."""
        log = self.log_path.read_text(errors="replace")
        start = log.find("Traceback (most recent call last)")
        return {
            "tracebacks": log.count("Traceback (most recent call last)"),
            "first_traceback": log[max(0, start - 300) : start + 4000] if start >= 0 else "",
            "cache_unavailable": log.count("Cache unavailable"),
            "worker_restarts": log.count("Autorestarting worker"),
        }


def wrk(url, seconds, options, script):
    command = [
        "wrk",
        f"--threads={options.threads}",
        f"--connections={options.connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={script}",
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if result.returncode != 0:
        raise BenchError(f"wrk failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    summary = marked_output(result.stdout)
    summary["requests_per_s"] = summary["requests"] / (summary["duration_us"] / 1e6)
    # wrk stops with requests still queued in gunicorn (up to one per connection); let them
    # finish, or the next run starts with busy workers. The slowest request is a fair bound.
    time.sleep(min(10, summary["max_us"] / 1e6))
    return summary


def render_times(server, path, samples):
    """Milliseconds of single requests, one after another (the first one not counted)."""
    server.get(path)
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        server.get(path)
        times.append((time.perf_counter() - start) * 1000)
    return times


def measure_data_set(env, workdir, members, options, script):
    """Every measurement for one number of members: a list of rows and the render time."""
    cached_env = {**env, "DJANGO_PAGE_CACHE_SECONDS": str(options.page_cache_seconds)}
    uncached_env = {**env, "DJANGO_PAGE_CACHE_SECONDS": "0"}
    queries = {
        "cached": shell(cached_env, QUERIES_SCRIPT, PATHS=PATHS, MARKER=MARKER),
        "uncached": shell(uncached_env, QUERIES_SCRIPT, PATHS=PATHS, MARKER=MARKER),
    }
    rows, render, problems = [], None, {}
    warmup = max(1, round(options.duration / 5))
    for cache, server_env in (("cached", cached_env), ("uncached", uncached_env)):
        with Server(server_env, workdir, f"{members}-{cache}") as server:
            for label, path in RUNS[cache]:
                size = len(server.get(path))
                print(f"  {members} members, {cache}: {path} …", file=sys.stderr, flush=True)
                wrk(server.base_url + path, warmup, options, script)
                result = wrk(server.base_url + path, options.duration, options, script)
                rows.append(
                    {
                        "members": members,
                        "page": label,
                        "path": path,
                        "cache": "—" if path in YARDSTICKS else cache,
                        "server": cache,
                        "bytes": size,
                        "queries_cold": queries[cache][path]["cold"],
                        "queries_warm": queries[cache][path]["warm"],
                        **result,
                    }
                )
            if cache == "uncached":
                times = render_times(server, WHO_ARE_WE, options.render_samples)
                render = {
                    "members": members,
                    "path": WHO_ARE_WE,
                    "samples": len(times),
                    "median_ms": statistics.median(times),
                    "min_ms": min(times),
                    "max_ms": max(times),
                }
        problems[cache] = server.problems()
    constant = {row["server"]: row["requests_per_s"] for row in rows if row["path"] == CONSTANT}
    for row in rows:
        row["relative_to_constant"] = row["requests_per_s"] / constant[row["server"]]
    return rows, render, problems


def errors_of(rows, problems):
    errors = []
    for row in rows:
        failed = {kind: n for kind, n in row["errors"].items() if n and kind != "timeout"}
        if failed:
            errors.append(f"{row['members']} members, {row['path']} ({row['cache']}): {failed}")
    for (members, cache), found in problems.items():
        if found["tracebacks"]:
            errors.append(
                f"{members} members, {cache}: {found['tracebacks']} tracebacks in the server "
                f"log; the first:\n```\n{found['first_traceback']}\n```"
            )
    return errors


def notes_of(rows, problems):
    notes = []
    for row in rows:
        if row["cache"] == "cached" and row["queries_warm"] == row["queries_cold"]:
            notes.append(
                f"{row['path']} with {row['members']} members: the warm request made as many "
                f"queries as the cold one ({row['queries_cold']}); the page cache did not work."
            )
        if row["cache"] == "uncached" and row["queries_warm"] < row["queries_cold"]:
            notes.append(
                f"{row['path']} with {row['members']} members: DJANGO_PAGE_CACHE_SECONDS=0 did "
                "not turn the page cache off; the uncached row measures cached pages."
            )
        if row["errors"]["timeout"]:
            notes.append(
                f"{row['path']} ({row['cache']}, {row['members']} members): "
                f"{row['errors']['timeout']} requests took longer than 10 s."
            )
    for (members, cache), found in problems.items():
        if found["cache_unavailable"]:
            notes.append(f"{members} members, {cache}: the cache was unavailable at times.")
        if found["worker_restarts"]:
            notes.append(
                f"{members} members, {cache}: workers were replaced {found['worker_restarts']} "
                "times (max_requests)."
            )
    return notes


def cache_column(row):
    """The page's cache state; for a yardstick page, which server it was measured on."""
    return f"— ({row['server']} server)" if row["path"] in YARDSTICKS else row["cache"]


def markdown(report):
    lines = [
        "| members | page | page cache | requests/s | p50 ms | p99 ms | × constant | bytes "
        "| queries cold / warm |",
        "|---:|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in report["results"]:
        lines.append(
            f"| {row['members']} | {row['page']} `{row['path']}` | {cache_column(row)} "
            f"| {row['requests_per_s']:,.0f} | {row['p50_us'] / 1000:.1f} "
            f"| {row['p99_us'] / 1000:.1f} | {row['relative_to_constant']:.2f} "
            f"| {row['bytes']:,} | {row['queries_cold']} / {row['queries_warm']} |"
        )
    lines.append("")
    for render in report["render_times"]:
        lines.append(
            f"Uncached render of `{render['path']}` with {render['members']} members: "
            f"median {render['median_ms']:.1f} ms (min {render['min_ms']:.1f}, "
            f"max {render['max_ms']:.1f}; {render['samples']} single requests)."
        )
    setup = report["setup"]
    lines.append("")
    lines.append(
        f"gunicorn {setup['gunicorn_workers']} sync workers; wrk {setup['wrk_threads']} threads, "
        f"{setup['wrk_connections']} connections, {setup['duration_s']} s per run after a "
        f"{setup['warmup_s']} s warm-up; {setup['database']}, {setup['cache']}; "
        f"{setup['cpus']} CPUs, load average {setup['load_average_before']:.2f} before the run "
        f"(other work on the machine skews the numbers); Python {setup['python']}; "
        f"{setup['date']}."
    )
    for note in report["notes"]:
        lines.append(f"- Note: {note}")
    for error in report["errors"]:
        lines.append(f"- ERROR: {error}")
    return "\n".join(lines)


def versions(env):
    out = subprocess.run(
        [str(GUNICORN), "--version"], capture_output=True, text=True, env=env, check=False
    ).stdout.strip()
    return out


def run(options, workdir, database_url):
    load_before = os.getloadavg()[0]
    env = site_environment(workdir, database_url, options.redis_url)
    print("Preparing: migrate, seed_content, collectstatic …", file=sys.stderr, flush=True)
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "seed_content")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    script = workdir / "done.lua"
    script.write_text(WRK_SCRIPT)

    results, renders, problems = [], [], {}
    for members in (SEEDED_MEMBERS, options.members):
        if members != SEEDED_MEMBERS:
            print(f"Adding members up to {members} …", file=sys.stderr, flush=True)
            published = shell(env, MEMBERS_SCRIPT, TOTAL=members, MARKER=MARKER)
            if published < members:
                raise BenchError(f"Only {published} published members after adding.")
        rows, render, found = measure_data_set(env, workdir, members, options, script)
        results += rows
        renders.append(render)
        problems.update({(members, cache): value for cache, value in found.items()})

    return {
        "setup": {
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "gunicorn": versions(env),
            "gunicorn_workers": 2,
            "wrk_threads": options.threads,
            "wrk_connections": options.connections,
            "duration_s": options.duration,
            "warmup_s": max(1, round(options.duration / 5)),
            "page_cache_seconds": options.page_cache_seconds,
            "database": "PostgreSQL" if options.database_url else "SQLite",
            "cache": "Redis" if options.redis_url else "local memory per worker",
            "cpus": len(os.sched_getaffinity(0)),
            "python": platform.python_version(),
            # Anything else busy on the machine skews the numbers; this shows whether it was.
            "load_average_before": load_before,
        },
        "results": results,
        "render_times": renders,
        "problems": {f"{m} members, {c}": v for (m, c), v in problems.items()},
        "notes": notes_of(results, problems),
        "errors": errors_of(results, problems),
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog=textwrap.dedent(__doc__.split("\n", 1)[1]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--members", type=int, default=500, help="members in the large set")
    parser.add_argument("--render-samples", type=int, default=20, help="single requests timed")
    parser.add_argument(
        "--page-cache-seconds", type=int, default=3600, help="DJANGO_PAGE_CACHE_SECONDS when on"
    )
    parser.add_argument("--database-url", help="a PostgreSQL server on loopback to use")
    parser.add_argument("--redis-url", help="a Redis database on loopback to use (flushed!)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    options = parser.parse_args()

    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    if not GUNICORN.exists():
        raise SystemExit(f"gunicorn is not installed in {GUNICORN.parent}: make install")
    for url, option in (
        (options.database_url, "--database-url"),
        (options.redis_url, "--redis-url"),
    ):
        if url:
            require_loopback(url, option)
    if options.database_url and urlsplit(options.database_url).scheme not in (
        "postgres",
        "postgresql",
    ):
        raise SystemExit("--database-url: only PostgreSQL (postgres://…) is supported")
    if options.redis_url:
        require_empty_redis(options.redis_url)
    # SIGTERM (a CI timeout, kill) cleans up like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        with contextlib.ExitStack() as stack:
            if options.database_url:
                database_url = stack.enter_context(temporary_postgres(options.database_url))
            else:
                database_url = f"sqlite:///{workdir / 'db.sqlite3'}"
            report = run(options, workdir, database_url)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if options.redis_url:
            flush_redis(options.redis_url)

    print(markdown(report))
    if options.json:
        options.json.write_text(json.dumps(report, indent=2) + "\n")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
