from django.urls import path
from django.utils.translation import pgettext_lazy

from collective.caching import cached_page

from .models import AdvisoryBody, MemberOrganization
from .views import OrganizationDetailView

app_name = "organizations"

urlpatterns = [
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
