"""The staff roles: Editors manage all content, Translators only fill in other languages.

Permissions come from modeltranslation's registry, so a newly translated model joins both
roles by itself. After every migrate the groups are created if missing, and an existing group
only gains the permissions of models it has none for yet: what administrators changed in a
group stays. `manage.py setup_roles` sets both groups back to their defaults.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

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


def setup(*, reset=True):
    """Create both groups, or bring them up to date; returns them by name.

    With `reset`, an existing group gets exactly its default permissions again. Without it,
    it keeps every permission it has and lacks, and only gains the defaults for translated
    models none of its permissions concern yet (a model translated since the last migrate).
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
            covered = set(group.permissions.values_list("content_type_id", flat=True))
            group.permissions.add(
                *[p for p in model_permissions if p.content_type_id not in covered]
            )
        groups[name] = group
    return groups


def setup_after_migrate(**kwargs):
    setup(reset=False)
