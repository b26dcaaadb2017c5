"""While the database server restarts, visitors get a 503 that says to retry, not a 500."""

import psycopg
import pytest
from django.db import OperationalError
from django.test import RequestFactory

from collective.middleware import DatabaseUnavailableMiddleware, database_unavailable


def raised_from(cause):
    try:
        try:
            raise cause
        except Exception as error:
            raise OperationalError(str(error)) from error
    except OperationalError as wrapped:
        return wrapped


def psycopg_error(sqlstate):
    error = psycopg.errors.lookup(sqlstate)("server away")
    return error


@pytest.mark.parametrize("sqlstate", ["57P01", "57P03", "08006"])
def test_a_server_restart_is_a_503_with_retry_after(sqlstate):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(
        RequestFactory().get("/en/who-are-we/"), raised_from(psycopg_error(sqlstate))
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"Something went wrong" in response.content


def test_a_refused_connection_is_unavailable():
    assert database_unavailable(raised_from(psycopg.OperationalError("connection refused")))


@pytest.mark.parametrize(
    "cause",
    [psycopg.errors.lookup("42P01")("no such table"), ValueError("not the database")],
)
def test_query_errors_stay_server_errors(cause):
    assert not database_unavailable(raised_from(cause))
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(RequestFactory().get("/"), raised_from(cause)) is None


def test_the_500_handler_answers_503_for_a_database_that_is_away():
    """Django calls it while handling the error, whichever layer raised it."""
    from collective.views import server_error

    request = RequestFactory().get("/en/who-are-we/")
    try:
        raise raised_from(psycopg_error("57P01"))
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert server_error(request).status_code == 500, "no error being handled: a 500"


def test_a_session_that_cannot_be_saved_during_a_restart_is_a_503(
    admin_user, monkeypatch, settings
):
    """The session is saved by middleware on the way out, after the view has answered."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    def save(self, must_create=False):
        raise raised_from(psycopg_error("57P01"))

    settings.SESSION_SAVE_EVERY_REQUEST = True
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    monkeypatch.setattr(SessionStore, "save", save)
    response = client.get("/admin/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
