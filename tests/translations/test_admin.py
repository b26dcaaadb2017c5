import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from collective.translations import roles
from organizations.models import MemberOrganization
from tests.html import elements, visible_text

CHANGELIST = "admin:organizations_memberorganization_changelist"


def listed(response):
    return [obj.slug for obj in response.context["cl"].result_list]


def test_list_shows_outdated_fields_per_language(admin_client, outdated_njr):
    response = admin_client.get(reverse(CHANGELIST))
    assert "EN ↻ verouderd: beschrijving" in visible_text(response)


@pytest.mark.parametrize(
    ("value", "slugs"),
    [
        ("en.outdated", ["njr"]),
        ("en.outdated.description", ["njr"]),
        ("en.outdated.name", []),
        ("en.missing", []),  # Terre des Hommes has no Dutch description to translate
        ("nl.missing.description", ["terre-des-hommes"]),
        ("nl.outdated", []),
        ("xx.missing", []),
        ("en.missing.slug", []),
    ],
)
def test_translation_filter(admin_client, outdated_njr, value, slugs):
    response = admin_client.get(reverse(CHANGELIST), {"translation": value})
    assert response.status_code == 200
    assert listed(response) == slugs


def test_filter_offers_missing_and_outdated_per_language(admin_client, seeded):
    text = visible_text(admin_client.get(reverse(CHANGELIST)))
    for choice in ("Ontbreekt in NL", "Ontbreekt in EN", "Verouderd in EN"):
        assert choice in text
    assert "Verouderd in NL" not in text


def test_change_form_marks_fields_that_need_work(admin_client, outdated_njr):
    url = reverse("admin:organizations_memberorganization_change", args=[outdated_njr.pk])
    response = admin_client.get(url)
    marked = elements(response, "textarea", **{"data-translation-state": "outdated"})
    assert [field["name"] for field in marked] == ["description_en"]
    assert "Verouderd: de brontekst is gewijzigd" in visible_text(response)
    assert b"translations/admin-tabs.js" in response.content


def test_change_form_links_to_the_translator_view(admin_client, njr):
    url = reverse("admin:organizations_memberorganization_change", args=[njr.pk])
    translate = f"/admin/translations/organizations/memberorganization/{njr.pk}/en/"
    assert elements(admin_client.get(url), "a", href=translate)


def test_overview_counts_and_links_to_the_objects(admin_client, outdated_njr):
    response = admin_client.get(reverse("translations:overview"))
    assert response.status_code == 200
    outdated_link = reverse(CHANGELIST) + "?translation=en.outdated.description"
    link = elements(response, "a", href=outdated_link)
    assert link, "the outdated count links to the filtered list"
    assert "1 verouderd" in visible_text(response)


def test_overview_shows_completion_per_language(admin_client, seeded):
    response = admin_client.get(reverse("translations:overview"))
    bars = {bar["id"]: bar for bar in elements(response, "progress")}
    # 4 collective + 6×2 member + 1×3 advisor fields = 19. Terre des Hommes has no Dutch
    # description: one missing in Dutch, and nothing to translate into English.
    assert (bars["progress-nl"]["max"], bars["progress-nl"]["value"]) == ("19", "18")
    assert (bars["progress-en"]["max"], bars["progress-en"]["value"]) == ("18", "18")
    text = visible_text(response)
    assert "95% compleet (18 van 19 velden)" in text
    assert "1 wacht op de brontekst" in text


def test_admin_index_links_to_the_overview(admin_client, db):
    response = admin_client.get(reverse("admin:index"))
    assert elements(response, "a", href=reverse("translations:overview"))


def test_roles_exist_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {roles.EDITORS, roles.TRANSLATORS}


def test_setup_roles_is_repeatable(db):
    call_command("setup_roles")
    call_command("setup_roles")
    assert Group.objects.filter(name=roles.TRANSLATORS).count() == 1


def test_translators_may_view_and_translate_but_not_add_change_or_delete(db):
    permissions = set(
        Group.objects.get(name=roles.TRANSLATORS).permissions.values_list("codename", flat=True)
    )
    assert "translate_content" in permissions
    assert "view_memberorganization" in permissions
    assert not {p for p in permissions if p.split("_")[0] in {"add", "change", "delete"}}


def test_editors_manage_content_but_not_users(db):
    group = Group.objects.get(name=roles.EDITORS)
    labels = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("organizations", "delete_memberorganization") in labels
    assert ("collective", "change_collective") in labels
    assert not {codename for app, codename in labels if app == "auth"}


