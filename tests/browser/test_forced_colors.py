"""In forced colours (Windows contrast themes) the system paints every background alike."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/nl/wie-zijn-wij/", "/en/members/njr/", "/nl/geen-pagina/"])
def test_the_header_keeps_an_edge_when_its_colour_is_gone(browser, site, path):
    context = browser.new_context(forced_colors="active", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{site}{path}")
    style, width, colour = page.locator(".site-header").evaluate(
        "header => { const style = getComputedStyle(header); return [style.borderBottomStyle,"
        " parseFloat(style.borderBottomWidth), style.borderBottomColor]; }"
    )
    context.close()
    assert style != "none", "the header runs into the page"
    assert width >= 1
    assert colour not in ("transparent", "rgba(0, 0, 0, 0)"), "the system shows the edge"
