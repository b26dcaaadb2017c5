"""What every public page does for its languages: lang, switcher, hreflang, fallback text."""

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation

from collective.editing import library_strings
from organizations.models import MemberOrganization
from tests.html import elements, visible_text

SAME_PAGE = [
    {"nl": "/nl/wie-zijn-wij/", "en": "/en/who-are-we/"},
    {"nl": "/nl/leden/njr/", "en": "/en/members/njr/"},
    {
        "nl": "/nl/adviseur/nederlands-jeugdinstituut/",
        "en": "/en/advisor/nederlands-jeugdinstituut/",
    },
]
CASES = [(page, language) for page in SAME_PAGE for language in page]


@pytest.mark.parametrize(("page", "language"), CASES)
def test_html_lang_is_the_page_language(client, seeded, page, language):
    assert elements(client.get(page[language]), "html")[0]["lang"] == language


@pytest.mark.parametrize(("page", "language"), CASES)
def test_switcher_links_to_the_same_page_in_every_language(client, seeded, page, language):
    response = client.get(page[language])
    links = {
        link["hreflang"]: link["href"]
        for link in elements(response, "a")
        if "hreflang" in link and "lang" in link
    }
    assert links == {code: f"http://testserver{path}" for code, path in page.items()}


@pytest.mark.parametrize(("page", "language"), CASES)
def test_alternate_links_cover_every_language_and_x_default(client, seeded, page, language):
    alternates = {
        link["hreflang"]: link["href"]
        for link in elements(client.get(page[language]), "link", rel="alternate")
    }
    expected = {code: f"http://testserver{path}" for code, path in page.items()}
    default = page[settings.LANGUAGE_CODE].removeprefix(f"/{settings.LANGUAGE_CODE}")
    expected["x-default"] = f"http://testserver{default}"
    assert alternates == expected


def test_switcher_marks_the_current_language(client, seeded):
    current = elements(client.get("/en/who-are-we/"), "a", **{"aria-current": "page"})
    assert [link["lang"] for link in current] == ["en"]


@pytest.fixture
def njr_without_english(seeded):
    MemberOrganization.objects.filter(slug="njr").update(description_en="")


@pytest.mark.parametrize("url", ["/en/who-are-we/", "/en/members/njr/"])
def test_missing_english_shows_dutch_marked_as_dutch(client, njr_without_english, url):
    response = client.get(url)
    dutch_blocks = elements(response, "div", lang="nl")
    assert len(dutch_blocks) == 1
    assert "NJR is het jongerennetwerk van Nederland" in visible_text(response)
    assert "This text is not yet available in English" in visible_text(response)


def test_complete_english_page_has_no_fallback_marks(client, seeded):
    response = client.get("/en/members/njr/")
    assert elements(response, "div", lang="nl") == []
    assert "not yet available" not in visible_text(response)


def test_stored_html_is_shown_as_text_not_markup(client, seeded):
    MemberOrganization.objects.filter(slug="njr").update(
        description_nl="Eerste alinea <script>alert(1)</script>\n\nTweede alinea"
    )
    response = client.get("/nl/leden/njr/")
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<p>Tweede alinea</p>" in body


@pytest.mark.parametrize(
    ("path", "accept_language", "location"),
    [
        ("/leden/njr/", "en-GB,en;q=0.9", "/en/members/njr/"),
        ("/leden/njr/", "nl", "/nl/leden/njr/"),
        ("/members/njr/", "nl", "/nl/leden/njr/"),
        ("/wie-zijn-wij/", "fr", "/nl/wie-zijn-wij/"),
    ],
)
def test_x_default_address_sends_visitors_to_their_language(
    client, seeded, path, accept_language, location
):
    response = client.get(path, headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == location
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    "path", ["/ledenlijst/", "/nergens/", "/admin-not/", "/nl/nl/leden/njr/", "/nergens", "/a/b"]
)
def test_unknown_unprefixed_addresses_are_404(client, seeded, path):
    """At once: not first redirected to the same address with a final slash."""
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("/leden/njr", "/leden/njr/"), ("/wie-zijn-wij", "/wie-zijn-wij/"), ("/admin", "/admin/")],
)
def test_a_page_address_without_its_final_slash_still_leads_to_it(client, seeded, typed, meant):
    response = client.get(typed)
    assert response.status_code == 301
    assert response["Location"] == meant


