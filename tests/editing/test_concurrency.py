from django.test import Client

from tests.editing.conftest import change_url, form_data
from tests.html import visible_text


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
    editor_client.post(
        change_url(njr), {**form_data(editor_client.get(change_url(njr))), "_save": "x"}
    )
    refused = client.post(change_url(njr), {**stale, "description_en": "Mine.", "_save": "x"})
    retry = client.post(change_url(njr), {**form_data(refused), "_save": "x"})
    assert retry.status_code == 302
    njr.refresh_from_db()
    assert njr.description_en == "Mine."


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
    text = visible_text(refused)
    assert "Old ending." in text
    assert "New ending." in text
