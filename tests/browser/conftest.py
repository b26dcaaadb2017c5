"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

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


STAFF_PASSWORD = "a-long-browser-test-password"


@pytest.fixture
def logged_in(browser, site):
    """`logged_in(user)`: a Dutch-speaking browser page signed in to the admin as that user."""
    contexts = []

    def open_as(user):
        context = browser.new_context(locale="nl-NL")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{site}/admin/login/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Aanmelden").click()
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def editor_page(logged_in, django_user_model):
    """A browser page signed in as a member of the Editors group."""
    from django.contrib.auth.models import Group

    from collective.translations import roles

    editor = django_user_model.objects.create_user(
        "redacteur", password=STAFF_PASSWORD, is_staff=True
    )
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    return logged_in(editor)
