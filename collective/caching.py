"""The public pages' cache: rendered once per language and address, kept until their content
changes, and never a reason for the site to fail.

- Every (language, path) has a version, and a kept page counts only at the version it was
  rendered at. Saving or deleting content bumps the versions of exactly the pages it appears
  on (the "Who are we" page and its own page, under its old and new address), so every app
  server sharing the cache (Redis) sees the change at once.
- `PageCacheMiddleware` answers cache hits high in the middleware stack; the `cached_page`
  view decorator renders and stores on a miss, and serves staff fresh, private pages.
- Each process also keeps the pages it served in its own memory (`near_pages`) and trusts
  them for `PAGE_CACHE_LOCAL_SECONDS` (1 s) before asking the shared cache again: a hit then
  costs no round trip to Redis. A save clears this process's copies at once; other servers
  see it within that second.
- Every cache call goes through `_safely`: when the cache is unreachable the page is rendered
  from the database, a warning is logged, and the cache is left alone for a few seconds
  instead of making every request wait for a dead server.
- A version bump the cache does not take (a brief outage, a refused write) is kept and sent
  again with the next request this process handles (a command: before it exits).
- Pages are kept per release (the static files' manifest), and only for the Host header the
  site is served under (lower case, no final dot, its own port): other spellings are
  rendered, not kept, and marked for proxies not to keep them either.
- Responses carry an ETag, and kept pages a Last-Modified (conditional requests get a 304),
  and a Cache-Control that lets a reverse proxy keep them for a short, configurable time, never
  past midnight. Anyone with a session (staff) gets fresh, private pages.
"""

import datetime
import functools
import hashlib
import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http.request import split_domain_port
from django.urls import translate_url
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language, override

from .http import read_only

logger = logging.getLogger(__name__)

PAUSE_AFTER_FAILURE = 5.0  # seconds without trying the cache after it failed
_paused_until = 0.0


def _safely(operation, *args, default=None):
    """Run a cache call; on any cache failure log it, pause the cache briefly, return default."""
    global _paused_until
    if time.monotonic() < _paused_until:
        return default
    try:
        return operation(*args)
    except Exception as error:  # redis raises several kinds; none may reach a visitor
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
        logger.warning("Cache unavailable, serving from the database: %s", error)
        return default


def cache_get(key):
    return _safely(cache.get, key)


def cache_set(key, value, timeout):
    _safely(cache.set, key, value, timeout)


def cache_delete(key):
    _safely(cache.delete, key)


def _version_key(language, path):
    # Hashed: any address must make a short key of safe characters, whatever a visitor typed.
    return f"page-version:{language}:{hashlib.sha256(path.encode()).hexdigest()[:40]}"


def _page_key(request, language):
    # The release: pages rendered by an older deployment name static files it had, which a
    # new one may no longer serve, and servers of both share the cache during a rolling update.
    host = request.get_host()
    address = f"{_release()} {request.scheme}://{host}{request.path}"
    return f"page:{language}:{hashlib.sha256(address.encode()).hexdigest()}"


@functools.cache
def _release():
    """The hash of the collected static files' manifest; empty where they are not collected."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    return getattr(staticfiles_storage, "manifest_hash", "")


class NearPages:
    """Pages this process served lately, trusted for a short time without asking Redis.

    Bounded in bytes; the oldest confirmed page goes first. Safe for threaded workers: a
    render that began before this process saved content cannot put its old page back
    (the generation check), and reads need no lock.
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.generation = 0
        self._pages = OrderedDict()  # key -> (confirmed at, version, entry)
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        """(version, entry) of a page confirmed less than PAGE_CACHE_LOCAL_SECONDS ago."""
        found = self._pages.get(key)
        if found is None or clock() - found[0] >= settings.PAGE_CACHE_LOCAL_SECONDS:
            return None
        return found[1], found[2]

    def put(self, key, version, entry, generation):
        size = len(entry["content"])
        if not settings.PAGE_CACHE_LOCAL_SECONDS or size > self.max_bytes // 4:
            return
        with self._lock:
            if generation != self.generation:
                return  # content changed while this page was looked up or rendered
            self._forget(key)
            self._pages[key] = (clock(), version, entry)
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._forget(next(iter(self._pages)))

    def clear(self):
        with self._lock:
            self.generation += 1
            self._pages.clear()
            self._bytes = 0

    def _forget(self, key):
        found = self._pages.pop(key, None)
        if found is not None:
            self._bytes -= len(found[2]["content"])


clock = time.monotonic
# 16 MB per process holds both languages of every page with hundreds of members.
near_pages = NearPages(max_bytes=16 * 1024 * 1024)


