from urllib.parse import urlsplit

from django import template
from django.conf import settings

from collective import localization, seo

register = template.Library()


@register.simple_tag
def localized(obj, field):
    """{% localized member "description" as description %}: the text and the language it is in."""
    return localization.localized(obj, field)


@register.simple_tag(takes_context=True)
def language_alternates(context):
    return localization.language_alternates(context["request"])


@register.filter
def language_name(code):
    """The name of a language in the active language, e.g. "Engels" for "en" on a Dutch page."""
    return localization.language_name(code)


@register.simple_tag
def prose(text):
    """{% prose description %}: a localized text as paragraphs, with a note if it is a fallback."""
    return localization.prose(text)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    request = context["request"]
    return request.build_absolute_uri(request.path)


@register.filter
def og_locale(code):
    return seo.og_locale(code)


@register.filter
def json_ld(data):
    return seo.json_ld(data)


@register.simple_tag(takes_context=True)
def x_default_url(context, alternates):
    """The language-negotiating address of the page shown in `alternates`."""
    default = next(a for a in alternates if a.code == settings.LANGUAGE_CODE)
    request = context["request"]
    path = urlsplit(default.url).path
    return request.build_absolute_uri(localization.language_neutral_path(path))
