from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import pgettext_lazy

from collective.caching import cached_page
from collective.http import read_only

from .models import AdvisoryBody, MemberOrganization
from .views import OrganizationDetailView

app_name = "organizations"


def _section_of_who_are_we(section):
    """`/nl/leden/` and `/nl/adviseur/`: the part of "Who are we" that lists them.

    Visitors shorten an address to go up a level; there is no page of its own there.
    """

    def view(request):
        return redirect(f"{reverse('collective:who-are-we')}#{section}")

    return read_only(view)


urlpatterns = [
    path(
        pgettext_lazy("URL path", "members/"),
        _section_of_who_are_we("members-heading"),
        name="members",
    ),
    path(
        pgettext_lazy("URL path", "advisor/"),
        _section_of_who_are_we("advisors-heading"),
        name="advisors",
    ),
    path(
        pgettext_lazy("URL path", "members/<slug:slug>/"),
        cached_page(OrganizationDetailView.as_view(model=MemberOrganization)),
        name="member",
    ),
    path(
        pgettext_lazy("URL path", "advisor/<slug:slug>/"),
        cached_page(OrganizationDetailView.as_view(model=AdvisoryBody)),
        name="advisor",
    ),
]
