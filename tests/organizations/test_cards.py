"""{% organization_card %} and {% website_link %}: one organization in the "Who are we" lists."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation
from model_bakery import baker

from organizations.models import AdvisoryBody, MemberOrganization
from tests.html import elements, visible_text


def render_card(organization, language="en"):
    with translation.override(language):
        html = Template("{% load cards %}{% organization_card organization %}").render(
            Context({"organization": organization})
        )
    return SimpleNamespace(content=html.encode())


@pytest.fixture
def member(db):
    return baker.make(
        MemberOrganization,
        slug="voorbeeld",
        name_nl="Voorbeeld",
        name_en="Example",
        description_nl="Een zin.\n\nNog een alinea.",
        description_en="A sentence.\n\nAnother paragraph.",
        website="https://example.org/",
    )


def test_the_card_is_labelled_by_its_heading_which_links_to_the_page(member):
    card = render_card(member)
    article = elements(card, "article")[0]
    assert article["id"] == "memberorganization-voorbeeld"
    heading = elements(card, "h3", id=article["aria-labelledby"])
    assert heading, "aria-labelledby points at the heading"
    assert elements(card, "a", href="/en/members/voorbeeld/")


def test_the_description_keeps_its_paragraphs(member):
    html = render_card(member).content.decode()
    assert '<div class="prose"><p>A sentence.</p>\n\n<p>Another paragraph.</p></div>' in html


def test_a_missing_translation_shows_the_source_marked_with_its_language(member):
    member.description_en = ""
    card = render_card(member)
    assert elements(card, "div", lang="nl")
    assert "This text is not yet available in English" in visible_text(card)


def test_the_website_link_names_the_organization_in_the_page_language(member):
    assert elements(render_card(member, "en"), "a", href="https://example.org/", rel="external")
    assert "Website of Example" in visible_text(render_card(member, "en"))
    assert "Website van Voorbeeld" in visible_text(render_card(member, "nl"))


def test_a_name_shown_in_dutch_in_the_website_link_is_marked_as_dutch(member):
    member.name_en = ""
    card = render_card(member, "en")
    assert "Website of Voorbeeld" in visible_text(card)
    assert elements(card, "a", href="https://example.org/")
    assert elements(card, "span", lang="nl")
    assert not elements(render_card(member, "nl"), "span", lang="nl")


def test_a_name_in_the_website_link_is_escaped(member):
    member.name_en = "<b>X</b> & Y"
    html = render_card(member, "en").content.decode()
    assert "Website of &lt;b&gt;X&lt;/b&gt; &amp; Y" in html


def test_without_a_website_or_description_those_parts_are_left_out(member):
    member.website = ""
    member.description_nl = member.description_en = ""
    card = render_card(member)
    assert elements(card, "p", **{"class": "website"}) == []
    assert elements(card, "div", **{"class": "prose"}) == []


def test_an_advisor_shows_its_role_and_a_member_none(db, member):
    advisor = baker.make(AdvisoryBody, slug="nji", name_nl="NJi", role_nl="onafhankelijk adviseur")
    assert "Onafhankelijk adviseur" in visible_text(render_card(advisor, "nl"))
    assert elements(render_card(member), "p", **{"class": "role"}) == []


def test_names_and_texts_are_escaped(member):
    member.name_en = '<script>alert("x")</script>'
    member.description_en = "1 < 2 & <b>bold</b>"
    member.website = 'https://example.org/?a=1&b="2"'
    html = render_card(member).content.decode()
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="https://example.org/?a=1&amp;b=&quot;2&quot;"' in html


def test_an_advisor_role_is_escaped(db):
    advisor = baker.make(AdvisoryBody, slug="nji", name_nl="NJi", role_nl="<i>adviseur</i>")
    html = render_card(advisor, "nl").content.decode()
    assert "<i>" not in html
    assert "&lt;i&gt;adviseur&lt;/i&gt;" in html
