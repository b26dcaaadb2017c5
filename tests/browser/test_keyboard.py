"""Keyboard and zoom: the "Who are we" page works with Tab alone, and reflows at 320 px and 400 %.

WCAG 2.2: 2.1.1 Keyboard, 2.4.1 Bypass blocks, 2.4.3 Focus order, 2.4.7 Focus visible,
2.5.8 Target size (minimum) and 1.4.10 Reflow.
"""

from urllib.parse import urljoin

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from organizations.models import AdvisoryBody, MemberOrganization
from tests.quality import LANGUAGES, make_variants, public_urls, who_are_we_urls

pytestmark = pytest.mark.browser

MIN_TARGET = 24  # CSS px, WCAG 2.2 SC 2.5.8

# What the focused element is and how it looks, read right after a Tab.
FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) {
    return null;
  }
  const style = getComputedStyle(element);
  const rect = element.getBoundingClientRect();
  return {
    tag: element.tagName.toLowerCase(),
    href: element.href || null,
    text: element.textContent.trim().replace(/\\s+/g, " "),
    html: element.outerHTML.slice(0, 200),
    isSkipLink: (element.getAttribute("href") || "").startsWith("#"),
    isLanguageLink: element.hasAttribute("hreflang") && element.closest("nav") !== null,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow,
    rect: {x: rect.x, y: rect.y, width: rect.width, height: rect.height},
    inViewport: rect.bottom > 0 && rect.right > 0
      && rect.top < innerHeight && rect.left < innerWidth,
    // The focus ring (outline outside the box) from top to bottom within the window.
    ringInViewport: (() => {
      const ring = Math.max(0, (parseFloat(style.outlineWidth) || 0)
        + (parseFloat(style.outlineOffset) || 0));
      return rect.top - ring >= 0 && rect.bottom + ring <= innerHeight;
    })(),
  };
}"""

# Every focusable target's box on the page, for the 2.5.8 spacing exception.
TARGETS = """() => Array.from(
  document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]"),
).filter((element) => element.tabIndex >= 0 && element.getClientRects().length > 0)
 .map((element) => {
   const rect = element.getBoundingClientRect();
   return {href: element.href || null, x: rect.x, y: rect.y, width: rect.width,
           height: rect.height};
 })"""


@pytest.fixture
def variant_site(site):
    """The seeded site with a member in fallback text and a former member."""
    make_variants()
    return site


def expected_stops(code, page_url):
    """Where Tab must go on "Who are we" in language `code`, in DOM order, as absolute hrefs.

    The skip link, the site name (a link home), the language switcher, then per current member
    its name and its website, the former members' names, and per advisor its name and website.
    """
    with translation.override(code):
        stops = [("skip link", "#main"), ("site name", reverse("collective:who-are-we"))]
        for other in LANGUAGES:
            with translation.override(other):
                stops.append((f"language switcher: {other}", reverse("collective:who-are-we")))
        for organization in [
            *MemberOrganization.objects.current(),
            *MemberOrganization.objects.former(),
            *AdvisoryBody.objects.published(),
        ]:
            stops.append((f"name of {organization.slug}", organization.get_absolute_url()))
            is_former = getattr(organization, "is_former", False)
            if organization.website and not is_former:
                stops.append((f"website of {organization.slug}", organization.website))
    return [(label, urljoin(page_url, href)) for label, href in stops]


def tab_through(page, limit):
    """Press Tab from the top of the page until focus leaves the document; what was focused."""
    focused = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = page.evaluate(FOCUSED)
        if element is None or (focused and element["html"] == focused[0]["html"]):
            break
        focused.append(element)
    return focused


def has_room(target, targets):
    """WCAG 2.5.8's spacing exception for a target smaller than 24 × 24 px.

    A 24 px circle centred on its box must not reach any other target, nor the circle of any
    other undersized target.
    """
    radius = MIN_TARGET / 2
    cx, cy = target["x"] + target["width"] / 2, target["y"] + target["height"] / 2
    for other in targets:
        if other == target:
            continue
        dx = max(other["x"] - cx, 0, cx - (other["x"] + other["width"]))
        dy = max(other["y"] - cy, 0, cy - (other["y"] + other["height"]))
        if (dx**2 + dy**2) ** 0.5 < radius:
            return False
        if other["width"] < MIN_TARGET or other["height"] < MIN_TARGET:
            ox, oy = other["x"] + other["width"] / 2, other["y"] + other["height"] / 2
            if ((ox - cx) ** 2 + (oy - cy) ** 2) ** 0.5 < MIN_TARGET:
                return False
    return True


def is_large_enough(rect):
    return rect["width"] >= MIN_TARGET and rect["height"] >= MIN_TARGET


@pytest.mark.parametrize("code", LANGUAGES)
def test_tab_reaches_exactly_the_links_in_dom_order_with_visible_focus(page, variant_site, code):
    with translation.override(code):
        url = f"{variant_site}{reverse('collective:who-are-we')}"
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url)
    expected = expected_stops(code, page.url)

    focused = tab_through(page, limit=len(expected) + 5)

    problems = []
    if [element["href"] for element in focused] != [href for _label, href in expected]:
        problems.append(
            "Tab order differs. Expected:\n"
            + "\n".join(f"  {label}: {href}" for label, href in expected)
            + "\nFocused:\n"
            + "\n".join(f"  {element['href']}  {element['html']}" for element in focused)
        )
    for element in focused:
        if not element["inViewport"]:
            problems.append(f"Focused but scrolled out of view: {element['html']}")
        shows_outline = element["outlineStyle"] != "none" and element["outlineWidth"] > 0
        if not shows_outline and element["boxShadow"] in ("", "none"):
            problems.append(f"No visible focus indicator: {element['html']}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_target_is_24_px_or_has_24_px_of_room(page, variant_site, code):
    with translation.override(code):
        url = f"{variant_site}{reverse('collective:who-are-we')}"
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url)
    focused = tab_through(page, limit=100)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    targets = page.evaluate(TARGETS)
    assert len(focused) >= len(LANGUAGES) + 1

    problems = []
    for element in focused:
        rect = element["rect"]
        size = f"{rect['width']:.1f} × {rect['height']:.1f} px"
        if is_large_enough(rect):
            continue
        # The skip link and the language switcher must be 24 × 24 px themselves.
        if element["isSkipLink"] or element["isLanguageLink"]:
            problems.append(f"{size}, smaller than 24 × 24: {element['html']}")
            continue
        # Others may be smaller with room around them, measured where they sit (not focused).
        here = [target for target in targets if target["href"] == element["href"]]
        if not here or not any(has_room(target, targets) for target in here):
            problems.append(f"{size} and too close to another target: {element['html']}")
    assert not problems, "Targets below WCAG 2.5.8's 24 px:\n" + "\n".join(problems)


@pytest.mark.parametrize("code", LANGUAGES)
def test_skip_link_moves_focus_to_main(page, variant_site, code):
    with translation.override(code):
        url = f"{variant_site}{reverse('collective:who-are-we')}"
    page.goto(url)

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    first_in_main = page.evaluate("document.activeElement.closest('main') !== null")
    assert first_in_main, "Tab after the skip link should stay inside main"


def scroll_widths(page, site, urls):
    widths = {}
    for url in urls:
        page.goto(f"{site}{url}")
        widths[url] = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
    return widths


def assert_no_horizontal_scroll(widths, viewport_width, label):
    too_wide = {
        url: scroll_width
        for url, (scroll_width, _client) in widths.items()
        if scroll_width > viewport_width
    }
    assert not too_wide, f"Horizontal scrolling {label}: " + ", ".join(
        f"{url} is {width}px wide" for url, width in too_wide.items()
    )


def test_no_horizontal_scrolling_at_320_px(page, variant_site):
    page.set_viewport_size({"width": 320, "height": 640})
    urls = public_urls()
    assert set(who_are_we_urls()) <= set(urls)

    widths = scroll_widths(page, variant_site, urls)

    assert_no_horizontal_scroll(widths, 320, "at 320 px wide")


@pytest.mark.parametrize("code", LANGUAGES)
def test_focus_rings_are_whole_at_400_percent_zoom(browser, variant_site, code):
    """Tab scrolls each link into view with room for its ring, also in a 320 × 256 window."""
    with translation.override(code):
        url = f"{variant_site}{reverse('collective:who-are-we')}"
    context = browser.new_context(viewport={"width": 320, "height": 256}, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto(url)
        focused = tab_through(page, limit=len(expected_stops(code, page.url)) + 5)
    finally:
        context.close()
    cut = [element["html"] for element in focused if not element["ringInViewport"]]
    assert len(focused) > 10
    assert not cut, "Focus ring cut off at the window's edge:\n" + "\n".join(cut)


def test_no_horizontal_scrolling_at_400_percent_zoom(browser, variant_site):
    """400 % zoom of a 1280 × 1024 window is a 320 × 256 CSS px viewport at scale 1."""
    context = browser.new_context(
        viewport={"width": 1280 // 4, "height": 1024 // 4}, device_scale_factor=1
    )
    try:
        page = context.new_page()
        urls = public_urls()
        widths = scroll_widths(page, variant_site, urls)
        assert page.evaluate("innerWidth") == 320
    finally:
        context.close()

    assert_no_horizontal_scroll(widths, 320, "at 400 % zoom (320 × 256)")
