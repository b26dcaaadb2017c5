"""The translators' pages and the history page: no WCAG A/AA violation, and no sideways page.

The admin itself is Django's; these are the pages this project adds or rebuilds, in Django's
light and dark themes.
"""

import pytest
from playwright.sync_api import expect

from organizations.models import MemberOrganization
from tests.browser.test_accessibility import WCAG_TAGS, describe
from tests.quality import AXE_JS, INSTALL_HINT, missing_tool
from tests.translations.conftest import change_source
from tests.translations.test_exchange import edited_export

pytestmark = pytest.mark.browser

RUN_AXE_IN = """async ([context, tags]) => {
  const results = await axe.run(context, {runOnly: {type: "tag", values: tags}});
  return {passes: results.passes.length, violations: results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }))};
}"""

# Django's admin follows the system's colour scheme unless the editor picks a theme with the
# toggle in its header: {id: (the system's scheme, the theme picked or None)}.
THEMES = {
    "light": ("light", None),
    "dark": ("dark", None),
    "dark-picked": ("light", "dark"),
    "light-picked": ("dark", "light"),
}


@pytest.fixture
def open_for_axe(logged_in, editor):
    """`open_for_axe(color_scheme, theme)`: an editor's page that lets axe in.

    The CSP refuses axe's inline script otherwise. `theme` is what the admin's theme toggle
    stores ("light", "dark"); None leaves it at "auto".
    """
    if not AXE_JS.exists():
        missing_tool(f"axe-core is not installed at {AXE_JS} ({INSTALL_HINT})")

    def open_page(color_scheme="light", theme=None):
        return logged_in(editor, theme=theme, bypass_csp=True, color_scheme=color_scheme)

    return open_page


def axe_report(page, url, context=None):
    """Run axe on `context` (the whole document by default) and return a line per violation."""
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate(RUN_AXE_IN, [context or {"include": [["html"]]}, WCAG_TAGS])
    assert results["passes"] or results["violations"], f"axe checked nothing on {url}"
    return describe(url, results["violations"])


@pytest.mark.parametrize("width", [1280, 360])
def test_the_pages_an_editor_works_in_are_accessible_at_any_width(open_for_axe, site, width):
    """Django's own pages with the project's fixes: language tabs that hold no second control,
    filter choices big enough to tap, underlined links in the breadcrumbs."""
    from collective.models import Collective
    from organizations.models import AdvisoryBody

    page = open_for_axe()
    page.set_viewport_size({"width": width, "height": 800})
    njr = MemberOrganization.objects.get(slug="njr")
    urls = [
        "/admin/",
        "/admin/organizations/memberorganization/",
        f"/admin/organizations/memberorganization/{njr.pk}/change/",
        "/admin/organizations/memberorganization/add/",
        f"/admin/organizations/advisorybody/{AdvisoryBody.objects.get().pk}/change/",
        f"/admin/collective/collective/{Collective.load().pk}/change/",
        "/admin/password_change/",
    ]
    report = []
    for url in urls:
        page.goto(f"{site}{url}")
        if "/change/" in url or url.endswith("/add/"):
            page.locator('[role="tab"]').first.wait_for()
        report += axe_report(page, f"{url} [{width}px]")

    assert not report, "\n".join(report)


def test_a_language_tab_is_one_control_for_the_mouse_and_the_keyboard(open_for_axe, site):
    page = open_for_axe()
    njr = MemberOrganization.objects.get(slug="njr")
    page.goto(f"{site}/admin/organizations/memberorganization/{njr.pk}/change/")
    english = page.get_by_role("tab", name="en").first
    english.wait_for()
    assert not english.locator("a[href], [tabindex]").count(), "a focusable link in the tab"

    english.click()
    expect(page.locator("#id_name_en")).to_be_visible()
    expect(page.locator("#id_name_nl")).to_be_hidden()

    page.keyboard.press("ArrowLeft")  # the tab took the focus: back to Dutch
    expect(page.locator("#id_name_nl")).to_be_visible()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "tab"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 360])
def test_translation_pages_and_history_are_accessible_at_any_width(
    open_for_axe, site, width, color_scheme
):
    page = open_for_axe(color_scheme)
    page.set_viewport_size({"width": width, "height": 800})
    njr = MemberOrganization.objects.get(slug="njr")
    njr.description_nl = "Een nieuwe Nederlandse tekst."  # outdated English: a diff to show
    njr.save()
    urls = [
        "/admin/translations/",
        f"/admin/translations/organizations/memberorganization/{njr.pk}/en/?all=1",
        "/admin/translations/export/",
        "/admin/translations/import/",
        f"/admin/organizations/memberorganization/{njr.pk}/history/",
    ]
    report, too_wide = [], []
    for url in urls:
        page.goto(f"{site}{url}")
        report += axe_report(page, f"{url} [{width}px, {color_scheme}]")
        if page.evaluate("document.documentElement.scrollWidth") > width:
            too_wide.append(url)
    assert not report, "\n".join(report)
    assert not too_wide, f"wider than {width}px: {too_wide}"


