"""The admin at common laptop widths: nothing the editor needs is covered or pushed out of view."""

import pytest
from playwright.sync_api import expect

from organizations.models import MemberOrganization

pytestmark = pytest.mark.browser


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_change_forms_buttons_do_not_cover_the_objects_name(editor_page, site, width):
    page = editor_page
    page.set_viewport_size({"width": width, "height": 900})
    member = MemberOrganization.objects.get(slug="kinderpostzegels")
    page.goto(f"{site}/admin/organizations/memberorganization/{member.pk}/change/")
    name, tools = box(page, "#content h2"), box(page, ".object-tools")
    assert tools["y"] >= name["y"] + name["height"], "the buttons start below the name"


def test_the_move_buttons_are_in_view_at_1280_pixels(editor_page, site):
    page = editor_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site}/admin/organizations/memberorganization/")
    results = box(page, "#changelist .results")
    for direction in ("up", "down"):
        button = box(page, f"button.move-button[value$=':{direction}']")
        assert button["x"] + button["width"] <= results["x"] + results["width"], direction


def test_an_english_admin_opens_the_forms_on_the_dutch_source_tab(logged_in, editor, site):
    page = logged_in(editor, locale="en-GB")
    page.goto(f"{site}/admin/organizations/memberorganization/add/")

    expect(page.locator("#id_name_nl")).to_be_visible()
    expect(page.locator("#id_name_en")).to_be_hidden()
    expect(page.locator("#modeltranslation-main-switch")).to_have_value("0")
    page.locator("#id_name_nl").press_sequentially("Augeo Foundation")
    expect(page.locator("#id_slug")).to_have_value("augeo-foundation")
