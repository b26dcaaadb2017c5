import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from model_bakery import baker

from collective import seeding
from collective.translations import roles

# Every staff account the tests make signs in with this (the browser tests type it).
STAFF_PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: pages cached by one test are not another's."""
    from django.core.cache import cache

    from collective import caching

    caching._paused_until = 0.0
    caching._unsent_versions.clear()
    caching.near_pages.clear()
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request leaves its own language active."""
    translation.deactivate()


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


@pytest.fixture
def user_in(db, django_user_model):
    """A staff account in one of the roles: `user_in(roles.EDITORS, "name")`."""

    def make(group_name, username):
        user = django_user_model.objects.create_user(
            username, password=STAFF_PASSWORD, is_staff=True
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture
def editor(user_in):
    return user_in(roles.EDITORS, "redacteur")


@pytest.fixture
def translator_client(client, user_in):
    client.force_login(user_in(roles.TRANSLATORS, "vertaler"))
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def refusing_cache(monkeypatch):
    """The cache refusing page-version bumps (set_many) while the returned list holds anything.

    `refusing.clear()` ends the outage.
    """
    from django.core.cache import cache

    from collective import caching

    set_many, refusing = cache.set_many, [True]

    def maybe_refused(*args, **kwargs):
        if refusing:
            raise ConnectionError("writes paused")
        return set_many(*args, **kwargs)

    monkeypatch.setattr(cache, "set_many", maybe_refused)
    monkeypatch.setattr(caching, "_unsent_versions", set())
    return refusing
