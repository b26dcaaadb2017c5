"""The public pages' cache: rendered once per language and address, kept until their content
changes, and never a reason for the site to fail.

- Keys carry a version per (language, path). Saving or deleting content bumps the versions of
  exactly the pages it appears on (the "Who are we" page and its own page, under its old and
  new address), so every app server sharing the cache (Redis) sees the change at once.
- Every cache call goes through `_safely`: when the cache is unreachable the page is rendered
  from the database, a warning is logged, and the cache is left alone for a few seconds
  instead of making every request wait for a dead server.
- Responses carry an ETag and Last-Modified (conditional requests get a 304) and a
  Cache-Control that lets a reverse proxy keep them for a short, configurable time. Anyone
  with a session (staff) gets fresh, private pages.
"""

import datetime
import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import translate_url
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language, override

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


def _page_key(request, version):
    host = request.get_host()
    digest = hashlib.sha256(f"{request.scheme}://{host}{request.path}".encode()).hexdigest()
    return f"page:{get_language()}:{version}:{digest}"


def invalidate(paths):
    """New versions for these (language, path) pages: every server renders them afresh."""
    stamp = time.time_ns()
    _safely(cache.set_many, {_version_key(lang, path): stamp for lang, path in paths}, None)


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
    """(language, path) of every page obj appears on: "Who are we" and its own page."""
    paths = set()
    for code, _name in settings.LANGUAGES:
        with override(code):
            paths.add((code, _who_are_we_path()))
            if hasattr(obj, "get_absolute_url") and getattr(obj, "pk", None):
                paths.add((code, obj.get_absolute_url()))
    if previous_path:
        paths |= {(code, translate_url(previous_path, code)) for code, _name in settings.LANGUAGES}
    return paths


def _who_are_we_path():
    from django.urls import reverse

    return reverse("collective:who-are-we")


def seconds_to_keep():
    """The configured time, but never past midnight: membership dates change pages daily."""
    now = timezone.localtime()
    midnight = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), now.tzinfo
    )
    return max(1, min(settings.PAGE_CACHE_SECONDS, int((midnight - now).total_seconds())))


def _serves_staff(request):
    """Only a request with a session can be staff; visitors never trigger the session lookup."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_authenticated


def cached_page(view):
    """Cache a public page per language and address, with validators and proxy headers."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or _serves_staff(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        entry = _cached_entry(request) if settings.PAGE_CACHE_SECONDS else None
        if entry is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            entry = _store(request, response)
        return _respond(request, entry)

    return wrapper


def _cached_entry(request):
    version = cache_get(_version_key(get_language(), request.path)) or 0
    request._page_cache_key = _page_key(request, version)
    return cache_get(request._page_cache_key)


def _store(request, response):
    if hasattr(response, "render"):
        response.render()
    content = response.content
    entry = {
        "content": content,
        "content_type": response["Content-Type"],
        "etag": f'"{hashlib.sha256(content).hexdigest()[:32]}"',
        "last_modified": time.time(),
    }
    if settings.PAGE_CACHE_SECONDS and hasattr(request, "_page_cache_key"):
        cache_set(request._page_cache_key, entry, seconds_to_keep())
    return entry


def _respond(request, entry):
    from django.http import HttpResponse

    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.PROXY_CACHE_SECONDS,
        stale_while_revalidate=settings.STALE_WHILE_REVALIDATE_SECONDS,
    )
    patch_vary_headers(response, ["Cookie"])
    return get_conditional_response(
        request,
        etag=entry["etag"],
        last_modified=int(entry["last_modified"]),
        response=response,
    )
