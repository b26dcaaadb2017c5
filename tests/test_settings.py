import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.settings_probe import clean_environment, python_in, setting_in


def test_cache_stores_and_returns_values():
    """Runs against Redis when REDIS_URL is set (as in CI), so a dead cache fails here."""
    cache.set("settings-test", {"nl": "ja", "en": "yes"}, timeout=10)
    assert cache.get("settings-test") == {"nl": "ja", "en": "yes"}
    cache.delete("settings-test")


def test_dutch_is_the_default_and_fallback_language():
    assert settings.LANGUAGE_CODE == settings.LANGUAGES[0][0] == "nl"
    assert settings.MODELTRANSLATION_FALLBACK_LANGUAGES == {"default": ("nl",)}


def storage_in(env):
    return setting_in(env, "STORAGES['default']")


def test_media_go_to_the_local_folder_by_default():
    assert storage_in({})["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_media_go_to_s3_compatible_storage_when_chosen():
    storage = storage_in(
        {
            "DJANGO_MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": "logos",
            "AWS_S3_ENDPOINT_URL": "https://objects.example.org",
        }
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "logos"
    assert storage["OPTIONS"]["endpoint_url"] == "https://objects.example.org"


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "s3-production-like-secret-key-for-reading-settings-8c2f4e6a",
    "DJANGO_ALLOWED_HOSTS": "example.org",
}


def test_production_without_a_shared_cache_keeps_no_page_cache():
    assert setting_in(PRODUCTION, "PAGE_CACHE_SECONDS") == 0


def test_production_with_redis_keeps_pages_an_hour():
    assert (
        setting_in({**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/0"}, "PAGE_CACHE_SECONDS")
        == 3600
    )


def test_a_request_log_message_is_written_once_in_development():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('Not Found: /probe/')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=clean_environment({"DJANGO_DEBUG": "true"}),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr.count("Not Found: /probe/") == 1


@pytest.mark.parametrize(
    ("path", "host", "logger", "named"),
    [
        ("/nl/wie-zijn-wij/", "scanner.example", "DisallowedHost", "scanner.example"),
        ("/media/../../etc/passwd", "testserver", "SuspiciousFileOperation", "outside of"),
    ],
)
def test_a_scanners_request_is_logged_in_one_line(client, db, caplog, path, host, logger, named):
    """Scanners send other host names and climb out of folders all day: each was a traceback,
    the same every time."""
    response = client.get(path, headers={"host": host})
    assert response.status_code == 400
    [record] = [r for r in caplog.records if r.name == f"django.security.{logger}"]
    assert named in record.getMessage()
    assert record.exc_info is None
    assert record.exc_text is None


@pytest.mark.parametrize(
    ("content_type", "body", "named"),
    [
        ("multipart/form-data", b"username=x", "Unable to parse request body"),
        ("application/x-www-form-urlencoded; charset=latin-1", b"username=%e9", "UTF-8"),
    ],
)
def test_a_body_the_site_cannot_read_is_logged_in_one_line(
    client, db, caplog, content_type, body, named
):
    """A form without its boundary or in another character set is the client's fault: a 400
    and one line saying why, not a traceback of Django's parser each time."""
    response = client.post("/admin/login/", body, content_type=content_type)
    assert response.status_code == 400
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert named in record.getMessage()
    assert record.exc_info is None
    assert record.exc_text is None


def test_a_server_error_keeps_its_traceback_in_the_log(client, db, caplog, monkeypatch):
    from collective import views

    def broken(*args, **kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(views, "reverse", broken)
    client.raise_request_exception = False
    assert client.get("/robots.txt").status_code == 500
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is not None


def test_starting_django_logs_no_library_banner():
    """Every command and worker start would begin with django-axes' version and mode."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=clean_environment({"DJANGO_DEBUG": "true"}),
        capture_output=True,
        text=True,
        check=True,
    )
    assert (result.stdout, result.stderr) == ("", "")


def test_every_variable_the_settings_read_is_described_in_the_example_env_file():
    """`.env.example` is where an operator looks up a variable; one missing there is hidden."""
    root = Path(__file__).resolve().parent.parent
    source = (root / "collective" / "settings.py").read_text()
    read = set(re.findall(r'\benv(?:\.[a-z]+|_[a-z]+)?\(\s*"([A-Z][A-Z0-9_]+)"', source))
    assert {
        "DJANGO_DEBUG",
        "DJANGO_ADMIN_PATH",
        "DATABASE_URL",
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_PAGE_CACHE_SECONDS",
    } <= read
    example = (root / ".env.example").read_text()
    assert sorted(name for name in read if not re.search(rf"^# {name}=", example, re.M)) == []


def test_the_settings_read_the_file_djangos_env_file_names_and_the_environment_wins(tmp_path):
    variables = tmp_path / "site.env"
    variables.write_text("DJANGO_LOG_LEVEL=ERROR\nDJANGO_ADMIN_PATH=beheer/\n")
    env = {"DJANGO_ENV_FILE": str(variables), "DJANGO_ADMIN_PATH": "kantoor/"}
    assert setting_in(env, "LOGGING['root']['level']", "ADMIN_PATH") == ["ERROR", "kantoor/"]
    assert setting_in({"DJANGO_ENV_FILE": ""}, "ADMIN_PATH") == "admin/"


def start(env):
    """`manage.py check` in a process started with `env`: how a worker's start would go."""
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=clean_environment(env),
        capture_output=True,
        text=True,
    )


def refused_at_start(env, variable):
    """Start with `env`, which must fail with a last line naming `variable`; the result."""
    result = start(env)
    assert result.returncode != 0
    last_line = result.stderr.splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert variable in last_line
    return result


def test_a_log_level_is_read_in_any_case():
    assert setting_in({"DJANGO_LOG_LEVEL": "debug"}, "LOGGING['root']['level']") == "DEBUG"


def test_an_unknown_log_level_stops_the_start_naming_the_variable():
    refused_at_start({"DJANGO_LOG_LEVEL": "verbose"}, "DJANGO_LOG_LEVEL")


def test_a_media_storage_is_read_in_any_case():
    storage = storage_in({"DJANGO_MEDIA_STORAGE": " S3", "AWS_STORAGE_BUCKET_NAME": "logos"})
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"


@pytest.mark.parametrize("chosen", ["disk", "filesystem,s3", "s3-compatible"])
def test_a_media_storage_the_site_does_not_know_stops_the_start(chosen):
    """Logos would silently go to one server's own folder instead of the shared storage."""
    refused_at_start(
        {"DJANGO_MEDIA_STORAGE": chosen, "AWS_STORAGE_BUCKET_NAME": "logos"}, "DJANGO_MEDIA_STORAGE"
    )


def test_lists_may_be_written_with_spaces_after_the_commas():
    """ "www.example.org, example.org": the second host would get a 400 for every request."""
    hosts, image_hosts, proxies = setting_in(
        {
            **PRODUCTION,
            "DJANGO_ALLOWED_HOSTS": "www.example.org, example.org ,",
            "DJANGO_CSP_IMAGE_HOSTS": "https://media.example.org, https://cdn.example.org",
            "GUNICORN_FORWARDED_ALLOW_IPS": "10.0.0.2, 10.0.0.3",
        },
        "ALLOWED_HOSTS",
        "CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][2:]",
        "TRUSTED_PROXIES",
    )
    assert hosts == ["www.example.org", "example.org"]
    assert image_hosts == ["https://media.example.org", "https://cdn.example.org"]
    assert proxies == ["10.0.0.2", "10.0.0.3"]


@pytest.mark.parametrize("limit", ["0", "-3"])
def test_a_login_failure_limit_below_one_stops_the_start(limit):
    """With 0, django-axes counts every account as locked out before its first attempt."""
    refused_at_start({"DJANGO_LOGIN_FAILURE_LIMIT": limit}, "DJANGO_LOGIN_FAILURE_LIMIT")


@pytest.mark.parametrize(
    "variable",
    [
        "DJANGO_PAGE_CACHE_SECONDS",
        "DJANGO_PAGE_CACHE_LOCAL_SECONDS",
        "DJANGO_PROXY_CACHE_SECONDS",
        "DJANGO_STALE_WHILE_REVALIDATE_SECONDS",
    ],
)
def test_a_negative_cache_time_stops_the_start(variable):
    """-60 would be sent as "s-maxage=-60" and "max-age=-60", which no cache understands."""
    refused_at_start({variable: "-60"}, variable)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "kinderrechten",
        "postgres//editor:s3cret-pw@db.example.org:5432/kinderrechten",
        "postgress://editor:s3cret-pw@db.example.org:5432/kinderrechten",
        "postgres://editor:s3cret-pw@db.example.org:54x2/kinderrechten",
        "postgress://editor:pw@s3cret-pw@db.example.org:5432/kinderrechten",
    ],
)
def test_a_database_url_the_site_cannot_read_stops_the_start_without_its_password(url):
    """A typo gave a KeyError or a ValueError from deep inside the settings, not the variable."""
    result = refused_at_start({**PRODUCTION, "DATABASE_URL": url}, "DATABASE_URL")
    assert "s3cret-pw" not in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "postgres://editor:s3cret-pw@db.example.org:5432/kinderrechten",
        "postgresql://db.example.org/kinderrechten",
        "sqlite:////var/lib/kinderrechten/db.sqlite3",
    ],
)
def test_a_database_url_with_a_known_scheme_is_read(url):
    assert setting_in({"DATABASE_URL": url}, "DATABASES['default']['ENGINE']").startswith(
        "django.db.backends."
    )


