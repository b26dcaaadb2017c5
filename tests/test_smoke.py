"""Site-wide checks: every public page answers, in every language, with one <h1>."""

import pytest
from django.core.management import call_command

from organizations.models import MemberOrganization
from tests.html import elements, visible_text
from tests.quality import LANGUAGES, public_urls


def test_every_public_page_answers_with_exactly_one_h1(client, seeded):
    urls = public_urls()
    assert len(urls) == len(LANGUAGES) * 8
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(elements(response, "h1")) == 1, url


def test_dutch_interface_strings_are_translated(client, seeded):
    text = visible_text(client.get("/nl/wie-zijn-wij/"))
    assert "Onze leden" in text
    assert "Our members" not in text


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/nl/leden/bestaat-niet/", "Pagina niet gevonden"),
        ("/en/members/does-not-exist/", "Page not found"),
        ("/en/advisor/does-not-exist/", "Page not found"),
        ("/nl/geen-pagina/", "Pagina niet gevonden"),
    ],
)
def test_unknown_pages_are_a_localized_404(client, seeded, url, message):
    response = client.get(url)
    assert response.status_code == 404
    assert message in visible_text(response)
    assert len(elements(response, "h1")) == 1


def test_unpublished_member_is_404(client, seeded):
    MemberOrganization.objects.filter(slug="njr").update(is_published=False)
    assert client.get("/nl/leden/njr/").status_code == 404


def test_no_migration_is_pending(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
