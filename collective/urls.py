from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import pgettext_lazy
from django.views.generic import RedirectView

from . import views
from .caching import cached_page, kept_only_for_the_served_host
from .http import answers_conditional_requests, language_neutral, read_only
from .sitemaps import SITEMAPS

collective_patterns = (
    [
        path(
            pgettext_lazy("URL path", "who-are-we/"),
            cached_page(views.WhoAreWeView.as_view()),
            name="who-are-we",
        ),
    ],
    "collective",
)

urlpatterns = [
    path("", read_only(views.language_redirect), name="language-redirect"),
    path(
        "sitemap.xml",
        read_only(
            language_neutral(kept_only_for_the_served_host()(answers_conditional_requests(sitemap)))
        ),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", read_only(views.robots_txt), name="robots"),
    path("favicon.ico", read_only(views.favicon)),
    path(f"{settings.ADMIN_PATH}translations/", include("collective.translations.urls")),
    path(f"{settings.ADMIN_PATH}preview/", include("collective.editing.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
]

urlpatterns += i18n_patterns(
    path(
        "",
        read_only(RedirectView.as_view(pattern_name="collective:who-are-we")),
        name="home",
    ),
    path("", include(collective_patterns)),
    path("", include("organizations.urls")),
)

handler400 = "collective.views.bad_request"
handler403 = "collective.views.permission_denied"
handler404 = "collective.views.page_not_found"
handler500 = "collective.views.server_error"

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", views.media, name="media")
    )

# Last: an address without language prefix is tried as a page path in each language.
_prefixes = "|".join(code for code, _name in settings.LANGUAGES)
urlpatterns.append(
    re_path(
        rf"^(?!(?:{_prefixes})/)(?P<path>(?:[^/.]+/)+)$",
        views.negotiate_language,
        name="negotiate",
    )
)