# What a command that changes content says when a running server cannot hear of it.
NOT_SHARED_NOTE = (
    "The page cache lives in each server process's own memory (no REDIS_URL), out of this "
    "command's reach: a server that is running shows the change after a restart, or once its "
    "pages expire."
)


def shared_with_servers():
    """Whether this process's cache is the one the servers use (Redis), not its own memory."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    return not settings.PAGE_CACHE_SECONDS or not isinstance(caches["default"], LocMemCache)


def clear():
    """Forget every kept page: this process's copies and everything in the shared cache.

    The shared cache is emptied whole (Redis: its database, which REDIS_URL gives the site
    alone). Other processes drop their own copies within PAGE_CACHE_LOCAL_SECONDS, as after a
    save. Returns whether the shared cache could be emptied.
    """
    near_pages.clear()
    return _safely(lambda: cache.clear() or True, default=False)


def invalidate(paths):
    """New versions for these (language, path) pages: every server renders them afresh.

    Tried even while page reads pause after a cache failure: saves are rare, and a bump missed
    after a short blip would leave the old pages in the cache until they expire. A bump the
    cache does not take is kept and sent again with the next request this process handles.
    """
    near_pages.clear()
    _unsent_versions.update(_version_key(lang, path) for lang, path in paths)
    _send_unsent_versions()


# Version keys whose bump the cache did not take (see invalidate).
_unsent_versions = set()


def _send_unsent_versions():
    """Bump every version still unsent, with a new stamp; kept for later if the cache fails."""
    global _paused_until
    keys = set(_unsent_versions)
    if not keys:
        return
    stamp = time.time_ns()
    try:
        cache.set_many(dict.fromkeys(keys, stamp), None)
    except Exception as error:  # as in _safely: a save must not fail because of the cache
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
        logger.error(
            "Cache unavailable, %s pages could not be marked as changed; this process tries "
            "again with its next request: %s",
            len(keys),
            error,
        )
        return
    _unsent_versions.difference_update(keys)


def send_unsent_versions(attempts=5, pause=1.0):
    """For a command that changed content and is about to exit: its process reads no page
    later, so bumps the cache did not take are tried a few more times now, a short pause
    apart (a blip passes). Returns how many pages are still not marked as changed."""
    for attempt in range(attempts):
        if not _unsent_versions:
            break
        if attempt:
            time.sleep(pause)
        _send_unsent_versions()
    return len(_unsent_versions)


def note_for_command():
    """What a command that changed content tells its user about the servers' pages, or "".

    Sends what the cache has not taken yet first: the command's process reads no page later.
    """
    if not shared_with_servers():
        return NOT_SHARED_NOTE
    if unsent := send_unsent_versions():
        return (
            f"The page cache could not be reached to mark {unsent} pages as changed: servers "
            f"may show them as they were until they expire (at most "
            f"{settings.PAGE_CACHE_SECONDS} seconds, and never past midnight)."
        )
    return ""


def connect():
    """Invalidate the pages of every translated model's rows when they are saved or deleted."""
    from django.db.models.signals import post_delete, post_save, pre_save

    from .translations.status import translated_models

    for model in translated_models():
        uid = f"page-cache-{model._meta.label_lower}"
        pre_save.connect(_remember_address, sender=model, dispatch_uid=uid)
        post_save.connect(_content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_content_changed, sender=model, dispatch_uid=uid)


