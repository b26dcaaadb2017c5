"""Lighthouse scores of the "Who are we" pages, on a production-like local copy of the site.

    .venv/bin/python tests/tools/lighthouse.py [--threshold 95] [--keep-reports DIR]

What it does, leaving nothing behind:
1. makes a temporary folder with an SQLite database, media and collected static files;
2. runs `migrate`, `seed_content` and `collectstatic` with production settings
   (`DJANGO_DEBUG=false`, a random secret key, plain http on loopback: `DJANGO_HTTPS=false`);
3. serves the site with `manage.py runserver --nostatic --noreload` on 127.0.0.1 and a free
   port. Static files come from the collected, hashed copy through WhiteNoise, with its
   compression and cache headers, as in production. (Not `--insecure`: that makes runserver
   answer /static/ itself from the source folders, which have no hashed names, so the
   stylesheet would be a 404);
4. runs Lighthouse (`tests/tools/node_modules/.bin/lighthouse`, Debian's Chromium) on
   `/nl/wie-zijn-wij/` and `/en/who-are-we/`, with the mobile (default) and desktop presets;
5. prints the performance, accessibility, best-practices and SEO scores per page and preset,
   and every audit that is not at 100 with what it points at;
6. stops the server, removes the folder, and exits 1 when a score is below the threshold.

It measures the pages (their HTML, CSS, images and headers), not the server: runserver is a
development server, and its speed says nothing about production (gunicorn is not installed
yet). Only loopback addresses are used; Chromium is told not to reach the network.

Install the tools first: `npm ci --ignore-scripts --prefix tests/tools`.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

# Shared with the benchmark next to this file (run as a script, its folder is on sys.path).
from bench import HOST, free_port, site_environment

BASE_DIR = Path(__file__).resolve().parents[2]
TOOLS = Path(__file__).resolve().parent
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = ["/nl/wie-zijn-wij/", "/en/who-are-we/"]
PRESETS = ["mobile", "desktop"]


def manage(env, *args, **popen):
    command = [sys.executable, str(BASE_DIR / "manage.py"), *args]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, **popen)


def prepare(env):
    for args in (
        ("migrate", "--no-input", "--verbosity", "0"),
        ("seed_content",),
        ("collectstatic", "--no-input", "--verbosity", "0"),
    ):
        process = manage(env, *args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        output, _ = process.communicate(timeout=300)
        if process.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{output}")


def wait_until_up(base_url, server, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(base_url + PAGES[0], timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"The server did not answer within {timeout}s:\n{log_path.read_text()}")


class Stylesheets(HTMLParser):
    """The hrefs of a page's <link rel="stylesheet">."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.hrefs.append(attrs.get("href", ""))


def check_static_is_served(base_url):
    """Lighthouse would score a page without its stylesheet; make sure the CSS is there."""
    with urllib.request.urlopen(base_url + PAGES[0], timeout=10) as response:
        html = response.read().decode()
    parser = Stylesheets()
    parser.feed(html)
    if not parser.hrefs:
        raise SystemExit("The page links no stylesheet.")
    url = urljoin(base_url + PAGES[0], parser.hrefs[0])
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            if response.status != 200:
                raise SystemExit(f"The stylesheet {url} answered {response.status}.")
    except urllib.error.HTTPError as error:
        raise SystemExit(f"The stylesheet {url} is not served: {error}") from error


def run_lighthouse(url, preset, output_path, attempts=3):
    """One Lighthouse run; tried again when Chromium's trace fails (NO_NAVSTART and the like)."""
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={output_path}",
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    for attempt in range(1, attempts + 1):
        output_path.unlink(missing_ok=True)
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        if result.returncode == 0 and output_path.exists():
            return json.loads(output_path.read_text())
        print(
            f"  attempt {attempt} failed (exit {result.returncode}): "
            f"{result.stderr.strip().splitlines()[-1:] or ['no output']}",
            file=sys.stderr,
            flush=True,
        )
    raise SystemExit(
        f"Lighthouse failed {attempts} times on {url} ({preset}), last exit "
        f"{result.returncode}:\n{result.stderr[-3000:]}"
    )


def scores(report):
    return {
        category: (
            None
            if report["categories"].get(category, {}).get("score") is None
            else round(report["categories"][category]["score"] * 100)
        )
        for category in CATEGORIES
    }


