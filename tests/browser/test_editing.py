import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from organizations.models import MemberOrganization
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.browser


def wait_until(condition, page, attempts=50):
    """The reorder is saved by a background request; give it a moment to land."""
    for _attempt in range(attempts):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("the change never reached the database")


def slugs_in_order():
    return list(MemberOrganization.objects.values_list("slug", flat=True))


def test_editor_changes_english_text_and_reorders_members_and_visitors_see_both(editor_page, site):
    page = editor_page
    page.goto(f"{site}/admin/organizations/memberorganization/")
    page.get_by_role("link", name="NJR", exact=True).click()
    page.get_by_role("tab", name="EN").nth(1).click()
    page.locator("#id_description_en").fill("NJR connects young people across the Netherlands.")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("gewijzigd")

    rows = page.locator("#result_list tbody tr")
    save_the_children = rows.filter(has_text="Save the Children").locator("div.drag.handle")
    njr = rows.filter(has_text="NJR").locator("div.drag.handle")
    # Once the list's scripts have set up dragging, and in steps, as a hand moves: the
    # sortable list follows the moves in between. A single jump was missed on a slow machine.
    page.wait_for_load_state("load")
    save_the_children.drag_to(njr, steps=10)
    expect(rows.nth(2)).to_contain_text("Save the Children")
    wait_until(lambda: slugs_in_order()[2:4] == ["save-the-children", "njr"], page)

    page.goto(f"{site}/en/who-are-we/")
    headings = page.get_by_role("heading", level=3)
    expect(headings.nth(2)).to_have_text("Save the Children")
    expect(headings.nth(3)).to_have_text("NJR")
    expect(page.get_by_text("NJR connects young people across the Netherlands.")).to_be_visible()


def test_keyboard_only_reordering(editor_page, site):
    page = editor_page
    page.goto(f"{site}/admin/organizations/memberorganization/")
    down = page.get_by_role("button", name="NJR omlaag")
    down.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("NJR is verplaatst.")).to_be_visible()
    assert slugs_in_order()[2:4] == ["save-the-children", "njr"]
    expect(page.get_by_role("button", name="NJR omlaag")).to_be_focused()
    box = page.get_by_role("button", name="NJR omlaag").bounding_box()
    assert min(box["width"], box["height"]) >= 24, "a target of at least 24 × 24 px"
    page.keyboard.press("Enter")  # again, without looking for the button
    expect(page.get_by_text("NJR is verplaatst.")).to_be_visible()
    wait_until(lambda: slugs_in_order()[3:5] == ["unicef-nederland", "njr"], page)


def test_a_drag_that_is_not_stored_says_so(editor_page, site, django_user_model):
    """A session that ended meanwhile: the save is redirected to the login page, answering 200."""
    from django.contrib.sessions.models import Session

    page = editor_page
    page.goto(f"{site}/admin/organizations/memberorganization/")
    page.wait_for_load_state("load")
    before = slugs_in_order()
    Session.objects.all().delete()  # signed out elsewhere

    rows = page.locator("#result_list tbody tr")
    save_the_children = rows.filter(has_text="Save the Children").locator("div.drag.handle")
    njr = rows.filter(has_text="NJR").locator("div.drag.handle")
    save_the_children.drag_to(njr, steps=10)

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("De nieuwe volgorde kon niet worden opgeslagen")
    alert.get_by_role("link", name="Laad de lijst opnieuw").click()
    expect(page).to_have_url(f"{site}/admin/login/?next=/admin/organizations/memberorganization/")
    assert slugs_in_order() == before


def test_what_was_typed_when_the_session_ended_is_filled_in_again_after_login(
    editor_page, editor, site
):
    page = editor_page
    njr = MemberOrganization.objects.get(slug="njr")
    page.goto(f"{site}/admin/organizations/memberorganization/{njr.pk}/change/")
    typed = "Geschreven terwijl de sessie verliep."
    page.locator("#id_description_nl").fill(typed)
    page.locator("#id_website").fill("https://www.njr.nl/nieuw/")
    Session.objects.all().delete()  # the working day is over

    page.get_by_role("button", name="Opslaan", exact=True).click()

    page.wait_for_url(lambda url: "/admin/login/" in url)
    expect(page.locator(".messagelist")).to_contain_text("Uw sessie was verlopen")
    page.locator("#id_username").fill(editor.username)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(lambda url: f"/{njr.pk}/change/" in url)
    expect(page.locator("#id_description_nl")).to_have_value(typed)
    expect(page.locator("#id_website")).to_have_value("https://www.njr.nl/nieuw/")
    expect(page.locator("#unsaved-form-note")).to_be_visible()
    expect(page.locator("#unsaved-form-note")).to_contain_text("Er is nog niets opgeslagen")
    njr.refresh_from_db()
    assert njr.description_nl != typed

    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("gewijzigd")
    njr.refresh_from_db()
    assert (njr.description_nl, njr.website) == (typed, "https://www.njr.nl/nieuw/")


def test_a_refused_save_opens_at_the_note_that_says_what_to_correct(editor_page, site):
    page = editor_page
    njr = MemberOrganization.objects.get(slug="njr")
    page.goto(f"{site}/admin/organizations/memberorganization/{njr.pk}/change/")
    page.locator("#id_name_nl").fill("")

    page.get_by_role("button", name="Opslaan", exact=True).click()

    note = page.locator("#content-main .errornote")
    expect(note).to_be_visible()
    expect(note).to_be_focused()


def test_the_login_page_keeps_the_focus_on_the_name_after_a_failed_login(browser, site, editor):
    page = browser.new_page(locale="nl-NL")
    page.goto(f"{site}/admin/login/")
    page.locator("#id_username").fill(editor.username)
    page.locator("#id_password").fill("not the password")
    page.locator("#login-form [type=submit]").click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator("#id_username")).to_be_focused()
    page.close()
