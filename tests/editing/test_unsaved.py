"""A form sent after the session had ended is kept, and filled in again after logging in."""

import json
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from collective.editing.unsaved import SESSION_KEY
from collective.translations import roles
from collective.translations.admin import translate_url
from tests.conftest import STAFF_PASSWORD
from tests.editing.conftest import change_url, form_data
from tests.html import visible_text

TYPED = "Een tekst die de redacteur typte terwijl de sessie verliep."


def typed_form(client, njr):
    data = form_data(client.get(change_url(njr)))
    data["description_nl"] = TYPED
    return data


def end_session(client):
    """As when the session runs out: the browser keeps its cookie, the server forgets it."""
    Session.objects.all().delete()


def log_in(client, username, next_url):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": STAFF_PASSWORD, "next": next_url},
    )


def kept_fields(response):
    found = re.search(
        r'<script id="unsaved-form" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return dict(json.loads(found.group(1))) if found else None


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_a_form_sent_after_the_session_ended_is_filled_in_again_after_login(
    editor_client, editor, njr
):
    data = typed_form(editor_client, njr)
    end_session(editor_client)

    sent = editor_client.post(change_url(njr), data)

    assert sent.status_code == 302
    assert sent.url.startswith(reverse("admin:login"))
    login_page = editor_client.get(sent.url, headers={"accept-language": "nl"})
    assert "Uw sessie was verlopen, dus er is niets opgeslagen." in visible_text(login_page)
    njr.refresh_from_db()
    assert njr.description_nl != TYPED, "nothing is saved"

    back = log_in(editor_client, editor.username, change_url(njr))
    form = editor_client.get(back.url)

    fields = kept_fields(form)
    assert fields["description_nl"] == TYPED
    assert fields["edit_version"] == data["edit_version"], "the version it was opened on"
    assert "csrfmiddlewaretoken" not in fields
    assert 'src="/static/editing/unsaved.js"' in form.content.decode()
    assert 'id="unsaved-form-note" hidden' in form.content.decode()
    assert kept_fields(editor_client.get(change_url(njr))) is None, "filled in once"
    njr.refresh_from_db()
    assert njr.description_nl != TYPED


def test_the_kept_form_waits_for_its_own_page(editor_client, editor, njr):
    data = typed_form(editor_client, njr)
    end_session(editor_client)
    editor_client.post(change_url(njr), data)
    log_in(editor_client, editor.username, reverse("admin:index"))

    assert kept_fields(editor_client.get(reverse("admin:index"))) is None
    assert editor_client.session[SESSION_KEY]["path"] == change_url(njr)
    assert kept_fields(editor_client.get(change_url(njr)))["description_nl"] == TYPED


def test_a_chosen_file_cannot_be_kept_and_the_page_says_so(editor_client, editor, njr):
    data = typed_form(editor_client, njr)
    end_session(editor_client)
    data["logo"] = SimpleUploadedFile("logo.png", b"not really a picture")
    editor_client.post(change_url(njr), data)
    log_in(editor_client, editor.username, change_url(njr))

    form = editor_client.get(change_url(njr), headers={"accept-language": "en"})

    assert "logo" not in kept_fields(form)
    assert "A file you had chosen could not be kept: choose it again." in form.content.decode()


def test_a_form_from_another_site_is_not_kept(editor, njr):
    """Without the site's CSRF token the post never reaches the admin, nor this."""
    browser = Client(enforce_csrf_checks=True)
    sent = browser.post(change_url(njr), {"description_nl": "Van een andere site."})
    assert sent.status_code == 403
    assert SESSION_KEY not in browser.session


def test_a_login_attempt_is_not_kept_as_a_form(client, editor):
    log_in(client, editor.username, reverse("admin:index"))
    assert SESSION_KEY not in client.session
    client.logout()
    client.post(reverse("admin:login"), {"username": editor.username, "password": "wrong"})
    assert SESSION_KEY not in client.session


def test_a_translators_text_is_kept_as_well(client, user_in, njr):
    translator = user_in(roles.TRANSLATORS, "vertaler")
    client.force_login(translator)
    url = translate_url(njr, "en")
    client.get(url)
    end_session(client)
    client.post(url, {"description_en": "Typed by the translator.", "save": "Save"})
    log_in(client, translator.username, url)

    assert kept_fields(client.get(url))["description_en"] == "Typed by the translator."


def test_a_scripts_request_is_not_kept_as_a_form(editor_client, njr):
    """A row dragged in the list after the session ended: the list says so itself."""
    data = typed_form(editor_client, njr)
    end_session(editor_client)
    editor_client.post(change_url(njr), data, headers={"sec-fetch-mode": "cors"})
    assert SESSION_KEY not in editor_client.session
