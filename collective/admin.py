from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .editing import drafts
from .editing.admin import EditingAdminMixin
from .editing.attention import member_count_warning
from .editing.races import RefusedSaveAdminMixin
from .editing.selection import CheckedSelectionAdminMixin
from .models import Collective
from .translations.admin import TranslationStateAdminMixin

# The admin's name in its header and page titles, instead of Django's "Django administration".
admin.site.site_header = _("Children's Rights Collective: management")
admin.site.site_title = _("Children's Rights Collective")
admin.site.index_title = _("Content and translations")


@admin.register(Collective)
class CollectiveAdmin(
    EditingAdminMixin, TranslationStateAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin
):
    """The collective is one object: its list view opens it, and a second is never offered."""

    fieldsets = [
        (None, {"fields": ["name", "page_title", "founding_year"]}),
        (_("Text"), {"fields": ["intro", "body"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Collective.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        collective = Collective.load()
        if collective is None:
            return redirect("admin:collective_collective_add")
        return redirect("admin:collective_collective_change", collective.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        collective = Collective.load()
        # Of the texts the form shows: a draft's, if it has one.
        warning = member_count_warning(drafts.with_draft(collective)) if collective else None
        if warning and request.method == "GET":
            messages.warning(request, warning)
        return super().change_view(request, object_id, form_url, extra_context)


# Permissions, named in the admin's language ----------------------------------------------------

PERMISSION_ACTIONS = {
    "add": _("Can add"),
    "change": _("Can change"),
    "delete": _("Can delete"),
    "view": _("Can view"),
}


def permission_label(permission):
    """ "Organisaties | lidorganisatie | Kan wijzigen", in the language of the page.

    Django stores a permission's name in English when it is created ("Can change member
    organization"); the content type and the action are named here from what is translated.
    simple-history's models are named after the model they record ("geschiedenis van
    lidorganisatie") instead of its English "historical lidorganisatie".
    """
    action, _separator, model_name = permission.codename.partition("_")
    content_type = permission.content_type
    if action in PERMISSION_ACTIONS and model_name == content_type.model:
        what = PERMISSION_ACTIONS[action]
    else:  # a permission of its own, named in a translatable string (Meta.permissions)
        what = gettext(permission.name)
    model = content_type.model_class()
    recorded = getattr(model, "instance_type", None)  # set on simple-history's models
    if model is None:
        return f"{content_type} | {what}"
    name = model._meta.verbose_name
    if recorded is not None:
        name = gettext("history of %(model)s") % {"model": recorded._meta.verbose_name}
    return f"{model._meta.app_config.verbose_name} | {name} | {what}"


class LocalizedPermissionsMixin:
    """Permission choosers (groups, users) named in the admin's language."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)
admin.site.unregister(get_user_model())


@admin.register(Group)
class LocalizedGroupAdmin(
    RefusedSaveAdminMixin, CheckedSelectionAdminMixin, LocalizedPermissionsMixin, GroupAdmin
):
    pass


@admin.register(get_user_model())
class LocalizedUserAdmin(
    RefusedSaveAdminMixin, CheckedSelectionAdminMixin, LocalizedPermissionsMixin, UserAdmin
):
    pass
