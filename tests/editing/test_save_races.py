"""Two saves that each pass the form's checks but cannot both be stored.

An editor's form is checked, then saved. A save by someone else that lands in between (the
same new address for two members, the same user name) passes the checks of both forms; the
database refuses the second. That editor gets the form back with the clash named, as if the
other save had come first, and loses nothing they typed.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.urls import reverse

from organizations.models import MemberOrganization
from tests.editing.conftest import change_url, form_data
from tests.html import visible_text


@pytest.fixture
def checked_before_the_other_save(monkeypatch):
    """The next form's uniqueness check runs as if the other save had not landed yet."""
    real = Model.validate_unique
    calls = []

    def validate_unique(instance, exclude=None):
        calls.append(instance)
        if len(calls) > 1:
            real(instance, exclude)

    monkeypatch.setattr(Model, "validate_unique", validate_unique)
    return calls


def test_two_members_given_the_same_new_address_at_once(
    editor_client, njr, checked_before_the_other_save
):
    data = form_data(editor_client.get(change_url(njr)))
    unicef = MemberOrganization.objects.get(slug="unicef-nederland")
    unicef.slug = "jongeren"  # another editor's save, between our checks and our save
    unicef.save()

    response = editor_client.post(
        change_url(njr), {**data, "slug": "jongeren", "description_en": "Typed.", "_save": "x"}
    )

    assert response.status_code == 200
    assert len(checked_before_the_other_save) == 2, "checked again after the refused save"
    form = response.context["adminform"].form
    assert form.errors["slug"], "the clash is named at the field"
    assert form["description_en"].value() == "Typed.", "what was typed is still there"
    njr.refresh_from_db()
    assert njr.slug == "njr"
    assert njr.description_en != "Typed.", "nothing of the refused save was stored"


def test_two_users_added_with_the_same_name_at_once(admin_client, checked_before_the_other_save):
    get_user_model().objects.create_user("fatima")  # another administrator's save
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "fatima",
            "password1": "a-Long-enough-passphrase-2026",
            "password2": "a-Long-enough-passphrase-2026",
            "usable_password": "true",
            "_save": "x",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["username"]
    assert get_user_model().objects.filter(username="fatima").count() == 1


def test_a_clash_the_form_cannot_see_is_a_conflict_with_nothing_stored(
    editor_client, njr, monkeypatch
):
    monkeypatch.setattr(Model, "validate_unique", lambda instance, exclude=None: None)
    data = form_data(editor_client.get(change_url(njr)))

    response = editor_client.post(
        change_url(njr),
        {**data, "slug": "unicef-nederland", "description_en": "Typed.", "_save": "x"},
    )

    assert response.status_code == 409
    assert "niets ervan is opgeslagen" in visible_text(response)
    njr.refresh_from_db()
    assert njr.slug == "njr"
    assert njr.description_en != "Typed."


def test_a_logo_sent_with_a_clashing_save_leaves_no_file_behind(
    editor_client, njr, checked_before_the_other_save, settings, tmp_path
):
    from tests.organizations.test_images import image_upload

    settings.MEDIA_ROOT = tmp_path
    data = form_data(editor_client.get(change_url(njr)))
    unicef = MemberOrganization.objects.get(slug="unicef-nederland")
    unicef.slug = "jongeren"
    unicef.save()

    response = editor_client.post(
        change_url(njr), {**data, "slug": "jongeren", "logo": image_upload(), "_save": "x"}
    )

    assert response.context["adminform"].form.errors["slug"]
    njr.refresh_from_db()
    assert not njr.logo
    assert not [path for path in tmp_path.rglob("*") if path.is_file()], "no file was kept"


def test_a_save_refused_after_its_logo_was_stored_leaves_no_rendition_behind(
    editor_client, njr, settings, tmp_path, monkeypatch
):
    from django.db import IntegrityError

    from organizations.models import FormerSlug
    from tests.organizations.test_images import image_upload

    settings.MEDIA_ROOT = tmp_path
    data = form_data(editor_client.get(change_url(njr)))
    real = FormerSlug.record_change.__func__
    refusals = []

    def record_change(cls, organization, old_slug):
        # The row and its logo's renditions are stored; the former address clashes.
        if len(refusals) < 2:
            refusals.append(organization.logo.name)
            raise IntegrityError("duplicate key value")
        real(cls, organization, old_slug)

    monkeypatch.setattr(FormerSlug, "record_change", classmethod(record_change))

    response = editor_client.post(
        change_url(njr), {**data, "slug": "njr-nieuw", "logo": image_upload(), "_save": "x"}
    )

    assert response.status_code == 409
    assert len(refusals) == 2
    njr.refresh_from_db()
    assert njr.slug == "njr"
    assert not njr.logo
    assert not [path for path in tmp_path.rglob("*") if path.is_file()], "no file was kept"


def test_a_refused_save_leaves_no_message_about_what_it_would_have_done(
    admin_client, editor_client, njr, request
):
    """The form comes back unsaved: no word about a draft that this save "left alone"."""
    opened = form_data(admin_client.get(change_url(njr)))
    drafted = {**form_data(editor_client.get(change_url(njr))), "description_nl": "Concept."}
    assert editor_client.post(change_url(njr), {**drafted, "_save_draft": "x"}).status_code == 302
    unicef = MemberOrganization.objects.get(slug="unicef-nederland")
    unicef.slug = "jongeren"  # another editor's save, between our checks and our save
    unicef.save()
    checks = request.getfixturevalue("checked_before_the_other_save")

    response = admin_client.post(change_url(njr), {**opened, "slug": "jongeren", "_save": "x"})

    assert len(checks) == 2, "checked again after the refused save"
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"]
    assert "ongemoeid" not in visible_text(response)
