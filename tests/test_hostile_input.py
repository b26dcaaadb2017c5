"""Hostile and garbled requests get a 4xx or a proper page, never a 500 (property-based)."""

import string

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.html import elements, visible_text

EXAMPLES = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

segment = st.one_of(
    st.sampled_from(
        [
            "nl",
            "en",
            "de",
            "leden",
            "members",
            "adviseur",
            "advisor",
            "njr",
            "..",
            ".",
            "%2e%2e",
            "admin",
            "wie-zijn-wij",
            "who-are-we",
            "sitemap.xml",
            "robots.txt",
        ]
    ),
    st.text(
        alphabet=string.ascii_letters + string.digits + "-_.~%!$&'()*+,;=:@",
        min_size=1,
        max_size=30,
    ),
    st.text(min_size=1, max_size=20).map(
        lambda text: text.replace("/", "").replace("?", "") or "x"
    ),
)
paths = st.lists(segment, min_size=0, max_size=6).map(
    lambda parts: "/" + "/".join(parts)
) | st.sampled_from(["/", "//", "/nl//", "/%ff/", "/nl/%c0%af/", "/..%2f..%2fetc/passwd"])


@EXAMPLES
@given(path=paths, trailing=st.booleans())
def test_no_address_gives_a_server_error(client, seeded, path, trailing):
    response = client.get(path + ("/" if trailing else ""))
    assert response.status_code < 500, path


@EXAMPLES
@given(header=st.text(max_size=200))
def test_any_accept_language_header_is_handled(client, seeded, header):
    try:
        response = client.get("/", headers={"accept-language": header})
    except ValueError:  # header values with control characters cannot be sent by any client
        return
    assert response.status_code == 302


@EXAMPLES
@given(value=st.text(max_size=100))
def test_any_language_cookie_is_handled(client, seeded, value):
    client.cookies["django_language"] = value.encode("ascii", "ignore").decode()
    for url in ["/", "/nl/wie-zijn-wij/", "/leden/njr/"]:
        assert client.get(url).status_code in (200, 302)


@pytest.mark.parametrize(
    "path",
    [
        "/%ff%fe/",
        "/nl/leden/%ff/",
        "/nl/leden/njr%00/",
        "/de/wie-zijn-wij/",
        "/xx/",
        "/nl/leden/" + "a" * 5000 + "/",
    ],
)
def test_garbled_paths_are_4xx(client, seeded, path):
    assert 400 <= client.get(path).status_code < 500


def test_a_huge_query_string_is_harmless(client, seeded):
    query = "&".join(f"f{n}=v" for n in range(5000))
    assert client.get(f"/nl/wie-zijn-wij/?{query}").status_code == 200


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/nl/wie-zijn-wij/", "Ongeldig verzoek"), ("/en/who-are-we/", "Bad request")],
)
def test_an_unknown_host_is_refused_with_the_sites_page(client, seeded, path, heading):
    response = client.get(path, headers={"host": "evil.example"})
    assert response.status_code == 400
    assert heading in visible_text(response)
    assert elements(response, "html")[0]["lang"] == path.split("/")[1]
    assert "evil.example" not in response.content.decode()


@pytest.mark.parametrize("path", ["/media/../manage.py", "/media/logos/..%2f..%2fmanage.py"])
def test_a_media_path_outside_the_folder_gets_the_sites_400_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "Ongeldig verzoek" in visible_text(response)


@EXAMPLES
@given(value=st.text(max_size=60))
def test_admin_translation_filter_accepts_any_value(admin_client, seeded, value):
    url = reverse("admin:organizations_memberorganization_changelist")
    assert admin_client.get(url, {"translation": value}).status_code < 500


@pytest.mark.parametrize(
    "path",
    [
        "/admin/translations/organizations/memberorganization/999999/en/",
        "/admin/translations/organizations/memberorganization/3/xx/",
        "/admin/translations/nope/nothing/3/en/",
        "/admin/preview/organizations/memberorganization/999999/en/",
        "/admin/preview/auth/user/1/en/",
        "/admin/organizations/memberorganization/abc/change/",
    ],
)
def test_admin_addresses_with_bad_parts_are_4xx_or_redirects(admin_client, seeded, path):
    assert admin_client.get(path).status_code in (302, 403, 404)


def test_a_posted_form_with_too_many_fields_is_refused(admin_client, seeded):
    url = reverse("admin:organizations_memberorganization_add")
    data = {f"field{n}": "x" for n in range(1200)}
    assert admin_client.post(url, data).status_code == 400


@pytest.mark.parametrize("key", ["abc", "1.5", "", "99999999999999999999999", "-9" * 12])
@pytest.mark.parametrize(
    "changelist",
    [
        "admin:organizations_memberorganization_changelist",
        "admin:organizations_advisorybody_changelist",
        "admin:auth_user_changelist",
        "admin:auth_group_changelist",
    ],
)
def test_a_list_action_on_a_row_key_no_browser_sends_is_a_400(
    admin_client, seeded, changelist, key
):
    from organizations.models import MemberOrganization

    members = MemberOrganization.objects.count()
    data = {"action": "delete_selected", "index": "0", "_selected_action": ["1", key]}
    response = admin_client.post(reverse(changelist), data)
    assert response.status_code == 400
    assert "Ongeldig verzoek" in visible_text(response)  # the site's 400 page
    assert MemberOrganization.objects.count() == members


