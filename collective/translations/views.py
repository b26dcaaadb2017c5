from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.text import capfirst, normalize_newlines
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from modeltranslation.utils import build_localized_fieldname

from ..editing.forms import text_rows
from ..localization import language_name
from . import status
from .admin import translate_url
from .diff import word_diff
from .exchange import SOURCE_CHANGED, TRANSLATION_CHANGED
from .roles import TRANSLATE_PERMISSION

FORM_CONTROLS = {"csrfmiddlewaretoken", "save", "confirm"}
# Beside each text, the fingerprint of the translation as the page showed it: a save writes
# only what the translator changed, and never over a change someone else made since.
SEEN_SUFFIX = "__seen"
# And of the source text the page showed: "still correct" confirms against that text only.
SOURCE_SUFFIX = "__source"
HIDDEN_SUFFIXES = (SEEN_SUFFIX, SOURCE_SUFFIX)
# Why a changed text is not saved (TRANSLATION_CHANGED, SOURCE_CHANGED): what changed since the
# page was shown, named as for an import.


class TranslatorAccessMixin:
    @method_decorator(admin.site.admin_view)
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(TRANSLATE_PERMISSION):
            raise PermissionDenied
        # Only now: a visitor must not learn from a 404 which objects exist.
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs):
        """Look up what the address names, once the user may see it."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class OverviewView(TranslatorAccessMixin, TemplateView):
    """Model × field × language counts, each linking to the objects behind it."""

    template_name = "translations/overview.html"

    def get_context_data(self, **kwargs):
        rows = status.matrix()
        return super().get_context_data(
            title=_("Translations"),
            languages=status.language_codes(),
            rows=[self._row(model, field, by_language) for model, field, by_language in rows],
            progress=[self._progress(code, rows) for code in status.language_codes()],
            **kwargs,
        )

    def _row(self, model, field, by_language):
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        return {
            "model": opts.verbose_name_plural,
            "field": opts.get_field(field).verbose_name,
            "cells": [
                self._cell(changelist, field, code, by_state)
                for code, by_state in by_language.items()
            ],
        }

    @staticmethod
    def _progress(code, rows):
        done, total, percent = status.completion(rows, code)
        return {
            "code": code,
            "name": language_name(code),
            "complete": done,
            "total": total,
            "percent": percent,
        }

    @staticmethod
    def _cell(changelist, field, code, by_state):
        return {
            "complete": by_state.get(status.COMPLETE, 0),
            "waiting": by_state.get(status.NO_SOURCE, 0),
            "states": [
                {
                    "state": state,
                    "label": status.STATE_LABELS[state],
                    "count": by_state.get(state, 0),
                    "url": f"{changelist}?translation={code}.{state}.{field}",
                }
                for state in status.states_for(code)
            ],
        }


def _translation_form(obj, language, field_names, data=None):
    fields = {}
    for name in field_names:
        model_field = obj._meta.get_field(name)
        text = status.text(obj, name, language)
        source = status.text(obj, name, status.source_language())
        widget = (
            forms.Textarea(
                # Half the page wide, beside the source: about 60 characters a row.
                attrs={"rows": text_rows(source, text, line_length=60, least=4)}
            )
            if isinstance(model_field, models.TextField)
            else forms.TextInput
        )
        fields[name] = forms.CharField(
            # The page names the language already, beside the field ("Translation (EN)").
            label=model_field.verbose_name,
            required=False,
            max_length=model_field.max_length,
            widget=widget,
            initial=text,
            # Nothing to translate from: a text here would have no original (and a posted one
            # is ignored). Editors write the source first, in the change form.
            disabled=not source,
        )
        fields[name + SEEN_SUFFIX] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=status.fingerprint(text)
        )
        fields[name + SOURCE_SUFFIX] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=status.fingerprint(source)
        )
    return type("TranslationForm", (forms.Form,), fields)(data=data)


def _text_fields(names):
    """The text fields among a translation form's field names, without their fingerprints."""
    return [name for name in names if not name.endswith(HIDDEN_SUFFIXES)]


