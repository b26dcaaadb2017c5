import json
from urllib.parse import urlencode

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse

from collective.editing.models import Draft
from organizations import ordering
from organizations.models import MemberOrganization
from tests.editing.conftest import change_url, form_data
from tests.editing.test_locking import on_postgresql, row_is_locked
from tests.html import elements, visible_text

CHANGELIST = "admin:organizations_memberorganization_changelist"


def order():
    return list(MemberOrganization.objects.values_list("slug", flat=True))


def test_list_offers_keyboard_buttons_to_move_each_member(editor_client, seeded):
    response = editor_client.get(reverse(CHANGELIST))
    assert elements(response, "form", id="reorder-form"), "the buttons' form is on the page"
    buttons = elements(response, "button", form="reorder-form")
    assert len(buttons) == 12
    assert buttons[0]["aria-label"] == "Defence for Children omhoog"
    disabled = [button["aria-label"] for button in buttons if "disabled" in button]
    assert disabled == ["Defence for Children omhoog", "Terre des Hommes omlaag"], (
        "the first row cannot go up, the last cannot go down"
    )


@pytest.mark.parametrize(
    "query",
    [
        {"q": "njr"},
        {"is_published__exact": "1"},
        {"translation": "nl.missing"},
        {"name__icontains": "e"},
        {"o": "-1"},  # the position column, backwards
        {"o": "2"},  # by name
    ],
)
def test_move_buttons_are_offered_only_on_a_list_of_every_row_in_order(
    editor_client, seeded, query
):
    """Otherwise the row a button swaps with may be one the list leaves out or shows elsewhere."""
    response = editor_client.get(reverse(CHANGELIST), query)
    assert response.status_code == 200
    assert elements(response, "button", form="reorder-form") == []
    assert elements(response, "form", id="reorder-form") == []
    assert "De knoppen ↑ en ↓ staan er als de lijst alle rijen op volgorde op één pagina" in (
        visible_text(response)
    )
    assert elements(response, "a", href=reverse(CHANGELIST)), "a link to the whole list"


@pytest.mark.parametrize("query", [{"o": "1"}, {"o": "1.2"}, {"p": "1"}, {"all": ""}])
def test_move_buttons_keep_the_lists_sort_and_page(editor_client, seeded, query):
    page = editor_client.get(reverse(CHANGELIST), query)
    assert len(elements(page, "button", form="reorder-form")) == 12
    [form] = elements(page, "form", id="reorder-form")
    njr = MemberOrganization.objects.get(slug="njr")

    response = editor_client.post(form["action"], {"move": f"{njr.pk}:down"})

    assert response.status_code == 302
    back, _hash, fragment = response["Location"].partition("#")
    assert back == f"{reverse(CHANGELIST)}?{urlencode(query)}"
    assert fragment == f"move-{njr.pk}-down"
    assert order()[2:4] == ["save-the-children", "njr"]


