import datetime

import pytest
from django import forms
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from collective.editing.forms import ConcurrentEditForm
from organizations.models import MemberOrganization
from tests.editing.conftest import change_url, form_data
from tests.html import elements, visible_text
from tests.organizations.test_images import image_upload


def test_second_save_is_refused_and_keeps_the_second_editors_input(editor_client, njr, admin_user):
    first, second = editor_client, Client()
    second.force_login(admin_user)
    first_form = form_data(first.get(change_url(njr)))
    second_form = form_data(second.get(change_url(njr)))

    saved = first.post(
        change_url(njr), {**first_form, "description_en": "First editor.", "_save": "x"}
    )
    assert saved.status_code == 302

    refused = second.post(
        change_url(njr), {**second_form, "description_en": "Second editor.", "_save": "x"}
    )
    assert refused.status_code == 200
    text = visible_text(refused)
    assert "Iemand anders (redacteur) heeft dit opgeslagen" in text
    assert "First editor." in text, "the message shows what changed in the meantime"
    assert refused.context["adminform"].form["description_en"].value() == "Second editor."
    njr.refresh_from_db()
    assert njr.description_en == "First editor."


def test_saving_again_after_the_warning_goes_through(editor_client, njr, admin_user):
    client = Client()
    client.force_login(admin_user)
    stale = form_data(client.get(change_url(njr)))
    theirs = {**form_data(editor_client.get(change_url(njr))), "description_en": "Theirs."}
    editor_client.post(change_url(njr), {**theirs, "_save": "x"})
    refused = client.post(change_url(njr), {**stale, "description_en": "Mine.", "_save": "x"})
    assert refused.status_code == 200
    retry = client.post(change_url(njr), {**form_data(refused), "_save": "x"})
    assert retry.status_code == 302
    njr.refresh_from_db()
    assert njr.description_en == "Mine."


def test_a_save_by_someone_else_that_changed_nothing_does_not_refuse(
    editor_client, njr, admin_user
):
    client = Client()
    client.force_login(admin_user)
    stale = form_data(client.get(change_url(njr)))
    unchanged = form_data(editor_client.get(change_url(njr)))
    assert editor_client.post(change_url(njr), {**unchanged, "_continue": "x"}).status_code == 302
    mine = {**stale, "website": "https://mine.example/", "_save": "x"}
    assert client.post(change_url(njr), mine).status_code == 302


def test_a_double_submit_is_not_called_someone_elses_save(editor_client, njr):
    form = {**form_data(editor_client.get(change_url(njr))), "website": "https://x.example/"}
    assert editor_client.post(change_url(njr), {**form, "_save": "x"}).status_code == 302
    assert editor_client.post(change_url(njr), {**form, "_save": "x"}).status_code == 302
    njr.refresh_from_db()
    assert njr.website == "https://x.example/"


def test_an_ordinary_save_is_not_refused(editor_client, njr):
    data = form_data(editor_client.get(change_url(njr)))
    response = editor_client.post(
        change_url(njr), {**data, "description_en": "Fine.", "_save": "x"}
    )
    assert response.status_code == 302


def _conflict(njr, admin_user, editor_client, theirs, mine):
    """The other editor saves `theirs`; then this editor, who opened the form first, saves `mine`.

    Returns this editor's client and the refused response.
    """
    client = Client()
    client.force_login(admin_user)
    stale = form_data(client.get(change_url(njr)))
    other = {**form_data(editor_client.get(change_url(njr))), **theirs, "_save": "x"}
    if theirs.get("is_published") is False:
        del other["is_published"]
    assert editor_client.post(change_url(njr), other).status_code == 302
    refused = client.post(change_url(njr), {**stale, **mine, "_save": "x"})
    assert refused.status_code == 200
    return client, refused