UNCHANGED_IN_DUTCH = {"HTTP Accept", "Object"}  # the same word in Dutch


@pytest.mark.parametrize(
    "message",
    [
        message
        for strings in (
            library_strings.SIMPLE_HISTORY,
            library_strings.DJANGO_ADMIN,
            library_strings.AXES,
        )
        for message in strings
        if message not in UNCHANGED_IN_DUTCH
    ],
)
def test_library_strings_have_a_dutch_translation(message):
    with translation.override("nl"):
        assert translation.gettext(message) != message


@pytest.mark.parametrize("message", library_strings.DJANGO_ADMIN_WITHOUT_ARTICLE)
def test_admin_save_messages_use_our_wording_without_an_article(message):
    with translation.override("nl"):
        dutch = translation.gettext(message)
    assert dutch != message
    assert not dutch.startswith("De ")


@pytest.mark.parametrize("password", ["kort", "Kinder-rec"])
def test_a_too_short_password_is_refused_in_dutch(password):
    """Django 5.2 reworded this message, and its Dutch catalogue lost the translation."""
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        password_validation.validate_password(password)
    assert refused.value.messages == [
        "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten."
    ]


def test_the_admin_index_speaks_dutch_to_screen_readers_too(admin_client, seeded):
    text = visible_text(admin_client.get("/admin/", headers={"accept-language": "nl"}))
    for english in ["Model name", "Add link", "Access attempts", "Access logs"]:
        assert english not in text
    assert "Aanmeldpogingen" in text


def test_the_admins_javascript_strings_are_dutch_too(admin_client, seeded):
    """The permission chooser's instructions, which Django's own Dutch catalog lacks."""
    from django.urls import reverse

    catalog = admin_client.get(reverse("admin:jsi18n"), headers={"accept-language": "nl"})
    text = catalog.content.decode()
    assert "Kies %s door ze te selecteren" in text
    assert "Alle %s verwijderen" in text


def test_admin_messages_need_no_article_before_the_model_name(admin_client, seeded):
    """Django's Dutch says "De collectief"; the collective is a het-word."""
    from django.urls import reverse

    from collective.models import Collective
    from tests.editing.conftest import form_data

    url = reverse("admin:collective_collective_change", args=[Collective.load().pk])
    data = form_data(admin_client.get(url))
    saved = admin_client.post(url, {**data, "_save": "x"}, follow=True)
    text = visible_text(saved)
    assert (
        "Kinderrechtencollectief \N{RIGHT SINGLE QUOTATION MARK} (collectief) is gewijzigd." in text
    )
    assert "De collectief" not in text


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/nl/leden/", "/nl/wie-zijn-wij/#members-heading"),
        ("/en/members/", "/en/who-are-we/#members-heading"),
        ("/nl/adviseur/", "/nl/wie-zijn-wij/#advisors-heading"),
        ("/en/advisor/", "/en/who-are-we/#advisors-heading"),
    ],
)
def test_an_address_shortened_to_the_list_leads_to_its_section(client, seeded, path, location):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == location


def test_a_missing_pages_language_links_lead_to_who_are_we(client, seeded):
    response = client.get("/en/members/nobody/")
    assert response.status_code == 404
    switcher = {a["hreflang"]: a["href"] for a in elements(response, "a") if a.get("hreflang")}
    assert switcher == {
        "nl": "http://testserver/nl/wie-zijn-wij/",
        "en": "http://testserver/en/who-are-we/",
    }
    assert "Page not found" in visible_text(response)
    assert not elements(response, "a", **{"aria-current": "page"}), "no link is this page"


