"""What every public address shares in how it answers HTTP methods and redirects."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe


def read_only(view):
    """A public address that only reads: other methods get 405 Method Not Allowed.

    Without this, CSRF protection would answer a POST first, with a 403 that speaks of a
    missing token; nothing behind these addresses changes anything, so there is nothing for
    that check to protect, and 405 (with `Allow: GET, HEAD`) is the true answer.
    """
    return csrf_exempt(require_safe(view))


def with_query(request, url):
    """A redirect target with the request's query string (a campaign's utm_ tags, say)."""
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


def moved_permanently(request, url):
    """A permanent redirect (with the query string) that browsers and proxies keep only briefly.

    Without Cache-Control, browsers keep a 301 for good, and an address that becomes a page
    again later (a slug taken up again) would stay unreachable for everyone who once followed
    the redirect.
    """
    response = HttpResponsePermanentRedirect(with_query(request, url))
    patch_cache_control(response, public=True, max_age=settings.PROXY_CACHE_SECONDS)
    return response