def test_saving_again_keeps_the_other_editors_changes_to_fields_left_alone(
    editor_client, njr, admin_user
):
    client, refused = _conflict(
        njr,
        admin_user,
        editor_client,
        theirs={"description_en": "Theirs.", "is_published": False, "left": "2024-05-01"},
        mine={"website": "https://mine.example/"},
    )
    form = refused.context["adminform"].form
    assert form["description_en"].value() == "Theirs."
    assert form["website"].value() == "https://mine.example/"

    retry = client.post(change_url(njr), {**form_data(refused), "_save": "x"})
    assert retry.status_code == 302
    njr.refresh_from_db()
    assert njr.website == "https://mine.example/"
    assert njr.description_en == "Theirs."
    assert njr.is_published is False
    assert str(njr.left) == "2024-05-01"


def test_a_field_both_changed_keeps_this_editors_input_and_says_so(editor_client, njr, admin_user):
    client, refused = _conflict(
        njr,
        admin_user,
        editor_client,
        theirs={"description_en": "Theirs."},
        mine={"description_en": "Mine."},
    )
    assert refused.context["adminform"].form["description_en"].value() == "Mine."
    assert "U wijzigde dit ook: het formulier houdt uw versie." in visible_text(refused)
    client.post(change_url(njr), {**form_data(refused), "_save": "x"})
    njr.refresh_from_db()
    assert njr.description_en == "Mine."


def test_a_change_at_the_end_of_a_long_text_is_shown(editor_client, njr, admin_user):
    opening = "The Dutch Youth Council gives young people a voice in politics and society. " * 3
    njr.description_en = opening + "Old ending."
    njr.save()
    _, refused = _conflict(
        njr,
        admin_user,
        editor_client,
        theirs={"description_en": opening + "New ending."},
        mine={"website": "https://mine.example/"},
    )
    message = " ".join(error for error in refused.context["adminform"].form.non_field_errors())
    assert "Old ending." in message
    assert "New ending." in message


def browser_post(data):
    """Form data as a browser sends it: a textarea's line breaks as CRLF."""
    return {
        name: value.replace("\r\n", "\n").replace("\n", "\r\n") if isinstance(value, str) else value
        for name, value in data.items()
    }


def test_a_long_text_this_editor_did_not_touch_takes_the_other_editors_version(
    editor_client, njr, admin_user
):
    njr.description_en = "First paragraph.\n\nSecond paragraph."
    njr.save()
    client = Client()
    client.force_login(admin_user)
    stale = browser_post(form_data(client.get(change_url(njr))))
    theirs = {**form_data(editor_client.get(change_url(njr))), "_save": "x"}
    theirs["description_en"] = "Their first.\r\n\r\nTheir second."
    assert editor_client.post(change_url(njr), theirs).status_code == 302

    refused = client.post(
        change_url(njr), {**stale, "website": "https://mine.example/", "_save": "x"}
    )
    assert "U wijzigde dit ook" not in visible_text(refused)
    client.post(change_url(njr), {**browser_post(form_data(refused)), "_save": "x"})
    njr.refresh_from_db()
    assert njr.description_en == "Their first.\n\nTheir second."
    assert njr.website == "https://mine.example/"


def test_a_restore_refused_for_a_newer_save_takes_that_save_into_the_form(
    editor_client, njr, admin_user
):
    njr.description_en = "Version one."
    njr.save()
    version_one = njr.history.first()
    njr.description_en = "Version two."
    njr.save()
    restore_url = reverse(
        "admin:organizations_memberorganization_simple_history",
        args=[njr.pk, version_one.history_id],
    )
    client = Client()
    client.force_login(admin_user)
    stale = form_data(client.get(restore_url))
    theirs = {**form_data(editor_client.get(change_url(njr))), "website": "https://theirs.example/"}
    assert editor_client.post(change_url(njr), {**theirs, "_save": "x"}).status_code == 302

    refused = client.post(restore_url, {**stale, "_save": "x"})
    assert refused.context["adminform"].form["website"].value() == "https://theirs.example/"
    client.post(restore_url, {**form_data(refused), "_save": "x"})
    njr.refresh_from_db()
    assert (njr.description_en, njr.website) == ("Version one.", "https://theirs.example/")


class FormWithOtherWidgets(ConcurrentEditForm):
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    tags = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    review = forms.SplitDateTimeField()

    class Meta:
        model = MemberOrganization
        fields = ["name_nl"]


