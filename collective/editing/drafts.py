"""Drafts: unpublished changes to a live object, kept beside it until published or discarded."""

import copy

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Draft

# The name of the change form's "Save as draft" button.
SAVE_DRAFT = "_save_draft"


def _lookup(obj):
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk}


def draft_for(obj):
    if obj is None or obj.pk is None:
        return None
    return Draft.objects.filter(**_lookup(obj)).select_related("saved_by").first()


def draftable_values(obj, cleaned_data):
    """The form values worth keeping in a draft: plain model fields, not files or the key."""
    values = {}
    for name, value in cleaned_data.items():
        try:
            field = obj._meta.get_field(name)
        except Exception:  # a form-only field such as the edit version
            continue
        if field.concrete and not field.primary_key and not isinstance(field, models.FileField):
            values[name] = value
    return values


def save_draft(obj, cleaned_data, user, version=""):
    """Keep the form's values as obj's draft, made from obj as it was at `version`."""
    draft, _created = Draft.objects.update_or_create(
        **_lookup(obj),
        defaults={
            "data": draftable_values(obj, cleaned_data),
            "saved_by": user,
            "based_on": version,
        },
    )
    return draft


def discard(obj):
    Draft.objects.filter(**_lookup(obj)).delete()


def connect():
    """A deleted object's draft goes with it, whichever way the object is deleted."""
    from django.db.models.signals import post_delete

    from ..translations.status import translated_models

    for model in translated_models():
        post_delete.connect(
            _discard_deleted, sender=model, dispatch_uid=f"drafts-{model._meta.label_lower}"
        )


def _discard_deleted(sender, instance, **kwargs):
    discard(instance)


def with_draft(obj, draft=None):
    """A copy of obj showing its draft's values; the live object is left untouched."""
    draft = draft if draft is not None else draft_for(obj)
    if draft is None:
        return obj
    preview = copy.copy(obj)
    preview.draft_version = draft.based_on
    for name, value in draft.data.items():
        field = obj._meta.get_field(name)
        setattr(preview, field.attname, field.to_python(value))
    return preview
