"""Two saves of the same row at the same moment: the version check and the write are one step.

Each save checks the version it was opened on, then writes. Without a lock between the two,
two posts arriving together could both pass the check and the second would undo the first.
On PostgreSQL the check locks the row (SELECT … FOR UPDATE) until the save commits; on SQLite
every transaction takes the database's write lock when it begins (BEGIN IMMEDIATE).
"""

import sqlite3
import threading

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.urls import reverse

from collective.editing.admin import EditingAdminMixin
from collective.translations.views import TranslateView
from organizations.models import MemberOrganization
from tests.editing.conftest import change_url, form_data

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: SQLite locks the whole database"
)


def row_is_locked(model, pk):
    """Whether another connection would have to wait to write the row (asked without waiting)."""
    answer = {}

    def probe():
        try:
            with transaction.atomic():
                list(model._base_manager.select_for_update(nowait=True).filter(pk=pk))
            answer["locked"] = False
        except DatabaseError:
            answer["locked"] = True
        finally:
            connection.close()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    return answer["locked"]


@pytest.fixture
def lock_seen_at_save(monkeypatch):
    """Wrap a method so that, when it runs, whether NJR's row is locked is recorded."""
    seen = []

    def watch(cls, name):
        original = getattr(cls, name)

        def watched(self, *args, **kwargs):
            njr = MemberOrganization.objects.get(slug="njr")
            seen.append(row_is_locked(MemberOrganization, njr.pk))
            return original(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, watched)
        return seen

    return watch


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_admin_save_holds_the_row_from_its_check_to_its_write(
    seeded, admin_client, lock_seen_at_save
):
    njr = MemberOrganization.objects.get(slug="njr")
    opened = form_data(admin_client.get(change_url(njr)))
    seen = lock_seen_at_save(EditingAdminMixin, "save_model")

    response = admin_client.post(change_url(njr), {**opened, "website": "https://njr.example/"})

    assert response.status_code == 302
    assert seen == [True], "between the version check and the write, the row is locked"
    assert not row_is_locked(MemberOrganization, njr.pk), "and free again once saved"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_restore_holds_the_row_from_its_check_to_its_write(
    seeded, admin_client, lock_seen_at_save
):
    njr = MemberOrganization.objects.get(slug="njr")
    version_one = njr.history.first()
    njr.description_en = "Version two."
    njr.save()
    restore_url = reverse(
        "admin:organizations_memberorganization_simple_history",
        args=[njr.pk, version_one.history_id],
    )
    opened = form_data(admin_client.get(restore_url))
    seen = lock_seen_at_save(EditingAdminMixin, "save_model")

    assert admin_client.post(restore_url, {**opened, "_save": "x"}).status_code == 302
    assert seen == [True]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_translation_save_holds_the_row_from_its_check_to_its_write(
    seeded, admin_client, lock_seen_at_save
):
    njr = MemberOrganization.objects.get(slug="njr")
    url = reverse(
        "translations:translate", args=["organizations", "memberorganization", njr.pk, "en"]
    )
    form = admin_client.get(url, {"all": "1"}).context["form"]
    opened = {name: form[name].value() for name in form.fields}
    seen = lock_seen_at_save(TranslateView, "_changes")

    response = admin_client.post(url, {**opened, "name": "NJR (youth council)", "save": "Save"})

    assert response.status_code == 302
    assert seen == [True]
    njr.refresh_from_db()
    assert njr.name_en == "NJR (youth council)"


@pytest.mark.django_db  # lets the test open connections of its own
def test_a_transaction_on_sqlite_holds_the_write_lock_from_its_start(tmp_path):
    """What the site's SQLite settings do (also with `make run`): a second writer has to wait."""
    configured = settings.DATABASES["default"]
    if configured["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the site runs on PostgreSQL here")
    path = tmp_path / "site.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE page (text TEXT)").connection.close()
    alias = "locking-probe"
    connections[alias] = SQLiteWrapper({**configured, "NAME": str(path), "TEST": {}}, alias)
    other = sqlite3.connect(path, timeout=0)
    try:
        with transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM page")  # a version check: a read
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("INSERT INTO page VALUES ('overtaking')")
    finally:
        other.close()
        connections[alias].close()
        del connections[alias]
