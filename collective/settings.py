"""Settings of the Kinderrechtencollectief site, read from the environment.

Every variable is listed, with its meaning, in `.env.example`. Local runs need none of them;
production (`DJANGO_DEBUG=false`) refuses to start without a secret key and allowed hosts.
"""

import datetime
import ipaddress
import re
import urllib.parse
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.http.request import split_domain_port
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables already in the environment win over the file's. DJANGO_ENV_FILE names another
# file, or none when empty (as the tests do that read the settings of a given environment).
ENV_FILE = env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE)

DEBUG = env.bool("DJANGO_DEBUG", default=True)


def env_list(name, default):
    """A comma-separated variable, each item without the spaces around it.

    django-environ keeps them: "www.example.org, example.org" would allow " example.org",
    which no request names, so every request for that host would be refused.
    """
    return [item.strip() for item in env.list(name, default=default) if item.strip()]


def env_seconds(name, default):
    """A time in seconds, 0 or more (with a fraction where the default has one).

    A negative time would reach the Cache-Control headers as it is ("s-maxage=-60").
    """
    value = (
        env.float(name, default=default)
        if isinstance(default, float)
        else env.int(name, default=default)
    )
    if value < 0:
        raise ImproperlyConfigured(f"{name}: {value} is negative; give 0 or more seconds.")
    return value


# A fixed key is fine on a developer's machine; production must bring its own.
SECRET_KEY = (
    env.str("DJANGO_SECRET_KEY", default="django-insecure-local-development-only")
    if DEBUG
    else env.str("DJANGO_SECRET_KEY")
)
# Django's deployment check only warns about a guessable key, and a warning scrolls past at a
# deploy; with such a key anyone could sign a session cookie. Django's own measure is used.
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY: too short or too simple for production; give a random string of "
        "at least 50 characters, e.g. from: "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else environ.Env.NOTSET,
)
# A host Django can never match (written with a space instead of a comma, with https:// or a
# port) would start a site that answers every request with a 400: say so at the start instead.
for _host in ALLOWED_HOSTS:
    if _host != "*" and split_domain_port(_host.lower()) != (_host.lower(), ""):
        raise ImproperlyConfigured(
            f"DJANGO_ALLOWED_HOSTS: {_host!r} is not a host name; give names such as "
            "www.example.org, separated by commas, without http(s):// or a port."
        )
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS: give the host names the site answers to.")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "simple_history",
    "adminsortable2",
    "csp",
    "axes",
    "collective",
    "organizations",
    "collective.editing",
    # Last: it sets up roles after migrate, once every other app's permissions exist.
    "collective.translations",
]

