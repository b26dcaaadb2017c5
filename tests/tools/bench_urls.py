"""The site's URLs plus `/bench/constant/`: a fixed page of about the size of "Who are we",
answered without templates or database, through the same middleware. It is the benchmark's
yardstick for what Django and gunicorn cost by themselves."""

from django.http import HttpResponse
from django.urls import path

from collective.urls import handler500
from collective.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]

SIZE = 14 * 1024
_HEAD = b'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>Constant</title>'
_HEAD += b"</head><body><main><h1>Constant</h1>\n"
_TAIL = b"</main></body></html>\n"
_LINE = b"<p>Een vaste tekst van gelijke lengte als een echte pagina, zonder database.</p>\n"
BODY = (_HEAD + _LINE * ((SIZE - len(_HEAD) - len(_TAIL)) // len(_LINE) + 1))[
    : SIZE - len(_TAIL)
] + _TAIL


def constant(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


# First: the site's last pattern takes any unprefixed path as a page in another language.
urlpatterns = [path("bench/constant/", constant, name="bench-constant"), *site_urlpatterns]
