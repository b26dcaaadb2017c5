"""{% logo organization %}: an organization's logo as the page should show it.

Everything comes from the row (the original's name and size), so rendering opens no image;
the only storage call is whether the renditions exist, and its answer is cached.
"""

from django import template
from django.forms.utils import flatatt
from django.utils.translation import gettext

from collective.markup import format_html
from organizations import images

register = template.Library()


@register.simple_tag
def logo(organization, lazy=True):
    """A <picture> of WebP and PNG renditions at 1x and 2x, or a placeholder without a logo.

    A logo whose renditions are not stored yet (uploaded before they existed, or waiting for
    `regenerate_logo_renditions`) is shown as its original file. `lazy=False` for a logo at
    the top of its page, which the browser should fetch at once.
    """
    if not organization.logo:
        return placeholder(organization)
    name = organization.logo.name
    if _has_size(organization) and images.renditions_available(name):
        return picture(organization, lazy)
    return original_image(organization, lazy)


def placeholder(organization):
    """The organization's initials, hidden from screen readers: its name follows as a heading."""
    return format_html(
        '<span class="logo logo--placeholder" aria-hidden="true">{}</span>',
        organization.initials,
    )


def picture(organization, lazy=True):
    name = organization.logo.name
    width, height = images.rendition_size(organization.logo_width, organization.logo_height, 1)
    png_1x = images.rendition_url(name, "png", 1)
    return format_html(
        '<picture><source type="image/webp" srcset="{}">{}</picture>',
        _srcset(name, "webp"),
        _img(
            organization,
            lazy,
            src=png_1x,
            srcset=_srcset(name, "png"),
            width=width,
            height=height,
        ),
    )


def original_image(organization, lazy=True):
    return _img(
        organization,
        lazy,
        src=organization.logo.url,
        width=organization.logo_width,
        height=organization.logo_height,
    )


def alt_text(organization):
    """The alt text in the page's language, with the name in that language where it has one."""
    # Translators: the text read out instead of an organization's logo.
    return gettext("Logo of %(name)s") % {"name": organization.name}


def _img(organization, lazy, **attrs):
    # flatatt escapes every value and leaves out None (a logo whose size is unknown).
    return format_html(
        "<img{}>",
        flatatt(
            {
                **attrs,
                "alt": alt_text(organization),
                "loading": "lazy" if lazy else "eager",
                "decoding": "async",
                "class": "logo",
            }
        ),
    )


def _srcset(name, extension):
    return ", ".join(
        f"{images.rendition_url(name, extension, density)} {density}x"
        for density in images.DENSITIES
    )


def _has_size(organization):
    return bool(organization.logo_width and organization.logo_height)
