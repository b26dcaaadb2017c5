"""What search engines and social networks read about a page: title, description, languages,
and schema.org structured data. Built from the same objects the page shows.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from organizations.models import AdvisoryBody, MemberOrganization

from .localization import localized
from .translations.status import source_language, text, translated_fields

DESCRIPTION_LENGTH = 160
SCHEMA_CONTEXT = "https://schema.org"


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    languages: tuple  # the languages this page's own content really exists in
    structured_data: dict = field(default_factory=dict)
    image: str = ""
    # The collective's name, when the page knows it: a LocalizedText, so that a name shown in
    # another language (no English name yet) is marked with its own `lang` in the header.
    site_name: object = ""


def summary(value, fallback):
    """A meta description: the text in this language, shortened, or a generated sentence."""
    if not value or value.is_fallback:
        return fallback
    return shortened(" ".join(value.text.split()), DESCRIPTION_LENGTH)


def shortened(text, length):
    """The text, or as many of its first words as fit in `length` characters with "…"."""
    if len(text) <= length:
        return text
    words = text[:length].rsplit(" ", 1)[0] if " " in text[:length] else text[: length - 1]
    return words.rstrip(" ,;:–-") + "…"


def content_languages(obj):
    """Languages in which every field that has source text is translated."""
    needed = [name for name in translated_fields(type(obj)) if text(obj, name, source_language())]
    return tuple(
        code for code, _name in settings.LANGUAGES if all(text(obj, name, code) for name in needed)
    )


def who_are_we_meta(request, collective, members):
    name, page_title = localized(collective, "name"), localized(collective, "page_title")
    description = summary(localized(collective, "intro"), str(name))
    page_url = request.build_absolute_uri(collective.get_absolute_url())
    origin = _origin(request)
    return PageMeta(
        title=f"{page_title} | {name}",
        site_name=name,
        description=description,
        languages=content_languages(collective),
        structured_data={
            "@context": SCHEMA_CONTEXT,
            "@type": "Organization",
            "@id": f"{page_url}#organization",
            "name": str(name),
            "url": page_url,
            "description": description,
            "foundingDate": str(collective.founding_year),
            "member": [_organization_reference(origin, member) for member in members],
        },
    )


def organization_meta(request, organization, collective=None):
    name = localized(organization, "name")
    site_name = localized(collective, "name") if collective else _("Children's Rights Collective")
    description = summary(
        localized(organization, "description"), _standing(organization, name, site_name)
    )
    image = _logo_url(request, organization)
    data = {
        "@context": SCHEMA_CONTEXT,
        **_organization_reference(_origin(request), organization),
        "description": description,
    }
    if image:
        data["logo"] = image
    if collective is not None and _is_current_member(organization):
        data["memberOf"] = {
            "@type": "Organization",
            "name": str(site_name),
            "url": request.build_absolute_uri(collective.get_absolute_url()),
        }
    return PageMeta(
        title=f"{name} | {site_name}",
        description=description,
        languages=content_languages(organization),
        structured_data=data,
        image=image,
        site_name=site_name,
    )


def _is_current_member(organization):
    return isinstance(organization, MemberOrganization) and organization.is_current(
        timezone.localdate()
    )


def _standing(organization, name, collective_name):
    """A sentence on how the organization stands to the collective, for a page without text.

    Only what the rows say: an advisor is not called a member, a former member is not
    called one any more.
    """
    values = {"name": name, "collective": collective_name}
    if isinstance(organization, AdvisoryBody):
        role = localized(organization, "role")
        if role and not role.is_fallback:
            return _("%(name)s: %(role)s to the %(collective)s.") % {**values, "role": role}
        return _("%(name)s advises the %(collective)s.") % values
    if organization.is_former:
        return _("%(name)s was a member of the %(collective)s until %(year)s.") % {
            **values,
            "year": organization.left.year,
        }
    if _is_current_member(organization):
        return _("%(name)s is a member of the %(collective)s.") % values
    return _("%(name)s joins the %(collective)s in %(year)s.") % {
        **values,
        "year": organization.joined.year,
    }


def _origin(request):
    """ "https://host" of the request: with a page's path, the address build_absolute_uri gives.

    Organizations' paths come from reverse(), already quoted, so joining them costs nothing;
    build_absolute_uri checks and quotes each of them again, once per member of a long list.
    """
    return request.build_absolute_uri("/").removesuffix("/")


def _organization_reference(origin, organization):
    reference = {
        "@type": "Organization",
        "name": str(localized(organization, "name")),
        "url": origin + organization.get_absolute_url(),
    }
    if organization.website:
        reference["sameAs"] = [organization.website]
    return reference


def _logo_url(request, organization):
    if not organization.logo:
        return ""
    return request.build_absolute_uri(organization.logo.url)


def og_locale(code):
    return settings.OPEN_GRAPH_LOCALES.get(code, code)


def json_ld(data):
    """A <script type="application/ld+json"> block, safe to place in HTML."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        payload = payload.replace(character, escape)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
