"""Admin pieces that show translation state on any translated model's admin."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from . import status

STATE_SYMBOLS = {
    status.COMPLETE: "✓",
    status.MISSING: "✗",
    status.OUTDATED: "↻",
    status.NO_SOURCE: "…",
}


def translate_url(obj, language):
    opts = obj._meta
    return reverse(
        "translations:translate",
        kwargs={
            "app_label": opts.app_label,
            "model_name": opts.model_name,
            "pk": obj.pk,
            "language": language,
        },
    )


class TranslationStateFilter(admin.SimpleListFilter):
    """`?translation=en.outdated` (or `en.missing.description` for one field)."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            (
                f"{code}.{state}",
                _("%(state)s in %(language)s")
                % {
                    "state": status.STATE_LABELS[state].capitalize(),
                    "language": code.upper(),
                },
            )
            for code in status.language_codes()
            for state in status.states_for(code)
        ]

    def queryset(self, request, queryset):
        parts = (self.value() or "").split(".")
        if len(parts) not in (2, 3):
            return queryset
        language, state, field = (*parts, None)[:3]
        if language not in status.language_codes() or state not in status.states_for(language):
            return queryset.none()
        if field is not None and field not in status.translated_fields(queryset.model):
            return queryset.none()
        if state == status.MISSING:
            return queryset.filter(status.missing_q(queryset.model, language, field and [field]))
        return queryset.filter(pk__in=status.pks_in_state(queryset, language, state, field))


class TranslationStateAdminMixin:
    """Adds a per-language state column, marks fields that need work, links to translating."""

    change_form_template = "admin/translations/change_form.html"

    def get_changelist_instance(self, request):
        """Work out the page's translation states in one query, not one per row."""
        changelist = super().get_changelist_instance(request)
        statuses = status.statuses_for(changelist.result_list)
        for obj in changelist.result_list:
            obj.translation_status = statuses[obj.pk]
        return changelist

    @admin.display(description=_("translation"))
    def translation_state(self, obj):
        object_status = getattr(obj, "translation_status", None) or status.status_for(obj)
        return format_html_join(
            " ",
            '<span class="translation-state translation-state--{}">{} {}</span>',
            (self._language_summary(obj, object_status, code) for code in status.language_codes()),
        )

    @staticmethod
    def _language_summary(obj, object_status, code):
        """("missing", "EN", "✗ missing: description") for the worst state in one language."""
        work = [
            entry
            for (_field, language), entry in object_status.items()
            if language == code and entry.state != status.COMPLETE
        ]
        if not work:
            return status.COMPLETE, code.upper(), STATE_SYMBOLS[status.COMPLETE]
        ranking = (status.MISSING, status.OUTDATED, status.NO_SOURCE)
        worst = next(state for state in ranking if any(e.state == state for e in work))
        parts = []
        for state in ranking:
            names = [
                str(obj._meta.get_field(e.field).verbose_name) for e in work if e.state == state
            ]
            if names:
                parts.append(f"{status.STATE_LABELS[state]}: {', '.join(names)}")
        return worst, code.upper(), f"{STATE_SYMBOLS[worst]} {'; '.join(parts)}"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A restore's form shows an old version, whose translations were made from its own
        # source texts: measured against today's, they would look outdated when they are not.
        if obj is not None and not getattr(request, "restoring_version", None):
            for entry in status.status_for(obj).values():
                if entry.needs_work:
                    self._mark(form, obj, entry)
        return form

    @staticmethod
    def _mark(form, obj, entry):
        form_field = form.base_fields.get(build_localized_fieldname(entry.field, entry.language))
        if form_field is None:
            return
        form_field.widget.attrs["data-translation-state"] = entry.state
        form_field.widget.attrs["data-translation-label"] = str(entry.label)
        note = (
            _("Missing in this language.")
            if entry.state == status.MISSING
            else _("Outdated: the source text changed after this translation was saved.")
        )
        if entry.language in status.target_languages():
            note = format_html(
                '{} <a href="{}">{}</a>', note, translate_url(obj, entry.language), _("Translate")
            )
        form_field.help_text = format_html(
            '<strong class="translation-note">{}</strong> {}', note, form_field.help_text
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.user.has_perm("translations.translate_content"):
            context["translate_links"] = [
                (code, translate_url(obj, code)) for code in status.target_languages()
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    class Media:
        css = {"all": ["translations/admin.css"]}
        js = ["translations/admin-tabs.js"]
