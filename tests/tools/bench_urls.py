"""The site's URLs plus two yardsticks for the benchmark (tests/tools/bench.py).

- `/bench/constant/`: a fixed page of about the size of "Who are we", answered without
  templates or database, through the same middleware. What Django and gunicorn cost by
  themselves.
- `/bench/plain/`: the members as the plainest Django and modeltranslation page would show
  them: two queries (collective, published members) and a small template with each member's
  name, description and website, nothing else. What rendering the content costs before the
  site adds anything (logos, fallback marks, advisors, language links, structured data).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from collective.models import Collective
from collective.urls import handler400, handler403, handler404, handler500
from collective.urls import urlpatterns as site_urlpatterns
from organizations.models import MemberOrganization

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

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


def plain(request):
    context = {
        "collective": Collective.objects.get(),
        "members": MemberOrganization.objects.filter(is_published=True),
    }
    return render(request, "bench/plain.html", context)


# First: the site's last pattern takes any unprefixed path as a page in another language.
urlpatterns = [
    path("bench/constant/", constant, name="bench-constant"),
    path("bench/plain/", plain, name="bench-plain"),
    *site_urlpatterns,
]
