"""Every project migration can be undone: a bad release can be rolled back, schema and data."""

import graphlib
import io
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, migrations
from django.db.migrations.loader import MigrationLoader

from collective import seeding
from collective.models import Collective
from collective.translations import roles
from organizations.models import AdvisoryBody, MemberOrganization


def project_apps():
    """The apps whose code lives in this repository (not in the virtualenv)."""
    return [app.label for app in apps.get_app_configs() if _in_repository(Path(app.path))]


def _in_repository(path):
    base = Path(settings.BASE_DIR)
    return path.is_relative_to(base) and ".venv" not in path.relative_to(base).parts


def dependency_order(labels):
    """labels ordered so that every app comes after the apps its migrations depend on."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    depends_on = {label: set() for label in labels}
    for (app_label, _name), migration in loader.disk_migrations.items():
        if app_label in depends_on:
            depends_on[app_label] |= {
                other for other, _ in migration.dependencies if other in depends_on
            } - {app_label}
    return list(graphlib.TopologicalSorter(depends_on).static_order())


def operations(migration):
    """A migration's operations, with those wrapped in SeparateDatabaseAndState unwrapped."""
    for operation in migration.operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            yield from operation.database_operations
        else:
            yield operation


def test_the_project_apps_are_found():
    assert set(project_apps()) == {"collective", "organizations", "editing", "translations"}
    order = dependency_order(project_apps())
    assert order.index("translations") > order.index("organizations")
    assert order.index("translations") > order.index("collective")


def test_every_migration_operation_has_a_reverse():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    project = set(project_apps())
    ours = [
        (key, operation)
        for key, migration in loader.disk_migrations.items()
        if key[0] in project
        for operation in operations(migration)
    ]
    irreversible = [
        f"{app_label}.{name}: {operation.describe()}"
        for (app_label, name), operation in ours
        if not operation.reversible
    ]
    assert irreversible == []
    assert any(isinstance(operation, migrations.RunPython) for _key, operation in ours)


def test_every_project_app_migrates_to_zero_and_forward_again(transactional_db):
    seeding.seed(seeding.load())  # reversing data migrations over real rows, not empty tables
    order = dependency_order(project_apps())

    for app_label in reversed(order):
        call_command("migrate", app_label, "zero", verbosity=0)
    tables = set(connection.introspection.table_names())
    assert not {model._meta.db_table for model in (Collective, MemberOrganization)} & tables

    call_command("migrate", verbosity=0)
    call_command("seed_content", stdout=io.StringIO())

    assert Collective.objects.count() == 1
    assert MemberOrganization.objects.count() == 6
    assert AdvisoryBody.objects.count() == 1
    assert Group.objects.filter(name__in=[roles.EDITORS, roles.TRANSLATORS]).count() == 2


def test_the_baseline_migration_works_from_its_own_snapshot_not_todays_settings(
    transactional_db, settings
):
    """A data migration runs long after it was written, against the models as they were then.

    Here a database from before translation tracking meets a site that has since added a
    language: the migration must still give the translations of its time their baselines,
    and must not look for columns its snapshot of the models does not have.
    """
    from django.contrib.contenttypes.models import ContentType

    from collective.translations import status
    from collective.translations.models import TranslationBaseline

    seeding.seed(seeding.load())
    call_command("migrate", "translations", "0001", verbosity=0)
    assert not TranslationBaseline.objects.exists()

    settings.LANGUAGES = [*settings.LANGUAGES, ("de", "Deutsch")]
    call_command("migrate", "translations", verbosity=0)

    languages = set(TranslationBaseline.objects.values_list("language", flat=True))
    assert languages == {"en"}
    njr = MemberOrganization.objects.get(slug="njr")
    recorded = TranslationBaseline.objects.get(
        content_type=ContentType.objects.get_for_model(njr), object_id=njr.pk, field="description"
    )
    assert recorded.source_fingerprint == status.fingerprint(njr.description_nl)
