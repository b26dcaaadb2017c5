"""The admin and every feature the project adds to it work under the strict CSP."""

import pytest
from playwright.sync_api import expect

from organizations.models import MemberOrganization
from tests.browser.conftest import STAFF_PASSWORD as PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_page(logged_in, django_user_model):
    """An admin page that collects every refusal the Content-Security-Policy reports."""
    page = logged_in(django_user_model.objects.create_superuser("beheerder", password=PASSWORD))
    page.refusals = []
    page.on(
        "console",
        lambda message: (
            page.refusals.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def test_admin_pages_run_without_csp_refusals(admin_page, site):
    njr = MemberOrganization.objects.get(slug="njr")
    pages = [
        "/admin/",
        "/admin/organizations/memberorganization/",
        f"/admin/organizations/memberorganization/{njr.pk}/change/",
        f"/admin/organizations/memberorganization/{njr.pk}/history/",
        "/admin/collective/collective/1/change/",
        "/admin/translations/",
        f"/admin/translations/organizations/memberorganization/{njr.pk}/en/?all=1",
        "/admin/translations/export/",
        "/admin/translations/import/",
        f"/admin/preview/organizations/memberorganization/{njr.pk}/en/",
        "/nl/wie-zijn-wij/",
        "/en/members/njr/",
    ]
    for path in pages:
        admin_page.goto(f"{site}{path}")
        admin_page.wait_for_load_state("load")
    assert admin_page.refusals == []


def test_translation_tabs_and_drag_handles_work_under_the_csp(admin_page, site):
    njr = MemberOrganization.objects.get(slug="njr")
    admin_page.goto(f"{site}/admin/organizations/memberorganization/{njr.pk}/change/")
    expect(admin_page.get_by_role("tab", name="EN").first).to_be_visible()
    admin_page.get_by_role("tab", name="EN").first.click()
    expect(admin_page.locator("#id_name_en")).to_be_visible()
    admin_page.goto(f"{site}/admin/organizations/memberorganization/")
    expect(admin_page.locator("div.drag.handle").first).to_be_visible()
    assert admin_page.refusals == []


@pytest.mark.parametrize("path", ["/nl/wie-zijn-wij/", "/en/members/njr/"])
def test_public_pages_leave_nothing_in_the_browsers_console(browser, site, path):
    """No error or warning: an unknown header value or a refused resource is reported there."""
    context = browser.new_context()
    page = context.new_page()
    messages = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text) if message.type in ("error", "warning") else None
        ),
    )
    page.goto(f"{site}{path}")
    page.wait_for_load_state("load")
    context.close()
    assert messages == []
