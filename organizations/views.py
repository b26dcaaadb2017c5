from django.http import Http404
from django.views.generic import DetailView

from collective import seo
from collective.http import moved_permanently
from collective.models import Collective

from .models import FormerSlug


def organization_context(request, organization):
    """What an organization's page shows, shared by the public view and the staff preview."""
    collective = Collective.load()
    return {
        "organization": organization,
        "collective": collective,
        "meta": seo.organization_meta(request, organization, collective),
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
            return moved_permanently(request, moved.get_absolute_url())

    def _page_once_at(self, slug):
        """The published page that had this slug, or has it in lower case (a typed address)."""
        moved = FormerSlug.target(self.model, slug)
        if moved is None and slug != slug.lower():
            lower = slug.lower()
            moved = self.get_queryset().filter(slug=lower).first() or FormerSlug.target(
                self.model, lower
            )
        return moved
