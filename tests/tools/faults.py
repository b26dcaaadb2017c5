"""Load and faults: the site under gunicorn with PostgreSQL and Redis, while they fail.

    .venv/bin/python tests/tools/faults.py [--duration 60] [--json faults.json]
        [--only 1 2 3] [--conn-max-age SECONDS]   (--help lists every option)

What it does, leaving nothing behind:
1. creates the database `kinderrechten_faults` on the local PostgreSQL
   (postgres://postgres@127.0.0.1:5432, trust authentication), runs `migrate`, `seed_content`
   and `collectstatic` into a temporary folder, with production settings (`collective.settings`,
   `DJANGO_DEBUG=false`, a random secret key, plain http on loopback: `DJANGO_HTTPS=false`)
   and Redis database 14 (redis://127.0.0.1:6379/14, which must be empty) as the cache;
2. serves the site with gunicorn and `collective/gunicorn.py` (2 sync workers) on 127.0.0.1
   and a free port, a new server per scenario, and loads it with wrk (64 connections) over a
   mix of every page in /sitemap.xml (both "Who are we" pages, the members, the advisor) and
   /sitemap.xml itself:
   1. steady load, page cache on, --duration seconds (60): requests/s, p50/p99, failures.
      Target: no failed request (non-2xx/3xx answer or socket error);
   2. PostgreSQL restarted under load, page cache off (`DJANGO_PAGE_CACHE_SECONDS=0`, so every
      request reaches the database): 30 s of load, and after --lead seconds
      `pg_ctlcluster --skip-systemctl-redirect <version> main restart`. A thread polls
      "Who are we" every 100 ms and records the first failure and the first success after it.
      Target: requests succeed again by themselves, at most --max-recovery seconds (5) after
      PostgreSQL accepts connections again, and do not fail again after that;
   3. Redis stopped under load, page cache on: after --lead seconds `redis-cli shutdown nosave`,
      15 s of load without Redis, then Redis started again exactly as `.ci/run` starts it, and
      10 s more. Targets: no failed request, or only within about a second of the shutdown
      (to the second of gunicorn's access log; socket errors are never allowed); pages served
      from the cache again (an entry in Redis, and one Last-Modified for over a second)
      within 30 s of the restart;
3. prints a Markdown table of the three scenarios with details (server log: tracebacks,
   exceptions, warnings; failures per second after the fault), and writes JSON (--json);
4. always: stops gunicorn and wrk, starts PostgreSQL and Redis again when they are down, drops
   the database, empties Redis database 14 and removes the folder.

It exits 1 when a target is missed or the run fails. Only loopback is used. Scenarios 2 and 3
cut every connection to the local PostgreSQL and Redis (a Redis without persistence loses all
its keys, in every database): do not run it while anything else relies on them. Must run as
root (it restarts the services); needs wrk, which it installs with apt-get when missing.
"""

import argparse
import collections
import concurrent.futures
import contextlib
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

# Shared with the benchmark next to this file (run as a script, its folder is on sys.path).
from bench import (
    GUNICORN,
    HOST,
    MARKER,
    BenchError,
    Server,
    flush_redis,
    manage,
    marked_output,
    require_empty_redis,
    require_loopback,
    site_environment,
)

POSTGRES_SERVER = f"postgres://postgres@{HOST}:5432/postgres"
DATABASE_NAME = "kinderrechten_faults"
DATABASE_URL = f"postgres://postgres@{HOST}:5432/{DATABASE_NAME}"
REDIS_URL = f"redis://{HOST}:6379/14"
# Exactly as .ci/run starts Redis.
REDIS_DIRS = (Path("/var/lib/redis"), Path("/var/log/redis"))
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]
POLL_PATH = "/nl/wie-zijn-wij/"
# The mix must hold each kind of public page: (prefix, what it is).
KINDS = [
    ("/nl/wie-zijn-wij/", "Who are we (nl)"),
    ("/en/who-are-we/", "Who are we (en)"),
    ("/nl/leden/", "a member (nl)"),
    ("/en/members/", "a member (en)"),
    ("/nl/adviseur/", "the advisor (nl)"),
    ("/en/advisor/", "the advisor (en)"),
    ("/sitemap.xml", "the sitemap"),
]
WRK_TIMEOUT_S = 10
CACHED_AGAIN_WITHIN_S = 30