@pytest.mark.parametrize(("color_scheme", "theme"), THEMES.values(), ids=THEMES.keys())
def test_the_word_diff_of_a_changed_source_is_readable_in_every_theme(
    open_for_axe, site, color_scheme, theme
):
    page = open_for_axe(color_scheme, theme)
    njr = MemberOrganization.objects.get(slug="njr")
    njr.description_nl = njr.description_nl.replace("Wij staan", "Wij gaan", 1)  # one word
    njr.save()
    url = f"/admin/translations/organizations/memberorganization/{njr.pk}/en/"
    page.goto(f"{site}{url}")
    diff = page.locator(".translator-diff")
    assert diff.locator("del").count(), "the replaced word is shown as deleted"
    assert diff.locator("ins").count(), "the new word is shown as inserted"

    report = axe_report(page, url, {"include": [[".translator-diff"]]})

    assert not report, "\n".join(report)


@pytest.mark.parametrize(("color_scheme", "theme"), THEMES.values(), ids=THEMES.keys())
def test_translation_states_are_readable_in_every_theme(open_for_axe, site, color_scheme, theme):
    """In the member list, and as tab flags and field notes in the change form."""
    page = open_for_axe(color_scheme, theme)
    njr = MemberOrganization.objects.get(slug="njr")
    njr.description_nl += " Sinds 2020 ook in Caribisch Nederland."  # English is now outdated
    njr.save()
    no_text = MemberOrganization.objects.get(slug="terre-des-hommes")  # missing in Dutch
    states = {"include": [[".translation-state"], [".translation-flag"], [".translation-note"]]}
    report = []
    for url, shown in [
        (
            "/admin/organizations/memberorganization/",
            [".translation-state--missing", ".translation-state--outdated"],
        ),
        (
            f"/admin/organizations/memberorganization/{njr.pk}/change/",
            [".translation-flag--outdated", ".translation-note"],
        ),
        (
            f"/admin/organizations/memberorganization/{no_text.pk}/change/",
            [".translation-flag--missing"],
        ),
    ]:
        page.goto(f"{site}{url}")
        for selector in shown:
            assert page.locator(selector).count(), f"{selector} on {url}"
        report += axe_report(page, url, states)

    assert not report, "\n".join(report)


# A translation with a word longer than a phone is wide, as a pasted address can be.
LONG_TRANSLATION = (
    "NJR is the youth network of the Netherlands, with its annual reports at "
    "https://www.njr.nl/over-njr/jaarverslagen-en-publicaties-van-de-nationale-jeugdraad."
)


@pytest.mark.parametrize("width", [1280, 360])
def test_the_import_preview_fits_the_window_with_its_conflicts_in_view(open_for_axe, site, width):
    page = open_for_axe()
    page.set_viewport_size({"width": width, "height": 800})
    njr = MemberOrganization.objects.get(slug="njr")
    content = edited_export(njr, text=LONG_TRANSLATION)
    change_source(njr, "description", f"{njr.description_nl} Sinds 2020 ook op Bonaire.")
    page.goto(f"{site}/admin/translations/import/")
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "vertaling.xlf", "mimeType": "application/xml", "buffer": content}]
    )
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    conflicts = page.locator("table.exchange-preview", has_text=LONG_TRANSLATION)
    assert conflicts.count() == 1, "the conflict is in the preview"

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for text in conflicts.locator(".translator-source").all():
        overflow = text.evaluate("box => box.scrollWidth - box.clientWidth")
        assert overflow <= 0, f"a text runs out of its box: {text.inner_text()[:40]}"
    for cell in conflicts.locator("th, td").all():
        assert cell.bounding_box()["width"] >= 128, "a column too narrow to read"
    # What does not fit is reached by scrolling the table, not the page.
    conflicts.evaluate("table => table.parentElement.scrollBy(table.scrollWidth, 0)")
    text_in_file = conflicts.locator("td").last.bounding_box()
    assert 0 <= text_in_file["x"] <= text_in_file["x"] + text_in_file["width"] <= width
    report = axe_report(page, f"import preview [{width}px]")
    assert not report, "\n".join(report)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 360, 320])
def test_the_texts_of_a_member_deleted_while_editing_are_readable_whole(
    open_for_axe, site, width, color_scheme
):
    """The page that gives an editor's texts back: no violation, and each text shown whole.

    At 320 px axe looks at the page's own content: Django's header and sidebar links are
    smaller than 24 px there on every admin page.
    """
    page = open_for_axe(color_scheme)
    page.set_viewport_size({"width": width, "height": 800})
    member = MemberOrganization.objects.get(slug="njr")
    page.goto(f"{site}/admin/organizations/memberorganization/{member.pk}/change/")
    typed = "Een nieuwe beschrijving die de redacteur niet kwijt wil. " * 12
    page.locator("#id_description_nl").fill(typed)
    member.delete()
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.locator("input[name=_save]").click()
    assert posted.value.status == 410

    context = {"include": [["#content"]]} if width < 360 else None
    report = axe_report(page, f"deleted while editing [{width}px, {color_scheme}]", context)
    assert not report, "\n".join(report)
    text = page.get_by_role("textbox", name="Beschrijving [nl]")
    assert text.input_value().strip() == typed.strip()
    size = text.evaluate(
        "t => ({width: t.clientWidth, scrolls: t.scrollHeight > t.clientHeight + 1,"
        " main: document.getElementById('content-main').clientWidth})"
    )
    assert size["width"] >= size["main"] * 0.9, "the text takes a narrow strip of the page"
    assert not size["scrolls"], "the text is cut off: it scrolls inside its box"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