def test_values_are_written_back_as_each_widget_posts_them(njr):
    form = FormWithOtherWidgets(QueryDict(mutable=True), instance=njr)
    data = QueryDict(mutable=True)
    data["name_nl"] = "NJR"
    moment = timezone.make_aware(datetime.datetime(2026, 3, 4, 5, 6))
    for name, value in [("kind", "b"), ("tags", ["x", "z"]), ("review", moment)]:
        form._post(data, name, value)

    refilled = FormWithOtherWidgets(data, instance=njr)
    assert refilled.is_valid(), refilled.errors
    assert refilled.cleaned_data["kind"] == "b"
    assert refilled.cleaned_data["tags"] == ["x", "z"]
    assert refilled.cleaned_data["review"] == moment


def test_a_reorder_in_the_list_meanwhile_does_not_refuse_a_save(editor_client, njr):
    opened = form_data(editor_client.get(change_url(njr)))
    assert (
        editor_client.post(
            reverse("admin:organizations_memberorganization_move"), {"move": f"{njr.pk}:down"}
        ).status_code
        == 302
    )
    moved = MemberOrganization.objects.get(pk=njr.pk).position

    saved = editor_client.post(
        change_url(njr), {**opened, "website": "https://x.example/", "_save": "x"}
    )

    assert saved.status_code == 302
    njr.refresh_from_db()
    assert (njr.website, njr.position) == ("https://x.example/", moved)


