"""Commands that change content, while the shared page cache has a blip."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from collective import caching
from collective.translations import exchange
from organizations.models import MemberOrganization
from tests.translations.test_exchange import edited_export, write


@pytest.fixture
def refusing_cache(monkeypatch):
    """A shared cache that refuses writes for as long as `refusing` holds anything."""
    set_many, refusing = cache.set_many, [True]

    def maybe_refused(*args, **kwargs):
        if refusing:
            raise ConnectionError("writes paused")
        return set_many(*args, **kwargs)

    monkeypatch.setattr(cache, "set_many", maybe_refused)
    monkeypatch.setattr(caching, "shared_with_servers", lambda: True)
    monkeypatch.setattr(caching.time, "sleep", lambda seconds: refusing.clear())
    monkeypatch.setattr(caching, "_unsent_versions", set())
    return refusing


def import_edit(tmp_path):
    njr = MemberOrganization.objects.get(slug="njr")
    err = StringIO()
    call_command(
        "import_translations",
        str(write(tmp_path, edited_export(njr, exchange.XLIFF))),
        stdout=StringIO(),
        stderr=err,
    )
    return err.getvalue()


def test_an_import_during_a_cache_blip_marks_its_pages_before_the_command_ends(
    seeded, tmp_path, refusing_cache
):
    """The process exits: a bump left for its next request would never be sent."""
    assert import_edit(tmp_path) == ""
    assert not caching._unsent_versions


def test_an_import_the_cache_never_hears_of_says_so(seeded, tmp_path, refusing_cache, monkeypatch):
    monkeypatch.setattr(caching.time, "sleep", lambda seconds: None)  # the blip lasts
    warning = import_edit(tmp_path)
    assert "could not be reached to mark 4 pages as changed" in warning


def test_rebuilt_logos_mark_their_pages_before_the_command_ends(
    seeded, settings, tmp_path, refusing_cache
):
    from tests.organizations.test_logos import legacy_logo

    settings.MEDIA_ROOT = tmp_path
    legacy_logo(MemberOrganization.objects.get(slug="njr"), tmp_path)
    err = StringIO()
    call_command("regenerate_logo_renditions", stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""
    assert not caching._unsent_versions
