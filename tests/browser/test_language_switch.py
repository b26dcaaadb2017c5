import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_switcher_takes_the_visitor_to_the_same_page_in_the_other_language(page, site):
    page.goto(f"{site}/nl/wie-zijn-wij/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie zijn wij")

    page.get_by_role("navigation", name="Kies een taal").get_by_role("link", name="English").click()

    expect(page).to_have_url(f"{site}/en/who-are-we/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who are we")
    expect(page.get_by_role("heading", name="Our members")).to_be_visible()


def test_switching_on_a_member_page_stays_on_that_member(page, site):
    page.goto(f"{site}/en/who-are-we/")
    page.get_by_role("link", name="Save the Children", exact=True).click()
    expect(page).to_have_url(f"{site}/en/members/save-the-children/")

    page.get_by_role("link", name="Nederlands").click()

    expect(page).to_have_url(f"{site}/nl/leden/save-the-children/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Save the Children")
    expect(page.get_by_text("Save the Children bewaakt de rechten van het kind.")).to_be_visible()


def test_skip_link_is_the_first_stop_for_keyboard_users(page, site):
    page.goto(f"{site}/nl/wie-zijn-wij/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
