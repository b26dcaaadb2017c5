import re

import pytest
from django.urls import reverse

from collective.translations import status
from organizations.models import MemberOrganization
from tests.html import elements, visible_text
from tests.translations.conftest import change_source


def translate_url(obj, language="en"):
    return reverse(
        "translations:translate",
        args=[obj._meta.app_label, obj._meta.model_name, obj.pk, language],
    )


def shown_fields(response):
    return [
        tag["name"]
        for tag in elements(response, "textarea") + elements(response, "input", type="text")
    ]


def test_shows_only_fields_that_need_work(admin_client, outdated_njr):
    response = admin_client.get(translate_url(outdated_njr))
    assert response.status_code == 200
    assert shown_fields(response) == ["description"]


def test_each_heading_names_the_field_and_its_state_without_a_language_suffix(
    admin_client, outdated_njr
):
    response = admin_client.get(translate_url(outdated_njr))
    heading = re.search(r'<h2 id="heading-description">(.*?)</h2>', response.content.decode())
    assert heading.group(1) == "Beschrijving — verouderd"


def test_show_all_lists_every_translated_field(admin_client, outdated_njr):
    response = admin_client.get(translate_url(outdated_njr), {"all": "1"})
    assert sorted(shown_fields(response)) == ["description", "name"]


def test_shows_the_source_read_only_with_a_word_diff(admin_client, outdated_njr):
    response = admin_client.get(translate_url(outdated_njr))
    source_blocks = elements(response, "div", lang="nl")
    assert source_blocks, "the source is marked as Dutch"
    assert b"<ins> Sinds 2020 ook in Caribisch Nederland.</ins>" in response.content


def test_saving_writes_only_the_target_language(admin_client, outdated_njr):
    dutch_before = outdated_njr.description_nl
    response = admin_client.post(
        translate_url(outdated_njr), {"description": "Updated English.", "save": "Save"}
    )
    assert response.status_code == 302
    outdated_njr.refresh_from_db()
    assert outdated_njr.description_en == "Updated English."
    assert outdated_njr.description_nl == dutch_before
    assert status.status_for(outdated_njr)[("description", "en")].state == status.COMPLETE


def test_confirm_keeps_the_text_and_clears_outdated(admin_client, outdated_njr):
    english = outdated_njr.description_en
    admin_client.post(
        translate_url(outdated_njr), {"description": english, "confirm": "description"}
    )
    outdated_njr.refresh_from_db()
    assert outdated_njr.description_en == english
    assert status.status_for(outdated_njr)[("description", "en")].state == status.COMPLETE


def test_confirm_also_keeps_text_typed_before_pressing_it(admin_client, outdated_njr):
    admin_client.post(
        translate_url(outdated_njr), {"description": "Typed first.", "confirm": "description"}
    )
    outdated_njr.refresh_from_db()
    assert outdated_njr.description_en == "Typed first."


@pytest.fixture
def untranslated_unicef(seeded):
    MemberOrganization.objects.filter(slug="unicef-nederland").update(description_en="")
    return MemberOrganization.objects.get(slug="unicef-nederland")


def test_links_to_the_next_object_with_work(admin_client, outdated_njr, untranslated_unicef):
    response = admin_client.get(translate_url(outdated_njr))
    assert elements(response, "a", rel="next")[0]["href"] == translate_url(untranslated_unicef)
    assert elements(response, "a", rel="prev") == []


def test_save_and_next_goes_to_the_next_object(admin_client, outdated_njr, untranslated_unicef):
    response = admin_client.post(
        translate_url(outdated_njr), {"description": "Done.", "save": "next"}
    )
    assert response["Location"] == translate_url(untranslated_unicef)


def test_a_field_without_source_text_is_not_offered_for_translation(admin_client, seeded):
    terre_des_hommes = MemberOrganization.objects.get(slug="terre-des-hommes")
    response = admin_client.get(translate_url(terre_des_hommes))
    assert shown_fields(response) == []
    assert "beschrijving heeft geen brontekst om uit te vertalen" in visible_text(response)


def test_too_long_text_is_a_form_error_and_nothing_is_saved(admin_client, njr):
    response = admin_client.post(translate_url(njr), {"name": "x" * 500, "save": "Save"})
    assert response.status_code == 200
    njr.refresh_from_db()
    assert njr.name_en == "NJR"


