import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.views.main import (
    ALL_VAR,
    ERROR_FLAG,
    IS_FACETS_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
)
from django.db import DataError, OperationalError
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


HEALTH_PATH = "/health/"


class ResponseFramingMiddleware:
    """Every complete response states its length, and a response to HEAD carries no body.

    First in MIDDLEWARE, so it sees every response, the health check's and the 400 for an
    unknown host included: Django's CommonMiddleware adds Content-Length only to responses
    that pass through it, and without one a client cannot tell a complete answer from a cut
    connection.

    A response to HEAD gets the headers GET would get (its Content-Length too), and no body:
    RFC 9110 9.3.2 forbids content there. Django leaves dropping it to the server, and its
    development server and test client do; gunicorn sends whatever the application returns,
    and on a kept-alive connection (gthread workers, a proxy reusing connections) the body
    would be read as the start of the next response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and not response.has_header("Content-Length")
            # A 304 may only state the length of the full answer, which it does not have.
            and response.status_code not in (204, 304)
        ):
            response["Content-Length"] = str(len(response.content))
        if request.method == "HEAD":
            if response.streaming:
                # A file (a logo) is then not opened for sending; the server closes it.
                response.streaming_content = []
            else:
                response.content = b""
        return response


class HealthCheckMiddleware:
    """`/health/`: 200 "ok" for a load balancer's probe, before anything else runs.

    Balancers probe an app server directly: over plain http (no X-Forwarded-Proto, so the
    https redirect would answer 301) and often with the server's own address as Host (which
    ALLOWED_HOSTS refuses). Neither check means anything for "is this process serving?", and
    the answer touches no database, so a database restart does not take every server out of
    the balancer at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
            response["Cache-Control"] = "no-store"
            response["X-Content-Type-Options"] = "nosniff"
            return response
        return self.get_response(request)


class LanguageNeutralMiddleware:
    """Takes Vary: Accept-Language and Content-Language off an answer that is the same in
    every language (collective.http.language_neutral). Just above LocaleMiddleware, which
    adds them, so it sees the response after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "language_neutral", False):
            vary = [field.strip() for field in response.get("Vary", "").split(",")]
            vary = [field for field in vary if field and field.lower() != "accept-language"]
            if vary:
                response["Vary"] = ", ".join(vary)
            else:
                del response["Vary"]
            del response["Content-Language"]
        return response


class PermissionsPolicyMiddleware:
    """Switch off browser features no page of this site uses (camera, location, …)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def database_unavailable(exception):
    """Whether the database server is away (restart, failover), rather than a query at fault.

    SQLSTATE class 08 is a connection failure and 57P an operator intervention (shutdown);
    no SQLSTATE at all means the connection could not even be made.
    """
    if not isinstance(exception, OperationalError) or exception.__cause__ is None:
        return False
    cause = exception.__cause__
    if not type(cause).__module__.startswith("psycopg"):
        return False
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(("08", "57P"))


class DatabaseUnavailableMiddleware:
    """While the database restarts, visitors get a 503 with Retry-After and the log one line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        from .views import service_unavailable

        # One line, not a traceback: a restart is expected and says nothing about the code.
        logger.warning("Database unavailable, 503 for %s: %s", request.path, exception)
        return service_unavailable(request)


# Lookups whose pattern the database runs: one that does not compile fails the query, and one
# built to backtrack can keep the database busy for as long as it likes.
REGEX_LOOKUPS = {"regex", "iregex"}


class AdminListFilterMiddleware:
    """A bad filter in any admin list's address gets the list again (?e=1), and a note.

    That is Django's own answer to a filter it cannot apply; these it lets through to the
    database instead: regular-expression lookups (refused before the query runs) and values
    the database cannot take (?created_at__year=99999, a NUL byte on PostgreSQL), which
    failed the page with a 500, in every admin list, Django's and django-axes' included.
    Only GET requests whose address filters: an error in a list shown without filters, or in
    a form posted to it, is a fault of the list and stays one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _filtered_admin_list(request) and any(
            REGEX_LOOKUPS.intersection(key.split(LOOKUP_SEP)) for key in request.GET
        ):
            return _list_without_filters(request)
        return None

    def process_exception(self, request, exception):
        bad_value = isinstance(exception, (ValueError, OverflowError, DataError))
        if bad_value and _filtered_admin_list(request):
            logger.warning("Bad filter in %s: %s", request.get_full_path(), exception)
            return _list_without_filters(request)
        return None


# What a list's address may hold besides filters: sort, page, search, "show all", popups.
LIST_PARAMETERS = {ALL_VAR, ERROR_FLAG, IS_FACETS_VAR, IS_POPUP_VAR, ORDER_VAR, PAGE_VAR}
LIST_PARAMETERS |= {SEARCH_VAR, TO_FIELD_VAR}


def _filtered_admin_list(request):
    match = request.resolver_match
    return (
        request.method in ("GET", "HEAD")
        and match is not None
        and match.namespace == "admin"
        and (match.url_name or "").endswith("_changelist")
        and bool(set(request.GET) - LIST_PARAMETERS)
    )


def _list_without_filters(request):
    messages.warning(
        request, gettext("This list cannot be filtered that way; it is shown without filters.")
    )
    return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