@pytest.mark.parametrize(
    "hosts",
    [
        "www.example.org example.org",
        "https://www.example.org",
        "www.example.org/",
        "127.0.0.1:8000",
        " ",
        ",",
    ],
)
def test_allowed_hosts_no_request_could_name_stop_the_start_in_production(hosts):
    """Each of these started the server, which then refused every request with a 400."""
    refused_at_start({**PRODUCTION, "DJANGO_ALLOWED_HOSTS": hosts}, "DJANGO_ALLOWED_HOSTS")


def test_allowed_hosts_in_every_form_django_matches_are_read():
    hosts = "www.example.org,.example.net,[::1],127.0.0.1,localhost,*"
    assert setting_in({**PRODUCTION, "DJANGO_ALLOWED_HOSTS": hosts}, "ALLOWED_HOSTS") == [
        "www.example.org",
        ".example.net",
        "[::1]",
        "127.0.0.1",
        "localhost",
        "*",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "127.0.0.1:6379",
        "cache:6379/0",
        "redis://:s3cret-pw@127.0.0.1:6379/zero",
        "http://127.0.0.1:6379/0",
    ],
)
def test_a_redis_url_the_site_cannot_read_stops_the_start_without_its_password(url):
    """Without a scheme the page cache stayed off for good, with a warning every few seconds;
    with a database that is not a number Redis' database 0 was used, perhaps another site's."""
    result = refused_at_start({**PRODUCTION, "REDIS_URL": url}, "REDIS_URL")
    assert "s3cret-pw" not in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "redis://127.0.0.1:6379/11",
        "redis://127.0.0.1:6379",
        "rediss://:pw@cache.example.org:6380/0",
        "unix:///run/redis/redis.sock?db=2",
    ],
)
def test_a_redis_url_in_every_form_redis_reads_is_used(url):
    assert setting_in({**PRODUCTION, "REDIS_URL": url}, "CACHES['default']['LOCATION']") == url


def test_a_log_line_says_when_and_how_serious():
    """Beside gunicorn's own lines, a warning or a server error's traceback without a time
    could not be matched with the access log's request."""
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('collective.caching').warning('Cache unavailable: probe')"
    )
    [line] = python_in(PRODUCTION, code).stderr.splitlines()
    assert re.match(
        r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\] \[WARNING\] "
        r"collective\.caching: Cache unavailable: probe$",
        line,
    ), line


@pytest.mark.parametrize(
    "key",
    ["geheim", "change-me-change-me-change-me", "a" * 64, "django-insecure-" + "k7x" * 20],
)
def test_a_guessable_secret_key_stops_the_start_in_production_without_showing_it(key):
    """Django's deployment check only warned, and `make serve` started the site anyway: with
    a guessable key anyone can sign a session cookie."""
    result = refused_at_start({**PRODUCTION, "DJANGO_SECRET_KEY": key}, "DJANGO_SECRET_KEY")
    assert key not in result.stderr


def test_a_short_secret_key_is_still_fine_for_development():
    assert setting_in({"DJANGO_SECRET_KEY": "geheim"}, "SECRET_KEY") == "geheim"
