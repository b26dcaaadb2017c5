import json

from django.urls import reverse

from organizations.models import MemberOrganization
from tests.html import elements

CHANGELIST = "admin:organizations_memberorganization_changelist"


def order():
    return list(MemberOrganization.objects.values_list("slug", flat=True))


def test_list_offers_keyboard_buttons_to_move_each_member(editor_client, seeded):
    response = editor_client.get(reverse(CHANGELIST))
    assert elements(response, "form", id="reorder-form"), "the buttons' form is on the page"
    buttons = elements(response, "button", form="reorder-form")
    assert len(buttons) == 12
    assert buttons[0]["aria-label"] == "Defence for Children omhoog"


def test_move_down_swaps_a_member_with_the_next(editor_client, seeded):
    url = reverse("admin:organizations_memberorganization_move")
    njr = MemberOrganization.objects.get(slug="njr")
    response = editor_client.post(url, {"move": f"{njr.pk}:down"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/memberorganization/#move-{njr.pk}-down")
    assert order()[2:4] == ["save-the-children", "njr"]
    assert njr.history.first().position == 40, "the move is recorded in history"


def test_moving_the_first_member_up_changes_nothing(editor_client, seeded):
    before = order()
    first = MemberOrganization.objects.first()
    editor_client.post(
        reverse("admin:organizations_memberorganization_move"), {"move": f"{first.pk}:up"}
    )
    assert order() == before


def test_bad_move_requests_are_refused_without_error(editor_client, seeded):
    url = reverse("admin:organizations_memberorganization_move")
    assert editor_client.post(url, {"move": "nonsense"}).status_code == 404
    assert editor_client.get(url).status_code == 405


def test_translators_cannot_reorder(translator_client, seeded):
    before = order()
    njr = MemberOrganization.objects.get(slug="njr")
    translator_client.post(
        reverse("admin:organizations_memberorganization_move"), {"move": f"{njr.pk}:down"}
    )
    assert order() == before


def test_drag_and_drop_endpoint_saves_each_row_with_history(editor_client, seeded):
    njr = MemberOrganization.objects.get(slug="njr")
    unicef = MemberOrganization.objects.get(slug="unicef-nederland")
    url = reverse("admin:organizations_memberorganization_sortable_update")
    response = editor_client.post(
        url,
        json.dumps({"updatedItems": [[njr.pk, 50], [unicef.pk, 30]]}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert order()[2] == "unicef-nederland"
    assert unicef.history.first().position == 30


def test_editor_unpublishes_from_the_list(editor_client, seeded):
    njr = MemberOrganization.objects.get(slug="njr")
    rows = list(MemberOrganization.objects.all())
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)), "_save": "x"}
    for index, row in enumerate(rows):
        data[f"form-{index}-id"] = str(row.pk)
        if row.pk != njr.pk:
            data[f"form-{index}-is_published"] = "on"
    response = editor_client.post(reverse(CHANGELIST), data)
    assert response.status_code == 302
    njr.refresh_from_db()
    assert not njr.is_published
    assert MemberOrganization.objects.published().count() == 5


def test_each_published_checkbox_in_the_list_names_its_organization(editor_client, seeded):
    response = editor_client.get(reverse("admin:organizations_memberorganization_changelist"))
    assert b"organizations/admin.css" in response.content
    assert b"translations/admin-tabs.js" in response.content
    labels = [box.get("aria-label") for box in elements(response, "input", type="checkbox")]
    assert "NJR gepubliceerd" in labels
    assert "Terre des Hommes gepubliceerd" in labels