def describe_item(item):
    """What a failing audit's detail row points at: an element, a resource or a text."""
    node = item.get("node") if isinstance(item.get("node"), dict) else None
    if node is None and item.get("type") == "node":
        node = item
    parts = []
    if node:
        snippet = " ".join((node.get("snippet") or "").split())
        parts.append(f"{node.get('selector', '')} {snippet}".strip())
    for key in ("url", "sourceLocation", "source", "href", "description", "label", "text"):
        value = item.get(key)
        if isinstance(value, dict):
            value = value.get("url") or value.get("value")
        if value and isinstance(value, str | int | float) and str(value) not in parts:
            parts.append(str(value))
    return " | ".join(parts) if parts else json.dumps(item)[:200]


def failing_audits(report):
    """Audits that count towards a category and scored below 1, heaviest first."""
    failing = {}
    for category in CATEGORIES:
        for ref in report["categories"].get(category, {}).get("auditRefs", []):
            audit = report["audits"].get(ref["id"], {})
            score = audit.get("score")
            if (
                score is None
                or score >= 1
                or audit.get("scoreDisplayMode")
                in (
                    "informative",
                    "notApplicable",
                    "manual",
                    "error",
                )
            ):
                continue
            if ref.get("weight", 0) == 0 and category != "performance":
                continue
            items = (audit.get("details") or {}).get("items") or []
            failing[ref["id"]] = {
                "category": category,
                "weight": ref.get("weight", 0),
                "score": score,
                "title": audit.get("title", ""),
                "value": audit.get("displayValue", ""),
                "targets": [describe_item(item) for item in items[:5] if isinstance(item, dict)],
            }
    return sorted(failing.items(), key=lambda pair: (-pair[1]["weight"], pair[1]["score"]))


def print_table(results):
    header = f"{'page':<22} {'preset':<8} " + " ".join(f"{c:>14}" for c in CATEGORIES)
    print(header)
    print("-" * len(header))
    for (page, preset), report in results.items():
        row = scores(report)
        cells = " ".join(f"{'—' if row[c] is None else row[c]:>14}" for c in CATEGORIES)
        print(f"{page:<22} {preset:<8} {cells}")


def print_failing(results):
    for (page, preset), report in results.items():
        failing = failing_audits(report)
        warnings = report.get("runWarnings") or []
        if not failing and not warnings:
            continue
        print(f"\n{page} ({preset}):")
        for warning in warnings:
            print(f"  warning: {warning}")
        for audit_id, audit in failing:
            value = f" — {audit['value']}" if audit["value"] else ""
            print(
                f"  [{audit['category']}] {audit_id} (score {audit['score']:.2f}, "
                f"weight {audit['weight']}): {audit['title']}{value}"
            )
            for target in audit["targets"]:
                print(f"      {target}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threshold", type=int, default=95, help="lowest passing score")
    parser.add_argument("--keep-reports", type=Path, help="copy the JSON reports to this folder")
    options = parser.parse_args()

    if not LIGHTHOUSE.exists():
        raise SystemExit(f"Lighthouse is not installed: npm ci --ignore-scripts --prefix {TOOLS}")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")

    workdir = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    server = None
    try:
        env = site_environment(
            workdir, f"sqlite:///{workdir / 'db.sqlite3'}", None, settings="collective.settings"
        )
        prepare(env)
        port = free_port()
        base_url = f"http://{HOST}:{port}"
        log_path = workdir / "server.log"
        with log_path.open("w") as log:
            server = manage(
                env,
                "runserver",
                f"{HOST}:{port}",
                "--nostatic",
                "--noreload",
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until_up(base_url, server, log_path)
        check_static_is_served(base_url)

        results = {}
        for page in PAGES:
            for preset in PRESETS:
                output = workdir / f"{page.strip('/').replace('/', '_')}-{preset}.json"
                print(f"Lighthouse: {page} ({preset}) …", file=sys.stderr, flush=True)
                results[page, preset] = run_lighthouse(base_url + page, preset, output)
                if options.keep_reports:
                    options.keep_reports.mkdir(parents=True, exist_ok=True)
                    shutil.copy(output, options.keep_reports / output.name)
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(workdir, ignore_errors=True)

    print_table(results)
    print_failing(results)
    low = [
        f"{page} ({preset}) {category}: {score}"
        for (page, preset), report in results.items()
        for category, score in scores(report).items()
        if score is None or score < options.threshold
    ]
    if low:
        print(f"\nBelow {options.threshold}:\n  " + "\n  ".join(low))
        return 1
    print(f"\nEvery score is at least {options.threshold}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
