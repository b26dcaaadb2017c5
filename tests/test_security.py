"""Safe defaults: security headers on every response, a strict CSP, locked-out logins."""

import re
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.conftest import STAFF_PASSWORD
from tests.html import visible_text
from tests.settings_probe import clean_environment, setting_in

URLS = [
    "/nl/wie-zijn-wij/",
    "/en/members/njr/",
    "/robots.txt",
    "/sitemap.xml",
    "/nl/geen-pagina/",
    "/admin/login/",
]


@pytest.mark.parametrize("url", URLS)
def test_every_response_carries_the_security_headers(client, seeded, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_logins_lock_out_after_repeated_failures(client, db, django_user_model):
    django_user_model.objects.create_superuser("beheer", password="the-right-password-123")
    login = reverse("admin:login")
    for _attempt in range(5):
        client.post(login, {"username": "beheer", "password": "wrong"})
    locked = client.post(
        login,
        {"username": "beheer", "password": "the-right-password-123"},
        headers={"accept-language": "nl"},
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Te veel mislukte aanmeldingen" in visible_text(locked)
    assert "Account locked" not in locked.content.decode()
    assert "Kinderrechtencollectief: beheer" in visible_text(locked), "the admin's own header"
    title = re.search(r"<title>(.*?)</title>", locked.content.decode(), re.S).group(1)
    assert title.strip() == "Te veel mislukte aanmeldingen | Kinderrechtencollectief"


def test_a_locked_out_login_says_when_to_try_again_and_is_never_stored(client, db):
    login = reverse("admin:login")
    for _attempt in range(5):
        client.post(login, {"username": "beheer", "password": "wrong"})
    locked = client.post(
        login, {"username": "beheer", "password": "wrong"}, headers={"accept-language": "en"}
    )
    assert locked.status_code == 429
    assert locked["Retry-After"] == "3600", "the cool-off starts again with this attempt"
    assert "no-store" in locked["Cache-Control"]
    assert "private" in locked["Cache-Control"]
    assert "Try again in 60 minutes" in visible_text(locked)


def test_a_locked_out_login_does_not_tell_other_sites_about_the_account(client, db):
    """django-axes answers scripts with JSON open to every origin; the page is the answer."""
    login = reverse("admin:login")
    script = {"x-requested-with": "XMLHttpRequest", "origin": "https://example.com"}
    for _attempt in range(6):
        locked = client.post(login, {"username": "beheer", "password": "wrong"}, headers=script)
    assert locked.status_code == 429
    assert "Access-Control-Allow-Origin" not in locked
    assert locked["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("length", [256, 100_000])
def test_a_login_with_an_overlong_user_name_fails_like_any_other(client, db, length):
    """The login form hands a user name of any length to authentication, and django-axes
    records a failed one in a column of 255 characters: PostgreSQL refused the longer name,
    and the login page answered 500."""
    from axes.models import AccessAttempt

    login = reverse("admin:login")
    response = client.post(login, {"username": "x" * length, "password": "wrong"})
    assert response.status_code == 200
    assert "hoofdlettergevoelig" in visible_text(response), "the usual message"
    column = AccessAttempt._meta.get_field("username").max_length
    assert [len(attempt.username) for attempt in AccessAttempt.objects.all()] == [column]
    # Such attempts still count towards the lockout.
    for _attempt in range(4):
        client.post(login, {"username": "x" * length, "password": "wrong"})
    assert client.post(login, {"username": "x" * length, "password": "x"}).status_code == 429


def test_behind_a_proxy_an_attacker_cannot_lock_an_editor_out(client, db, django_user_model):
    """Through nginx every request comes from 127.0.0.1; the forwarded address counts."""
    django_user_model.objects.create_superuser("beheer", password="the-right-password-123")
    login = reverse("admin:login")
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _attempt in range(6):
        client.post(login, {"username": "beheer", "password": "wrong"}, **attacker)
    assert (
        client.post(login, {"username": "beheer", "password": "x"}, **attacker).status_code == 429
    )

    editor = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    response = client.post(
        login, {"username": "beheer", "password": "the-right-password-123"}, **editor
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.parametrize(
    ("remote", "forwarded", "client_address"),
    [
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the first one the visitor wrote
        ("203.0.113.9", "6.6.6.6", "203.0.113.9"),  # not from a proxy: the header is ignored
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "203.0.113.9:1234", "203.0.113.9"),  # a balancer that adds the port
        ("127.0.0.1", "[2001:db8::9]:1234", "2001:db8::9"),
        ("", "203.0.113.9", "203.0.113.9"),  # gunicorn on a unix socket: the peer is nginx
    ],
)
def test_the_client_address_is_read_past_trusted_proxies_only(
    rf, remote, forwarded, client_address
):
    from collective.http import client_ip

    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client_address


def test_a_good_login_still_works_before_the_limit(client, db, django_user_model):
    django_user_model.objects.create_superuser("beheer", password="the-right-password-123")
    login = reverse("admin:login")
    for _attempt in range(3):
        client.post(login, {"username": "beheer", "password": "wrong"})
    response = client.post(login, {"username": "beheer", "password": "the-right-password-123"})
    assert response.status_code == 302


def test_short_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("kort-wacht1")


def run_django(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        env=clean_environment(env),
    )


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x8#k2$-production-like-secret-key-for-the-deploy-check-9f7a1c3e5b",
    "DJANGO_ALLOWED_HOSTS": "www.kinderrechten.nl",
}


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_secret_or_hosts(missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = run_django(env, "check")
    assert result.returncode != 0
    assert missing in result.stderr


def test_deploy_check_is_clean_with_the_defaults():
    result = run_django(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout


def test_plain_http_switch_keeps_the_rest_strict():
    values = setting_in(
        {**PRODUCTION, "DJANGO_HTTPS": "false"},
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "DEBUG",
        "X_FRAME_OPTIONS",
    )
    assert values == [False, False, False, "DENY"]


def test_the_admin_address_can_be_moved():
    environment = {"DJANGO_ADMIN_PATH": "beheer-7f3a"}
    result = run_django(
        environment, "shell", "-c", "from django.urls import reverse; print(reverse('admin:index'))"
    )
    assert result.stdout.strip().endswith("/beheer-7f3a/")


def test_a_load_balancers_health_probe_gets_ok_over_plain_http(
    client, db, settings, django_assert_num_queries
):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["www.kinderrechten.nl"]
    with django_assert_num_queries(0):
        response = client.get("/health/", headers={"host": "10.0.0.12:8000"})
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"
    assert client.get("/robots.txt", headers={"host": "10.0.0.12:8000"}).status_code == 400


def test_uploaded_logos_are_served_from_the_media_folder(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "njr.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    response = client.get("/media/logos/njr.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age=300" in response["Cache-Control"]
    assert response["Last-Modified"], "revalidated once the five minutes are up"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_logo_does_not_vary_by_the_browsers_language(client, db, settings, tmp_path):
    """A cache would keep a copy of the same logo per Accept-Language header sent."""
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "njr.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    response = client.get("/media/logos/njr.png", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "Accept-Language" not in response.get("Vary", "")
    assert "Content-Language" not in response


def test_a_logo_not_modified_carries_its_own_length(client, db, settings, tmp_path):
    """A 304's Content-Length is the file's or absent (RFC 9110 8.6), never 0: a cache that
    takes the 304's headers onto its copy would cut the logo to nothing."""
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "njr.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    first = client.get("/media/logos/njr.png")
    assert first["Content-Length"] == "8"
    again = client.get(
        "/media/logos/njr.png", headers={"if-modified-since": first["Last-Modified"]}
    )
    assert again.status_code == 304
    assert again.get("Content-Length", "8") == "8"


@pytest.mark.parametrize(
    "name",
    ["logos/njr.0123456789abcdef.png", "logos/renditions/njr.0123456789abcdef.png-256.webp"],
)
def test_logos_named_by_their_content_are_kept_for_a_year(client, db, settings, tmp_path, name):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / name).parent.mkdir(parents=True)
    (tmp_path / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {
        "public",
        "max-age=31536000",
        "immutable",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/media/../outside.txt",
        "/media/%2e%2e/outside.txt",
        "/media/..%2foutside.txt",
        "/media/logos/",
        "/media/nope.png",
        "/media/" + "a" * 300 + ".png",
    ],
)
def test_nothing_outside_the_media_folder_is_served(client, db, settings, tmp_path, path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "logos").mkdir(parents=True)
    (tmp_path / "outside.txt").write_text("a secret beside the media folder")
    response = client.get(path)
    assert response.status_code in (400, 404)  # a path leaving the folder is refused as 400
    assert b"a secret" not in response.content


def test_with_any_peer_trusted_only_the_address_the_last_proxy_added_counts(rf, settings):
    """With "*" every hop would count as a proxy, down to the one the visitor wrote first."""
    from collective.http import client_ip

    settings.TRUSTED_PROXIES = ["*"]
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


def test_a_proxy_list_that_is_not_addresses_stops_the_start():
    result = run_django({**PRODUCTION, "GUNICORN_FORWARDED_ALLOW_IPS": "10.0.0.0/24"}, "check")
    assert result.returncode != 0
    assert "GUNICORN_FORWARDED_ALLOW_IPS" in result.stderr


def test_a_login_sent_without_a_destination_leads_to_the_admin(client, editor):
    """Django's default is /accounts/profile/, which the site has not got."""
    response = client.post(
        reverse("admin:login"), {"username": editor.username, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
