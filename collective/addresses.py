"""Addresses that are no page but plainly mean one: typed with capitals, without the final
slash, or with the page's path in the other language. They redirect to the page.

Done in middleware on the 404 response (as Django's APPEND_SLASH is), so it holds whether
the 404 comes from the URLconf or a view, and with DEBUG on as well as off.
"""

from django.conf import settings
from django.db import DatabaseError
from django.urls import Resolver404, resolve, translate_url
from django.utils.translation import get_language_from_path, override

from .http import moved_permanently

# The URL namespaces of the pages visitors read; not the admin, media or anything else.
PUBLIC_NAMESPACES = ("collective", "organizations")
# The language prefixes themselves (`/nl/`), which lead to "Who are we".
PUBLIC_URL_NAMES = ("home",)


class AddressMeantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            meant = address_meant(request.path)
            if meant is not None:
                return moved_permanently(request, meant)
        return response


def address_meant(path):
    """The page an address that is no page most likely means, or None.

    `/nl/Wie-Zijn-Wij/`, `/NL/WIE-ZIJN-WIJ`, `/WIE-ZIJN-WIJ/` (language-neutral, so it is
    negotiated next) and `/en/leden/njr/` (the English page, `/en/members/njr/`). Only an
    address that leads to a page someone can open: `/nl/leden/NIEMAND/` stays a 404.
    """
    if _public_match(path) is not None:
        return None  # a page's address already: its view looked for what it could mean
    for candidate in _spellings(path):
        meant = _page_for(candidate)
        if meant is not None and meant != path:
            return meant
    return None


def _spellings(path):
    lower = path.lower()
    yield lower
    if not lower.endswith("/"):
        yield f"{lower}/"


def _page_for(path):
    """The page at `path`, in lower case and with the final slash, or in the other language."""
    language = get_language_from_path(path)
    if language is None:  # no language prefix: an address that is negotiated
        prefixed = (f"/{code}{path}" for code, _name in settings.LANGUAGES)
        return path if any(_is_page(other) for other in prefixed) else None
    if _is_page(path):
        return path
    rest = path.removeprefix(f"/{language}/")
    for code, _name in settings.LANGUAGES:
        other = f"/{code}/{rest}"
        if code != language and _is_page(other):
            with override(code):
                return translate_url(other, language)
    return None


def _public_match(path):
    """The URL match of a path in its own language, if it is a public page's address."""
    with override(get_language_from_path(path) or settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    if match.namespace in PUBLIC_NAMESPACES or match.url_name in PUBLIC_URL_NAMES:
        return match
    return None


def _is_page(path):
    """Whether a path, in its own language, is a public page that exists (or once did)."""
    match = _public_match(path)
    if match is None:
        return False
    model = getattr(match.func, "view_initkwargs", {}).get("model")
    slug = match.kwargs.get("slug")
    return model is None or slug is None or _organization_exists(model, slug)


def _organization_exists(model, slug):
    """Asked only of addresses that resolve; with the database away, the 404 stands."""
    from organizations.models import FormerSlug

    try:
        if model.objects.public().filter(slug=slug).exists():
            return True
        return FormerSlug.target(model, slug) is not None
    except DatabaseError:
        return False
