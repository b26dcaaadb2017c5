"""Real third-party checkers (Nu HTML Checker, axe-core) run over every public page.

The checkers come from npm: `npm ci --ignore-scripts --prefix tests/tools` puts them in
`tests/tools/node_modules`. Without them a check is skipped on a developer's machine and fails
in CI (`CI=true`), like the browser tests without Chromium.

The helpers here are shared by `tests/quality` (rendered with the test client) and the browser
checks in `tests/browser`, so both look at the same pages.
"""

import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from modeltranslation.utils import build_localized_fieldname

from organizations.models import AdvisoryBody, MemberOrganization

TOOLS = Path(__file__).resolve().parent.parent / "tools"
NODE_MODULES = TOOLS / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
INSTALL_HINT = "npm ci --ignore-scripts --prefix tests/tools"

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATIONS = [code for code in LANGUAGES if code != settings.LANGUAGE_CODE]


def missing_tool(reason):
    """Skip on a developer's machine; in CI a checker that cannot run fails the run."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI must run this check.", pytrace=False)
    pytest.skip(reason)


def make_variants():
    """Turn the seeded content into one that shows every kind of page a visitor can meet.

    - one member has no description in any translation, so its pages and "Who are we" show
      the Dutch text with the fallback note;
    - another member left a year ago, so "Who are we" has its "Former members" section and
      that member's page shows its period.

    Uses `.update()`, as an import or a data fix would, so no signal or history is involved.
    Returns the slugs of the (fallback, former) members.
    """
    source_field = build_localized_fieldname("description", settings.LANGUAGE_CODE)
    with_text = list(
        MemberOrganization.objects.current().exclude(**{source_field: ""}).order_by("position")
    )
    assert len(with_text) >= 2, "the seed needs two members with a Dutch description"
    fallback, former = with_text[0], with_text[1]
    MemberOrganization.objects.filter(pk=fallback.pk).update(
        **{build_localized_fieldname("description", code): "" for code in TRANSLATIONS}
    )
    MemberOrganization.objects.filter(pk=former.pk).update(
        left=timezone.localdate() - timedelta(days=365)
    )
    assert MemberOrganization.objects.former().filter(pk=former.pk).exists()
    return fallback.slug, former.slug


def who_are_we_urls():
    """The "Who are we" page in every language."""
    urls = []
    for code in LANGUAGES:
        with translation.override(code):
            urls.append(reverse("collective:who-are-we"))
    return urls


def public_urls():
    """Every public page in every language, from the database and the URLconf.

    Former members are published and keep their page, so they are part of it.
    """
    urls = []
    for code in LANGUAGES:
        with translation.override(code):
            urls.append(reverse("collective:who-are-we"))
            for model in (MemberOrganization, AdvisoryBody):
                urls += [obj.get_absolute_url() for obj in model.objects.published()]
    return urls


def not_found_urls():
    """An address that does not exist, under each language's prefix."""
    urls = []
    for code in LANGUAGES:
        with translation.override(code):
            urls.append(
                reverse("organizations:member", kwargs={"slug": "no-such-member-for-checks"})
            )
    return urls


def member_urls(slug):
    """One member's page in every language: `{language code: url}`."""
    member = MemberOrganization.objects.get(slug=slug)
    urls = {}
    for code in LANGUAGES:
        with translation.override(code):
            urls[code] = member.get_absolute_url()
    return urls


def msgfmt_check(path):
    """GNU gettext's verdict on a PO file: (exit code, what it printed); (0, "") is clean."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        missing_tool("GNU gettext's msgfmt is not installed (apt-get install gettext)")
    result = subprocess.run(
        [msgfmt, "--check", "--output-file", os.devnull, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stderr


# How a command that changes content may stand to the running servers' page cache:
# (cache backend, DJANGO_PAGE_CACHE_SECONDS, whether the command warns them it cannot tell).
CACHE_SHARING = pytest.mark.parametrize(
    ("cache", "page_cache_seconds", "warned"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", 3600, True),
        ("django.core.cache.backends.locmem.LocMemCache", 0, False),
        ("django.core.cache.backends.dummy.DummyCache", 3600, False),
    ],
    ids=["own-memory", "page-cache-off", "shared"],
)
