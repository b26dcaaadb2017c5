"""The translation state of every object × translated field × language.

Works for every model registered with modeltranslation, from its registry: no model is named
here. Dutch (the modeltranslation default language) is the source; a field in another language
is *missing* when empty, *outdated* when the source text changed since the translation was
saved or confirmed, and *complete* otherwise. A field that is empty in the source as well is
*waiting for the source*: there is nothing to translate yet, so it is no translator's work
and counts neither as done nor as to do. In the source language a field is only ever missing
or complete.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from .models import TranslationBaseline

COMPLETE, MISSING, OUTDATED, NO_SOURCE = "complete", "missing", "outdated", "no-source"
STATE_LABELS = {
    COMPLETE: _("complete"),
    MISSING: _("missing"),
    OUTDATED: _("outdated"),
    NO_SOURCE: _("waiting for the source text"),
}


def source_language():
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def target_languages():
    return [code for code in language_codes() if code != source_language()]


def states_for(language):
    """The states a field can be in, in this language."""
    return [MISSING, OUTDATED] if language != source_language() else [MISSING]


def translated_models():
    return translator.get_registered_models(abstract=False)


def translated_fields(model):
    """Names of the model's translated fields, in the order the model declares them."""
    names = translator.get_options_for_model(model).all_fields
    return tuple(sorted(names, key=lambda name: model._meta.get_field(name).creation_counter))


def text(obj, field, language):
    return getattr(obj, build_localized_fieldname(field, language)) or ""


def fingerprint(value):
    normalized = "\n".join(line.rstrip() for line in value.strip().splitlines())
    return hashlib.sha256(normalized.encode()).hexdigest()


@dataclass(frozen=True)
class FieldStatus:
    field: str
    language: str
    state: str
    baseline: TranslationBaseline | None = None

    @property
    def needs_work(self):
        return self.state in (MISSING, OUTDATED)

    @property
    def label(self):
        return STATE_LABELS[self.state]


def baselines_for(objects):
    """{(pk, field, language): baseline} for objects of one model, in one query."""
    objects = list(objects)
    if not objects:
        return {}
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    rows = TranslationBaseline.objects.filter(
        content_type=content_type, object_id__in=[obj.pk for obj in objects]
    )
    return {(row.object_id, row.field, row.language): row for row in rows}


def field_status(obj, field, language, baseline=None):
    if not text(obj, field, language):
        if language != source_language() and not text(obj, field, source_language()):
            return FieldStatus(field, language, NO_SOURCE, baseline)
        return FieldStatus(field, language, MISSING, baseline)
    if language == source_language() or baseline is None:
        return FieldStatus(field, language, COMPLETE, baseline)
    current = fingerprint(text(obj, field, source_language()))
    state = OUTDATED if baseline.source_fingerprint != current else COMPLETE
    return FieldStatus(field, language, state, baseline)


def status_for(obj, baselines=None):
    """{(field, language): FieldStatus} for one object, over every field and language."""
    if baselines is None:
        baselines = baselines_for([obj])
    return {
        (field, language): field_status(
            obj, field, language, baselines.get((obj.pk, field, language))
        )
        for field in translated_fields(type(obj))
        for language in language_codes()
    }


def statuses_for(objects):
    """{pk: status_for(obj)} for objects of one model, with one query for the baselines."""
    objects = list(objects)
    baselines = baselines_for(objects)
    return {obj.pk: status_for(obj, baselines) for obj in objects}


def work_in(status, language):
    """The FieldStatus entries of one object's status that need work in a language."""
    return [
        entry for (_field, code), entry in status.items() if code == language and entry.needs_work
    ]


def missing_q(model, language, fields=None):
    """A filter for rows of model missing any of `fields` (default: all translated) in language.

    In a target language, only where the source has text: the rest waits for the source.
    """
    conditions = []
    for field in fields or translated_fields(model):
        condition = _empty_q(field, language)
        if language != source_language():
            condition &= ~_empty_q(field, source_language())
        conditions.append(condition)
    return reduce(or_, conditions)


def _empty_q(field, language):
    column = build_localized_fieldname(field, language)
    return Q(**{column: ""}) | Q(**{f"{column}__isnull": True})


def pks_in_state(queryset, language, state, field=None):
    """Primary keys of the rows in queryset with a field (or the given one) in this state."""
    fields = [field] if field else translated_fields(queryset.model)
    return [
        pk
        for pk, status in statuses_for(queryset).items()
        if any(status[(name, language)].state == state for name in fields)
    ]


def counts(model):
    """{(field, language): {state: count}} over all rows of model."""
    result = defaultdict(lambda: defaultdict(int))
    for status in statuses_for(model._default_manager.all()).values():
        for key, entry in status.items():
            result[key][entry.state] += 1
    return result


def matrix():
    """[(model, field, {language: {state: count}})] over every translated model and field."""
    rows = []
    for model in translated_models():
        model_counts = counts(model)
        rows += [
            (model, field, {code: dict(model_counts[(field, code)]) for code in language_codes()})
            for field in translated_fields(model)
        ]
    return rows


def completion(matrix_rows, language):
    """(complete, total, percent) of the translated field values in a language."""
    done = sum(by_language[language].get(COMPLETE, 0) for *_, by_language in matrix_rows)
    total = sum(
        count
        for *_, by_language in matrix_rows
        for state, count in by_language[language].items()
        if state != NO_SOURCE
    )
    return done, total, round(100 * done / total) if total else 100


def save_translations(obj, columns):
    """Save only these translated columns (and the row's auto_now stamps); signals record them."""
    stamps = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
    obj.save(update_fields=[*columns, *stamps])


def record(obj, field, language):
    """Remember the current source text as the one this translation is based on."""
    source = text(obj, field, source_language())
    TranslationBaseline.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        field=field,
        language=language,
        defaults={"source_fingerprint": fingerprint(source), "source_text": source},
    )


def forget(obj, field=None, language=None):
    baselines = TranslationBaseline.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )
    if field:
        baselines = baselines.filter(field=field, language=language)
    baselines.delete()


def work_queue(language, include=None):
    """Every object with missing or outdated fields in a language, model by model, in order.

    `include` is kept in its place even when it has no work left, so a translator who just
    finished it can still step to its neighbours.
    """
    queue = []
    for model in translated_models():
        objects = list(model._default_manager.all())
        statuses = statuses_for(objects)
        for obj in objects:
            is_included = (
                include is not None and type(obj) is type(include) and obj.pk == include.pk
            )
            if is_included or work_in(statuses[obj.pk], language):
                queue.append(obj)
    return queue
