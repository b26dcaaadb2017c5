from django.contrib import admin
from django.db import models
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.utils import get_translation_fields

from collective.translation_status import language_codes, missing_fields, missing_q

from .models import AdvisoryBody, MemberOrganization


class MissingTranslationFilter(admin.SimpleListFilter):
    title = _("missing content")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [
            (code, _("Missing in %(language)s") % {"language": code.upper()})
            for code in language_codes()
        ]

    def queryset(self, request, queryset):
        if self.value() in language_codes():
            return queryset.filter(missing_q(queryset.model, self.value()))
        return queryset


def organization_fieldsets(*main_fields):
    return [
        (None, {"fields": main_fields}),
        (_("Logo and website"), {"fields": ["logo", "website"]}),
        (_("Publication"), {"fields": ["is_published", "position"]}),
        (_("Advanced"), {"fields": ["slug"], "classes": ["collapse"]}),
    ]


class OrganizationAdmin(TabbedTranslationAdmin):
    """What the admins of member organizations and advisory bodies share."""

    list_display = ["name", "is_published", "position", "translation_state"]
    list_editable = ["is_published", "position"]
    list_filter = ["is_published", MissingTranslationFilter]
    search_fields = get_translation_fields("name")
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = organization_fieldsets("name", "description")
    # A website typed without a scheme means https (Django 6's default too).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("content per language"))
    def translation_state(self, obj):
        return format_html_join(
            " ",
            '<span class="translation-state">{} {}</span>',
            ((code.upper(), self._missing_label(obj, code)) for code in language_codes()),
        )

    @staticmethod
    def _missing_label(obj, code):
        missing = missing_fields(obj, code)
        if not missing:
            return "✓"
        labels = ", ".join(str(obj._meta.get_field(field).verbose_name) for field in missing)
        return _("✗ missing: %(fields)s") % {"fields": labels}


@admin.register(MemberOrganization)
class MemberOrganizationAdmin(OrganizationAdmin):
    pass


@admin.register(AdvisoryBody)
class AdvisoryBodyAdmin(OrganizationAdmin):
    fieldsets = organization_fieldsets("name", "role", "description")
