"""What search engines and social networks read: titles, descriptions, languages, data."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.test import RequestFactory

from collective.models import Collective
from collective.views import server_error
from organizations.models import AdvisoryBody, MemberOrganization
from tests.html import elements, visible_text
from tests.quality import public_urls

SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


def meta_content(response, **attrs):
    found = elements(response, "meta", **attrs)
    return found[0]["content"] if found else None


def json_ld(response):
    body = response.content.decode()
    start = body.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(body[start : body.index("</script>", start)])


def test_every_page_has_a_unique_title_and_description(client, seeded):
    titles, descriptions = set(), set()
    urls = public_urls()
    for url in urls:
        response = client.get(url)
        titles.add(response.content.decode().split("<title>")[1].split("</title>")[0])
        description = meta_content(response, name="description")
        assert description, url
        assert len(description) <= 161, url
        descriptions.add(description)
    assert len(titles) == len(descriptions) == len(urls)


@pytest.mark.parametrize("url", ["/nl/wie-zijn-wij/", "/en/members/njr/"])
def test_canonical_and_open_graph_point_at_the_page_itself(client, seeded, url):
    response = client.get(url)
    assert elements(response, "link", rel="canonical")[0]["href"] == f"http://testserver{url}"
    assert meta_content(response, property="og:url") == f"http://testserver{url}"
    assert meta_content(response, name="twitter:card") == "summary"


@pytest.mark.parametrize(
    ("url", "locale", "other"),
    [("/nl/wie-zijn-wij/", "nl_NL", "en_GB"), ("/en/who-are-we/", "en_GB", "nl_NL")],
)
def test_open_graph_names_the_language(client, seeded, url, locale, other):
    response = client.get(url)
    assert meta_content(response, property="og:locale") == locale
    assert meta_content(response, property="og:locale:alternate") == other


def test_description_is_in_the_page_language(client, seeded):
    english = meta_content(client.get("/en/who-are-we/"), name="description")
    assert english.startswith("The Children's Rights Collective was established in 1995")


def test_a_member_without_description_gets_a_generated_one(client, seeded):
    dutch = meta_content(client.get("/nl/leden/terre-des-hommes/"), name="description")
    assert dutch == "Terre des Hommes is lid van het Kinderrechtencollectief."


def test_a_generated_description_says_only_what_the_rows_say(client, seeded):
    MemberOrganization.objects.filter(slug="terre-des-hommes").update(left="2020-03-01")
    AdvisoryBody.objects.update(description_nl="", description_en="")
    Collective.objects.update(name_en="Children's Rights Alliance")

    former = client.get("/en/members/terre-des-hommes/")
    assert meta_content(former, name="description") == (
        "Terre des Hommes was a member of the Children's Rights Alliance until 2020."
    )
    assert "memberOf" not in json_ld(former)

    dutch = client.get("/nl/adviseur/nederlands-jeugdinstituut/")
    assert meta_content(dutch, name="description") == (
        "Nederlands Jeugdinstituut: onafhankelijk adviseur van het Kinderrechtencollectief."
    )
    english = client.get("/en/advisor/nederlands-jeugdinstituut/")
    assert meta_content(english, name="description") == (
        "Dutch Youth Institute: independent advisor to the Children's Rights Alliance."
    )


def test_the_site_name_follows_the_collectives_name(client, seeded):
    Collective.objects.update(name_en="Children's Rights Alliance")
    for url in ["/en/who-are-we/", "/en/members/njr/"]:
        response = client.get(url)
        assert meta_content(response, property="og:site_name") == "Children's Rights Alliance"
    member_page = client.get("/en/members/njr/")
    assert visible_text(member_page).startswith("Skip to main content Children's Rights Alliance")
    assert json_ld(member_page)["memberOf"]["name"] == "Children's Rights Alliance"


@pytest.mark.parametrize("url", ["/en/who-are-we/", "/en/members/njr/"])
def test_a_site_name_shown_in_dutch_on_an_english_page_is_marked_as_dutch(client, seeded, url):
    Collective.objects.update(name_nl="Kinderrechtencollectief", name_en="")
    response = client.get(url)
    [site_name] = elements(response, "a", **{"class": "site-name"})
    assert site_name.get("lang") == "nl"
    assert meta_content(response, property="og:site_name") == "Kinderrechtencollectief"


def _breadcrumb(response):
    return re.search(r'<nav class="breadcrumb".*?</nav>', response.content.decode(), re.S).group()


def test_the_breadcrumb_names_who_are_we_by_its_own_title(client, seeded):
    collective = Collective.load()
    collective.page_title_en = "Who we are"
    collective.save()
    assert ">Who we are</a>" in _breadcrumb(client.get("/en/members/njr/"))
    collective.page_title_en = ""
    collective.save()
    assert 'lang="nl">Wie zijn wij</a>' in _breadcrumb(client.get("/en/members/njr/"))


def test_a_site_name_in_the_pages_language_has_no_lang_of_its_own(client, seeded):
    [site_name] = elements(client.get("/en/who-are-we/"), "a", **{"class": "site-name"})
    assert site_name.get("lang") is None


@pytest.fixture
def njr_without_english(seeded):
    MemberOrganization.objects.filter(slug="njr").update(description_en="")


def hreflangs(response):
    return {link["hreflang"] for link in elements(response, "link", rel="alternate")}


def test_hreflang_leaves_out_a_language_the_page_lacks(client, njr_without_english):
    assert hreflangs(client.get("/nl/leden/njr/")) == {"nl", "x-default"}
    assert hreflangs(client.get("/nl/wie-zijn-wij/")) == {"nl", "en", "x-default"}


def sitemap_entries(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    return {
        url.find("s:loc", SITEMAP_NS).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", SITEMAP_NS)
        }
        for url in root.findall("s:url", SITEMAP_NS)
    }


def test_sitemap_lists_every_public_page_in_every_language_with_alternates(client, seeded):
    entries = sitemap_entries(client)
    assert set(entries) == {f"http://testserver{url}" for url in public_urls()}
    njr = entries["http://testserver/en/members/njr/"]
    assert njr == {
        "nl": "http://testserver/nl/leden/njr/",
        "en": "http://testserver/en/members/njr/",
        "x-default": "http://testserver/leden/njr/",
    }


def test_sitemap_leaves_out_languages_without_content_and_unpublished_pages(
    client, njr_without_english
):
    MemberOrganization.objects.filter(slug="terre-des-hommes").update(is_published=False)
    entries = sitemap_entries(client)
    assert "http://testserver/en/members/njr/" not in entries
    assert "http://testserver/nl/leden/njr/" in entries
    assert not [url for url in entries if "terre-des-hommes" in url]


def sitemap_lastmods(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    return {
        url.find("s:loc", SITEMAP_NS).text: url.find("s:lastmod", SITEMAP_NS).text
        for url in root.findall("s:url", SITEMAP_NS)
    }


@pytest.fixture
def unchanged_for_a_year(seeded):
    """Every row last changed 400 days ago, so that a change today shows in lastmod."""
    import datetime

    from django.utils import timezone

    long_ago = timezone.now() - datetime.timedelta(days=400)
    Collective.objects.update(updated_at=long_ago)
    MemberOrganization.objects.update(updated_at=long_ago)
    AdvisoryBody.objects.update(updated_at=long_ago)
    MemberOrganization.history.update(history_date=long_ago)
    AdvisoryBody.history.update(history_date=long_ago)
    return long_ago


def test_who_are_we_is_modified_when_a_member_it_shows_is(client, unchanged_for_a_year):
    from django.utils import timezone

    njr = MemberOrganization.objects.get(slug="njr")
    njr.description_en = "Changed today."
    njr.save()
    lastmod = sitemap_lastmods(client)
    today = timezone.localdate().isoformat()
    assert lastmod["http://testserver/nl/wie-zijn-wij/"] == today
    assert lastmod["http://testserver/nl/leden/unicef-nederland/"] != today


def test_who_are_we_is_modified_when_a_member_is_deleted(client, unchanged_for_a_year):
    from django.utils import timezone

    MemberOrganization.objects.get(slug="njr").delete()
    lastmod = sitemap_lastmods(client)
    assert lastmod["http://testserver/nl/wie-zijn-wij/"] == timezone.localdate().isoformat()


def test_pages_are_modified_on_the_day_a_member_leaves(client, unchanged_for_a_year):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    yesterday, tomorrow = today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)
    MemberOrganization.objects.filter(slug="njr").update(left=yesterday)
    MemberOrganization.objects.filter(slug="unicef-nederland").update(left=tomorrow)
    lastmod = sitemap_lastmods(client)
    assert lastmod["http://testserver/nl/wie-zijn-wij/"] == yesterday.isoformat()
    assert lastmod["http://testserver/nl/leden/njr/"] == yesterday.isoformat()
    assert lastmod["http://testserver/nl/leden/unicef-nederland/"] < yesterday.isoformat()


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_json_ld_names_the_collective_and_every_current_member(client, seeded):
    MemberOrganization.objects.filter(slug="unicef-nederland").update(left="2020-01-01")
    data = json_ld(client.get("/en/who-are-we/"))
    assert data["@type"] == "Organization"
    assert data["name"] == "Children's Rights Collective"
    names = [member["name"] for member in data["member"]]
    current = MemberOrganization.objects.current()
    assert names == [member.name_en for member in current]
    assert "UNICEF the Netherlands" not in names


def test_json_ld_gives_each_member_the_full_address_of_its_page(client, seeded):
    addresses = [member["url"] for member in json_ld(client.get("/en/who-are-we/"))["member"]]
    expected = [
        f"http://testserver/en/members/{member.slug}/"
        for member in MemberOrganization.objects.current()
    ]
    assert addresses == expected


def test_member_page_json_ld_has_url_logo_and_same_as(client, seeded, settings, tmp_path):
    from tests.editing.test_history import logo_upload

    settings.MEDIA_ROOT = tmp_path
    njr = MemberOrganization.objects.get(slug="njr")
    njr.logo = logo_upload("njr.png", "orange")
    njr.save()
    data = json_ld(client.get("/en/members/njr/"))
    assert data["url"] == "http://testserver/en/members/njr/"
    assert data["sameAs"] == ["https://www.njr.nl/"]
    assert data["logo"].startswith("http://testserver/media/logos/")
    assert data["memberOf"]["name"] == "Children's Rights Collective"


def test_json_ld_cannot_break_out_of_its_script(client, seeded):
    MemberOrganization.objects.filter(slug="njr").update(name_en="</script><script>alert(1)")
    body = client.get("/en/who-are-we/").content.decode()
    assert "</script><script>alert(1)" not in body
    assert json_ld(client.get("/en/members/njr/"))["name"] == "</script><script>alert(1)"


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/nl/leden/x/", "Er ging iets mis"), ("/en/members/x/", "Something went wrong")],
)
def test_500_page_is_localized_and_needs_no_database(path, heading):
    response = server_error(RequestFactory().get(path))
    assert response.status_code == 500
    assert heading in visible_text(response)
    assert elements(response, "html")[0]["lang"] == path.split("/")[1]


def test_500_page_defaults_to_the_site_language():
    response = server_error(RequestFactory().get("/unknown/"))
    assert elements(response, "html")[0]["lang"] == settings.LANGUAGE_CODE


def test_favicon_address_leads_to_the_icon_for_a_day(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302, "a permanent redirect would outlive the icon's name"
    assert response["Location"].endswith("favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/apple-touch-icon.png", "/wp-login.php"])
def test_file_like_addresses_are_a_plain_404(client, db, path):
    assert client.get(path).status_code == 404


def test_robots_txt_does_not_give_away_a_moved_admin(client, db, settings):
    settings.ADMIN_PATH = "beheer-7f3a/"
    body = client.get("/robots.txt").content.decode()
    assert "Disallow" not in body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kort, wel.", "Kort, wel."),
        ("een twee drie vier", "een twee…"),
        ("een twee, drie", "een twee…"),
        ("onafgebrokenwoord", "onafgebro…"),
    ],
)
def test_a_long_description_is_cut_between_words(text, expected):
    from collective.seo import shortened

    assert shortened(text, 10) == expected
    assert len(shortened(text, 10)) <= 10


@pytest.mark.parametrize("url", ["/robots.txt", "/sitemap.xml"])
@pytest.mark.parametrize("host", ["TESTSERVER", "testserver:31337", "testserver."])
def test_links_built_for_another_spelling_of_the_host_are_not_kept(client, seeded, url, host):
    """A proxy that keys on the host without its port must not keep links to that port."""
    response = client.get(url, headers={"host": host})
    assert response.status_code == 200
    assert f"http://{host}/" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_robots_txt_for_the_sites_own_host_is_kept_for_a_day(client, db):
    response = client.get("/robots.txt")
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/robots.txt", "/sitemap.xml", "/favicon.ico"])
def test_addresses_the_same_in_every_language_do_not_vary_by_it(client, seeded, url):
    """The same bytes whatever the browser's language: a Vary on Accept-Language would make
    a cache keep a copy per language header, and Content-Language would call them Dutch."""
    answers = [
        client.get(url, headers={"accept-language": language}) for language in ("nl", "en", "de")
    ]
    assert len({(answer.status_code, answer.content) for answer in answers}) == 1
    for answer in answers:
        assert "Accept-Language" not in answer.get("Vary", "")
        assert "Content-Language" not in answer
