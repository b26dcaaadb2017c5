from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .editing.admin import EditingAdminMixin
from .editing.attention import member_count_warning
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
        warning = member_count_warning(collective) if collective else None
        if warning and request.method == "GET":
            messages.warning(request, warning)
        return super().change_view(request, object_id, form_url, extra_context)