def test_a_logo_chosen_in_a_refused_save_is_asked_for_again(
    editor_client, njr, admin_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(admin_user)
    stale = form_data(client.get(change_url(njr)))
    theirs = {**form_data(editor_client.get(change_url(njr))), "website": "https://t.example/"}
    assert editor_client.post(change_url(njr), {**theirs, "_save": "x"}).status_code == 302

    refused = client.post(change_url(njr), {**stale, "logo": image_upload(), "_save": "x"})

    assert refused.status_code == 200
    assert "Dit bestand is niet met de rest opgeslagen" in visible_text(refused)
    njr.refresh_from_db()
    assert not njr.logo


def test_a_conflict_with_ones_own_save_elsewhere_is_not_blamed_on_someone_else(editor_client, njr):
    stale = form_data(editor_client.get(change_url(njr)))
    other_window = form_data(editor_client.get(change_url(njr)))
    editor_client.post(
        change_url(njr), {**other_window, "description_en": "Mine, first.", "_save": "x"}
    )

    refused = editor_client.post(
        change_url(njr), {**stale, "description_en": "Mine, second.", "_save": "x"}
    )

    assert refused.status_code == 200
    text = visible_text(refused)
    assert "U hebt dit zelf opgeslagen" in text
    assert "Iemand anders" not in text


def test_a_save_by_nobody_named_is_not_taken_for_ones_own(editor_client, njr):
    stale = form_data(editor_client.get(change_url(njr)))
    other_window = form_data(editor_client.get(change_url(njr)))
    editor_client.post(
        change_url(njr), {**other_window, "website": "https://mine.example/", "_save": "x"}
    )
    imported = MemberOrganization.objects.get(pk=njr.pk)  # a command-line import: no user
    imported.name_en = "Imported name"
    imported.save()

    refused = editor_client.post(
        change_url(njr), {**stale, "website": "https://other.example/", "_save": "x"}
    )

    text = visible_text(refused)
    assert "U hebt dit zelf opgeslagen" not in text
    assert "Iemand anders (redacteur, onbekend)" in text


@pytest.mark.parametrize("second_action", ["upload", "clear"])
def test_replacing_a_logo_someone_else_just_stored_is_refused(
    editor_client, njr, admin_user, settings, tmp_path, second_action
):
    settings.MEDIA_ROOT = tmp_path
    njr.logo = image_upload(name="first.png")
    njr.save()
    client = Client()
    client.force_login(admin_user)
    stale = form_data(client.get(change_url(njr)))
    theirs = form_data(editor_client.get(change_url(njr)))
    saved = editor_client.post(
        change_url(njr), {**theirs, "logo": image_upload(name="theirs.png"), "_save": "x"}
    )
    assert saved.status_code == 302
    njr.refresh_from_db()
    their_logo = njr.logo.name

    mine = (
        {"logo": image_upload(name="mine.png")}
        if second_action == "upload"
        else {"logo-clear": "on"}
    )
    refused = client.post(change_url(njr), {**stale, **mine, "_save": "x"})

    assert refused.status_code == 200
    assert "theirs.png" in visible_text(refused), "the message names the logo they stored"
    njr.refresh_from_db()
    assert njr.logo.name == their_logo


@pytest.mark.parametrize("version", ["garbage", "2024-13-45T00:00:00", "2026-02-30T10:00:00+00:00"])
def test_a_tampered_version_is_refused_with_a_message(editor_client, njr, version):
    data = form_data(editor_client.get(change_url(njr)))
    data.update(edit_version=version, description_nl="Gewijzigd.", _save="x")
    response = editor_client.post(change_url(njr), data)
    assert response.status_code == 200
    assert "Dit formulier is onvolledig of verouderd" in visible_text(response)
    njr.refresh_from_db()
    assert njr.description_nl != "Gewijzigd."


def test_after_a_refused_save_the_website_field_shows_no_current_link_of_unsaved_input(
    editor_client, admin_user, njr
):
    client = Client()
    client.force_login(admin_user)
    stale = form_data(client.get(change_url(njr)))
    theirs = form_data(editor_client.get(change_url(njr)))
    editor_client.post(change_url(njr), {**theirs, "website": "https://www.njr.nl/a", "_save": "x"})
    refused = client.post(
        change_url(njr), {**stale, "website": "https://www.njr.nl/c", "_save": "x"}
    )
    assert refused.status_code == 200
    assert not [a for a in elements(refused, "a") if a.get("href") == "https://www.njr.nl/c"]


@pytest.mark.parametrize("button", ["_save", "_save_draft"])
def test_saving_a_member_deleted_meanwhile_says_who_deleted_it_and_gives_the_texts_back(
    editor_client, njr, admin_user, button
):
    form = form_data(editor_client.get(change_url(njr)))
    other = Client()
    other.force_login(admin_user)
    delete_url = reverse("admin:organizations_memberorganization_delete", args=[njr.pk])
    assert other.post(delete_url, {"post": "yes"}).status_code == 302

    typed = "Een lange nieuwe beschrijving.\r\n\r\nMet een tweede alinea."
    response = editor_client.post(change_url(njr), {**form, "description_nl": typed, button: "x"})
    assert response.status_code == 410
    text = visible_text(response)
    assert f"{admin_user} heeft “NJR” op " in text
    assert "Uw wijzigingen zijn niet opgeslagen" in text
    assert "Een lange nieuwe beschrijving." in text
    assert "Met een tweede alinea." in text
    assert not MemberOrganization.objects.filter(pk=njr.pk).exists()


def test_a_deletion_that_names_nobody_is_someones(editor_client, njr):
    """Deleted by a command or the shell: its history record has no user."""
    url = change_url(njr)
    form = form_data(editor_client.get(url))
    njr.delete()
    response = editor_client.post(url, {**form, "_save": "x"})
    assert response.status_code == 410
    assert "Iemand heeft “NJR” op " in visible_text(response)


def test_an_object_gone_without_a_recorded_deletion_names_no_one(editor_client, njr, admin_user):
    """Only a deletion record says who deleted it: not the last editor of a row removed
    some other way (its deletion record pruned, say)."""
    url = change_url(njr)
    form = form_data(editor_client.get(url))
    other = Client()
    other.force_login(admin_user)
    delete_url = reverse("admin:organizations_memberorganization_delete", args=[njr.pk])
    assert other.post(delete_url, {"post": "yes"}).status_code == 302
    njr.history.filter(history_type="-").delete()
    njr.history.update(history_user=admin_user)
    response = editor_client.post(url, {**form, "_save": "x"})
    assert response.status_code == 410
    text = visible_text(response)
    assert "Wat u bewerkte bestaat niet meer" in text
    assert f"{admin_user} heeft" not in text
