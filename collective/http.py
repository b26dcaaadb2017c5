"""What every public address shares in how it answers HTTP methods and redirects."""

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