@pytest.mark.parametrize(
    "forbidden",
    [
        {"description_nl": "Bron overschreven"},
        {"logo": "x"},
        {"website": "https://evil.example/"},
        {"slug": "other"},
        {"is_published": ""},
        {"position": "1"},
    ],
)
def test_translator_cannot_touch_anything_but_target_text(translator_client, njr, forbidden):
    before = MemberOrganization.objects.filter(pk=njr.pk).values().get()
    response = translator_client.post(translate_url(njr), {"description": "Fine.", **forbidden})
    assert response.status_code == 403
    assert MemberOrganization.objects.filter(pk=njr.pk).values().get() == before


def test_translator_can_translate(translator_client, outdated_njr):
    response = translator_client.post(
        translate_url(outdated_njr), {"description": "By a translator.", "save": "Save"}
    )
    assert response.status_code == 302
    outdated_njr.refresh_from_db()
    assert outdated_njr.description_en == "By a translator."


def test_source_language_has_no_translator_view(admin_client, njr):
    assert admin_client.get(translate_url(njr, "nl")).status_code == 404


@pytest.mark.parametrize("path", ["organizations/nothing/1/en/", "auth/user/1/en/"])
def test_unknown_or_untranslated_models_are_404(admin_client, seeded, path):
    assert admin_client.get(f"/admin/translations/{path}").status_code == 404


def test_visitors_are_sent_to_the_login(client, njr):
    response = client.get(translate_url(njr))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("pk", [999999, 10**30])