def test_a_list_action_on_a_row_deleted_meanwhile_goes_on_with_the_rest(admin_client, seeded):
    from organizations.models import MemberOrganization

    njr = MemberOrganization.objects.get(slug="njr")
    data = {"action": "delete_selected", "index": "0", "_selected_action": [njr.pk, 999999]}
    url = reverse("admin:organizations_memberorganization_changelist")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "njr" in visible_text(response).lower(), "asks to confirm the one that exists"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/nl/",
        "/nl/wie-zijn-wij/",
        "/en/members/njr/",
        "/leden/njr/",
        "/robots.txt",
        "/sitemap.xml",
        "/favicon.ico",
    ],
)
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_public_addresses_answer_other_methods_with_405(seeded, path, method):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ["/nl/wie-zijn-wij/", "/robots.txt", "/sitemap.xml"])
def test_public_addresses_answer_head(client, seeded, path):
    assert client.head(path).status_code == 200


def wsgi_body(method, path, **environ):
    """The body the WSGI application hands the server (gunicorn), before anything strips it.

    Django's test client and development server drop a HEAD response's body themselves;
    gunicorn sends whatever it is given. As in the test client, the database connection is
    not closed at the end of the request: it holds the test's transaction (on PostgreSQL the
    next request, in this test or the next, would find it closed).
    """
    from wsgiref.util import FileWrapper, setup_testing_defaults

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_HOST": "testserver", **environ}
    environ["wsgi.file_wrapper"] = FileWrapper
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = WSGIHandler()(environ, start_response)
        try:
            return started, b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize(
    ("path", "host", "status"),
    [
        ("/health/", "10.0.0.7:8000", "200 OK"),  # a balancer's probe, by the server's address
        ("/nl/wie-zijn-wij/", "evil.example", "400 Bad Request"),  # a host the site refuses
        ("/nl/geen-pagina/", "testserver", "404 Not Found"),
    ],
)
def test_every_answer_states_its_length(seeded, path, host, status):
    """Without Content-Length a client cannot tell a complete answer from a cut connection."""
    started, body = wsgi_body("GET", path, HTTP_HOST=host)
    assert started["status"] == status
    assert started["headers"]["Content-Length"] == str(len(body))


@pytest.mark.parametrize(
    ("path", "validator", "condition"),
    [
        ("/nl/wie-zijn-wij/", "ETag", "HTTP_IF_NONE_MATCH"),
        ("/sitemap.xml", "Last-Modified", "HTTP_IF_MODIFIED_SINCE"),
        ("/robots.txt", "ETag", "HTTP_IF_NONE_MATCH"),
    ],
)
def test_a_not_modified_answer_states_no_length_it_does_not_know(
    seeded, path, validator, condition
):
    """RFC 9110 8.6: a 304's Content-Length, if any, is that of the full answer, never 0."""
    started, body = wsgi_body("GET", path)
    conditional = {condition: started["headers"][validator]}
    not_modified, _ = wsgi_body("GET", path, **conditional)
    assert not_modified["status"] == "304 Not Modified"
    assert not_modified["headers"].get("Content-Length", str(len(body))) == str(len(body))


@pytest.mark.parametrize(
    "path",
    ["/nl/wie-zijn-wij/", "/en/members/njr/", "/robots.txt", "/sitemap.xml", "/nl/geen-pagina/"],
)
def test_a_head_response_hands_the_server_no_body(seeded, path):
    """RFC 9110 9.3.2: no content in a response to HEAD. On a kept-alive connection the body
    would be read as the start of the next response."""
    got, body = wsgi_body("GET", path)
    assert body
    head, nothing = wsgi_body("HEAD", path)
    assert nothing == b""
    assert head["status"] == got["status"]
    assert head["headers"]["Content-Length"] == str(len(body))


def test_a_head_response_for_a_logo_hands_the_server_no_body(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "njr.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert wsgi_body("GET", "/media/logos/njr.png")[1] == b"\x89PNG\r\n\x1a\n"
    head, nothing = wsgi_body("HEAD", "/media/logos/njr.png")
    assert head["status"] == "200 OK"
    assert nothing == b""
    assert head["headers"]["Content-Length"] == "8"


def test_a_post_to_an_address_that_is_no_page_is_a_404(seeded):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/no-such-page/").status_code == 404


def test_an_asterisk_request_target_is_no_server_error(client, seeded):
    """`OPTIONS * HTTP/1.1` or `GET *`: a path without its leading slash."""
    assert client.generic("GET", "*").status_code < 500
    assert client.generic("OPTIONS", "*").status_code < 500
