"""Several app instances against a real Redis: what one saves, the others show within the
time each keeps its own copies (PAGE_CACHE_LOCAL_SECONDS); and a dead Redis does not take the
site down. Needs Redis (skipped without it locally, failed in CI).
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "a-long-services-test-password"

pytestmark = pytest.mark.services


def _redis_answers():
    host, port = urllib.parse.urlsplit(REDIS_URL).hostname, urllib.parse.urlsplit(REDIS_URL).port
    try:
        with socket.create_connection((host, port or 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="module", autouse=True)
def _needs_redis():
    if not _redis_answers():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis does not answer at {REDIS_URL}; CI must run the services tests.")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    """A migrated, seeded database of its own, shared by the instances of this module."""
    workdir = tmp_path_factory.mktemp("instances")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="true",
        DJANGO_SECRET_KEY="services-test-secret-key-services-test-secret-key-2",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        REDIS_URL=REDIS_URL,
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        PYTHONUNBUFFERED="1",
    )
    for args in (
        ["migrate", "--no-input", "-v", "0"],
        ["seed_content"],
        ["createsuperuser", "--no-input", "--username", "beheer", "--email", "b@example.org"],
        ["shell", "-c", "from django.core.cache import cache; cache.clear()"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
        )
    return env


def start(env, **overrides):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env={**env, **overrides},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(100):
        try:
            urllib.request.urlopen(f"{url}/robots.txt", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(f"the instance did not start:\n{process.stdout.read()}")


@pytest.fixture
def instances(site_env):
    started = [start(site_env), start(site_env)]
    yield [url for _process, url in started]
    for process, _url in started:
        process.terminate()
        process.wait(timeout=10)


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


class Staff:
    """A logged-in admin session on one instance, with its CSRF token."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.post("/admin/login/", {"username": "beheer", "password": PASSWORD, "next": "/admin/"})

    def post(self, path, data):
        page = self.opener.open(self.base + path, timeout=5).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.base + path, body, headers={"Referer": self.base + path}
        )
        return self.opener.open(request, timeout=5)


def test_a_save_through_one_instance_shows_on_the_other(instances):
    first, second = instances
    status, before = get(f"{second}/en/members/njr/")
    assert status == 200
    assert "Saved through the first instance." not in before
    get(f"{second}/en/members/njr/")  # now served from the shared cache

    Staff(first).post(
        "/admin/translations/organizations/memberorganization/3/en/",
        {"description": "Saved through the first instance.", "save": "Save"},
    )

    # The first shows it at once; the second once its own copy (1 s by default) runs out.
    assert "Saved through the first instance." in get(f"{first}/en/members/njr/")[1]
    deadline = time.monotonic() + 3
    while "Saved through the first instance." not in get(f"{second}/en/members/njr/")[1]:
        assert time.monotonic() < deadline, "the second instance still shows the old page"
        time.sleep(0.1)
    assert "Saved through the first instance." in get(f"{second}/en/who-are-we/")[1]


def test_pages_are_served_while_redis_is_down(site_env):
    process, url = start(site_env, REDIS_URL="redis://127.0.0.1:9/0")
    try:
        for path in ["/nl/wie-zijn-wij/", "/en/who-are-we/", "/nl/leden/njr/"]:
            assert get(url + path)[0] == 200
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "Cache unavailable, serving from the database" in output
