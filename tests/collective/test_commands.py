"""Commands that change content, while the shared page cache has a blip."""

from io import StringIO

import pytest
from django.core.management import call_command

from collective import caching
from collective.translations import exchange
from organizations.models import MemberOrganization
from tests.translations.test_exchange import edited_export, write


@pytest.fixture
def blip(refusing_cache, monkeypatch):
    """A shared cache refusing writes until a command pauses to try again."""
    monkeypatch.setattr(caching, "shared_with_servers", lambda: True)
    monkeypatch.setattr(caching.time, "sleep", lambda seconds: refusing_cache.clear())
    return refusing_cache


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
    seeded, tmp_path, blip
):
    """The process exits: a bump left for its next request would never be sent."""
    assert import_edit(tmp_path) == ""
    assert not caching._unsent_versions


def test_an_import_the_cache_never_hears_of_says_so(seeded, tmp_path, blip, monkeypatch):
    monkeypatch.setattr(caching.time, "sleep", lambda seconds: None)  # the blip lasts
    warning = import_edit(tmp_path)
    assert "could not be reached to mark 4 pages as changed" in warning


def test_rebuilt_logos_mark_their_pages_before_the_command_ends(seeded, settings, tmp_path, blip):
    from tests.organizations.test_logos import legacy_logo

    settings.MEDIA_ROOT = tmp_path
    legacy_logo(MemberOrganization.objects.get(slug="njr"), tmp_path)
    err = StringIO()
    call_command("regenerate_logo_renditions", stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""
    assert not caching._unsent_versions