class TranslateView(TranslatorAccessMixin, TemplateView):
    """One object: the source text read-only beside each field to translate into `language`."""

    template_name = "translations/translate.html"

    def load(self, *, app_label, model_name, pk, language):
        try:
            self.model = apps.get_model(app_label, model_name)
        except LookupError as error:
            raise Http404 from error
        if (
            self.model not in status.translated_models()
            or language not in status.target_languages()
        ):
            raise Http404
        self.language = language
        self.obj = self.model._default_manager.filter(pk=pk).first()
        if self.obj is None and self.request.method != "POST":
            raise Http404
        self.object_status = status.status_for(self.obj) if self.obj is not None else None

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def _fields_to_show(self):
        fields = status.translated_fields(self.model)
        if self.request.GET.get("all"):
            return list(fields)
        return [f for f in fields if self.object_status[(f, self.language)].needs_work]

    def get_context_data(self, form=None, **kwargs):
        form = form or _translation_form(self.obj, self.language, self._fields_to_show())
        previous, following = self._neighbours()
        return super().get_context_data(
            title=_("Translate %(object)s into %(language)s")
            % {
                "object": self.obj,
                "language": language_name(self.language),
            },
            obj=self.obj,
            opts=self.model._meta,
            language=self.language,
            language_name=language_name(self.language),
            source=status.source_language(),
            entries=[self._entry(form[name]) for name in _text_fields(form.fields)],
            waiting=[
                self.model._meta.get_field(field).verbose_name
                for field in status.translated_fields(self.model)
                if self.object_status[(field, self.language)].state == status.NO_SOURCE
            ],
            form=form,
            show_all=bool(self.request.GET.get("all")),
            previous=previous,
            following=following,
            **kwargs,
        )

    def _entry(self, bound_field):
        field = bound_field.name
        entry = self.object_status[(field, self.language)]
        source_text = status.text(self.obj, field, status.source_language())
        diff = None
        if entry.state == status.OUTDATED:
            diff = word_diff(entry.baseline.source_text, source_text)
        return {"field": bound_field, "status": entry, "source": source_text, "diff": diff}

    def post(self, request, *args, **kwargs):
        fields = status.translated_fields(self.model)
        allowed = set(fields) | {field + suffix for field in fields for suffix in HIDDEN_SUFFIXES}
        if set(request.POST) - FORM_CONTROLS - allowed:
            raise PermissionDenied(_("Only the text of the target language can be changed here."))
        confirmed = request.POST.get("confirm")
        if confirmed and confirmed not in fields:
            raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            # The row again, locked until this save commits: a save of it at the same moment
            # waits, then compares against the texts written here.
            pk = self.kwargs["pk"]
            self.obj = self.model._default_manager.select_for_update().filter(pk=pk).first()
            if self.obj is None:  # deleted while the translator was typing
                return self._deleted_meanwhile(fields)
            return self._post([field for field in fields if field in request.POST], confirmed)

    def _deleted_meanwhile(self, fields):
        """The admin's page for a save of a deleted object, with the translations typed.

        An address for which history knows no object at all was never one: 404.
        """
        if not self.model.history.filter(
            **{self.model._meta.pk.attname: self.kwargs["pk"]}
        ).exists():
            raise Http404
        texts = [
            (f"{capfirst(self.model._meta.get_field(field).verbose_name)} [{self.language}]", text)
            for field in fields
            if (text := self.request.POST.get(field, "").strip())
        ]
        model_admin = admin.site.get_model_admin(self.model)
        return model_admin.deleted_while_editing(self.request, str(self.kwargs["pk"]), texts)

    def _post(self, posted, confirmed):
        request = self.request
        form = _translation_form(self.obj, self.language, posted, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        changes, conflicts = self._changes(form.cleaned_data)
        if conflicts:
            return self.render_to_response(
                self.get_context_data(form=self._form_after_conflict(form, conflicts))
            )
        self._save(changes)
        if not changes and not confirmed:
            messages.info(request, _("No fields changed."))  # Django's words, and translation
        if confirmed:
            self._confirm(confirmed, form.cleaned_data.get(confirmed + SOURCE_SUFFIX))
        elif request.POST.get("save") == "next":
            _previous, following = self._neighbours()
            if following:
                return redirect(following["url"])
        return redirect(request.get_full_path())

    def _confirm(self, field, source_seen):
        """Keep a translation as it is for the source text the page showed."""
        self.obj.refresh_from_db()
        source = status.text(self.obj, field, status.source_language())
        if source_seen and status.fingerprint(source) != source_seen:
            messages.warning(
                self.request,
                _(
                    "The source text changed again after you opened the page, so nothing was "
                    "confirmed. Read the change below, then confirm again."
                ),
            )
        elif status.status_for(self.obj)[(field, self.language)].state == status.OUTDATED:
            status.record(self.obj, field, self.language)
            messages.success(self.request, _("Confirmed as still correct."))

    def _changes(self, cleaned_data):
        """({field: text} to write, {field: [what changed since the page was shown]}).

        A text the translator left as it was is not written, so a newer save by someone else
        stays. A changed text is a conflict when its stored version changed since (someone
        else translated it), or its source text did: saved, it would count as made from a
        source the translator never saw.
        """
        changes, conflicts = {}, {}
        for field in _text_fields(cleaned_data):
            # Line breaks as stored everywhere else: browsers post a textarea's as CRLF.
            value = normalize_newlines(cleaned_data[field])
            seen = cleaned_data.get(field + SEEN_SUFFIX)
            current = status.text(self.obj, field, self.language)
            if value == current or (seen and status.fingerprint(value) == seen):
                continue
            changed = []
            if seen and status.fingerprint(current) != seen:
                changed.append(TRANSLATION_CHANGED)
            source_seen = cleaned_data.get(field + SOURCE_SUFFIX)
            source = status.text(self.obj, field, status.source_language())
            if source_seen and status.fingerprint(source) != source_seen:
                changed.append(SOURCE_CHANGED)
            if changed:
                conflicts[field] = changed
            else:
                changes[field] = value
        return changes, conflicts

    def _form_after_conflict(self, form, conflicts):
        """The form again: the translator's input where it clashed, the stored text elsewhere.

        Each text's fingerprints move on to the stored text and the source the page now shows,
        so saving again after a look goes through: it replaces the other person's text with
        the translator's, or records it as made from the new source.
        """
        fields = _text_fields(form.fields)
        current = {field: status.text(self.obj, field, self.language) for field in fields}
        data = self.request.POST.copy()
        for field in fields:
            stored = status.fingerprint(current[field])
            if field not in conflicts and form.cleaned_data[field + SEEN_SUFFIX] != stored:
                data[field] = current[field]
            data[field + SEEN_SUFFIX] = stored
            source = status.text(self.obj, field, status.source_language())
            data[field + SOURCE_SUFFIX] = status.fingerprint(source)
        refreshed = _translation_form(self.obj, self.language, fields, data)
        refreshed.is_valid()
        for field, changed in conflicts.items():
            if SOURCE_CHANGED in changed:
                refreshed.add_error(
                    field,
                    _(
                        "The source text changed after you opened the page, so your "
                        "translation was not saved yet. Your text is kept here: read the source "
                        "as it is now, adjust your text if needed, then save again."
                    ),
                )
            if TRANSLATION_CHANGED in changed:
                refreshed.add_error(
                    field,
                    _(
                        "Someone else changed this translation after you opened the page. It "
                        "now reads: “%(current)s”. Your text is kept here: save again to replace "
                        "theirs, or adjust it first."
                    )
                    % {"current": current[field]},
                )
        return refreshed

    def _save(self, changes):
        changed = []
        for field, value in changes.items():
            column = build_localized_fieldname(field, self.language)
            setattr(self.obj, column, value)
            changed.append(column)
        if changed:
            status.save_translations(self.obj, changed)
            messages.success(self.request, _("The translation was saved."))

    def _neighbours(self):
        """The previous and next objects (of any translated model) with work in this language."""
        queue = [(type(obj), obj) for obj in status.work_queue(self.language, include=self.obj)]
        keys = [(model, obj.pk) for model, obj in queue]
        index = keys.index((self.model, self.obj.pk))
        previous = queue[index - 1][1] if index > 0 else None
        following = queue[index + 1][1] if index + 1 < len(queue) else None
        return self._link(previous), self._link(following)

    def _link(self, obj):
        if obj is None:
            return None
        return {"label": str(obj), "url": translate_url(obj, self.language)}
