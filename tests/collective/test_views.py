import pytest

from organizations.models import MemberOrganization
from tests.html import elements, visible_text
from tests.seed_source import sentences

PAGES = {"nl": "/nl/wie-zijn-wij/", "en": "/en/who-are-we/"}


@pytest.mark.parametrize("language", PAGES)
def test_who_are_we_shows_every_sentence_of_the_source(client, seeded, language):
    text = visible_text(client.get(PAGES[language]))
    missing = [sentence for sentence in sentences(language) if sentence not in text]
    assert missing == []


def test_who_are_we_lists_members_in_position_order_then_the_advisor(client, seeded):
    MemberOrganization.objects.filter(slug="njr").update(position=1)
    text = visible_text(client.get("/en/who-are-we/"))
    order = [
        text.index(name)
        for name in ("NJR is the youth", "Defence for Children is", "Dutch Youth Institute")
    ]
    assert order == sorted(order)


def test_who_are_we_leaves_out_unpublished_members(client, seeded):
    MemberOrganization.objects.filter(slug="njr").update(is_published=False)
    assert "NJR is het jongerennetwerk" not in visible_text(client.get("/nl/wie-zijn-wij/"))


def test_member_without_description_is_listed_by_name_with_its_website(client, seeded):
    response = client.get("/nl/wie-zijn-wij/")
    assert elements(response, "a", href="/nl/leden/terre-des-hommes/")
    assert elements(response, "a", href="https://www.terredeshommes.nl/")


def test_member_without_logo_gets_a_placeholder_hidden_from_screen_readers(client, seeded):
    placeholders = elements(client.get("/nl/wie-zijn-wij/"), "span", **{"aria-hidden": "true"})
    assert len(placeholders) == 7


@pytest.mark.parametrize(
    ("accept_language", "location"),
    [
        ("en-GB,en;q=0.9", "/en/who-are-we/"),
        ("nl-NL", "/nl/wie-zijn-wij/"),
        ("de-DE,fr;q=0.8", "/nl/wie-zijn-wij/"),
        ("", "/nl/wie-zijn-wij/"),
    ],
)
def test_root_redirects_by_accept_language(client, accept_language, location):
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == location
    assert "Accept-Language" in response["Vary"]


def test_language_prefix_alone_redirects_to_who_are_we(client):
    response = client.get("/en/")
    assert response.status_code == 302
    assert response["Location"] == "/en/who-are-we/"


def test_who_are_we_is_404_before_any_content_exists(client, db):
    assert client.get("/nl/wie-zijn-wij/").status_code == 404
