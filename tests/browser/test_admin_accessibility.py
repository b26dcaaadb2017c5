"""The translators' pages and the history page: no WCAG A/AA violation, and no sideways page.

The admin itself is Django's; these are the pages this project adds or rebuilds. Django's own
breadcrumbs are left out of the check (their links are told apart by colour, in Django's CSS).
"""

import pytest

from organizations.models import MemberOrganization
from tests.browser.conftest import STAFF_PASSWORD
from tests.browser.test_accessibility import WCAG_TAGS, describe
from tests.quality import AXE_JS, INSTALL_HINT, missing_tool

pytestmark = pytest.mark.browser

RUN_AXE_WITHOUT_BREADCRUMBS = """async (tags) => {
  const context = {exclude: [[".breadcrumbs"]]};
  const results = await axe.run(context, {runOnly: {type: "tag", values: tags}});
  return {passes: results.passes.length, violations: results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }))};
}"""


@pytest.fixture
def editor_page_for_axe(browser, site, django_user_model):
    """An editor's page that lets axe in (the CSP refuses its inline script otherwise)."""
    from django.contrib.auth.models import Group

    from collective.translations import roles

    if not AXE_JS.exists():
        missing_tool(f"axe-core is not installed at {AXE_JS} ({INSTALL_HINT})")
    editor = django_user_model.objects.create_user(
        "redacteur", password=STAFF_PASSWORD, is_staff=True
    )
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Gebruikersnaam").fill("redacteur")
    page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    yield page
    context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_translation_pages_and_history_are_accessible_at_any_width(
    editor_page_for_axe, site, width
):
    page = editor_page_for_axe
    page.set_viewport_size({"width": width, "height": 800})
    njr = MemberOrganization.objects.get(slug="njr")
    njr.description_nl = "Een nieuwe Nederlandse tekst."  # outdated English: a diff to show
    njr.save()
    urls = [
        "/admin/translations/",
        f"/admin/translations/organizations/memberorganization/{njr.pk}/en/?all=1",
        f"/admin/organizations/memberorganization/{njr.pk}/history/",
    ]
    report, too_wide = [], []
    for url in urls:
        page.goto(f"{site}{url}")
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
        results = page.evaluate(RUN_AXE_WITHOUT_BREADCRUMBS, WCAG_TAGS)
        assert results["passes"] > 0, url
        report += describe(f"{url} [{width}px]", results["violations"])
        if page.evaluate("document.documentElement.scrollWidth") > width:
            too_wide.append(url)
    assert not report, "\n".join(report)
    assert not too_wide, f"wider than {width}px: {too_wide}"
