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
