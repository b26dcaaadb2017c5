import pytest
from playwright.sync_api import expect

from organizations.models import MemberOrganization
from tests.browser.conftest import STAFF_PASSWORD as PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def staff_page(logged_in, django_user_model):
    return logged_in(django_user_model.objects.create_superuser("beheerder", password=PASSWORD))


@pytest.fixture
def outdated_njr(site):
    njr = MemberOrganization.objects.get(slug="njr")
    njr.description_nl += " Sinds 2020 ook in Caribisch Nederland."
    njr.save()
    return njr


def test_language_tab_with_an_outdated_field_is_marked(staff_page, site, outdated_njr):
    staff_page.goto(f"{site}/admin/organizations/memberorganization/{outdated_njr.pk}/change/")
    english_tabs = staff_page.get_by_role("tab", name="EN")
    expect(english_tabs.filter(has_text="(verouderd)")).to_have_count(1)
    expect(staff_page.get_by_role("tab", name="NL").filter(has_text="(")).to_have_count(0)
    switch = staff_page.locator("#modeltranslation-main-switch")
    expect(switch).to_have_attribute("aria-label", "Toon de velden van één taal")


def test_translator_view_works_with_the_keyboard_alone(staff_page, site, outdated_njr):
    staff_page.goto(
        f"{site}/admin/translations/organizations/memberorganization/{outdated_njr.pk}/en/"
    )
    target = staff_page.get_by_label("Vertaling (EN)")
    for _ in range(40):
        staff_page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            break
    expect(target).to_be_focused()
    staff_page.keyboard.press("ControlOrMeta+a")
    staff_page.keyboard.type("NJR is the youth network of the Netherlands, also overseas.")
    staff_page.keyboard.press("Tab")
    expect(staff_page.get_by_role("button", name="Bevestigen: nog steeds juist")).to_be_focused()
    staff_page.keyboard.press("Tab")
    expect(staff_page.get_by_role("button", name="Opslaan", exact=True)).to_be_focused()
    staff_page.keyboard.press("Enter")

    expect(staff_page.get_by_text("De vertaling is opgeslagen.")).to_be_visible()
    outdated_njr.refresh_from_db()
    assert (
        outdated_njr.description_en == "NJR is the youth network of the Netherlands, also overseas."
    )


def test_the_translator_views_buttons_are_as_big_as_save(staff_page, site, outdated_njr):
    staff_page.goto(
        f"{site}/admin/translations/organizations/memberorganization/{outdated_njr.pk}/en/"
    )
    save = staff_page.get_by_role("button", name="Opslaan", exact=True).bounding_box()
    confirm = staff_page.get_by_role("button", name="Bevestigen: nog steeds juist")
    assert confirm.bounding_box()["height"] == save["height"] >= 24


def test_enter_in_a_text_field_saves_without_confirming_an_outdated_text(
    staff_page, site, outdated_njr
):
    """Enter submits with the form's first button, which must be Save, not a "still correct"."""
    from collective.translations import status

    MemberOrganization.objects.filter(pk=outdated_njr.pk).update(name_en="")
    staff_page.goto(
        f"{site}/admin/translations/organizations/memberorganization/{outdated_njr.pk}/en/"
    )
    staff_page.get_by_label("Vertaling (EN)").first.fill("NJR, the youth network")
    staff_page.get_by_label("Vertaling (EN)").first.press("Enter")

    expect(staff_page.get_by_text("De vertaling is opgeslagen.")).to_be_visible()
    expect(staff_page.get_by_text("Bevestigd als nog steeds juist.")).to_have_count(0)
    outdated_njr.refresh_from_db()
    assert outdated_njr.name_en == "NJR, the youth network"
    assert status.status_for(outdated_njr)[("description", "en")].state == status.OUTDATED


def test_translator_fills_a_missing_english_text_that_the_public_page_then_shows(
    logged_in, site, django_user_model
):
    from django.contrib.auth.models import Group

    from collective.translations import roles

    MemberOrganization.objects.filter(slug="njr").update(description_en="")
    translator = django_user_model.objects.create_user("vertaler", password=PASSWORD, is_staff=True)
    translator.groups.add(Group.objects.get(name=roles.TRANSLATORS))
    page = logged_in(translator)

    page.get_by_role("link", name="Vertalingen", exact=True).first.click()
    expect(page.get_by_role("heading", name="Voortgang per taal")).to_be_visible()
    description_row = (
        page.get_by_role("row").filter(has_text="Lidorganisaties").filter(has_text="Beschrijving")
    )
    description_row.get_by_role("cell").nth(2).get_by_role("link", name="1 ontbreekt").click()
    page.get_by_role("link", name="NJR", exact=True).click()
    page.get_by_role("link", name="Vertalen naar EN").click()

    page.get_by_label("Vertaling (EN)").fill("NJR is the youth network of the Netherlands.")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("De vertaling is opgeslagen.")).to_be_visible()

    page.goto(f"{site}/en/members/njr/")
    expect(page.get_by_text("NJR is the youth network of the Netherlands.")).to_be_visible()
    expect(page.get_by_text("not yet available in English")).to_have_count(0)
