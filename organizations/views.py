from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView

from collective import seo
from collective.http import with_query
from collective.models import Collective

from .models import FormerSlug


def organization_context(request, organization):
    """What an organization's page shows, shared by the public view and the staff preview."""
    return {
        "organization": organization,
        "meta": seo.organization_meta(request, organization, Collective.load()),
    }


class OrganizationDetailView(DetailView):
    """The page of one published member organization or advisory body (`model` set in urls)."""

    context_object_name = "organization"
    template_name = "organizations/organization_detail.html"

    def get_queryset(self):
        return self.model.objects.public()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**organization_context(self.request, self.object), **kwargs)

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # An address from before the slug was changed: send the visitor, and search
            # engines, to where the page is now.
            moved = self._page_once_at(kwargs["slug"])
            if moved is None:
                raise
            return _moved(request, moved.get_absolute_url())

    def _page_once_at(self, slug):
        """The published page that had this slug, or has it in lower case (a typed address)."""
        moved = FormerSlug.target(self.model, slug)
        if moved is None and slug != slug.lower():
            lower = slug.lower()
            moved = self.get_queryset().filter(slug=lower).first() or FormerSlug.target(
                self.model, lower
            )
        return moved


def _moved(request, url):
    """A permanent redirect that browsers and proxies keep only briefly.

    Without Cache-Control, browsers keep a 301 for good, and a slug that a page takes up again
    later would stay unreachable for everyone who once followed the redirect.
    """
    response = HttpResponsePermanentRedirect(with_query(request, url))
    patch_cache_control(response, public=True, max_age=settings.PROXY_CACHE_SECONDS)
    return response
