"""What every address shares: HTTP methods, redirects, and who is asking."""

import functools
import ipaddress
import logging

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe


def read_only(view):
    """A public address that only reads: other methods get 405 Method Not Allowed.

    Without this, CSRF protection would answer a POST first, with a 403 that speaks of a
    missing token; nothing behind these addresses changes anything, so there is nothing for
    that check to protect, and 405 (with `Allow: GET, HEAD`) is the true answer.
    """
    return csrf_exempt(require_safe(view))


def language_neutral(view):
    """An address whose answer is the same in every language (robots.txt, the sitemap, logos).

    LocaleMiddleware marks the answer of every address without a language prefix as varying
    by Accept-Language and gives it a Content-Language: a cache would then keep a copy per
    language header sent. LanguageNeutralMiddleware takes both off what this view returns
    (not off an error page, which is in the visitor's language).
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.language_neutral = True
        return response

    return wrapper


def answers_conditional_requests(view):
    """For a view whose answer is not a cached page (those answer conditional requests in
    collective.caching): an ETag from the content where the view gives none, and 304 for a
    request whose If-None-Match or If-Modified-Since shows the client has the answer already.
    Crawlers fetch robots.txt and the sitemap that way.

    Django's ConditionalGetMiddleware decides, for this view only. The 304 states the length
    of the answer it stands for, as RFC 9110 8.6 allows; CommonMiddleware would write 0.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):  # a TemplateResponse, such as the sitemap's
            response.render()
        answer = ConditionalGetMiddleware(lambda request: response)(request)
        if answer.status_code == 304 and not response.streaming:
            answer["Content-Length"] = str(len(response.content))
        return answer

    return wrapper


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


def client_ip(request):
    """The visitor's address, for the login lockout (AXES_CLIENT_IP_CALLABLE).

    Behind nginx or a load balancer, REMOTE_ADDR is the proxy's for every visitor: a lockout
    by user name and address would let anyone lock any editor out. When the request comes
    from a trusted proxy (TRUSTED_PROXIES, the addresses gunicorn trusts too, and like
    gunicorn a peer on a unix socket), the address that proxy forwarded in X-Forwarded-For
    counts, read from the right past every trusted hop, so a value the visitor put in the
    header themselves is never believed. With "*" (any peer is a proxy) only the rightmost
    entry is: the one the proxy in front of this server added.
    """
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    trust_any = "*" in settings.TRUSTED_PROXIES
    while forwarded and _is_trusted_proxy(address):
        hop = _ip(forwarded.pop().strip())
        if hop is None:
            break
        address = str(hop)
        if trust_any:
            break
    return address


def login_locked_out(request, original_response=None, credentials=None):
    """The answer to a login from a locked-out account and address (AXES_LOCKOUT_CALLABLE).

    A page in the admin's look that says how long the block lasts, with `Retry-After`: every
    attempt during the block starts the cool-off again, so it is the whole cool-off. Never
    stored anywhere, like the login page. Scripts get the same page: django-axes would answer
    them with JSON readable from any origin, telling other sites which accounts are blocked.
    """
    seconds = int(settings.LOGIN_COOLOFF.total_seconds())
    context = {"minutes": seconds // 60}
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


def login_username(request, credentials=None):
    """The user name of a login attempt, as django-axes records it (AXES_USERNAME_CALLABLE).

    Read as django-axes reads it, from the credentials or else the posted form, and cut to
    the length of its column: the login form passes a name of any length on to
    authentication, and PostgreSQL refuses to store a longer one (the login answered 500).
    No account's name is that long, so the cut only merges attempts that cannot succeed.
    """
    from axes.models import AccessAttempt

    data = credentials or getattr(request, "data", request.POST)
    username = data.get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(username, str):
        return username
    return username[: AccessAttempt._meta.get_field("username").max_length]


def _is_trusted_proxy(address):
    """Whether a peer is one of the trusted proxies; a unix socket's peer (no address) is."""
    if not address:
        return True
    ip = _ip(address)
    return ip is not None and any(ip in network for network in _trusted_networks())


def _trusted_networks():
    if "*" in settings.TRUSTED_PROXIES:
        return [ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0")]
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


def _ip(text):
    """The address in `text`, also written with a port as some balancers forward it
    ("203.0.113.9:1234", "[2001:db8::1]:1234"); None if it is none."""
    for candidate in (text, text.rpartition(":")[0].strip("[]") if ":" in text else ""):
        try:
            return ipaddress.ip_address(candidate)
        except ValueError:
            continue
    return None


class WithoutTraceback(logging.Filter):
    """A log filter that keeps a record's message and drops the traceback attached to it."""

    def filter(self, record):
        record.exc_info = record.exc_text = None
        return True


class ClientErrorWithoutTraceback(WithoutTraceback):
    """Drops the traceback of a request that got a 4xx: the client's fault (a body Django
    cannot parse, a refused permission), which the message says. Server errors keep theirs."""

    def filter(self, record):
        if getattr(record, "status_code", 500) < 500:
            return super().filter(record)
        return True
