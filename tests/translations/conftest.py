import pytest
from django.contrib.auth.models import Group, User

from collective.translations import roles
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


def user_in(group_name, username):
    user = User.objects.create_user(username, password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def translator_client(client, db):
    client.force_login(user_in(roles.TRANSLATORS, "vertaler"))
    return client


@pytest.fixture
def editor_client(client, db):
    client.force_login(user_in(roles.EDITORS, "redacteur"))
    return client
