import pytest

from organizations.models import MemberOrganization


@pytest.fixture
def njr(seeded):
    return MemberOrganization.objects.get(slug="njr")


def change_source(obj, field, text):
    """Edit the Dutch source through save(), as the admin does, leaving English as it was."""
    setattr(obj, f"{field}_nl", text)
    obj.save()


@pytest.fixture
def outdated_njr(njr):
    change_source(
        njr, "description", njr.description_nl + " Sinds 2020 ook in Caribisch Nederland."
    )
    return njr
