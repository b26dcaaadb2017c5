from django.views.generic import DetailView


class OrganizationDetailView(DetailView):
    """The page of one published member organization or advisory body (`model` set in urls)."""

    context_object_name = "organization"
    template_name = "organizations/organization_detail.html"

    def get_queryset(self):
        return self.model.objects.published()
