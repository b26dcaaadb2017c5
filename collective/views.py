import posixpath
import sys
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path, get_language_from_request, override
from django.views.decorators.cache import cache_control
from django.views.decorators.common import no_append_slash
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.vary import vary_on_headers
from django.views.generic import TemplateView
from django.views.static import serve

from organizations.images import is_content_addressed
from organizations.models import (
    published_advisory_bodies,
    published_members,
    split_by_membership,
)

from . import seo
from .caching import kept_only_for_the_served_host
from .http import answers_conditional_requests, language_neutral, read_only, with_query
from .localization import home_alternates
from .middleware import database_unavailable
from .models import Collective


@vary_on_headers("Accept-Language", "Cookie")
def language_redirect(request):
    """`/`: send the visitor to the page in the language their browser asks for."""
    with override(get_language_from_request(request)):
        return redirect(with_query(request, reverse("collective:who-are-we")))


# Django's APPEND_SLASH sends `/anything` to `/anything/` whenever that address resolves, and
# this catch-all resolves every slashed path: a detour to a 404. Missing slashes of real
# pages are added by collective.addresses, which checks that a page is there.
@no_append_slash
@csrf_exempt  # it only reads; see collective.http.read_only
@vary_on_headers("Accept-Language", "Cookie")
def negotiate_language(request, path):
    """An address without language prefix (a page's x-default): the page in the visitor's language.

    `/leden/njr/` is the Dutch path of NJR's page; an English browser lands on `/en/members/njr/`.
    An address that is no page in any language is a 404 whatever the method; a page's address
    answers other methods than GET and HEAD with 405, as the page itself does.
    """
    wanted = get_language_from_request(request)
    for code, _name in settings.LANGUAGES:
        prefixed = f"/{code}/{path}"
        with override(code):
            if _is_page(prefixed):
                if request.method not in ("GET", "HEAD"):
                    return HttpResponseNotAllowed(["GET", "HEAD"])
                return redirect(with_query(request, translate_url(prefixed, wanted)))
    raise Http404


def _is_page(path):
    """Whether a language-prefixed path is one of the site's addresses."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def who_are_we_context(request, collective):
    """What the "Who are we" page shows, shared by the public view and the staff preview."""
    members, former_members = split_by_membership(published_members())
    return {
        "collective": collective,
        "members": members,
        "former_members": former_members,
        "advisory_bodies": published_advisory_bodies(),
        "meta": seo.who_are_we_meta(request, collective, members),
    }


class WhoAreWeView(TemplateView):
    template_name = "collective/who_are_we.html"

    def get_context_data(self, **kwargs):
        collective = Collective.load()
        if collective is None:
            raise Http404("No content has been entered yet.")
        return super().get_context_data(**who_are_we_context(self.request, collective), **kwargs)


@language_neutral
@kept_only_for_the_served_host(max_age=60 * 60 * 24)
@answers_conditional_requests
def robots_txt(request):
    lines = ["User-agent: *"]
    if settings.ADMIN_PATH == "admin/":
        # A moved admin (DJANGO_ADMIN_PATH) is not named here, where anyone can read it; its
        # pages ask not to be indexed themselves (the admin's robots meta tag).
        lines.append(f"Disallow: {reverse('admin:index')}")
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# How long browsers and proxies keep an uploaded file: a year for names that carry a hash of
# their content, five minutes (then a check with Last-Modified) for logos stored before that.
MEDIA_IMMUTABLE_SECONDS = 365 * 24 * 60 * 60
MEDIA_REVALIDATE_SECONDS = 5 * 60


@read_only
@language_neutral
def media(request, path):
    """An uploaded file from the local media folder (SERVE_MEDIA).

    Only logos are uploaded, re-encoded as PNG, JPEG or WebP, under names that carry a hash of
    their content (see organizations.images). Django's static view refuses paths outside the
    folder; a name the file system cannot hold is no file either.
    """
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
        if response.status_code == 304:
            # The file's own length, as on the 200 (RFC 9110 8.6: never another number);
            # CommonMiddleware would write 0 for the empty body. serve() has checked the path.
            found = Path(settings.MEDIA_ROOT, posixpath.normpath(path).lstrip("/"))
            response["Content-Length"] = str(found.stat().st_size)
    except OSError as error:  # e.g. a name longer than the file system allows
        raise Http404 from error
    if is_content_addressed(path):
        patch_cache_control(response, public=True, max_age=MEDIA_IMMUTABLE_SECONDS, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=MEDIA_REVALIDATE_SECONDS)
    return response


@language_neutral
@cache_control(max_age=60 * 60 * 24, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon.

    Not a permanent redirect: browsers keep those for good, and the icon's hashed name
    changes with the icon. A day's cache spares them the question meanwhile.
    """
    return redirect(static("favicon.svg"))


def page_not_found(request, exception=None):
    """404: the language links lead to "Who are we" in each language.

    The same address in another language is most likely no page either. (An address that
    plainly means a page has been sent there already: collective.addresses.)
    """
    body = loader.render_to_string(
        "404.html", {"alternates": home_alternates(request)}, request=request
    )
    return HttpResponseNotFound(body)


def bad_request(request, exception=None):
    """400 (a host the site does not serve, a path outside the media folder…): a plain page.

    Rendered like the 500 page, without the request: its host may be the very thing wrong.
    """
    return HttpResponseBadRequest(_standalone_page(request, "400.html"))


def server_error(request):
    """The 500 page in the language of the address, rendered without touching the database.

    Django calls it while handling the error: one that says the database server is away
    (a restart) gets a 503 asking to retry instead, wherever it was raised, in a view or in
    middleware after it (the session saved on the way out).
    """
    if database_unavailable(sys.exception()):
        return service_unavailable(request)
    return HttpResponseServerError(_standalone_page(request, "500.html"))


def service_unavailable(request):
    """503 while the database restarts: the 500 page, with when to try again."""
    response = HttpResponse(_standalone_page(request, "500.html"), status=503)
    response["Retry-After"] = "5"
    return response


def _standalone_page(request, template_name):
    language = get_language_from_path(request.path) or settings.LANGUAGE_CODE
    with override(language):
        return loader.get_template(template_name).render({"LANGUAGE_CODE": language})


def permission_denied(request, exception=None):
    """403: in the admin's look for an admin address, in the site's look elsewhere."""
    return _forbidden(request, "403.html")


def csrf_failure(request, reason=""):
    """A form sent with an expired or missing security token (CSRF_FAILURE_VIEW).

    Mostly an admin form left open while its user logged out and in again elsewhere: the
    page says what happened and how to keep what was typed, instead of Django's bare page.
    """
    return _forbidden(request, "403_csrf.html")


def _forbidden(request, template_name):
    context = {}
    if request.path.startswith(f"/{settings.ADMIN_PATH}"):
        template_name, context = f"admin/{template_name}", admin.site.each_context(request)
    body = loader.render_to_string(template_name, context, request=request)
    return HttpResponseForbidden(body)