MIDDLEWARE = [
    # First: every answer states its length, and an answer to HEAD sends no body.
    "collective.middleware.ResponseFramingMiddleware",
    # A load balancer's probe is answered before the https redirect and host check.
    "collective.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "collective.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached public pages are answered here: everything above adds its headers to them, nothing
    # below runs for them (see collective/caching.py).
    "collective.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "collective.middleware.LanguageNeutralMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "collective.addresses.AddressMeantMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A form sent after the session ended is kept for after the login (collective.editing).
    "collective.editing.unsaved.UnsavedFormMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "collective.middleware.AdminListFilterMiddleware",
    "collective.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "collective.urls"
WSGI_APPLICATION = "collective.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def without_password(url):
    """A URL as it may be shown in an error message: its user and password left out."""
    return re.sub(r"//[^/]*@", "//…@", url)


def database_from_url():
    """DATABASE_URL as Django's database settings, or a start-up error that names it.

    django-environ reads a URL without a known scheme ("postgres//…", a bare database name,
    an empty value) as settings without an engine, which failed further down with a KeyError.
    """
    url = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    scheme = url.partition("://")[0] if "://" in url else ""
    if scheme not in environ.Env.DB_SCHEMES:
        raise ImproperlyConfigured(
            f"DATABASE_URL: {without_password(url)!r} is not a database URL; "
            "give e.g. postgres://user:password@host:5432/name."
        )
    try:
        return environ.Env.db_url_config(url)
    except ValueError as error:  # a port that is not a number
        raise ImproperlyConfigured(
            f"DATABASE_URL: {without_password(url)!r} cannot be read ({error})."
        ) from None


DATABASES = {"default": database_from_url()}
# Persistent connections roughly double uncached throughput in production; health checks
# replace a connection that died with a restarted database server instead of failing on it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction takes SQLite's write lock when it begins, not at its first write: a save
    # that checks the stored version first cannot be overtaken between check and write, and
    # two saves at once wait in turn instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="").strip()
if REDIS_URL:
    # redis-py refuses a URL without its scheme at every cache call (the page cache then stays
    # off, with a warning every few seconds), and reads a database that is not a number as 0.
    _redis = urllib.parse.urlsplit(REDIS_URL)
    if _redis.scheme not in ("redis", "rediss", "unix") or (
        _redis.scheme != "unix" and _redis.path.strip("/") and not _redis.path[1:].isdigit()
    ):
        raise ImproperlyConfigured(
            f"REDIS_URL: {without_password(REDIS_URL)!r} is not a Redis URL; give e.g. "
            "redis://host:6379/0 (the number is the Redis database)."
        )

# django-redis rather than Django's own Redis backend: Django's builds a new redis-py client for
# every cache call (about 0.15 ms each, measured), django-redis keeps one per process.
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A dead Redis must cost a visitor milliseconds, not the default wait of minutes.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
}
# Public pages: kept rendered in the cache (0 turns that off), kept by a reverse proxy or CDN
# for a short time, and served stale by it for a while longer while it fetches a fresh copy.
# Without a shared cache each gunicorn worker would keep its own copy, which a save handled by
# another worker cannot refresh: so in production the page cache needs REDIS_URL to be on.
PAGE_CACHE_SECONDS = env_seconds(
    "DJANGO_PAGE_CACHE_SECONDS",
    default=60 * 60 if (DEBUG or REDIS_URL) else 0,
)
# Each app process also keeps the pages it served in its own memory for this long before asking
# Redis again: a hit then costs no network round trip (a third of its time, measured). A save
# shows at once on the server that made it, and on the others within this time. 0: always ask.
PAGE_CACHE_LOCAL_SECONDS = env_seconds("DJANGO_PAGE_CACHE_LOCAL_SECONDS", default=1.0)
PROXY_CACHE_SECONDS = env_seconds("DJANGO_PROXY_CACHE_SECONDS", default=60)
STALE_WHILE_REVALIDATE_SECONDS = env_seconds(
    "DJANGO_STALE_WHILE_REVALIDATE_SECONDS", default=5 * 60
)

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses logins from a locked-out account and address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
if AXES_FAILURE_LIMIT < 1:
    # django-axes locks an account once its failures reach the limit: at 0, before any.
    raise ImproperlyConfigured(
        f"DJANGO_LOGIN_FAILURE_LIMIT: {AXES_FAILURE_LIMIT} would lock every account out; "
        "give the number of failed logins allowed (at least 1)."
    )
LOGIN_COOLOFF = datetime.timedelta(hours=1)
AXES_COOLOFF_TIME = LOGIN_COOLOFF
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# No banner in the log at every start of a command or worker, and no user agent logged with
# each failed login. (Account names and addresses stay masked in its log, its default.)
AXES_VERBOSE = False
# The visitor's address behind nginx or a load balancer, not the proxy's (collective.http).
AXES_CLIENT_IP_CALLABLE = "collective.http.client_ip"
# The user name of an attempt, cut to the length django-axes can store (collective.http).
AXES_USERNAME_CALLABLE = "collective.http.login_username"
# The proxies whose X-Forwarded-For is believed: the same addresses gunicorn trusts.
TRUSTED_PROXIES = env_list("GUNICORN_FORWARDED_ALLOW_IPS", default=["127.0.0.1", "::1"])
for _proxy in TRUSTED_PROXIES:
    if _proxy != "*":
        try:
            ipaddress.ip_address(_proxy)
        except ValueError as _error:  # said at start-up, not as a 500 on every login
            raise ImproperlyConfigured(
                f"GUNICORN_FORWARDED_ALLOW_IPS: {_proxy!r} is not an IP address (or *)."
            ) from _error
