from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from .models import Collective
from .translations.admin import TranslationStateAdminMixin


@admin.register(Collective)
class CollectiveAdmin(TranslationStateAdminMixin, TabbedTranslationAdmin):
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