def test_move_down_swaps_a_member_with_the_next(editor_client, seeded):
    url = reverse("admin:organizations_memberorganization_move")
    njr = MemberOrganization.objects.get(slug="njr")
    response = editor_client.post(url, {"move": f"{njr.pk}:down"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/memberorganization/#move-{njr.pk}-down")
    assert order()[2:4] == ["save-the-children", "njr"]
    assert njr.history.first().position == 40, "the move is recorded in history"


@pytest.mark.parametrize(
    ("which", "direction", "message"),
    [(0, "up", "staat al bovenaan"), (-1, "down", "staat al onderaan")],
)
def test_moving_past_the_end_changes_nothing_and_says_so(
    editor_client, seeded, which, direction, message
):
    before = order()
    row = MemberOrganization.objects.get(slug=before[which])
    response = editor_client.post(
        reverse("admin:organizations_memberorganization_move"),
        {"move": f"{row.pk}:{direction}"},
        follow=True,
    )
    assert response.redirect_chain[0][0] == reverse(CHANGELIST)
    assert f"{row} {message}." in visible_text(response)
    assert order() == before


def test_a_row_moved_to_the_top_is_back_on_its_other_button(editor_client, seeded):
    """Its ↑ is now disabled; focus goes to its ↓ instead."""
    second = MemberOrganization.objects.get(slug=order()[1])
    response = editor_client.post(
        reverse("admin:organizations_memberorganization_move"), {"move": f"{second.pk}:up"}
    )
    assert response["Location"] == f"{reverse(CHANGELIST)}#move-{second.pk}-down"
    assert order()[0] == second.slug


@pytest.mark.parametrize("deleted", ["before the post", "while it is moved"])
def test_moving_a_row_deleted_meanwhile_says_so(editor_client, seeded, monkeypatch, deleted):
    njr = MemberOrganization.objects.get(slug="njr")
    pk = njr.pk
    if deleted == "before the post":
        njr.delete()
    else:
        move = ordering.move

        def delete_first(obj, direction):
            MemberOrganization.objects.filter(pk=obj.pk).delete()
            return move(obj, direction)

        monkeypatch.setattr(ordering, "move", delete_first)
    before = order() if deleted == "before the post" else [s for s in order() if s != "njr"]
    response = editor_client.post(
        reverse("admin:organizations_memberorganization_move"),
        {"move": f"{pk}:down"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse(CHANGELIST)
    assert "Wat u wilde verplaatsen bestaat niet meer" in visible_text(response)
    assert order() == before


@pytest.mark.parametrize("move", ["nonsense", "²:up", "\u0661:up", "1:sideways", "1", ":up", ""])
def test_bad_move_requests_are_refused_without_error(editor_client, seeded, move):
    url = reverse("admin:organizations_memberorganization_move")
    before = order()
    response = editor_client.post(url, {"move": move})
    assert response.status_code == 400
    assert response.content.decode() == "Dit verzoek zegt niet welke rij verplaatst moet worden."
    assert order() == before
    assert editor_client.put(url).status_code == 405


def test_a_move_posted_after_the_session_ended_leads_back_to_the_list(editor_client, seeded):
    """Signing in again leads to the move's address: with GET, nothing moves, the list shows."""
    url = reverse("admin:organizations_memberorganization_move")
    before = order()
    response = editor_client.get(url, {"_changelist_filters": "o=1.2"}, follow=True)
    assert response.redirect_chain[0][0] == f"{reverse(CHANGELIST)}?o=1.2"
    assert "Er is niets verplaatst." in visible_text(response)
    assert order() == before


def test_a_list_on_several_pages_offers_no_move_buttons_but_a_link_to_all(
    editor_client, seeded, monkeypatch
):
    """A move past a page's edge would take the row out of sight."""
    from organizations.admin import MemberOrganizationAdmin

    monkeypatch.setattr(MemberOrganizationAdmin, "list_per_page", 4)
    response = editor_client.get(reverse(CHANGELIST))
    assert elements(response, "button", form="reorder-form") == []
    assert elements(response, "a", href=f"{reverse(CHANGELIST)}?all=")
    every_row = editor_client.get(reverse(CHANGELIST), {"all": ""})
    assert len(elements(every_row, "button", form="reorder-form")) == 12


def test_a_list_too_long_to_show_whole_offers_no_move_buttons_at_all(
    editor_client, seeded, monkeypatch
):
    """ "Show all" shows pages still when there are more rows than it may show at once."""
    from organizations.admin import MemberOrganizationAdmin

    monkeypatch.setattr(MemberOrganizationAdmin, "list_per_page", 4)
    monkeypatch.setattr(MemberOrganizationAdmin, "list_max_show_all", 5)
    response = editor_client.get(reverse(CHANGELIST), {"all": ""})
    assert elements(response, "button", form="reorder-form") == []
    assert not elements(response, "a", href=f"{reverse(CHANGELIST)}?all=")


def test_the_move_address_answers_head_as_get(editor_client, seeded):
    url = reverse("admin:organizations_memberorganization_move")
    assert editor_client.head(url).status_code == 302


def test_the_move_address_says_nothing_to_those_who_cannot_move(translator_client, seeded):
    url = reverse("admin:organizations_memberorganization_move")
    response = translator_client.get(url, follow=True)
    assert "Er is niets verplaatst" not in visible_text(response)


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


def list_form_data(response):
    """What the member list's form posts as a browser sends it."""
    data = {"_save": "x"}
    for field in elements(response, "input"):
        name = field.get("name", "")
        if not name.startswith(("form-", "initial-form-")):
            continue
        if field.get("type") != "checkbox" or "checked" in field:
            data[name] = field.get("value", "on")
    return data


def published_box(data, obj, checked):
    key = next(k for k, v in data.items() if k.endswith("-id") and v == str(obj.pk))
    box = key.removesuffix("-id") + "-is_published"
    if checked:
        data[box] = "on"
    else:
        data.pop(box, None)


def test_editor_unpublishes_from_the_list(editor_client, seeded):
    njr = MemberOrganization.objects.get(slug="njr")
    data = list_form_data(editor_client.get(reverse(CHANGELIST)))
    published_box(data, njr, checked=False)
    response = editor_client.post(reverse(CHANGELIST), data)
    assert response.status_code == 302
    njr.refresh_from_db()
    assert not njr.is_published
    assert MemberOrganization.objects.published().count() == 5


def test_a_stale_list_does_not_undo_another_editors_unpublish(editor_client, seeded):
    njr, unicef = (MemberOrganization.objects.get(slug=s) for s in ("njr", "unicef-nederland"))
    data = list_form_data(editor_client.get(reverse(CHANGELIST)))
    MemberOrganization.objects.filter(pk=unicef.pk).update(is_published=False)  # meanwhile
    published_box(data, njr, checked=False)
    assert editor_client.post(reverse(CHANGELIST), data).status_code == 302
    assert not MemberOrganization.objects.get(pk=njr.pk).is_published
    assert not MemberOrganization.objects.get(pk=unicef.pk).is_published


def save_a_draft(client, obj):
    opened = form_data(client.get(change_url(obj)))
    client.post(change_url(obj), {**opened, "description_nl": "Concept.", "_save_draft": "x"})
    assert Draft.objects.filter(object_id=obj.pk).exists()


def test_a_list_edit_keeps_another_editors_draft(editor_client, seeded):
    njr = MemberOrganization.objects.get(slug="njr")
    opened = form_data(editor_client.get(change_url(njr)))
    editor_client.post(
        change_url(njr), {**opened, "description_nl": "Concept.", "_save_draft": "x"}
    )
    data = list_form_data(editor_client.get(reverse(CHANGELIST)))
    published_box(data, njr, checked=False)
    assert editor_client.post(reverse(CHANGELIST), data).status_code == 302
    assert Draft.objects.filter(object_id=njr.pk).exists()


def test_deleting_an_organization_deletes_its_draft(editor_client, seeded):
    njr = MemberOrganization.objects.get(slug="njr")
    opened = form_data(editor_client.get(change_url(njr)))
    editor_client.post(
        change_url(njr), {**opened, "description_nl": "Concept.", "_save_draft": "x"}
    )
    njr.delete()
    assert not Draft.objects.exists()


def test_each_published_checkbox_in_the_list_names_its_organization(editor_client, seeded):
    response = editor_client.get(reverse("admin:organizations_memberorganization_changelist"))
    assert b"organizations/admin.css" in response.content
    assert b"translations/admin-tabs.js" in response.content
    labels = [box.get("aria-label") for box in elements(response, "input", type="checkbox")]
    assert "NJR gepubliceerd" in labels
    assert "Terre des Hommes gepubliceerd" in labels


def test_a_list_edit_keeps_what_was_saved_while_it_ran(editor_client, seeded, monkeypatch):
    """Django reads the list's rows before saving them; a save in between must not be undone."""
    from organizations.admin import MemberOrganizationAdmin

    njr = MemberOrganization.objects.get(slug="njr")
    data = list_form_data(editor_client.get(reverse(CHANGELIST)))
    published_box(data, njr, checked=False)
    read_rows = MemberOrganizationAdmin.save_form

    def save_form_after_a_change_form_save(self, request, form, change):
        MemberOrganization.objects.filter(pk=njr.pk).update(description_en="New text.")
        return read_rows(self, request, form, change)

    monkeypatch.setattr(MemberOrganizationAdmin, "save_form", save_form_after_a_change_form_save)
    assert editor_client.post(reverse(CHANGELIST), data).status_code == 302

    njr.refresh_from_db()
    assert (njr.is_published, njr.description_en) == (False, "New text.")
    assert njr.history.first().description_en == "New text.", "history records the row as saved"


def test_a_list_edit_of_a_row_deleted_meanwhile_saves_nothing_for_it(
    editor_client, seeded, monkeypatch
):
    from organizations.admin import MemberOrganizationAdmin

    njr = MemberOrganization.objects.get(slug="njr")
    data = list_form_data(editor_client.get(reverse(CHANGELIST)))
    published_box(data, njr, checked=False)
    read_rows = MemberOrganizationAdmin.save_form

    def save_form_after_a_delete(self, request, form, change):
        MemberOrganization.objects.filter(pk=njr.pk).delete()
        return read_rows(self, request, form, change)

    monkeypatch.setattr(MemberOrganizationAdmin, "save_form", save_form_after_a_delete)
    response = editor_client.post(reverse(CHANGELIST), data, follow=True)

    assert response.status_code == 200
    assert "is intussen verwijderd" in visible_text(response)
    assert not MemberOrganization.objects.filter(pk=njr.pk).exists()


# One transaction per reorder ------------------------------------------------------------------

SORTABLE_UPDATE = "admin:organizations_memberorganization_sortable_update"


def positions():
    return dict(MemberOrganization.objects.values_list("slug", "position"))


def drag(client, *placed):
    """Post what the drag handle posts: [(slug, position), …]."""
    pks = dict(MemberOrganization.objects.values_list("slug", "pk"))
    items = [[pks[slug], position] for slug, position in placed]
    return client.post(
        reverse(SORTABLE_UPDATE),
        json.dumps({"updatedItems": items}),
        content_type="application/json",
    )


@pytest.mark.django_db(transaction=True)
def test_a_drag_with_a_negative_position_changes_nothing(editor_client, seeded):
    before, history = positions(), MemberOrganization.history.count()
    response = drag(editor_client, ("njr", 50), ("unicef-nederland", -5))
    assert response.status_code == 400
    assert positions() == before
    assert MemberOrganization.history.count() == history


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("reorder", ["drag", "move"])
def test_a_reorder_that_fails_halfway_changes_nothing(editor_client, seeded, monkeypatch, reorder):
    saved = []
    set_position = ordering.set_position

    def fail_at_the_second_row(row, position):
        if saved:
            raise DatabaseError("the database went away")
        saved.append(row)
        set_position(row, position)

    monkeypatch.setattr(ordering, "set_position", fail_at_the_second_row)
    before = positions()
    if reorder == "drag":
        assert drag(editor_client, ("njr", 50), ("unicef-nederland", 30)).status_code == 400
    else:
        with pytest.raises(DatabaseError):
            ordering.move(MemberOrganization.objects.get(slug="njr"), "down")
    assert saved, "the first row was saved before the failure"
    assert positions() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("reorder", ["drag", "move"])
def test_each_reorder_saves_its_rows_in_one_transaction(
    editor_client, seeded, monkeypatch, reorder
):
    """On SQLite the transaction holds the database's write lock from its start."""
    in_transaction = []
    set_position = ordering.set_position

    def watched(row, position):
        in_transaction.append(connection.in_atomic_block)
        set_position(row, position)

    monkeypatch.setattr(ordering, "set_position", watched)
    if reorder == "drag":
        assert drag(editor_client, ("njr", 50), ("unicef-nederland", 30)).status_code == 200
    else:
        njr = MemberOrganization.objects.get(slug="njr")
        url = reverse("admin:organizations_memberorganization_move")
        assert editor_client.post(url, {"move": f"{njr.pk}:down"}).status_code == 302
    assert in_transaction == [True, True]


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("reorder", ["drag", "move"])
def test_a_reorder_locks_the_rows_until_it_is_saved(editor_client, seeded, monkeypatch, reorder):
    njr, unicef = (MemberOrganization.objects.get(slug=s) for s in ("njr", "unicef-nederland"))
    locked = []
    set_position = ordering.set_position

    def watched(row, position):
        locked.append(
            (
                row_is_locked(MemberOrganization, njr.pk),
                row_is_locked(MemberOrganization, unicef.pk),
            )
        )
        set_position(row, position)

    monkeypatch.setattr(ordering, "set_position", watched)
    if reorder == "drag":
        assert drag(editor_client, ("njr", 50), ("unicef-nederland", 30)).status_code == 200
    else:
        ordering.move(njr, "down")
    assert set(locked) == {(True, True)}
    assert not row_is_locked(MemberOrganization, njr.pk), "and free again once saved"


def test_drags_from_two_pages_at_once_leave_no_two_rows_in_one_place(editor_client, seeded):
    """Both pages showed the same order; each drag moved another row to the top."""
    shown = order()
    first, second, third, fourth = shown[:4]
    assert (
        drag(editor_client, (fourth, 10), (first, 20), (second, 30), (third, 40)).status_code == 200
    )
    assert drag(editor_client, (third, 10), (first, 20), (second, 30)).status_code == 200
    assert order()[:4] == [third, fourth, first, second], "the last drag's row comes first"
    assert len(set(positions().values())) == len(shown)


def test_a_move_saves_only_the_two_rows_it_swaps(editor_client, seeded, member_factory):
    """Members added or deleted leave the positions uneven; a move does not renumber them all.

    Renumbering would save, and add a version to the history of, every member after the gap:
    hundreds of saves for one press of a button.
    """
    for number in range(40):
        member_factory(slug=f"lid-{number}", position=1000 + 3 * number)
    rows = list(MemberOrganization.objects.all())
    moved, above = rows[20], rows[19]
    history = MemberOrganization.history.count()
    response = editor_client.post(
        reverse("admin:organizations_memberorganization_move"), {"move": f"{moved.pk}:up"}
    )
    assert response.status_code == 302
    assert order()[19:21] == [moved.slug, above.slug]
    assert MemberOrganization.history.count() == history + 2
    untouched = [row for row in rows if row.pk not in (moved.pk, above.pk)]
    assert [row.position for row in untouched] == [
        MemberOrganization.objects.get(pk=row.pk).position for row in untouched
    ]


def test_a_move_among_rows_in_one_place_still_renumbers_them(editor_client, seeded):
    """Two rows at the same position cannot swap it: the order is renumbered instead."""
    MemberOrganization.objects.update(position=0)
    shown = order()
    second = MemberOrganization.objects.get(slug=shown[1])
    editor_client.post(
        reverse("admin:organizations_memberorganization_move"), {"move": f"{second.pk}:up"}
    )
    assert order() == [shown[1], shown[0], *shown[2:]]
    assert sorted(positions().values()) == [10 * n for n in range(1, len(shown) + 1)]


def test_a_move_with_many_members_takes_a_fixed_number_of_queries(
    editor_client, seeded, member_factory, django_assert_max_num_queries
):
    for number in range(60):
        member_factory(slug=f"lid-{number}", position=1000 + number)
    moved = MemberOrganization.objects.get(slug="lid-30")
    with django_assert_max_num_queries(40):
        editor_client.post(
            reverse("admin:organizations_memberorganization_move"), {"move": f"{moved.pk}:up"}
        )


@pytest.mark.parametrize("page", ["abc", "", "2.5", "\u0661x"])
def test_a_list_on_several_pages_with_a_page_number_that_is_none_shows_the_first(
    editor_client, seeded, monkeypatch, page
):
    """As Django's own lists do: the first page, not a server error."""
    from organizations.admin import MemberOrganizationAdmin

    monkeypatch.setattr(MemberOrganizationAdmin, "list_per_page", 4)
    response = editor_client.get(reverse(CHANGELIST), {"p": page})
    assert response.status_code == 200
    assert len(elements(response, "input", name="_selected_action")) == 4
