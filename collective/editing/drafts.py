"""Drafts: unpublished changes to a live object, kept beside it until published or discarded."""

import copy

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from .models import Draft

# The name of the change form's "Save as draft" button.
SAVE_DRAFT = "_save_draft"


def _lookup(obj):
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk}


def draft_for(obj):
    if obj is None or obj.pk is None:
        return None
    return Draft.objects.filter(**_lookup(obj)).select_related("saved_by").first()


def stamp(draft):
    """Which draft, saved when: a form carries it to tell whether the draft changed meanwhile."""
    return "" if draft is None else f"{draft.pk}:{draft.saved_at.isoformat()}"


def saved_by_name(draft, *, starts_sentence=False):
    """Who saved the draft; "someone" once the account is gone ("Someone" to begin with)."""
    if draft.saved_by:
        return str(draft.saved_by)
    return gettext("Someone") if starts_sentence else gettext("someone")


def saved_at_text(draft):
    return date_format(timezone.localtime(draft.saved_at), "DATETIME_FORMAT")


def save_draft(obj, cleaned_data, user, version=""):
    """Keep what the form changes in obj as its draft, made from obj as it was at `version`.

    Only values that differ from the live row are kept: the draft is laid over the row as it
    is when the draft is opened or previewed, so what others save meanwhile to the fields it
    does not change shows there too (and is not undone when it is published).
    """
    draft, _created = Draft.objects.update_or_create(
        **_lookup(obj),
        defaults={"data": _changes(obj, cleaned_data), "saved_by": user, "based_on": version},
    )
    return draft


def _changes(obj, cleaned_data):
    """The form's values for plain model fields that differ from the live row.

    Files are not kept (a draft refuses them), nor form-only fields such as the edit version.
    """
    live = type(obj)._base_manager.get(pk=obj.pk)
    changes = {}
    for name, value in cleaned_data.items():
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.concrete or field.primary_key or isinstance(field, models.FileField):
            continue
        if field.value_from_object(live) != value:
            changes[name] = value
    return changes


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
    """A copy of obj with its draft's changes laid over it; the live object is left untouched."""
    draft = draft if draft is not None else draft_for(obj)
    if draft is None:
        return obj
    preview = copy.copy(obj)
    preview.draft_version = draft.based_on
    preview.draft_stamp = stamp(draft)
    for name, value in draft.data.items():
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:  # a field removed since the draft was saved
            continue
        setattr(preview, field.attname, field.to_python(value))
    return preview