# Requests the mix in turn (each thread from another place in it), counts the answers per
# status, and prints the summary as one JSON line (times in microseconds).
WRK_SCRIPT = """\
local paths = PATHS
local threads = {}
local started = 0

function setup(thread)
  thread:set("offset", started)
  started = started + 1
  table.insert(threads, thread)
end

function init(args)
  prepared = {}
  for i, path in ipairs(paths) do
    prepared[i] = wrk.format("GET", path)
  end
  index = (offset * 5) % #prepared
  statuses = {}
end

function request()
  index = index % #prepared + 1
  return prepared[index]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
    .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
    .. '"statuses": {%s}}\\n',
    "MARKER", summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ", ")))
end
""".replace("MARKER", MARKER)

ACCESS_LINE = re.compile(
    r'\[(\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] "[^"]*" (\d{3}) ', re.MULTILINE
)
OTHER_LOG_LINE = re.compile(r'^\S+ "[^"]*" \[')  # an access log line
EXCEPTION_LINE = re.compile(
    r"^((?:[A-Za-z_]\w*\.)+[A-Za-z_]\w*|[A-Za-z_]\w*(?:Error|Exception)): (.*)$", re.MULTILINE
)
# Never through a proxy from the environment: every request goes straight to loopback.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def say(message):
    print(message, file=sys.stderr, flush=True)


