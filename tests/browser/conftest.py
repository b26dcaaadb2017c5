"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

from tests.conftest import STAFF_PASSWORD

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there (fixtures, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last, after every test that uses the plain `db` fixture.

    The live server stays up for the rest of the session once started; database tests after it
    leave PostgreSQL with a connection that blocks dropping the test database.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI must run the browser tests.")
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_FLAGS],
    }


@pytest.fixture
def site(transactional_db, live_server):
    """The seeded site, served for the browser; returns its base URL."""
    from collective import seeding

    seeding.seed(seeding.load())
    return live_server.url


@pytest.fixture
def logged_in(browser, site):
    """`logged_in(user, …)`: a browser page signed in to the admin as that user.

    Dutch-speaking unless `locale` says otherwise; `theme` is what the admin's theme toggle
    stores ("light", "dark"); other keywords go to the browser context (color_scheme, …).
    """
    contexts = []

    def open_as(user, locale="nl-NL", theme=None, **context_options):
        context = browser.new_context(locale=locale, **context_options)
        contexts.append(context)
        if theme:
            context.add_init_script(f"localStorage.setItem('theme', '{theme}')")
        page = context.new_page()
        page.goto(f"{site}/admin/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(STAFF_PASSWORD)
        page.locator("#login-form [type=submit]").click()
        page.wait_for_url(lambda url: "/admin/login/" not in url)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def editor_page(logged_in, editor):
    """A browser page signed in as a member of the Editors group."""
    return logged_in(editor)