@pytest.mark.parametrize("form", ["group", "user"])
def test_permissions_are_named_in_dutch_without_history_records(admin_client, seeded, form):
    from django.contrib.auth.models import Group, User
    from django.urls import reverse

    obj = Group.objects.get(name="Editors") if form == "group" else User.objects.get()
    page = admin_client.get(reverse(f"admin:auth_{form}_change", args=[obj.pk]))
    text = visible_text(page)
    assert "Organisaties | lidorganisatie | Kan wijzigen" in text
    assert "| Kan inhoud vertalen" in text
    assert "Can " not in text
    assert "Organisaties | geschiedenis van lidorganisatie | Kan bekijken" in text
    assert "historical" not in text


def test_saving_a_group_keeps_every_permission_it_had(admin_client, seeded):
    from django.contrib.auth.models import Group, Permission
    from django.urls import reverse

    editors = Group.objects.get(name="Editors")
    kept = Permission.objects.get(codename="view_historicalmemberorganization")
    editors.permissions.add(kept)
    url = reverse("admin:auth_group_change", args=[editors.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {"name": "Editors", "permissions": [str(pk) for pk in form["permissions"].value()]}
    assert admin_client.post(url, {**data, "_save": "x"}).status_code == 302
    assert kept in editors.permissions.all()


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/?utm_source=nieuwsbrief", "/nl/wie-zijn-wij/?utm_source=nieuwsbrief"),
        ("/leden/njr/?utm_source=nieuwsbrief", "/nl/leden/njr/?utm_source=nieuwsbrief"),
    ],
)
def test_language_redirects_keep_the_query_string(client, seeded, path, location):
    response = client.get(path, headers={"accept-language": "nl"})
    assert response.status_code == 302
    assert response["Location"] == location


@pytest.mark.parametrize(
    ("typed", "page"),
    [
        ("/nl/Wie-Zijn-Wij/", "/nl/wie-zijn-wij/"),
        ("/EN/WHO-ARE-WE/?utm_source=flyer", "/en/who-are-we/?utm_source=flyer"),
        ("/NL/LEDEN/NJR/", "/nl/leden/njr/"),
        ("/WIE-ZIJN-WIJ/", "/wie-zijn-wij/"),
    ],
)
def test_a_page_address_typed_with_capitals_redirects_to_it(client, seeded, typed, page):
    response = client.get(typed)
    assert response.status_code == 301
    assert response["Location"] == page
    assert client.get(response["Location"], follow=True).status_code == 200


@pytest.mark.parametrize("path", ["/nl/Niets/", "/ADMIN/", "/MEDIA/logos/x.png"])
def test_capitals_in_an_address_that_is_no_page_in_lower_case_are_a_404(client, seeded, path):
    assert client.get(path).status_code == 404


def test_a_form_sent_to_an_address_with_capitals_is_not_redirected(client, seeded):
    assert client.post("/nl/Wie-Zijn-Wij/").status_code == 404


@pytest.mark.parametrize(
    ("typed", "page"),
    [
        ("/en/leden/njr/", "/en/members/njr/"),
        ("/nl/who-are-we/", "/nl/wie-zijn-wij/"),
        ("/nl/advisor/nederlands-jeugdinstituut/", "/nl/adviseur/nederlands-jeugdinstituut/"),
        ("/en/Wie-Zijn-Wij/?ref=x", "/en/who-are-we/?ref=x"),
    ],
)
def test_a_page_path_in_the_other_language_redirects_to_the_page_in_this_one(
    client, seeded, typed, page
):
    response = client.get(typed)
    assert response.status_code == 301
    assert response["Location"] == page
    assert client.get(page).status_code == 200


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/admin/organizations/memberorganization/add/", "Lidorganisatie toevoegen"),
        ("/admin/auth/user/add/", "Gebruiker toevoegen"),
    ],
)
def test_admin_headings_start_with_a_capital(admin_client, seeded, url, heading):
    response = admin_client.get(url)
    assert f"<h1>{heading}</h1>" in response.content.decode()
    assert f"<title>{heading} |" in response.content.decode()


