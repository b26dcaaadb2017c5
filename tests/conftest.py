import pytest
from django.utils import translation
from model_bakery import baker

from collective import seeding


@pytest.fixture
def seeded(db):
    """The database as `seed_content` leaves it."""
    seeding.seed(seeding.load())


@pytest.fixture
def member_factory(db):
    def make(**fields):
        fields.setdefault("name_nl", "Voorbeeldorganisatie")
        fields.setdefault("is_published", True)
        return baker.make("organizations.MemberOrganization", **fields)

    return make


@pytest.fixture
def in_language():
    """Run a block in one language: `with in_language("en"): ...`."""
    return translation.override