def fetch(url, timeout=5.0):
    """GET url: (status or the name of the error, headers or None)."""
    require_loopback(url, "url")
    try:
        with OPENER.open(url, timeout=timeout) as response:
            response.read()
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers
    except (OSError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", error)
        return type(reason).__name__, None


def wait_for(check, timeout, interval=0.05):
    """True as soon as check() is, False after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


# --- PostgreSQL and Redis ----------------------------------------------------------------------


def postgres_version():
    """The cluster .ci/run starts: the first version in /etc/postgresql."""
    versions = sorted(path.name for path in Path("/etc/postgresql").iterdir())
    if not versions:
        raise BenchError("No PostgreSQL cluster in /etc/postgresql.")
    return versions[0]


def pg_ctlcluster(action, timeout=120):
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", postgres_version(), "main", action]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def postgres_ready():
    command = ["pg_isready", "-h", HOST, "-p", "5432", "-q", "-t", "2"]
    return subprocess.run(command, timeout=10, check=False).returncode == 0


def ensure_postgres():
    """PostgreSQL accepts connections; started when it was down."""
    if postgres_ready():
        return
    say("PostgreSQL is down: starting it …")
    result = pg_ctlcluster("start")
    if not wait_for(postgres_ready, 30, 0.2):
        raise BenchError(f"PostgreSQL does not start:\n{result.stdout}{result.stderr}")


def postgres_query(sql_text, *params, url=POSTGRES_SERVER):
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
        return connection.execute(sql_text, params).fetchall()


@contextlib.contextmanager
def dedicated_database():
    """The database kinderrechten_faults, new and empty, dropped afterwards; yields its URL."""
    import psycopg
    from psycopg import sql

    def execute(statement):
        with psycopg.connect(POSTGRES_SERVER, autocommit=True, connect_timeout=5) as connection:
            connection.execute(statement)

    name = sql.Identifier(DATABASE_NAME)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
    execute(drop)  # left over from a run that was killed
    execute(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield DATABASE_URL
    finally:
        ensure_postgres()
        execute(drop)


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=2)


def redis_ready():
    import redis

    try:
        return bool(redis_client().ping())
    except redis.RedisError:
        return False


def start_redis():
    for folder in REDIS_DIRS:
        folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(REDIS_START, capture_output=True, text=True, timeout=30, check=False)
    if not wait_for(redis_ready, 10, 0.05):
        raise BenchError(f"Redis does not start:\n{result.stdout}{result.stderr}")


def ensure_redis():
    """Redis answers; started when it was down."""
    if not redis_ready():
        say("Redis is down: starting it …")
        start_redis()


def page_entries():
    """Rendered pages in the cache (not their version keys)."""
    return sum(1 for _ in redis_client().scan_iter(match="*:page:*", count=1000))


def other_clients():
    """Connections of others that scenarios 2 and 3 will cut: (PostgreSQL, Redis)."""
    postgres = postgres_query(
        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
        "AND pid <> pg_backend_pid()"
    )[0][0]
    redis = len(redis_client().client_list()) - 1
    return postgres, redis


# --- the site and the load ---------------------------------------------------------------------


class Site(Server):
    """bench's gunicorn server, on the site's own settings: it waits for "Who are we"."""

    def wait_until_up(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn stopped:\n{self.log_path.read_text()}")
            if fetch(self.base_url + POLL_PATH)[0] == 200:
                return
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer within {timeout}s:\n{self.log_path.read_text()}")


class Load:
    """wrk over the mix, in the background; result() waits for its summary."""

    def __init__(self, base_url, seconds, options, script):
        self.seconds = seconds
        self.started_at = time.time()
        self.process = subprocess.Popen(
            [
                "wrk",
                f"--threads={options.threads}",
                f"--connections={options.connections}",
                f"--duration={seconds}s",
                f"--timeout={WRK_TIMEOUT_S}s",
                f"--script={script}",
                base_url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()

    def running(self):
        return self.process.poll() is None

    def result(self):
        try:
            out, err = self.process.communicate(timeout=self.seconds + WRK_TIMEOUT_S + 30)
        except subprocess.TimeoutExpired as error:
            raise BenchError("wrk did not stop") from error
        if self.process.returncode != 0:
            raise BenchError(f"wrk failed ({self.process.returncode}):\n{out}{err}")
        summary = marked_output(out)
        statuses = {int(status): n for status, n in summary["statuses"].items()}
        errors = summary["errors"]
        return {
            "requests": summary["requests"],
            "requests_per_s": summary["requests"] / (summary["duration_us"] / 1e6),
            "p50_ms": summary["p50_us"] / 1000,
            "p99_ms": summary["p99_us"] / 1000,
            "max_ms": summary["max_us"] / 1000,
            "statuses": dict(sorted(statuses.items())),
            "failed": sum(n for status, n in statuses.items() if not 200 <= status < 400),
            "socket_errors": sum(errors[kind] for kind in ("connect", "read", "write", "timeout")),
            "errors": errors,
        }


class Poller:
    """GETs one page every interval from a thread of its own until stopped. Each poll runs in a
    pool thread, so a slow answer under load does not delay the next poll."""

    def __init__(self, url, interval=0.1, timeout=5.0, limit_s=180):
        self.url, self.interval, self.timeout, self.limit_s = url, interval, timeout, limit_s
        self.polls = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=int(timeout / interval) + 4, thread_name_prefix="poll"
        )
        self._thread = threading.Thread(target=self._run, name="poller", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self):
        self._stop.set()
        self._thread.join()
        self._pool.shutdown(wait=True)

    def _run(self):
        start = time.monotonic()
        count = 0
        while not self._stop.is_set() and time.monotonic() - start < self.limit_s:
            self._pool.submit(self._poll)
            count += 1
            self._stop.wait(max(0.0, start + count * self.interval - time.monotonic()))

    def _poll(self):
        sent = time.time()
        status, _headers = fetch(self.url, timeout=self.timeout)
        with self._lock:
            self.polls.append({"sent": sent, "answered": time.time(), "status": status})

    def last_ok(self):
        polls = self.snapshot()
        return bool(polls) and is_ok(polls[-1])

    def snapshot(self):
        with self._lock:
            return sorted(self.polls, key=lambda poll: poll["answered"])


def is_ok(poll):
    return poll["status"] == 200


def outage(polls, fault_at):
    """The first failed poll, the first success after it, the last failure and the success
    after that, in seconds after the fault. Times are when a poll was answered: under load a
    request waits in gunicorn's queue and is served just before its answer."""
    failures = [poll for poll in polls if not is_ok(poll)]
    result = {
        "polls": len(polls),
        "failed_polls": len(failures),
        "failed_poll_statuses": dict(collections.Counter(str(p["status"]) for p in failures)),
        "first_failure_s": None,
        "ok_again_s": None,
        "outage_s": None,
        "last_failure_s": None,
        "stable_s": None,
        "last_poll_ok": bool(polls) and is_ok(polls[-1]),
    }
    if not failures:
        return result

    def first_ok_after(moment):
        return next((p["answered"] for p in polls if is_ok(p) and p["answered"] > moment), None)

    def since_fault(moment):
        return None if moment is None else round(moment - fault_at, 2)

    first, last = failures[0]["answered"], failures[-1]["answered"]
    ok_again, stable = first_ok_after(first), first_ok_after(last)
    result.update(
        first_failure_s=since_fault(first),
        ok_again_s=since_fault(ok_again),
        outage_s=None if ok_again is None else round(ok_again - first, 2),
        last_failure_s=since_fault(last),
        stable_s=since_fault(stable),
    )
    return result


def log_findings(site, fault_at=None):
    """What the server logged: bench's counts, the exceptions, statuses, failures per second."""
    text = site.log_path.read_text(errors="replace")
    found = site.problems()
    exceptions = collections.Counter(
        f"{match[1]}: {match[2].strip()[:200]}" for match in EXCEPTION_LINE.finditer(text)
    )
    statuses = collections.Counter()
    failures_by_second = collections.Counter()
    for match in ACCESS_LINE.finditer(text):
        status = int(match[2])
        statuses[status] += 1
        if fault_at is not None and not 200 <= status < 400:
            stamp = datetime.datetime.strptime(match[1], "%d/%b/%Y:%H:%M:%S %z").timestamp()
            failures_by_second[int(stamp - int(fault_at))] += 1
    found.update(
        first_traceback=first_error(text),
        internal_server_errors=text.count("Internal Server Error:"),
        exceptions=exceptions.most_common(6),
        worker_timeouts=text.count("WORKER TIMEOUT"),
        worker_boots=text.count("Booting worker"),
        logged_statuses=dict(sorted(statuses.items())),
        failures_by_second=dict(sorted(failures_by_second.items())),
    )
    return found


def first_error(text):
    """The first error the site logged, whole: from its message to its last exception line."""
    start = text.find("Internal Server Error:")
    if start < 0:
        start = text.find("Traceback (most recent call last)")
    if start < 0:
        return ""
    lines = []
    for line in text[start:].splitlines()[:300]:
        # Up to the next line of gunicorn's own log, the access log or the next error.
        if lines and (
            line.startswith(("[", "Internal Server Error:")) or OTHER_LOG_LINE.match(line)
        ):
            break
        lines.append(line)
    return "\n".join(lines)


def discover_paths(site):
    """Every page in /sitemap.xml, and the sitemap itself; each must answer 200."""
    status, _headers = fetch(site.base_url + "/sitemap.xml")
    if status != 200:
        raise BenchError(f"/sitemap.xml answered {status}")
    with OPENER.open(site.base_url + "/sitemap.xml", timeout=10) as response:
        xml = response.read().decode()
    paths = sorted({urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", xml)})
    paths.append("/sitemap.xml")
    for prefix, kind in KINDS:
        if not any(path.startswith(prefix) for path in paths):
            raise BenchError(f"The sitemap lists no {kind} ({prefix}…): {paths}")
    for path in paths:
        status, _headers = fetch(site.base_url + path, timeout=10)
        if status != 200:
            raise BenchError(f"{path} answered {status}")
    return paths


def write_script(workdir, paths):
    script = workdir / "mix.lua"
    lua_paths = "{" + ", ".join(json.dumps(path) for path in paths) + "}"
    script.write_text(WRK_SCRIPT.replace("PATHS", lua_paths, 1))
    return script


def served_from_cache(base_url, deadline):
    """When the page started to come from the cache: the moment from which it kept one
    Last-Modified for over a second (a fresh render stamps the current second) while Redis
    holds rendered pages; None when that did not happen before the deadline (monotonic)."""
    import redis

    value, since, since_wall = None, 0.0, None
    while time.monotonic() < deadline:
        status, headers = fetch(base_url + POLL_PATH)
        modified = headers.get("Last-Modified") if status == 200 and headers else None
        if modified is None or modified != value:
            value, since, since_wall = modified, time.monotonic(), time.time()
        elif time.monotonic() - since >= 1.5:
            try:
                if page_entries():
                    return since_wall
            except redis.RedisError:
                pass
        time.sleep(0.1)
    return None


# --- the scenarios -----------------------------------------------------------------------------


def scenario_load(env, workdir, options):
    name = "1. steady load, page cache on"
    with Site({**env}, workdir, "load") as site:
        paths = discover_paths(site)
        script = write_script(workdir, paths)
        say(f"{name}: {options.duration} s over {len(paths)} paths …")
        with Load(site.base_url, 3, options, script) as warmup:
            warmup.result()
        with Load(site.base_url, options.duration, options, script) as load:
            result = load.result()
    findings = log_findings(site)
    met = result["failed"] == 0 and result["socket_errors"] == 0 and not findings["tracebacks"]
    return {
        "scenario": name,
        "load": f"{options.duration} s, {options.connections} connections, {len(paths)} paths",
        "paths": paths,
        **result,
        "recovery": "—",
        "target": "0 failed, 0 socket errors",
        "met": met,
        "log": findings,
    }, paths


def scenario_postgres(env, workdir, options, paths):
    name = "2. PostgreSQL restarted, page cache off"
    seconds = options.restart_load
    env = {**env, "DJANGO_PAGE_CACHE_SECONDS": "0"}
    script = write_script(workdir, paths)
    started_before = postgres_query("SELECT pg_postmaster_start_time()")[0][0]
    with Site(env, workdir, "postgres") as site:
        say(f"{name}: {seconds} s, restart after {options.lead} s …")
        with (
            Poller(site.base_url + POLL_PATH) as poller,
            Load(site.base_url, seconds, options, script) as load,
        ):
            time.sleep(options.lead)
            fault_at = time.time()
            restart = pg_ctlcluster("restart")
            if restart.returncode != 0:
                raise BenchError(f"pg_ctlcluster restart failed:\n{restart.stdout}{restart.stderr}")
            wait_for(postgres_ready, 30, 0.05)
            back_at = time.time()
            result = load.result()
            # Without recovery during the load, give it some more time (unloaded).
            wait_for(
                poller.last_ok, max(0.0, back_at + options.max_recovery + 5 - time.time()), 0.2
            )
            time.sleep(1)  # a few more polls after the last answer
    started_after = postgres_query("SELECT pg_postmaster_start_time()")[0][0]
    polls = outage(poller.snapshot(), fault_at)
    findings = log_findings(site, fault_at)
    back_s = round(back_at - fault_at, 2)
    if polls["failed_polls"]:
        recovered_s = None if polls["stable_s"] is None else round(polls["stable_s"] - back_s, 2)
    else:
        recovered_s = 0.0
    met = (
        started_after != started_before
        and recovered_s is not None
        and recovered_s <= options.max_recovery
        and polls["last_poll_ok"]
        and not findings["worker_timeouts"]
    )
    if not polls["failed_polls"]:
        recovery = f"no failed poll; pg_ctlcluster restart took {back_s} s"
    elif polls["ok_again_s"] is None:
        recovery = f"NOT recovered; first failure +{polls['first_failure_s']} s"
    else:
        recovery = (
            f"outage {polls['outage_s']} s (first failure +{polls['first_failure_s']} s, "
            f"ok again +{polls['ok_again_s']} s); pg_ctlcluster restart took {back_s} s; "
            f"stable from +{polls['stable_s']} s"
        )
    return {
        "scenario": name,
        "load": f"{seconds} s, {options.connections} connections, restart at +{options.lead} s",
        **result,
        "restart_command_s": back_s,
        "postmaster_restarted": started_after != started_before,
        "polls": polls,
        "recovered_after_back_s": recovered_s,
        "recovery": recovery,
        "target": f"ok again ≤ {options.max_recovery:g} s after PostgreSQL is back, and stays ok",
        "met": met,
        "log": findings,
    }


def scenario_redis(env, workdir, options, paths):
    name = "3. Redis stopped, page cache on"
    tail = 10
    seconds = options.lead + options.redis_down + tail
    script = write_script(workdir, paths)
    flush_redis(REDIS_URL)
    with Site({**env}, workdir, "redis") as site:
        for path in paths:
            fetch(site.base_url + path)
        cached_before = served_from_cache(site.base_url, time.monotonic() + 15) is not None
        say(f"{name}: {seconds} s, Redis stopped at +{options.lead} s for {options.redis_down} s …")
        with (
            Poller(site.base_url + POLL_PATH) as poller,
            Load(site.base_url, seconds, options, script) as load,
        ):
            time.sleep(options.lead)
            fault_at = time.time()
            subprocess.run(
                ["redis-cli", "-h", HOST, "-p", "6379", "shutdown", "nosave"],
                capture_output=True,
                timeout=10,
                check=False,
            )
            if not wait_for(lambda: not redis_ready(), 5):
                raise BenchError("Redis still answers after SHUTDOWN NOSAVE")
            time.sleep(max(0.0, fault_at + options.redis_down - time.time()))
            start_redis()
            restarted_at = time.time()
            cached_at = served_from_cache(site.base_url, time.monotonic() + CACHED_AGAIN_WITHIN_S)
            result = load.result()
    polls = outage(poller.snapshot(), fault_at)
    findings = log_findings(site, fault_at)
    late = {
        second: n for second, n in findings["failures_by_second"].items() if not 0 <= second <= 1
    }
    late_polls = polls["last_failure_s"] is not None and polls["last_failure_s"] > 1.0
    cached_again_s = None if cached_at is None else round(cached_at - restarted_at, 2)
    met = (
        result["socket_errors"] == 0
        and (result["failed"] == 0 or (not late and not late_polls))
        and cached_before
        and cached_again_s is not None
        and not findings["worker_timeouts"]
    )
    recovery = (
        "cached again: NO"
        if cached_again_s is None
        else f"cached again {max(0.0, cached_again_s)} s after Redis restarted"
    )
    if polls["failed_polls"]:
        recovery += (
            f"; failed polls from +{polls['first_failure_s']} s to +{polls['last_failure_s']} s"
        )
    return {
        "scenario": name,
        "load": (
            f"{seconds} s, {options.connections} connections, Redis down from "
            f"+{options.lead} s for {options.redis_down} s"
        ),
        **result,
        "cached_before": cached_before,
        "cached_again_s": cached_again_s,
        "restart_at_s": round(restarted_at - fault_at, 2),
        "polls": polls,
        "late_failures_by_second": late,
        "recovery": recovery,
        "target": "0 failed (or only within ~1 s of the stop), cached again",
        "met": met,
        "log": findings,
    }


# --- the report --------------------------------------------------------------------------------


def markdown(report):
    lines = [
        "| scenario | load | requests | requests/s | p50 ms | p99 ms | failed (non-2xx/3xx) "
        "| socket errors | recovery | target | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for row in report["scenarios"]:
        lines.append(
            f"| {row['scenario']} | {row['load']} | {row['requests']:,} "
            f"| {row['requests_per_s']:,.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} "
            f"| {row['failed']:,} | {row['socket_errors']:,} | {row['recovery']} "
            f"| {row['target']} | {'met' if row['met'] else '**MISSED**'} |"
        )
    lines.append("")
    for row in report["scenarios"]:
        log = row["log"]
        lines.append(f"**{row['scenario']}**")
        lines.append(
            f"- answers by status: {row['statuses']}; wrk errors: {row['errors']}; "
            f"slowest {row['max_ms']:.0f} ms"
        )
        if "polls" in row:
            polls = row["polls"]
            lines.append(
                f"- polls of `{POLL_PATH}` every 100 ms: {polls['polls']}, failed "
                f"{polls['failed_polls']} {polls['failed_poll_statuses'] or ''}"
            )
        if log["failures_by_second"]:
            seconds = ", ".join(f"+{s} s: {n}" for s, n in log["failures_by_second"].items())
            lines.append(f"- failed answers per second after the fault (access log): {seconds}")
        lines.append(
            f"- server log: {log['tracebacks']} tracebacks, {log['internal_server_errors']} "
            f'"Internal Server Error", {log["cache_unavailable"]} "Cache unavailable", '
            f"{log['worker_timeouts']} worker timeouts, {log['worker_restarts']} worker "
            f"replacements (max_requests)"
        )
        for exception, count in log["exceptions"]:
            lines.append(f"  - {count} × `{exception}`")
        lines.append("")
    setup = report["setup"]
    lines.append(
        f"gunicorn 2 sync workers (collective/gunicorn.py); wrk {setup['wrk_threads']} threads; "
        f"PostgreSQL {setup['postgres']} ({setup['database_url']}), Redis {setup['redis']} "
        f"({REDIS_URL}); {setup['cpus']} CPUs; Python {setup['python']}; {setup['date']}."
    )
    if setup["other_clients"] != [0, 0]:
        lines.append(
            f"- Note: other clients were connected when the run started (PostgreSQL "
            f"{setup['other_clients'][0]}, Redis {setup['other_clients'][1]}); the faults cut them."
        )
    return "\n".join(lines)


def first_traceback(report):
    for row in report["scenarios"]:
        if row["log"]["first_traceback"]:
            return row["scenario"], row["log"]["first_traceback"]
    return None


# --- running -----------------------------------------------------------------------------------


def install_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    say("Installing wrk …")
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, env=apt_env, timeout=600, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=apt_env, timeout=600, check=False)
        subprocess.run(install, env=apt_env, timeout=600, check=True)


def run(options, workdir, database_url):
    env = site_environment(workdir, database_url, REDIS_URL)
    env.update(
        DJANGO_SETTINGS_MODULE="collective.settings",
        GUNICORN_ACCESS_LOG="-",  # failures per second come from the access log
        GUNICORN_LOG_LEVEL="info",
    )
    say("Preparing: migrate, seed_content, collectstatic …")
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "seed_content")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")

    scenarios = []
    if 1 in options.only:
        row, paths = scenario_load(env, workdir, options)
        scenarios.append(row)
    else:
        with Site(env, workdir, "pages") as site:
            paths = discover_paths(site)
    if 2 in options.only:
        scenarios.append(scenario_postgres(env, workdir, options, paths))
    if 3 in options.only:
        scenarios.append(scenario_redis(env, workdir, options, paths))
    return scenarios


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog=textwrap.dedent(__doc__.split("\n", 1)[1]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds of scenario 1")
    parser.add_argument("--restart-load", type=int, default=30, help="seconds of scenario 2")
    parser.add_argument("--redis-down", type=int, default=15, help="seconds Redis is stopped")
    parser.add_argument("--lead", type=int, default=5, help="seconds of load before a fault")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--max-recovery", type=float, default=5.0, help="seconds after PostgreSQL is back"
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        help="persistent database connections (conn_max_age) instead of one per request",
    )
    parser.add_argument(
        "--only",
        type=int,
        nargs="+",
        choices=(1, 2, 3),
        default=[1, 2, 3],
        help="run only these scenarios",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    options = parser.parse_args()
    if options.lead + 5 > options.restart_load:
        raise SystemExit("--restart-load must leave time after the restart (lead + 5 s or more)")

    for tool in ("pg_ctlcluster", "pg_isready", "redis-cli", "redis-server"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed (PostgreSQL and Redis, as in .ci/run)")
    if not GUNICORN.exists():
        raise SystemExit(f"gunicorn is not installed in {GUNICORN.parent}: make install")
    install_wrk()
    for url, what in ((POSTGRES_SERVER, "PostgreSQL"), (REDIS_URL, "Redis")):
        require_loopback(url, what)
    # SIGTERM (a CI timeout, kill) cleans up like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    try:
        ensure_postgres()
        ensure_redis()
    except BenchError as error:
        raise SystemExit(f"faults: {error}") from error
    require_empty_redis(REDIS_URL)
    setup = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "postgres": postgres_query("SHOW server_version")[0][0],
        "redis": redis_client().info("server")["redis_version"],
        "database_url": DATABASE_URL,
        "other_clients": list(other_clients()),
        "wrk_threads": options.threads,
        "wrk_connections": options.connections,
        "cpus": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
    }
    if setup["other_clients"] != [0, 0]:
        say(
            f"Note: {setup['other_clients'][0]} other PostgreSQL and {setup['other_clients'][1]} "
            "other Redis connections; scenarios 2 and 3 will cut them."
        )

    workdir = Path(tempfile.mkdtemp(prefix="faults-"))
    status = 0
    try:
        with dedicated_database() as database_url:
            if options.conn_max_age is not None:
                database_url += f"?conn_max_age={options.conn_max_age}"
                setup["database_url"] = database_url
            report = {"setup": setup, "scenarios": run(options, workdir, database_url)}
    except BenchError as error:
        say(f"faults: {error}")
        status = 1
    except KeyboardInterrupt:
        say("faults: interrupted")
        status = 130
    finally:
        for name, ensure in (("PostgreSQL", ensure_postgres), ("Redis", ensure_redis)):
            try:
                ensure()
            except BenchError as error:
                say(f"faults: {name} is NOT running: {error}")
                status = status or 1
        with contextlib.suppress(Exception):
            flush_redis(REDIS_URL)
        shutil.rmtree(workdir, ignore_errors=True)
    if status:
        return status

    print(markdown(report))
    traceback = first_traceback(report)
    if traceback:
        print(f"\nFirst traceback in the server log ({traceback[0]}):\n```\n{traceback[1]}\n```")
    if options.json:
        options.json.write_text(json.dumps(report, indent=2, default=str) + "\n")
    missed = [row["scenario"] for row in report["scenarios"] if not row["met"]]
    if missed:
        print(f"\nTargets missed: {', '.join(missed)}")
        return 1
    print("\nEvery target is met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
