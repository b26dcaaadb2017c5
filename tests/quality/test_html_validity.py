"""Every page the site renders is valid HTML, as the Nu HTML Checker (vnu.jar) judges it.

Only the real checker catches what browsers silently repair, such as a <div> inside a <p>.
"""

from django.conf import settings

from tests.html import elements
from tests.quality import LANGUAGES, TRANSLATIONS, member_urls, who_are_we_urls
from tests.quality.conftest import CANARY, CANARY_NAME


def has_class(page, tag, css_class):
    return any(
        css_class in (attrs.get("class") or "").split() for attrs in elements(page.response, tag)
    )


def test_the_checked_pages_cover_every_kind_of_page(rendered_pages, variants):
    by_url = {page.url: page for page in rendered_pages}
    assert len([page for page in rendered_pages if page.status == 200]) == len(LANGUAGES) * 8
    assert len([page for page in rendered_pages if page.status == 404]) == len(LANGUAGES)

    for url in who_are_we_urls():
        assert has_class(by_url[url], "section", "organizations--former"), url
    for url in member_urls(variants["former"]).values():
        assert has_class(by_url[url], "span", "membership"), url
    assert TRANSLATIONS, "the site has a language besides Dutch"
    fallback_urls = member_urls(variants["fallback"])
    source_url = fallback_urls[settings.LANGUAGE_CODE]
    assert not has_class(by_url[source_url], "p", "fallback-note"), source_url
    for code in TRANSLATIONS:
        assert has_class(by_url[fallback_urls[code]], "p", "fallback-note"), fallback_urls[code]


def test_every_page_is_valid_html(rendered_pages, nu_html_checker, tmp_path):
    canary = tmp_path / CANARY_NAME
    canary.write_text(CANARY, encoding="utf-8")

    messages = nu_html_checker([page.path for page in rendered_pages] + [canary])

    assert any(message.file == CANARY_NAME for message in messages), (
        "The Nu HTML Checker did not report the deliberately invalid canary page, "
        "so it did not really check the pages."
    )
    labels = {page.path.name: f"{page.url} [{page.status}]" for page in rendered_pages}
    errors = [message for message in messages if message.file != CANARY_NAME]
    assert not errors, f"The Nu HTML Checker found {len(errors)} error(s):\n" + "\n".join(
        "  " + message.describe(labels.get(message.file, message.file)) for message in errors
    )
