from django import template
from django.conf import settings
from django.utils.translation import get_language_info

from collective import localization

register = template.Library()


@register.simple_tag
def localized(obj, field):
    """{% localized member "description" as description %}: the text and the language it is in."""
    return localization.localized(obj, field)


@register.simple_tag(takes_context=True)
def language_alternates(context):
    return localization.language_alternates(context["request"])


@register.simple_tag
def default_language():
    return settings.LANGUAGE_CODE


@register.filter
def language_name(code):
    """The name of a language in the active language, e.g. "Engels" for "en" on a Dutch page."""
    return get_language_info(code)["name_translated"]
