import pytest
from django.test import Client
from django.urls import reverse

from collective.editing.models import Draft
from organizations.models import MemberOrganization
from tests.editing.conftest import change_url, form_data
from tests.html import elements, visible_text
from tests.organizations.test_images import image_upload


def preview_url(obj, language):
    return reverse(
        "editing:preview", args=[obj._meta.app_label, obj._meta.model_name, obj.pk, language]
    )


@pytest.fixture
def drafted_njr(editor_client, njr):
    data = form_data(editor_client.get(change_url(njr)))
    response = editor_client.post(
        change_url(njr),
        {
            **data,
            "description_nl": "Concept NL.",
            "description_en": "Draft EN.",
            "_save_draft": "x",
        },
    )
    assert response.status_code == 302
    return njr


def test_a_draft_leaves_the_live_row_and_public_page_alone(client, drafted_njr):
    drafted_njr.refresh_from_db()
    assert drafted_njr.description_en.startswith("NJR is the youth network")
    assert "Draft EN." not in visible_text(client.get("/en/members/njr/"))
    assert Draft.objects.count() == 1


def test_the_change_form_reopens_on_the_draft(editor_client, drafted_njr):
    response = editor_client.get(change_url(drafted_njr))
    assert response.context["adminform"].form["description_en"].value() == "Draft EN."
    assert "U bewerkt een concept" in visible_text(response)


@pytest.mark.parametrize(("language", "text"), [("nl", "Concept NL."), ("en", "Draft EN.")])
def test_preview_shows_the_draft_in_the_public_layout(editor_client, drafted_njr, language, text):
    response = editor_client.get(preview_url(drafted_njr, language))
    assert response.status_code == 200
    assert text in visible_text(response)
    assert elements(response, "html")[0]["lang"] == language
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_switcher_stays_in_the_preview(editor_client, drafted_njr):
    response = editor_client.get(preview_url(drafted_njr, "nl"))
    english = elements(response, "a", hreflang="en")[0]
    assert english["href"] == preview_url(drafted_njr, "en")


def test_saving_publishes_the_draft(editor_client, drafted_njr):
    data = form_data(editor_client.get(change_url(drafted_njr)))
    editor_client.post(change_url(drafted_njr), {**data, "_save": "x"})
    drafted_njr.refresh_from_db()
    assert drafted_njr.description_en == "Draft EN."
    assert not Draft.objects.exists()


def test_history_names_the_drafts_editor_when_another_publishes_it(drafted_njr, admin_user):
    publisher = Client()
    publisher.force_login(admin_user)
    data = form_data(publisher.get(change_url(drafted_njr)))
    publisher.post(change_url(drafted_njr), {**data, "_save": "x"})
    latest = drafted_njr.history.latest("history_date")
    assert latest.history_user == admin_user
    assert latest.history_change_reason.startswith("Concept gepubliceerd dat redacteur op ")
    history = publisher.get(
        reverse("admin:organizations_memberorganization_history", args=[drafted_njr.pk])
    )
    assert "Concept gepubliceerd dat redacteur op " in visible_text(history)


def test_history_notes_are_in_the_sites_language_and_fit_their_column(njr, user_in):
    """A long account name (an e-mail address) in an English admin, on PostgreSQL too."""
    from collective.translations import roles

    long_name = "communicatie.en.voorlichting@kinderrechtencollectief.example"
    writer, publisher = Client(), Client(headers={"accept-language": "en"})
    writer.force_login(user_in(roles.EDITORS, long_name))
    publisher.force_login(user_in(roles.EDITORS, long_name[::-1]))
    data = form_data(writer.get(change_url(njr)))
    writer.post(change_url(njr), {**data, "description_en": "Draft EN.", "_save_draft": "x"})
    data = form_data(publisher.get(change_url(njr)))
    assert publisher.post(change_url(njr), {**data, "_save": "x"}).status_code == 302
    note = njr.history.latest("history_date").history_change_reason
    assert note.startswith(f"Concept gepubliceerd dat {long_name} op ")
    assert len(note) == 100