def test_translator_cannot_save_through_the_admin_change_form(translator_client, njr):
    url = reverse("admin:organizations_memberorganization_change", args=[njr.pk])
    response = translator_client.post(url, {"name_nl": "Overschreven", "slug": "njr"})
    assert response.status_code == 403
    njr.refresh_from_db()
    assert njr.name_nl == "NJR"


def test_translator_cannot_add_or_delete(translator_client, njr):
    add = reverse("admin:organizations_memberorganization_add")
    delete = reverse("admin:organizations_memberorganization_delete", args=[njr.pk])
    assert translator_client.get(add).status_code == 403
    assert translator_client.post(delete, {"post": "yes"}).status_code == 403
    assert MemberOrganization.objects.filter(pk=njr.pk).exists()


def test_translator_sees_the_overview(translator_client, seeded):
    assert translator_client.get(reverse("translations:overview")).status_code == 200


def test_editor_can_change_content(editor_client, njr):
    url = reverse("admin:organizations_memberorganization_change", args=[njr.pk])
    assert editor_client.get(url).status_code == 200
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_list_reads_translation_states_without_a_query_per_row(
    admin_client, seeded, member_factory
):
    def queries_for_the_list():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(reverse(CHANGELIST)).status_code == 200
        return len(captured.captured_queries)

    queries_for_the_list()  # warm the session and content-type caches
    with_six = queries_for_the_list()
    for number in range(6):
        member_factory(slug=f"extra-{number}", name_en=f"Extra {number}")
    assert queries_for_the_list() == with_six


def test_translator_cannot_publish_through_the_list_editable_columns(translator_client, njr):
    njr.is_published = False
    njr.save()
    response = translator_client.post(
        reverse(CHANGELIST),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(njr.pk),
            "form-0-is_published": "on",
            "form-0-position": "1",
            "_save": "Opslaan",
        },
    )
    assert response.status_code == 403
    njr.refresh_from_db()
    assert (njr.is_published, njr.position) == (False, 30)


def test_translators_see_no_reorder_controls_editors_do(translator_client, editor, njr):
    as_translator = translator_client.get(reverse(CHANGELIST))
    assert as_translator.status_code == 200
    assert not elements(as_translator, "button", name="move")
    assert "Sleep een rij" not in visible_text(as_translator)
    assert "_reorder_" not in as_translator.context["cl"].list_display

    editor_client = Client()
    editor_client.force_login(editor)
    as_editor = editor_client.get(reverse(CHANGELIST))
    assert elements(as_editor, "button", name="move")
    assert "Sleep een rij" in visible_text(as_editor)


def test_a_groups_permissions_changed_in_the_admin_survive_the_next_migrate(db):
    editors = Group.objects.get(name=roles.EDITORS)
    delete = editors.permissions.get(codename="delete_memberorganization")
    editors.permissions.remove(delete)
    extra = Permission.objects.get(codename="view_user")
    editors.permissions.add(extra)

    call_command("migrate", verbosity=0)

    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert "delete_memberorganization" not in codenames
    assert "view_user" in codenames


def test_a_model_taken_from_a_group_in_the_admin_stays_out_after_migrate(db):
    """Translators have one permission per model: taking it is taking all of the model's."""
    translators = Group.objects.get(name=roles.TRANSLATORS)
    translators.permissions.remove(translators.permissions.get(codename="view_advisorybody"))
    editors = Group.objects.get(name=roles.EDITORS)
    editors.permissions.remove(*editors.permissions.filter(codename__endswith="advisorybody"))

    call_command("migrate", verbosity=0)

    assert not translators.permissions.filter(codename__endswith="advisorybody").exists()
    assert not editors.permissions.filter(codename__endswith="advisorybody").exists()


def test_a_model_new_since_the_last_migrate_joins_both_groups(db):
    # As for a model added since: its permissions do not exist until this migrate makes them.
    Permission.objects.filter(codename__endswith="_advisorybody").delete()

    call_command("migrate", verbosity=0)

    translators = Group.objects.get(name=roles.TRANSLATORS)
    assert set(
        translators.permissions.filter(codename__endswith="_advisorybody").values_list(
            "codename", flat=True
        )
    ) == {"view_advisorybody"}
    editors = Group.objects.get(name=roles.EDITORS)
    assert editors.permissions.filter(codename__endswith="_advisorybody").count() == 4


def test_setup_roles_sets_the_groups_back_to_their_defaults(db):
    editors = Group.objects.get(name=roles.EDITORS)
    editors.permissions.add(Permission.objects.get(codename="view_user"))
    editors.permissions.remove(editors.permissions.get(codename="delete_memberorganization"))

    call_command("setup_roles", stdout=io.StringIO())

    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert "delete_memberorganization" in codenames
    assert "view_user" not in codenames