# A page in the admin's look and language, saying how long the block lasts, instead of
# django-axes' one line of English text (collective.http.login_locked_out).
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_LOCKOUT_CALLABLE = "collective.http.login_locked_out"
# A login sent without a destination (Django's default is /accounts/profile/, no page here).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Staff accounts guard content that speaks for children: long passwords, sessions that end.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages. Dutch is the source language of all content; English is a translation of it.
# Every view, template and tool iterates LANGUAGES, so adding one here (plus a migration for
# the new translated columns and a .po file) is all a new language takes.
LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
]
# Open Graph wants a territory with each language.
OPEN_GRAPH_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
LOCALE_PATHS = [BASE_DIR / "collective" / "locale"]
# A form sent with an expired token gets a page in the site's language that says what to do.
CSRF_FAILURE_VIEW = "collective.views.csrf_failure"
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": (LANGUAGE_CODE,)}
# The tabbed admin needs jQuery UI; serve our own copy instead of modeltranslation's CDN default,
# so the admin works offline and under a strict Content-Security-Policy.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded logos live in a local folder, or, for several app servers, in S3-compatible object
# storage that they all share (django-storages, pinned in requirements/s3.txt; install with
# `.venv/bin/pip install --require-hashes -r requirements/s3.txt`).
MEDIA_STORAGE = env.str("DJANGO_MEDIA_STORAGE", default="filesystem").strip().lower()
if MEDIA_STORAGE not in ("filesystem", "s3"):
    # Any other word would store logos in one server's own folder, unseen by the others.
    raise ImproperlyConfigured(f"DJANGO_MEDIA_STORAGE: {MEDIA_STORAGE!r} is not filesystem or s3.")
# A local media folder is served by the app itself unless switched off: `make serve` on one
# server then shows its logos. nginx in front serves /media/ before the request gets here.
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=MEDIA_STORAGE == "filesystem")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
                "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
                "region_name": env.str("AWS_S3_REGION_NAME", default=None),
                "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default=None),
                # Logos are public; plain URLs can be cached by browsers and proxies.
                "querystring_auth": False,
                "default_acl": None,
                "file_overwrite": False,
                # Logo names carry a hash of their content (organizations.images).
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        }
        if MEDIA_STORAGE == "s3"
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        # Hashed names need `collectstatic` first, which a local run does not do.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# HTTPS follows production unless switched off for a production-like run over plain http.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline scripts or styles anywhere, the admin included; logos may come from the media host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *env_list("DJANGO_CSP_IMAGE_HOSTS", default=[])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Only features browsers know: an unknown one (FLoC's interest-cohort) is an error in their
# console on every page.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# The admin's address can be moved away from the well-known /admin/.
ADMIN_PATH = env.str("DJANGO_ADMIN_PATH", default="admin/").strip("/") + "/"

# The suspicious requests scanners send (django.core.exceptions.SuspiciousOperation's kinds).
SCANNED_FOR = [
    "DisallowedHost",
    "DisallowedRedirect",
    "SuspiciousFileOperation",
    "SuspiciousMultipartForm",
    "TooManyFieldsSent",
    "TooManyFilesSent",
    "RequestDataTooBig",
]
# Python's logging knows its levels in capitals only; another word would stop every start
# with "Unable to configure root logger", which does not say where the word came from.
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO").strip().upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"DJANGO_LOG_LEVEL: {LOG_LEVEL!r} is not DEBUG, INFO, WARNING, ERROR or CRITICAL."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # In gunicorn's own format, so that a warning or a traceback can be matched with the
    # access log's request and with the worker that wrote it.
    "formatters": {
        "timed": {
            "format": "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s",
            "datefmt": "%Y-%m-%d %H:%M:%S %z",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "timed"}},
    "filters": {
        "without_traceback": {"()": "collective.http.WithoutTraceback"},
        "client_error_without_traceback": {"()": "collective.http.ClientErrorWithoutTraceback"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own console handler (active with DEBUG) would print every message a second
        # time on its way to the root logger's; and mail to ADMINS is not set up here.
        "django": {"handlers": [], "propagate": True},
        # A 4xx (a form body that cannot be parsed, a refused permission) in one line; a 500
        # keeps its traceback.
        "django.request": {"filters": ["client_error_without_traceback"]},
        # A request for a host name the site does not serve, or a path that climbs out of the
        # media folder (scanners try them all day): one line saying what was asked, not the
        # same traceback every time. Django logs each kind of suspicious request under its
        # own name, and a logger's filter does not apply to its children's records.
        **{f"django.security.{name}": {"filters": ["without_traceback"]} for name in SCANNED_FOR},
    },
}
