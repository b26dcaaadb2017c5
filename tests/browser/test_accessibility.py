"""axe-core finds no WCAG 2.2 A/AA violation on any public page, in any language, at any width.

axe comes from npm (`tests/tools/node_modules/axe-core`); it is injected into the page as served
by the live server, so it sees the real CSS, colours and layout in Chromium.
"""

import json

import pytest

from tests.quality import (
    AXE_JS,
    INSTALL_HINT,
    make_variants,
    missing_tool,
    not_found_urls,
    public_urls,
    who_are_we_urls,
)

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {"desktop": 1280, "narrow": 320}
HEIGHT = 800

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return {
    version: axe.version,
    passes: results.passes.length,
    violations: results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({
        target: node.target,
        html: node.html,
        summary: node.failureSummary,
      })),
    })),
  };
}"""


@pytest.fixture
def page(browser):
    """A page that lets axe in: it is injected as an inline script, which the site's CSP refuses."""
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        missing_tool(f"axe-core is not installed at {AXE_JS} ({INSTALL_HINT})")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def variant_site(site):
    """The seeded site with a member in fallback text and a former member."""
    make_variants()
    return site


def run_axe(page, axe_source):
    page.add_script_tag(content=axe_source)
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe(where, violations):
    lines = []
    for violation in violations:
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    target {json.dumps(node['target'])}: {node['html']}")
            summary = " ".join((node["summary"] or "").split())
            if summary:
                lines.append(f"      {summary}")
    return lines


def check_pages(page, site, axe_source, urls, label):
    """Load every url, run axe on it and return a report line per violation and node."""
    report = []
    for url in urls:
        response = page.goto(f"{site}{url}")
        assert response is not None, url
        results = run_axe(page, axe_source)
        assert results["passes"] > 0, f"axe checked nothing on {url}"
        report += describe(f"{url} [{label}]", results["violations"])
    return report


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_no_wcag_violations_on_any_page(page, variant_site, axe_source, width):
    page.set_viewport_size({"width": width, "height": HEIGHT})
    urls = public_urls() + not_found_urls()

    report = check_pages(page, variant_site, axe_source, urls, f"{width}px")

    assert not report, f"axe-core found WCAG A/AA violations at {width}px:\n" + "\n".join(report)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_no_wcag_violations_on_who_are_we_in_dark_mode(page, variant_site, axe_source, width):
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": width, "height": HEIGHT})
    page.goto(f"{variant_site}{who_are_we_urls()[0]}")
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")

    report = check_pages(page, variant_site, axe_source, who_are_we_urls(), f"dark, {width}px")

    assert not report, "axe-core found WCAG A/AA violations in dark mode:\n" + "\n".join(report)


def test_axe_reports_what_it_should(page, axe_source):
    """The check can fail: an image without alt text and an unnamed link are violations."""
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Canary</title></head><body><main>'
        '<h1>Canary</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<a href="/somewhere"></a></main></body></html>'
    )
    results = run_axe(page, axe_source)
    assert results["version"].startswith("4.")
    assert {"image-alt", "link-name"} <= {violation["id"] for violation in results["violations"]}


# WCAG 1.4.12: the spacing a reader may set in their own style sheet, as the usual bookmarklet does.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# Elements whose content is wider than their own box and cut off there, not shown outside it.
CLIPPED = """() => [...document.querySelectorAll("body *")]
  .filter((element) => {
    const style = getComputedStyle(element);
    return element.scrollWidth > element.clientWidth + 1
      && [style.overflowX, style.overflow].some((value) => value !== "visible");
  })
  .map((element) => element.outerHTML.slice(0, 120))"""


@pytest.mark.parametrize("variants", [False, True], ids=["seeded", "variants"])
def test_no_page_scrolls_sideways_at_320_pixels_with_wider_text_spacing(page, site, variants):
    """Long Dutch words (the collective's and members' names) wrap instead of sticking out."""
    if variants:
        make_variants()
    page.set_viewport_size({"width": 320, "height": HEIGHT})
    problems = []
    for url in public_urls() + not_found_urls():
        page.goto(f"{site}{url}")
        page.add_style_tag(content=TEXT_SPACING)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            problems.append(f"{url}: the page is {width}px wide")
        problems += [f"{url}: cut off: {html}" for html in page.evaluate(CLIPPED)]
    assert not problems, "at 320px with wider text spacing:\n" + "\n".join(problems)