def _remember_address(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or not hasattr(instance, "slug"):
        return
    stored = sender._base_manager.filter(pk=instance.pk).only("slug").first()
    if stored is not None and stored.slug != instance.slug:
        instance._previous_address = stored.get_absolute_url()


def _content_changed(sender, instance, raw=False, **kwargs):
    """Invalidate now and again after commit: a request between the two may cache old rows."""
    if raw:
        return
    paths = pages_showing(instance, instance.__dict__.pop("_previous_address", None))
    invalidate(paths)
    transaction.on_commit(lambda: invalidate(paths))


def pages_showing(obj, previous_path=None):
    """(language, path) of every page obj appears on.

    A row appears on "Who are we" and on its own page; a model that says it is `on_every_page`
    (the collective, whose name is in every page's title) reaches the pages of all rows.
    """
    rows = _every_page_row() if getattr(obj, "on_every_page", False) else [obj]
    paths = set()
    for code, _name in settings.LANGUAGES:
        with override(code):
            paths.add((code, _who_are_we_path()))
            paths |= {(code, row.get_absolute_url()) for row in rows if _has_page(row)}
    if previous_path:
        paths |= {(code, translate_url(previous_path, code)) for code, _name in settings.LANGUAGES}
    return paths


def _has_page(row):
    return hasattr(row, "get_absolute_url") and getattr(row, "pk", None) is not None


def _every_page_row():
    """Every translated row with a page of its own, published or not."""
    from .translations.status import translated_models

    return [
        row
        for model in translated_models()
        if hasattr(model, "get_absolute_url")
        for row in model._base_manager.all()
    ]


def _who_are_we_path():
    from django.urls import reverse

    return reverse("collective:who-are-we")


def seconds_to_keep(since):
    """The configured time, but never past the midnight after `since`, when the page's render
    began: membership dates change pages daily, and a render that began before midnight shows
    the members of the day before, however late it is stored. 0: do not keep it at all."""
    return min(settings.PAGE_CACHE_SECONDS, seconds_to_midnight(since))


def seconds_to_midnight(since=None):
    """Seconds from now to the midnight after `since` (default: now); 0 once it has passed."""
    now = timezone.now()
    return max(0, int((_next_midnight(since or now) - now).total_seconds()))


def _next_midnight(moment):
    """The first midnight of TIME_ZONE after `moment`, in UTC.

    In UTC because two times in the same zone subtract as clock readings, which on the days
    the clocks change (a 23- or 25-hour day in Amsterdam) is an hour off the time that passes.
    """
    local = timezone.localtime(moment)
    midnight = datetime.datetime.combine(
        local.date() + datetime.timedelta(days=1), datetime.time(), local.tzinfo
    )
    return midnight.astimezone(datetime.UTC)


def _serves_staff(request):
    """Only a request with a session can be staff; visitors never trigger the session lookup."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_authenticated


def _cacheable(request):
    return (
        settings.PAGE_CACHE_SECONDS
        and request.method in ("GET", "HEAD")
        and host_as_served(request)
    )


def host_as_served(request):
    """Whether the Host header names the site as it is served: lower case, no final dot, no
    other port.

    Django accepts an allowed host in any case, with a final dot and with any port, and the
    page's links are built from it. Pages for `WWW.example.org`, `example.org.` or
    `example.org:31337` are rendered, never kept, and proxies are told not to keep them either:
    a visitor cannot fill a cache with copies whose links lead elsewhere. A port is
    accepted only where it is the one the server listens on (gunicorn on TCP, as `make serve`
    and the benchmark run it); behind nginx the Host header carries none. On a unix socket
    gunicorn takes SERVER_PORT from the Host header itself, so there no port is accepted.
    """
    host = request.get_host()
    _domain, port = split_domain_port(host)
    name = host[: -len(port) - 1] if port else host
    if host != host.lower() or name.endswith("."):
        return False
    on_tcp = bool(request.META.get("REMOTE_ADDR"))
    return port == "" or (on_tcp and port == request.META.get("SERVER_PORT"))


def kept_only_for_the_served_host(max_age=None):
    """A response with absolute links (built from the Host header) that may be kept only when
    asked under the site's host: then for `max_age` seconds, publicly, if given.

    robots.txt and the sitemap are answered for `example.org:31337` or `EXAMPLE.ORG` too, but
    then marked not to be kept: a proxy that leaves the port or case out of its key would
    otherwise hand their links to that address to every visitor.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if not host_as_served(request):
                patch_cache_control(response, no_store=True)
            elif max_age is not None:
                patch_cache_control(response, public=True, max_age=max_age)
            return response

        return wrapper

    return decorator


class _Lookup:
    """Where a page is kept, the version it must carry, and the entry found (or None).

    Both keys are read in one round trip; an entry counts only if it was rendered at the
    current version, so a bumped version turns every server's copy into a miss at once.
    `version` is None while the page has none: never stored yet, or its version was evicted.
    """

    __slots__ = ("entry", "generation", "key", "started", "version", "version_key")

    def __init__(self, request, language):
        self.started = timezone.now()  # before the page is rendered, if it has to be
        self.key = _page_key(request, language)
        self.version_key = _version_key(language, request.path)
        self.generation = near_pages.generation
        near = near_pages.get(self.key)
        if near is not None:
            self.version, self.entry = near
            return
        found = _safely(cache.get_many, [self.version_key, self.key], default={})
        self.version = found.get(self.version_key)
        entry = found.get(self.key)
        matches = entry and self.version is not None and entry.get("version") == self.version
        self.entry = entry if matches else None
        if self.entry is not None:
            near_pages.put(self.key, self.version, self.entry, self.generation)

    def version_to_store(self):
        """The version a page rendered after this lookup is kept under; None: do not keep it.

        A page without a version gets a new one only now that it is stored, so addresses that
        turn out not to be pages leave nothing behind. It is always new, never a fixed starting
        value: a page kept from before an eviction must not match again. If a version appeared
        while the page was rendered (a save, or another server storing first), this render
        may be older than the content and is not kept.
        """
        if self.version is not None:
            return self.version
        stamp = time.time_ns()
        return stamp if _safely(cache.add, self.version_key, stamp, None) else None


def _language_prefix(request):
    """The language of a /nl/… or /en/… address; None for any other address."""
    # A request line such as `GET * HTTP/1.1` gives a path without its first slash.
    parts = request.path_info.split("/", 2)
    return parts[1] if len(parts) > 1 and parts[1] in _language_codes() else None


def _language_codes():
    return {code for code, _name in settings.LANGUAGES}


class PageCacheMiddleware:
    """Answer a visitor's request for a cached page before sessions, language, CSRF and auth.

    Like Django's FetchFromCacheMiddleware, it sits high in MIDDLEWARE: a page found in the
    cache is the same bytes for every visitor, so the work of the middleware below it would be
    thrown away. Only middleware above it (security headers, CSP, X-Frame-Options) still runs.
    Requests with a session cookie pass through: they may be staff, who get fresh pages.
    Misses, and every address that is not a page, go on to the view, which renders and stores.
    Any request first sends the version bumps the cache refused before (see invalidate): the
    process that saved may serve nothing but the admin afterwards.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _unsent_versions and time.monotonic() >= _paused_until:
            _send_unsent_versions()
        if _cacheable(request) and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            language = _language_prefix(request)
            if language is not None:
                request._page_cache = lookup = _Lookup(request, language)
                if lookup.entry is not None:
                    return _respond(request, lookup.entry, language)
        response = self.get_response(request)
        if response.cookies and "public" in response.get("Cache-Control", ""):
            # A cookie set with a public page (the session middleware deleting a stale one,
            # set after the page was made) is for this visitor only: no proxy may keep it
            # and hand it to others, as Django's cache middleware never stores it either.
            del response["Cache-Control"]
            patch_cache_control(response, private=True, no_cache=True)
        return response


def cached_page(view):
    """Cache a public page per language and address, with validators and proxy headers.

    The page is read only: methods other than GET and HEAD get 405 (see `read_only`).
    """

    @read_only
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if _serves_staff(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        lookup = None
        if _cacheable(request):
            # The middleware has looked already, unless a cookie or the address kept it out.
            lookup = getattr(request, "_page_cache", None) or _Lookup(request, get_language())
            if lookup.entry is not None:
                return _respond(request, lookup.entry)
        started = lookup.started if lookup is not None else timezone.now()
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        return _respond(request, _store(response, lookup, started))

    return wrapper


def _store(response, lookup, started):
    """The page's cache entry, kept under the version read before it was rendered."""
    if hasattr(response, "render"):
        response.render()
    content = response.content
    entry = {
        "content": content,
        "content_type": response["Content-Type"],
        "etag": f'"{hashlib.sha256(content).hexdigest()[:32]}"',
        # Only a kept page has a time it was last modified that holds for the next request.
        "last_modified": None,
        # When its render began: it shows the members of that day (see _respond).
        "started": started,
    }
    keep = seconds_to_keep(started) if lookup is not None else 0
    version = lookup.version_to_store() if keep else None
    if version is not None:
        entry["version"] = version
        entry["last_modified"] = time.time()
        cache_set(lookup.key, entry, keep)
        near_pages.put(lookup.key, version, entry, lookup.generation)
    return entry


def _respond(request, entry, language=None):
    from django.http import HttpResponse

    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    response["ETag"] = entry["etag"]
    last_modified = entry["last_modified"]
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    if host_as_served(request):
        # A proxy keeps the page no longer than until midnight, when membership dates move
        # on: the midnight after its render began, which may have passed already (then not
        # at all).
        left = seconds_to_midnight(entry.get("started"))
        shared = min(settings.PROXY_CACHE_SECONDS, left)
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=shared,
            stale_while_revalidate=min(settings.STALE_WHILE_REVALIDATE_SECONDS, left - shared),
        )
    else:
        # Its links lead to this spelling of the host (see kept_only_for_the_served_host).
        patch_cache_control(response, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    response = get_conditional_response(
        request,
        etag=entry["etag"],
        last_modified=None if last_modified is None else int(last_modified),
        response=response,
    )
    # The page's own length, on a 304 too (RFC 9110 8.6: never another number); set here, as
    # CommonMiddleware would write 0 for a 304's empty body.
    response["Content-Length"] = str(len(entry["content"]))
    if language is not None:
        # What LocaleMiddleware adds, for a page answered above it (to a 304 as well).
        response["Content-Language"] = language
    return response
