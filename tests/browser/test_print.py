"""A printed page is dark text on white paper, whatever colour scheme the reader's system uses.

A reader with a dark system theme who prints "Who are we" or a member page gets the print
layout; its notes, placeholders and footer must not keep the dark scheme's colours (light
grey text on white, black text on a dark brown note).
"""

import pytest

from tests.quality import AXE_JS, INSTALL_HINT, make_variants, missing_tool, public_urls

pytestmark = pytest.mark.browser

# The relative luminance of a colour, and whether a background is as light as paper.
BACKGROUNDS = """() => {
  const luminance = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map(Number).map((value) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return [...document.querySelectorAll(".fallback-note, .logo--placeholder, body")]
    .map((element) => [element.className || element.tagName,
                       getComputedStyle(element).backgroundColor])
    .filter(([, colour]) => !colour.endsWith(", 0)") && luminance(colour) < 0.8)
    .map(([name, colour]) => `${name}: ${colour}`);
}"""

CONTRAST = """async () => {
  const results = await axe.run(document, {runOnly: {type: "rule", values: ["color-contrast"]}});
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${node.target.join(" ")}: ${node.failureSummary}`));
}"""


@pytest.fixture
def page(browser):
    """A page that lets axe in (injected as an inline script, which the site's CSP refuses)."""
    context = browser.new_context(bypass_csp=True, color_scheme="dark")
    yield context.new_page()
    context.close()


def test_printing_in_a_dark_colour_scheme_gives_dark_text_on_light_paper(page, site):
    if not AXE_JS.exists():
        missing_tool(f"axe-core is not installed at {AXE_JS} ({INSTALL_HINT})")
    make_variants()
    page.emulate_media(media="print", color_scheme="dark")
    problems = []
    for url in public_urls():
        page.goto(f"{site}{url}")
        problems += [f"{url}: dark background {found}" for found in page.evaluate(BACKGROUNDS)]
        page.add_script_tag(path=str(AXE_JS))
        problems += [f"{url}: {found}" for found in page.evaluate(CONTRAST)]
    assert not problems, "printed in a dark colour scheme:\n" + "\n".join(problems)
