"""Record the source text behind every translation saved, whatever saves it.

Admin forms, the translator view, imports and seeding all go through Model.save(), so the
baseline is written in one place. (QuerySet.update() bypasses signals and so this record.)
"""

from django.db.models.signals import post_delete, post_save, pre_save
from modeltranslation.utils import build_localized_fieldname

from . import status

BEFORE = "_translations_before_save"


def connect():
    for model in status.translated_models():
        uid = f"translations-{model._meta.label_lower}"
        pre_save.connect(remember_stored_text, sender=model, dispatch_uid=uid)
        post_save.connect(record_changed_translations, sender=model, dispatch_uid=uid)
        post_delete.connect(forget_deleted, sender=model, dispatch_uid=uid)


def _target_columns(model):
    return {
        (field, language): build_localized_fieldname(field, language)
        for field in status.translated_fields(model)
        for language in status.target_languages()
    }


def remember_stored_text(sender, instance, raw=False, **kwargs):
    stored = {}
    if not raw and instance.pk is not None:
        columns = list(_target_columns(sender).values())
        stored = sender._base_manager.filter(pk=instance.pk).values(*columns).first() or {}
    setattr(instance, BEFORE, stored)


def record_changed_translations(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    stored = instance.__dict__.pop(BEFORE, {})
    for (field, language), column in _target_columns(sender).items():
        if update_fields is not None and column not in update_fields:
            continue
        new, old = getattr(instance, column) or "", stored.get(column) or ""
        if new and new != old:
            status.record(instance, field, language)
        elif old and not new:
            status.forget(instance, field, language)


def forget_deleted(sender, instance, **kwargs):
    status.forget(instance)