def test_the_user_form_speaks_dutch(admin_client, seeded):
    text = visible_text(admin_client.get("/admin/auth/user/add/"))
    assert "Nadat u een gebruiker hebt aangemaakt" in text
    assert "After you" not in text


def test_saving_and_continuing_says_so_without_a_pronoun(admin_client, seeded):
    from organizations.models import MemberOrganization
    from tests.editing.conftest import change_url, form_data

    njr = MemberOrganization.objects.get(slug="njr")
    data = {**form_data(admin_client.get(change_url(njr))), "description_nl": "Anders."}
    saved = admin_client.post(change_url(njr), {**data, "_continue": "x"}, follow=True)
    assert "U kunt hieronder verder bewerken." in visible_text(saved)


def test_a_slug_another_page_has_is_refused_in_plain_dutch(admin_client, seeded):
    from django.urls import reverse

    response = admin_client.post(
        reverse("admin:organizations_memberorganization_add"),
        {"name_nl": "Nog een NJR", "slug": "njr", "position": "1", "_save": "x"},
    )
    assert response.status_code == 200
    text = visible_text(response)
    assert "Een andere pagina heeft dit adres al; kies een ander." in text
    assert "eenzelfde" not in text


@pytest.mark.parametrize("catalog", ["django.po", "djangojs.po"])
def test_our_catalogues_pass_gettexts_own_check(catalog):
    """A message defined twice compiles with the toolkit, but gettext refuses the file."""
    from pathlib import Path

    from tests.quality import msgfmt_check

    path = Path(__file__).resolve().parents[1] / "collective/locale/nl/LC_MESSAGES" / catalog
    assert msgfmt_check(path) == (0, "")


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    ("typed", "page"),
    [
        ("/nl/Wie-Zijn-Wij/", "/nl/wie-zijn-wij/"),
        ("/nl/WIE-ZIJN-WIJ", "/nl/wie-zijn-wij/"),
        ("/NL/", "/nl/"),
        ("/en/leden/njr/", "/en/members/njr/"),
    ],
)
def test_addresses_meaning_a_page_redirect_with_debug_on_too(
    client, seeded, settings, debug, typed, page
):
    """`make run` serves with DEBUG on, where Django's own 404 page replaces the handler."""
    settings.DEBUG = debug
    response = client.get(typed)
    assert response.status_code == 301
    assert response["Location"] == page


@pytest.mark.parametrize(
    "path",
    ["/NL/LEDEN/NIEMAND/", "/en/leden/niemand/", "/nl/advisor/niemand/", "/nl/Niets"],
)
def test_an_address_that_would_lead_to_no_page_stays_a_404(client, seeded, path):
    assert client.get(path).status_code == 404


def test_a_former_slug_typed_with_capitals_still_leads_to_the_page(client, seeded):
    from organizations.models import MemberOrganization

    njr = MemberOrganization.objects.get(slug="njr")
    njr.slug = "nationale-jeugdraad"
    njr.save()
    response = client.get("/NL/LEDEN/NJR/", follow=True)
    assert response.redirect_chain[-1][0] == "/nl/leden/nationale-jeugdraad/"
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "queries"),
    [("/nl/leden/niemand/", 2), ("/nl/Niets/", 0), ("/en/leden/niemand/", 2)],
)
def test_a_404_asks_the_database_only_what_it_must(
    client, seeded, django_assert_max_num_queries, path, queries
):
    """The page's own lookups (a member, its former address), and none again to find out
    whether the address means another page; in the other language, that page's two."""
    with django_assert_max_num_queries(queries):
        assert client.get(path).status_code == 404


def test_with_the_database_away_an_address_that_means_no_page_stays_a_404(
    client, seeded, monkeypatch
):
    from django.db import DatabaseError
    from django.db.models.query import QuerySet

    def away(*args, **kwargs):
        raise DatabaseError("the database is away")

    monkeypatch.setattr(QuerySet, "exists", away)
    assert client.get("/en/leden/njr/").status_code == 404
