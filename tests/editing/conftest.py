import pytest
from django.urls import reverse

from organizations.models import MemberOrganization


@pytest.fixture
def njr(seeded):
    return MemberOrganization.objects.get(slug="njr")


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def form_data(response):
    """The values the change form would post back, as a browser would send them."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or name == "logo":
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    return data
