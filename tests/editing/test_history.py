import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import date as format_date
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from organizations.models import MemberOrganization
from tests.editing.conftest import change_url, form_data
from tests.html import elements, visible_text


def edit(client, obj, **changes):
    data = {**form_data(client.get(change_url(obj))), **changes, "_save": "Opslaan"}
    return client.post(change_url(obj), data)


def test_admin_edits_are_recorded_with_user_and_both_languages(editor_client, editor, njr):
    edit(editor_client, njr, description_nl="Nieuw NL.", description_en="New EN.")
    record = njr.history.first()
    assert (record.description_nl, record.description_en) == ("Nieuw NL.", "New EN.")
    assert record.history_user == editor
    assert record.history_type == "~"


def test_history_page_shows_what_changed(editor_client, njr):
    edit(editor_client, njr, description_en="New EN.")
    url = reverse("admin:organizations_memberorganization_history", args=[njr.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert b"New EN." in response.content
    assert "Wijzigingen" in response.content.decode()


def test_restoring_brings_back_the_earlier_text_in_both_languages(editor_client, njr):
    original = (njr.description_nl, njr.description_en)
    first_version = njr.history.first()
    edit(editor_client, njr, description_nl="Fout NL.", description_en="Wrong EN.")
    url = reverse(
        "admin:organizations_memberorganization_simple_history",
        args=[njr.pk, first_version.history_id],
    )
    restore_form = form_data(editor_client.get(url))
    response = editor_client.post(url, {**restore_form, "_save": "Herstellen"})
    assert response.status_code == 302
    njr.refresh_from_db()
    assert (njr.description_nl, njr.description_en) == original


def test_a_restore_is_itself_recorded(editor_client, njr):
    first_version = njr.history.first()
    edit(editor_client, njr, description_en="Wrong EN.")
    url = reverse(
        "admin:organizations_memberorganization_simple_history",
        args=[njr.pk, first_version.history_id],
    )
    editor_client.post(url, {**form_data(editor_client.get(url)), "_save": "Herstellen"})
    latest = njr.history.first()
    local = timezone.localtime(first_version.history_date)
    assert latest.history_change_reason == (
        f"Hersteld naar de versie van {format_date(local, 'DATETIME_FORMAT')}"
    )
    assert local.utcoffset(), "the site's own time zone, not UTC"
    assert njr.history.count() == 3


def logo_upload(name, color):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue())


def test_restoring_an_old_version_keeps_the_current_logo(editor_client, njr, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    njr.logo = logo_upload("first.png", "red")
    njr.save()
    with_first_logo = njr.history.first()
    njr.logo = logo_upload("second.png", "blue")
    njr.save()
    current = njr.logo.name
    url = reverse(
        "admin:organizations_memberorganization_simple_history",
        args=[njr.pk, with_first_logo.history_id],
    )
    editor_client.post(url, {**form_data(editor_client.get(url)), "_save": "Herstellen"})
    njr.refresh_from_db()
    assert njr.logo.name == current
    assert (tmp_path / current).exists()


@pytest.mark.parametrize(
    "address",
    [
        "/admin/organizations/memberorganization/{pk}/history/abc/",
        "/admin/organizations/memberorganization/{pk}/history/99999999999999999999999/",
        "/admin/organizations/memberorganization/abc/history/1/",
        "/admin/organizations/memberorganization/abc/discard-draft/",
        "/admin/organizations/memberorganization/999999/discard-draft/",
    ],
)
def test_an_address_that_names_no_object_or_version_is_404(editor_client, njr, address):
    assert editor_client.get(address.format(pk=njr.pk)).status_code == 404


def test_a_restore_keeps_the_current_place_in_the_list(editor_client, njr):
    first_version = njr.history.first()
    MemberOrganization.objects.filter(pk=njr.pk).update(position=5)
    njr.refresh_from_db()
    njr.save()  # recorded with its new place
    url = reverse(
        "admin:organizations_memberorganization_simple_history",
        args=[njr.pk, first_version.history_id],
    )
    editor_client.post(url, {**form_data(editor_client.get(url)), "_save": "Herstellen"})
    njr.refresh_from_db()
    assert first_version.position != 5
    assert njr.position == 5


def test_history_names_each_change_once_and_shows_where_a_long_text_changed(editor_client, njr):
    opening = "Een lange beschrijving van de Nationale Jeugdraad, zin na zin. " * 4
    edit(editor_client, njr, description_nl=opening + "Oud slot.")
    edit(editor_client, njr, description_nl=opening + "Nieuw slot.")
    url = reverse("admin:organizations_memberorganization_history", args=[njr.pk])
    body = editor_client.get(url).content.decode()
    changes = [
        html.unescape(re.sub(r"<[^>]+>", "", item))
        for item in re.findall(r"<li><strong>.*?</li>", body, flags=re.DOTALL)
    ]
    newest = changes[0]
    assert newest.startswith("Beschrijving [nl]:")
    assert "Oud slot." in newest
    assert "Nieuw slot." in newest
    assert not [change for change in changes if change.startswith("Beschrijving:")]
    assert not [change for change in changes if change.startswith("Laatst gewijzigd")]


def test_admin_saves_store_line_breaks_as_the_seed_does(editor_client, njr):
    edit(editor_client, njr, description_en="First.\r\n\r\nSecond.")
    njr.refresh_from_db()
    assert njr.description_en == "First.\n\nSecond."


def test_the_restore_form_carries_the_version_it_was_opened_at(editor_client, njr):
    url = reverse(
        "admin:organizations_memberorganization_simple_history",
        args=[njr.pk, njr.history.first().history_id],
    )
    versions = elements(editor_client.get(url), "input", name="edit_version")
    njr.refresh_from_db()
    assert [field["value"] for field in versions] == [njr.updated_at.isoformat()]


def test_a_changed_logo_is_named_by_its_file_name(editor_client, njr, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    njr.logo = logo_upload("first.png", "red")
    njr.save()
    njr.logo = logo_upload("second.png", "blue")
    njr.save()
    url = reverse("admin:organizations_memberorganization_history", args=[njr.pk])
    text = visible_text(editor_client.get(url))
    assert "Logo: geen bestand → first.png" in text
    assert "Logo: first.png → second.png" in text
    assert "logos/" not in text


def test_the_restore_form_offers_no_logo_upload_and_says_the_logo_stays(editor_client, njr):
    version = njr.history.first()
    url = reverse(
        "admin:organizations_memberorganization_simple_history", args=[njr.pk, version.history_id]
    )
    response = editor_client.get(url)
    assert "logo" not in response.context["adminform"].form.fields
    assert not elements(response, "input", type="file")
    assert "Het huidige logo blijft zoals het is" in visible_text(response)


def test_a_restore_says_it_restored_and_shows_the_restored_form(editor_client, njr):
    first_version = njr.history.first()
    edit(editor_client, njr, description_en="Wrong EN.")
    url = reverse(
        "admin:organizations_memberorganization_simple_history",
        args=[njr.pk, first_version.history_id],
    )
    response = editor_client.post(
        url, {**form_data(editor_client.get(url)), "_save": "Herstellen"}, follow=True
    )
    assert response.redirect_chain[-1][0] == change_url(njr)
    local = format_date(timezone.localtime(first_version.history_date), "DATETIME_FORMAT")
    assert f"“NJR” is hersteld naar de versie van {local}." in visible_text(response)
    assert "is gewijzigd" not in visible_text(response)


def test_saving_an_unchanged_form_records_nothing(editor_client, njr):
    before = (njr.history.count(), njr.updated_at)
    data = form_data(editor_client.get(change_url(njr)))
    assert editor_client.post(change_url(njr), {**data, "_save": "x"}).status_code == 302
    njr.refresh_from_db()
    assert (njr.history.count(), njr.updated_at) == before


def test_a_deleted_members_history_is_kept_to_read_without_dead_restore_links(admin_client, njr):
    edit(admin_client, njr, description_en="New EN.")
    admin_client.get(reverse("admin:index"))  # shows, and so ends, the save's message
    versions = list(njr.history.values_list("history_id", flat=True))
    pk = njr.pk
    njr.delete()
    url = reverse("admin:organizations_memberorganization_history", args=[pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    text = visible_text(response)
    assert "Deze lidorganisatie is verwijderd" in text
    assert "Kies een datum" not in text
    restore_links = [a for a in elements(response, "a") if "/history/" in a.get("href", "")]
    assert restore_links == []
    dead = [a for a in elements(response, "a") if a.get("href", "").endswith(f"/{pk}/change/")]
    assert dead == [], "the breadcrumbs name it without linking to its form"
    assert "New EN." in text
    for version in versions:
        restore = f"/admin/organizations/memberorganization/{pk}/history/{version}/"
        assert admin_client.get(restore).status_code == 404


def test_a_live_members_history_still_links_its_versions(admin_client, njr):
    edit(admin_client, njr, description_en="New EN.")
    url = reverse("admin:organizations_memberorganization_history", args=[njr.pk])
    links = [a for a in elements(admin_client.get(url), "a") if "/history/" in a.get("href", "")]
    assert len(links) == njr.history.count()


@pytest.mark.parametrize("bulk", [False, True])
def test_deleting_says_it_is_final_and_what_to_do_instead(admin_client, njr, bulk):
    if bulk:
        response = admin_client.post(
            reverse("admin:organizations_memberorganization_changelist"),
            {"action": "delete_selected", "_selected_action": [njr.pk]},
        )
    else:
        response = admin_client.get(
            reverse("admin:organizations_memberorganization_delete", args=[njr.pk])
        )
    text = visible_text(response)
    assert "Verwijderen is definitief." in text
    assert "zet dan “gepubliceerd” uit" in text


def test_the_history_table_and_the_restore_forms_language_switch_can_be_used_by_keyboard(
    admin_client, njr
):
    edit(admin_client, njr, description_en="New EN.")
    url = reverse("admin:organizations_memberorganization_history", args=[njr.pk])
    [region] = elements(admin_client.get(url), "div", **{"class": "table-scroll"})
    assert (region["role"], region["tabindex"], region["aria-label"]) == ("region", "0", "Versies")
    version = njr.history.last().history_id
    restore = admin_client.get(f"{url}{version}/")
    assert elements(restore, "span", id="translation-switch-label")


@pytest.mark.parametrize("model", ["memberorganization", "collective"])
def test_a_translator_may_read_old_versions_but_not_restore_them(translator_client, seeded, model):
    """Restoring writes Dutch texts, addresses and publication: an editor's work only."""
    obj = njr_or_collective(model)
    before = obj.history.count()
    version = obj.history.last()
    url = reverse(
        f"admin:{obj._meta.app_label}_{model}_simple_history", args=[obj.pk, version.history_id]
    )
    shown = translator_client.get(url)
    assert shown.status_code == 200
    assert not elements(shown, "input", name="_save"), "no restore button"

    response = translator_client.post(url, {"name_nl": "Gewijzigd", "slug": "gewijzigd"})
    assert response.status_code == 403
    obj.refresh_from_db()
    assert obj.name_nl != "Gewijzigd"
    assert obj.history.count() == before


def njr_or_collective(model):
    from collective.models import Collective

    if model == "collective":
        return Collective.objects.get()
    return MemberOrganization.objects.get(slug="njr")


def test_the_restore_forms_breadcrumbs_name_the_section_and_list_as_elsewhere(editor_client, njr):
    version = njr.history.last()
    url = reverse(
        "admin:organizations_memberorganization_simple_history", args=[njr.pk, version.history_id]
    )
    text = visible_text(editor_client.get(url))
    trail = ["Voorpagina", "Organisaties", "Lidorganisaties", "NJR", "Geschiedenis"]
    assert (
        " \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} ".join([*trail, "NJR herstellen"]) in text
    )
    assert "Historical" not in text
    assert "Organizations" not in text


def test_the_restore_form_marks_no_translation_by_todays_source_text(editor_client, njr):
    """The form shows an old version, whose English was made from its own Dutch text."""
    from collective.translations import status

    version = njr.history.first()
    edit(editor_client, njr, description_nl="Nieuwe tekst.", description_en="New text.")
    url = reverse(
        "admin:organizations_memberorganization_simple_history", args=[njr.pk, version.history_id]
    )
    restore_form = editor_client.get(url)
    assert not elements(restore_form, "textarea", **{"data-translation-state": "outdated"})
    assert "Verouderd" not in visible_text(restore_form)

    editor_client.post(url, {**form_data(restore_form), "_save": "Herstellen"})
    njr.refresh_from_db()
    assert njr.description_nl == version.description_nl
    assert status.status_for(njr)[("description", "en")].state == status.COMPLETE


def test_the_history_page_reads_who_made_each_version_in_one_query(
    editor_client, njr, django_user_model, django_assert_max_num_queries
):
    for number in range(60):
        njr._history_user = django_user_model.objects.create(username=f"editor-{number}")
        njr.description_en = f"Version {number}."
        njr.save()
    url = reverse("admin:organizations_memberorganization_history", args=[njr.pk])
    with django_assert_max_num_queries(20):
        response = editor_client.get(url)
    assert response.status_code == 200
    assert "editor-0" in response.content.decode()
    assert "editor-59" in response.content.decode()


def test_naming_who_saved_meanwhile_reads_them_in_the_same_query(
    njr, django_user_model, django_assert_max_num_queries
):
    from collective.editing.history import changes_since

    version = njr.updated_at
    for number in range(6):
        njr._history_user = django_user_model.objects.create_user(f"editor{number}")
        njr.description_en = f"Version {number}."
        njr.save()

    with django_assert_max_num_queries(2):
        changes, users = changes_since(njr, version)

    assert users == [f"editor{number}" for number in range(6)]
    assert changes
