from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.utils import get_translation_fields

from collective.translations.admin import TranslationStateAdminMixin, TranslationStateFilter

from .models import AdvisoryBody, MemberOrganization


def organization_fieldsets(*main_fields):
    return [
        (None, {"fields": main_fields}),
        (_("Logo and website"), {"fields": ["logo", "website"]}),
        (_("Publication"), {"fields": ["is_published", "position"]}),
        (_("Advanced"), {"fields": ["slug"], "classes": ["collapse"]}),
    ]


class OrganizationAdmin(TranslationStateAdminMixin, TabbedTranslationAdmin):
    """What the admins of member organizations and advisory bodies share."""

    list_display = ["name", "is_published", "position", "translation_state"]
    list_editable = ["is_published", "position"]
    list_filter = ["is_published", TranslationStateFilter]
    search_fields = get_translation_fields("name")
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = organization_fieldsets("name", "description")
    # A website typed without a scheme means https (Django 6's default too).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(MemberOrganization)
class MemberOrganizationAdmin(OrganizationAdmin):
    pass


@admin.register(AdvisoryBody)
class AdvisoryBodyAdmin(OrganizationAdmin):
    fieldsets = organization_fieldsets("name", "role", "description")
