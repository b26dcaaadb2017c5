"""403 pages: in the admin's look for admin addresses, localized, and saying what to do."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from collective.translations import roles
from collective.views import csrf_failure, permission_denied
from organizations.models import MemberOrganization
from tests.editing.conftest import change_url, form_data
from tests.html import visible_text


def test_staff_without_permission_get_the_admins_403_page_in_their_language(
    client, user_in, seeded
):
    client.force_login(user_in(roles.TRANSLATORS, "vertaler"))
    response = client.get(reverse("admin:auth_user_changelist"), headers={"accept-language": "nl"})
    assert response.status_code == 403
    text = visible_text(response)
    assert "Geen toegang" in text
    assert "Kinderrechtencollectief: beheer" in text, "the admin's header"
    assert "Forbidden" not in text
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
    assert title.strip() == "Geen toegang | Kinderrechtencollectief"


@pytest.mark.parametrize(
    ("language", "heading"), [("nl", "Het formulier is verlopen"), ("en", "The form has expired")]
)
def test_an_admin_form_sent_with_an_expired_token_says_what_to_do(
    admin_user, seeded, language, heading
):
    client = Client(enforce_csrf_checks=True, headers={"accept-language": language})
    client.force_login(admin_user)
    njr = MemberOrganization.objects.get(slug="njr")
    data = form_data(client.get(change_url(njr)))
    client.cookies["csrftoken"] = "x" * 32  # as after logging in again in another tab

    response = client.post(change_url(njr), {**data, "description_en": "Lost?", "_save": "x"})

    assert response.status_code == 403
    text = visible_text(response)
    assert heading in text
    assert "DEBUG" not in text
    njr.refresh_from_db()
    assert njr.description_en != "Lost?"


@pytest.mark.parametrize(
    ("view", "heading"),
    [(permission_denied, "Geen toegang"), (csrf_failure, "Het formulier is verlopen")],
)
def test_outside_the_admin_the_403_pages_have_the_sites_look(rf, seeded, view, heading):
    request = rf.get("/nl/wie-zijn-wij/", headers={"host": "127.0.0.1"})
    with translation.override("nl"):
        response = view(request)
    assert response.status_code == 403
    assert visible_text(response).startswith("Direct naar de inhoud"), "the site's skip link"
    assert heading in visible_text(response)
    assert "beheer" not in visible_text(response)