def test_visitors_cannot_tell_which_objects_exist(client, njr, pk):
    response = client.get(translate_url(njr).replace(f"/{njr.pk}/", f"/{pk}/"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_the_translate_permission_get_403(client, njr, django_user_model):
    user = django_user_model.objects.create_user("staff", password="x-long-password", is_staff=True)
    client.force_login(user)
    assert client.get(translate_url(njr)).status_code == 403


def test_page_is_in_dutch_for_dutch_staff(admin_client, outdated_njr):
    text = visible_text(admin_client.get(translate_url(outdated_njr)))
    assert "Bevestigen: nog steeds juist" in text


def test_saving_a_translation_updates_the_last_changed_time(admin_client, njr):
    before = njr.updated_at
    admin_client.post(translate_url(njr), {"name": "NJR (Dutch youth council)", "save": "Save"})
    njr.refresh_from_db()
    assert njr.updated_at > before


def opened_form(client, obj):
    """What the translator view posts back as the page showed it (every field)."""
    response = client.get(translate_url(obj), {"all": "1"})
    form = response.context["form"]
    return {name: form[name].value() for name in form.fields}


def test_a_save_leaves_alone_what_someone_else_changed_since(admin_client, njr):
    opened = opened_form(admin_client, njr)
    MemberOrganization.objects.filter(pk=njr.pk).update(description_en="The editor's fix.")

    response = admin_client.post(
        translate_url(njr), {**opened, "name": "NJR (youth council)", "save": "Save"}
    )

    assert response.status_code == 302
    njr.refresh_from_db()
    assert (njr.name_en, njr.description_en) == ("NJR (youth council)", "The editor's fix.")


def test_a_text_both_changed_is_refused_with_theirs_shown_and_mine_kept(admin_client, njr):
    opened = opened_form(admin_client, njr)
    MemberOrganization.objects.filter(pk=njr.pk).update(
        name_en="Their name.", description_en="Their text."
    )

    refused = admin_client.post(
        translate_url(njr), {**opened, "description": "My text.", "save": "Save"}
    )

    assert refused.status_code == 200
    assert "Iemand anders heeft deze vertaling gewijzigd" in visible_text(refused)
    assert "Er staat nu: “Their text.”" in visible_text(refused)
    form = refused.context["form"]
    assert form["description"].value() == "My text."
    assert form["name"].value() == "Their name.", "an untouched field shows the stored text"
    njr.refresh_from_db()
    assert njr.description_en == "Their text."

    again = {name: form[name].value() for name in form.fields}
    assert admin_client.post(translate_url(njr), {**again, "save": "Save"}).status_code == 302
    njr.refresh_from_db()
    assert (njr.name_en, njr.description_en) == ("Their name.", "My text.")


def test_confirming_checks_the_source_text_the_page_showed(admin_client, outdated_njr):
    opened = opened_form(admin_client, outdated_njr)
    change_source(outdated_njr, "description", "Weer een andere Nederlandse tekst.")

    response = admin_client.post(
        translate_url(outdated_njr), {**opened, "confirm": "description"}, follow=True
    )

    assert "De brontekst is opnieuw gewijzigd" in visible_text(response)
    outdated_njr.refresh_from_db()
    assert status.status_for(outdated_njr)[("description", "en")].state == status.OUTDATED


def test_a_translation_of_a_source_changed_since_the_page_opened_is_not_saved_unseen(
    admin_client, outdated_njr
):
    """Saved as it was, it would count as made from a source text the translator never saw."""
    opened = opened_form(admin_client, outdated_njr)
    change_source(outdated_njr, "description", outdated_njr.description_nl + " Nog een zin.")

    refused = admin_client.post(
        translate_url(outdated_njr), {**opened, "description": "My text.", "save": "Save"}
    )

    assert refused.status_code == 200
    assert "De brontekst is gewijzigd nadat u de pagina opende" in visible_text(refused)
    assert re.search(r"<ins>[^<]*Nog een zin\.</ins>", refused.content.decode()), "change shown"
    form = refused.context["form"]
    assert form["description"].value() == "My text.", "what the translator typed is kept"
    outdated_njr.refresh_from_db()
    assert outdated_njr.description_en != "My text."
    assert status.status_for(outdated_njr)[("description", "en")].state == status.OUTDATED

    again = {name: form[name].value() for name in form.fields}
    saved = admin_client.post(translate_url(outdated_njr), {**again, "save": "Save"})
    assert saved.status_code == 302
    outdated_njr.refresh_from_db()
    assert outdated_njr.description_en == "My text."
    assert status.status_for(outdated_njr)[("description", "en")].state == status.COMPLETE


def test_a_field_without_source_text_cannot_be_filled_in(translator_client, seeded):
    terre = MemberOrganization.objects.get(slug="terre-des-hommes")
    page = translator_client.get(translate_url(terre), {"all": "1"})
    assert page.context["form"]["description"].field.disabled

    form = page.context["form"]
    opened = {name: form[name].value() for name in form.fields}
    response = translator_client.post(
        translate_url(terre) + "?all=1", {**opened, "description": "Invented.", "save": "Save"}
    )
    assert response.status_code == 302
    terre.refresh_from_db()
    assert not terre.description_en


def test_saving_without_a_change_says_so(admin_client, njr):
    opened = opened_form(admin_client, njr)
    response = admin_client.post(translate_url(njr), {**opened, "save": "Save"}, follow=True)
    assert "Geen velden gewijzigd." in visible_text(response)


def test_a_translation_typed_for_an_object_deleted_meanwhile_is_given_back(
    translator_client, outdated_njr, admin_user
):
    from django.test import Client

    url = translate_url(outdated_njr)
    assert translator_client.get(url).status_code == 200
    other = Client()
    other.force_login(admin_user)
    delete_url = reverse("admin:organizations_memberorganization_delete", args=[outdated_njr.pk])
    assert other.post(delete_url, {"post": "yes"}).status_code == 302

    typed = "A long English text the translator typed."
    response = translator_client.post(url, {"description": typed, "save": "Save"})
    assert response.status_code == 410
    text = visible_text(response)
    assert f"{admin_user} heeft “NJR” op " in text
    assert "Beschrijving [en]" in text
    assert typed in text
    assert translator_client.get(url).status_code == 404


def test_a_save_for_an_object_that_never_existed_is_404(translator_client, seeded):
    url = reverse(
        "translations:translate", args=["organizations", "memberorganization", 987654, "en"]
    )
    response = translator_client.post(url, {"description": "Text.", "save": "Save"})
    assert response.status_code == 404


def test_the_text_box_is_tall_enough_for_the_source_and_its_translation(admin_client, seeded):
    njr = MemberOrganization.objects.get(slug="njr")
    short = admin_client.get(translate_url(njr) + "?all=1")
    change_source(njr, "description", "\n\n".join([njr.description_nl] * 4))
    long = admin_client.get(translate_url(njr))

    def rows(response):
        return int(elements(response, "textarea", name="description")[0]["rows"])

    assert rows(short) >= 4
    assert rows(long) > rows(short) + 4, "four times the source, a taller box"
    assert rows(long) <= 20, "never taller than a screen"


def test_a_paragraph_split_in_the_source_is_marked_in_the_diff(admin_client, seeded):
    njr = MemberOrganization.objects.get(slug="njr")
    first, rest = njr.description_nl.split(". ", 1)
    change_source(njr, "description", f"{first}.\n\n{rest}")

    response = admin_client.get(translate_url(njr))

    marks = [tag for tag in elements(response, "ins") if tag.get("class") == "diff-break"]
    assert len(marks) == 1
    assert "¶ (nieuwe alinea)" in visible_text(response)
