from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import get_language_from_request, override
from django.views.decorators.vary import vary_on_headers
from django.views.generic import TemplateView

from organizations.models import AdvisoryBody, MemberOrganization

from .models import Collective


@vary_on_headers("Accept-Language", "Cookie")
def language_redirect(request):
    """`/`: send the visitor to the page in the language their browser asks for."""
    with override(get_language_from_request(request)):
        return redirect("collective:who-are-we")


def who_are_we_context(collective):
    """What the "Who are we" page shows, shared by the public view and the staff preview."""
    return {
        "collective": collective,
        "members": MemberOrganization.objects.current(),
        "former_members": MemberOrganization.objects.former(),
        "advisory_bodies": AdvisoryBody.objects.published(),
    }


class WhoAreWeView(TemplateView):
    template_name = "collective/who_are_we.html"

    def get_context_data(self, **kwargs):
        collective = Collective.load()
        if collective is None:
            raise Http404("No content has been entered yet.")
        return super().get_context_data(**who_are_we_context(collective), **kwargs)