def test_discarding_the_draft_keeps_the_published_text(editor_client, drafted_njr):
    url = reverse("admin:organizations_memberorganization_discard_draft", args=[drafted_njr.pk])
    editor_client.post(url)
    assert not Draft.objects.exists()
    response = editor_client.get(change_url(drafted_njr))
    assert response.context["adminform"].form["description_en"].value().startswith("NJR is the")


def test_unpublished_member_is_404_for_visitors_and_previewable_by_staff(
    editor_client, client, seeded
):
    member = MemberOrganization.objects.create(
        name_nl="Augeo", name_en="Augeo", slug="augeo", is_published=False
    )
    assert client.get("/nl/leden/augeo/").status_code == 404
    assert "Augeo" not in visible_text(client.get("/nl/wie-zijn-wij/"))
    response = editor_client.get(preview_url(member, "nl"))
    assert response.status_code == 200
    assert "niet gepubliceerd" in visible_text(response)


def test_visitors_cannot_open_a_preview(client, njr):
    response = client.get(preview_url(njr, "nl"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_unknown_preview_language_is_404(editor_client, njr):
    assert editor_client.get(preview_url(njr, "de")).status_code == 404


def test_change_form_links_to_the_public_page_in_each_language(editor_client, njr):
    response = editor_client.get(change_url(njr))
    assert elements(response, "a", href="/nl/leden/njr/")
    assert elements(response, "a", href="/en/members/njr/")


def test_change_form_links_to_previews_while_there_is_a_draft(editor_client, drafted_njr):
    response = editor_client.get(change_url(drafted_njr))
    assert elements(response, "a", href=preview_url(drafted_njr, "en"))
    assert not elements(response, "a", href="/en/members/njr/")


def test_a_draft_with_a_new_logo_is_refused_with_a_reason(editor_client, njr, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(editor_client.get(change_url(njr)))
    response = editor_client.post(
        change_url(njr),
        {
            **data,
            "description_en": "Draft EN.",
            "logo": image_upload(size=(400, 400)),
            "_save_draft": "x",
        },
    )
    assert response.status_code == 200
    assert "Een concept bewaart alleen teksten, geen bestanden" in visible_text(response)
    assert not Draft.objects.exists()
    njr.refresh_from_db()
    assert not njr.logo


def test_publishing_a_draft_keeps_what_others_saved_after_it_was_made(
    editor_client, njr, admin_user
):
    data = form_data(editor_client.get(change_url(njr)))
    drafted = editor_client.post(
        change_url(njr), {**data, "description_nl": "Concept NL.", "_save_draft": "x"}
    )
    assert drafted.status_code == 302
    # A translator saves the English text meanwhile; that view never opens the draft.
    translator = Client()
    translator.force_login(admin_user)
    translated = translator.post(
        reverse("translations:translate", args=[*njr._meta.label_lower.split("."), njr.pk, "en"]),
        {"description": "The translator's text.", "save": "Save"},
    )
    assert translated.status_code == 302

    reopened = form_data(editor_client.get(change_url(njr)))
    assert reopened["description_en"] == "The translator's text.", "the draft is laid over it"
    published = editor_client.post(change_url(njr), {**reopened, "_save": "x"})
    assert published.status_code == 302
    njr.refresh_from_db()
    assert (njr.description_nl, njr.description_en) == ("Concept NL.", "The translator's text.")
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    ("language", "site_name"),
    [("en", "Children's Rights Collective"), ("nl", "Kinderrechtencollectief")],
)
def test_preview_title_and_site_name_are_in_the_previewed_language(
    editor_client, drafted_njr, language, site_name
):
    response = editor_client.get(preview_url(drafted_njr, language))
    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert title == f"NJR | {site_name}".replace("'", "&#x27;")


def test_a_draft_changing_a_text_someone_else_changed_since_is_caught_on_publishing(
    editor_client, njr
):
    data = form_data(editor_client.get(change_url(njr)))
    editor_client.post(change_url(njr), {**data, "description_en": "Draft.", "_save_draft": "x"})
    theirs = MemberOrganization.objects.get(pk=njr.pk)
    theirs.description_en = "Theirs."
    theirs.save()

    reopened = form_data(editor_client.get(change_url(njr)))
    assert reopened["description_en"] == "Draft."
    refused = editor_client.post(change_url(njr), {**reopened, "_save": "x"})
    assert refused.status_code == 200
    assert "U wijzigde dit ook" in visible_text(refused)
    njr.refresh_from_db()
    assert njr.description_en == "Theirs."


def test_the_preview_shows_what_others_saved_after_the_draft_was_made(
    editor_client, drafted_njr, admin_user
):
    MemberOrganization.objects.filter(pk=drafted_njr.pk).update(website="https://newer.example/")

    preview = editor_client.get(preview_url(drafted_njr, "nl"))
    assert "Concept NL." in visible_text(preview)
    assert elements(preview, "a", href="https://newer.example/"), "the newer save, not the old"
    reopened = form_data(editor_client.get(change_url(drafted_njr)))
    assert reopened["website"] == "https://newer.example/"
    assert reopened["description_nl"] == "Concept NL."


def test_a_draft_keeps_only_what_it_changes(drafted_njr):
    assert Draft.objects.get().data == {
        "description_nl": "Concept NL.",
        "description_en": "Draft EN.",
    }


ADDRESSES = {
    "preview": lambda pk: reverse(
        "editing:preview", args=["organizations", "memberorganization", pk, "nl"]
    ),
    "history": lambda pk: reverse("admin:organizations_memberorganization_history", args=[pk]),
    "version": lambda pk: reverse(
        "admin:organizations_memberorganization_simple_history", args=[pk, 1]
    ),
    "discard": lambda pk: reverse(
        "admin:organizations_memberorganization_discard_draft", args=[pk]
    ),
}


@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize("pk", ["existing", 999999])
def test_staff_without_the_right_to_see_members_cannot_tell_which_exist(
    client, njr, django_user_model, pk, address
):
    staff = django_user_model.objects.create_user(
        "zonder-rechten", password="a-long-test-password", is_staff=True
    )
    client.force_login(staff)
    url = ADDRESSES[address](njr.pk if pk == "existing" else pk)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


def test_publishing_a_draft_without_further_edits_applies_it(editor_client, drafted_njr):
    reopened = form_data(editor_client.get(change_url(drafted_njr)))
    assert (
        editor_client.post(change_url(drafted_njr), {**reopened, "_save": "x"}).status_code == 302
    )
    drafted_njr.refresh_from_db()
    assert drafted_njr.description_nl == "Concept NL."
    assert not Draft.objects.exists()


def test_the_preview_of_an_unpublished_member_links_back_without_a_missing_anchor(
    editor_client, njr
):
    MemberOrganization.objects.filter(pk=njr.pk).update(is_published=False)
    preview = editor_client.get(preview_url(njr, "nl"))
    back = [a["href"] for a in elements(preview, "a") if a["href"].startswith("/nl/wie-zijn-wij/")]
    assert back, "the breadcrumb leads back to the list"
    assert not [href for href in back if "#" in href], "the list does not show it: no anchor"


# A draft someone saved after another editor opened the form -----------------------------------


@pytest.fixture
def form_opened_before_the_draft(admin_client, njr):
    """Another editor's form, opened before the editor saves a draft (no draft to show)."""
    return form_data(admin_client.get(change_url(njr)))


def test_a_save_from_a_form_opened_before_a_draft_keeps_that_draft(
    admin_client, form_opened_before_the_draft, drafted_njr
):
    data = {**form_opened_before_the_draft, "website": "https://www.njr.nl/nieuw", "_save": "x"}
    response = admin_client.post(change_url(drafted_njr), data, follow=True)
    assert "Uw opslag laat dat concept ongemoeid" in visible_text(response)
    drafted_njr.refresh_from_db()
    assert drafted_njr.website == "https://www.njr.nl/nieuw"
    assert Draft.objects.get().data["description_nl"] == "Concept NL."


def test_an_unchanged_save_from_a_form_opened_before_a_draft_keeps_that_draft(
    admin_client, form_opened_before_the_draft, drafted_njr
):
    admin_client.post(change_url(drafted_njr), {**form_opened_before_the_draft, "_save": "x"})
    assert Draft.objects.get().data["description_nl"] == "Concept NL."


def test_a_draft_from_a_form_opened_before_another_draft_does_not_replace_it(
    admin_client, form_opened_before_the_draft, drafted_njr
):
    data = {
        **form_opened_before_the_draft,
        "website": "https://www.njr.nl/nieuw",
        "_save_draft": "x",
    }
    response = admin_client.post(change_url(drafted_njr), data)
    assert response.status_code == 200
    assert "Uw concept zou het vervangen" in visible_text(response)
    assert "Dit formulier toont het niet" in visible_text(response)
    assert "U bewerkt een concept" not in visible_text(response)
    assert "Concept weggooien" not in visible_text(response)
    assert Draft.objects.get().data == {
        "description_nl": "Concept NL.",
        "description_en": "Draft EN.",
    }


def test_the_form_opened_on_the_draft_still_publishes_and_updates_it(
    admin_client, editor_client, drafted_njr
):
    data = form_data(editor_client.get(change_url(drafted_njr)))
    again = editor_client.post(
        change_url(drafted_njr), {**data, "description_en": "Draft EN 2.", "_save_draft": "x"}
    )
    assert again.status_code == 302
    data = form_data(editor_client.get(change_url(drafted_njr)))
    assert editor_client.post(change_url(drafted_njr), {**data, "_save": "x"}).status_code == 302
    drafted_njr.refresh_from_db()
    assert drafted_njr.description_en == "Draft EN 2."
    assert not Draft.objects.exists()


def test_a_draft_naming_a_field_that_no_longer_exists_still_opens(editor_client, drafted_njr):
    draft = Draft.objects.get()
    draft.data = {**draft.data, "removed_field": "x"}
    draft.save()
    response = editor_client.get(change_url(drafted_njr))
    assert response.status_code == 200
    assert response.context["adminform"].form["description_en"].value() == "Draft EN."


def test_a_draft_committed_while_this_one_waited_for_the_row_is_not_replaced(
    admin_client, editor, form_opened_before_the_draft, njr, monkeypatch
):
    """Two draft saves at once: the second waits for the row lock, then sees the first."""
    from collective.editing import drafts
    from collective.editing.forms import ConcurrentEditForm

    stored_version = ConcurrentEditForm._stored_version

    def another_draft_lands_while_waiting(form, lock=False):
        if lock and not Draft.objects.exists():
            drafts.save_draft(njr, {"description_nl": "Het andere concept."}, editor)
        return stored_version(form, lock=lock)

    monkeypatch.setattr(ConcurrentEditForm, "_stored_version", another_draft_lands_while_waiting)
    data = {**form_opened_before_the_draft, "website": "https://www.njr.nl/x", "_save_draft": "x"}
    response = admin_client.post(change_url(njr), data)
    assert response.status_code == 200
    assert Draft.objects.get().data == {"description_nl": "Het andere concept."}


def test_a_draft_whose_editor_account_is_gone_is_someones_at_the_start_of_a_sentence(
    admin_client, form_opened_before_the_draft, drafted_njr, editor
):
    """The account that saved the draft was deleted since: "Iemand heeft …", not "iemand"."""
    editor.delete()
    data = {**form_opened_before_the_draft, "website": "https://www.njr.nl/nieuw"}
    refused = visible_text(admin_client.post(change_url(drafted_njr), {**data, "_save_draft": "x"}))
    assert "Iemand heeft op " in refused  # the form's error and the banner above it
    assert "iemand heeft" not in refused
    saved = admin_client.post(change_url(drafted_njr), {**data, "_save": "x"}, follow=True)
    assert "Iemand heeft op " in visible_text(saved)
    assert "iemand heeft" not in visible_text(saved)
