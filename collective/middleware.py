import logging

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse

logger = logging.getLogger(__name__)


HEALTH_PATH = "/health/"


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
    cause = exception.__cause__
    if not isinstance(exception, OperationalError) or cause is None:
        return False
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
        from .views import server_error

        logger.warning("Database unavailable, 503 for %s: %s", request.path, exception)
        response = server_error(request)
        response.status_code = 503
        response["Retry-After"] = "5"
        return response
