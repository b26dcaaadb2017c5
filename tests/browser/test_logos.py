"""Uploaded logos as visitors see them, in the light and the dark colour scheme."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from organizations.models import MemberOrganization

pytestmark = pytest.mark.browser

# Most logos are drawn for a white page: dark lettering on a transparent background.
LETTERING = (20, 20, 20, 255)


def dark_lettering_on_transparent():
    image = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((40, 60, 360, 140), fill=LETTERING)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("lettering.png", buffer.getvalue())


def luminance(pixel):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in pixel[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture
def member_with_dark_logo(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = MemberOrganization.objects.get(slug="njr")
    member.logo = dark_lettering_on_transparent()
    member.save()
    return member


@pytest.mark.parametrize(
    ("scheme", "forced_colors"), [("light", "none"), ("dark", "none"), ("dark", "active")]
)
def test_a_logo_drawn_for_a_white_page_stays_legible_in_every_colour_scheme(
    browser, site, member_with_dark_logo, scheme, forced_colors
):
    """The lettering against what shows through the logo's transparency: 3:1 at least."""
    context = browser.new_context(
        color_scheme=scheme, forced_colors=forced_colors, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.goto(f"{site}{member_with_dark_logo.get_absolute_url()}")
    logo = page.locator("img.logo")
    logo.evaluate("img => img.decode()")
    shot = Image.open(io.BytesIO(logo.screenshot())).convert("RGB")
    context.close()
    width, height = shot.size
    lettering = shot.getpixel((width // 2, height // 2))
    surround = shot.getpixel((width // 2, height // 8))  # above the lettering, transparent
    assert contrast(lettering, LETTERING) < 1.2, "the probe missed the lettering"
    assert contrast(lettering, surround) >= 3, (
        f"{scheme}: lettering {lettering} on {surround} is {contrast(lettering, surround):.1f}:1"
    )


def css_colour(text):
    """`rgb(1, 2, 3)` or `rgba(1, 2, 3, 1)` -> (1, 2, 3)."""
    return tuple(int(float(part)) for part in text[text.index("(") + 1 : -1].split(",")[:3])


@pytest.mark.parametrize(
    ("scheme", "forced_colors"), [("light", "none"), ("dark", "none"), ("dark", "active")]
)
def test_a_logo_that_cannot_be_loaded_shows_its_alt_text_legibly(
    browser, site, member_with_dark_logo, scheme, forced_colors
):
    """A logo that does not arrive (a media server down, a file missing): its alternative text
    is drawn on the logo's light ground, so it needs dark letters in every colour scheme."""
    context = browser.new_context(
        color_scheme=scheme, forced_colors=forced_colors, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.route("**/media/**", lambda route: route.abort())
    page.goto(f"{site}{member_with_dark_logo.get_absolute_url()}")
    text, ground = page.locator("img.logo").evaluate(
        "img => [getComputedStyle(img).color, getComputedStyle(img).backgroundColor]"
    )
    context.close()
    ratio = contrast(css_colour(text), css_colour(ground))
    assert ratio >= 4.5, f"{scheme}: alt text {text} on {ground} is {ratio:.1f}:1"
