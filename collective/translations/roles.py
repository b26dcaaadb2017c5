"""The staff roles: Editors manage all content, Translators only fill in other languages.

Permissions come from modeltranslation's registry, so a newly translated model joins both
roles by itself. `setup()` runs after every migrate and from `manage.py setup_roles`.
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


def setup():
    """Create or update both groups; returns them by name."""
    permissions = {
        EDITORS: [
            *_model_permissions(["add", "change", "delete", "view"]),
            *_translate_permission(),
        ],
        TRANSLATORS: [*_model_permissions(["view"]), *_translate_permission()],
    }
    groups = {}
    for name, granted in permissions.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(granted)
        groups[name] = group
    return groups


def setup_after_migrate(**kwargs):
    setup()
