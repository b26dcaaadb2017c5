"""The staff roles: Editors manage all content, Translators only fill in other languages.

Permissions come from modeltranslation's registry. After every migrate the groups are created
if missing, and an existing group only gains the default permissions that migrate created, so
those of a model added since: what administrators changed in a group stays, also a model taken
out of it whole. `manage.py setup_roles` sets both groups back to their defaults.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections

from . import status

EDITORS, TRANSLATORS = "Editors", "Translators"
TRANSLATE_PERMISSION = "translations.translate_content"


def _model_permissions(actions):
    content_types = ContentType.objects.get_for_models(*status.translated_models()).values()
    codenames = [
        f"{action}_{content_type.model}" for action in actions for content_type in content_types
    ]
    return Permission.objects.filter(content_type__in=content_types, codename__in=codenames)


def _translate_permission():
    app_label, codename = TRANSLATE_PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


def setup(*, reset=True, existed=frozenset()):
    """Create both groups, or bring them up to date; returns them by name.

    With `reset`, an existing group gets exactly its default permissions again. Without it,
    it keeps every permission it has and lacks, and only gains the defaults whose ids are not
    in `existed`: permissions made since, for a model added since. Whether a group lacks a
    model's permissions because the model is new or because an administrator took them out
    cannot be told from the group itself.
    """
    defaults = {
        EDITORS: (_model_permissions(["add", "change", "delete", "view"]), _translate_permission()),
        TRANSLATORS: (_model_permissions(["view"]), _translate_permission()),
    }
    groups = {}
    for name, (model_permissions, other_permissions) in defaults.items():
        group, created = Group.objects.get_or_create(name=name)
        if created or reset:
            group.permissions.set([*model_permissions, *other_permissions])
        else:
            group.permissions.add(*[p for p in model_permissions if p.pk not in existed])
        groups[name] = group
    return groups


# Per database: the ids of the permissions that existed when the running migrate began.
_existed_before_migrate = {}


def note_permissions_before_migrate(using=DEFAULT_DB_ALIAS, **kwargs):
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    _existed_before_migrate[using] = (
        frozenset(Permission.objects.using(using).values_list("pk", flat=True))
        if Permission._meta.db_table in tables
        else frozenset()
    )


def setup_after_migrate(using=DEFAULT_DB_ALIAS, **kwargs):
    # Without a migrate before it (a flush), every permission there is existed already.
    existed = _existed_before_migrate.pop(using, None)
    if existed is None:
        existed = frozenset(Permission.objects.using(using).values_list("pk", flat=True))
    setup(reset=False, existed=existed)
