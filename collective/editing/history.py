"""What changed between two moments of an object's recorded history (django-simple-history)."""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext

from organizations.images import uploaded_as

from ..translations.status import translated_fields

# One or more empty lines between two paragraphs, whatever the line endings.
PARAGRAPH_BREAK = re.compile(r"[ \t]*(?:\r?\n[ \t]*){2,}")
# Texts up to this length are shown whole; longer ones around the part that changed.
SHORT = 80
# How much unchanged text is shown on each side of a change in a long text.
CONTEXT = 30
# The longest changed part shown before it is cut off.
LONGEST_CHANGE = 240


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: object
    new: object
    is_file: bool = False

    def excerpts(self):
        """The old and new value as short texts that both show the part that changed."""
        if self.is_file:
            return _file_name(self.old), _file_name(self.new)
        return excerpts(_display(self.old), _display(self.new))


def set_note(obj, write):
    """Give obj's next history record a note, written by `write()` in the site's language.

    The history is read by all staff, whatever language each has chosen for the admin; the
    note is cut to the length its column takes (a long account name must not fail the save).
    """
    with translation.override(settings.LANGUAGE_CODE):
        text = write()
    limit = type(obj).history.model._meta.get_field("history_change_reason").max_length
    obj._change_reason = Truncator(text).chars(limit)


def changes_since(obj, version):
    """Field changes saved after the version whose `updated_at` is `version`, and who made them.

    Returns (changes, users); both empty when history has nothing newer. Users are named,
    then "unknown" for saves that record nobody (a command, the shell). Changes are None
    when history does not reach back to that version, so what changed cannot be told.
    """
    newer = list(
        obj.history.filter(updated_at__gt=version)
        .select_related("history_user")
        .order_by("history_date")
    )
    if not newer:
        return [], []
    latest = newer[-1]
    base = obj.history.filter(updated_at__lte=version).order_by("-history_date").first()
    users = sorted({str(record.history_user) for record in newer if record.history_user})
    if any(record.history_user is None for record in newer):
        # A save outside the admin (an import from the command line): someone, unnamed.
        users.append(gettext("unknown"))
    if base is None:
        return None, users
    return delta(latest, base), users


def delta(newer, older):
    """The changes from one history record to a newer one, as an editor would name them.

    Each field once: a translated field through its languages ("description [nl]"), not also
    through the field modeltranslation keeps in step with the default language. Fields no
    one edits (the change time, a logo's stored size) are left out.
    """
    model = newer.instance_type
    hidden = [field.name for field in model._meta.concrete_fields if not field.editable]
    diff = newer.diff_against(older, excluded_fields=[*hidden, *translated_fields(model)])
    return [_change(model, item) for item in diff.changes]


def _change(model, item):
    # Translated fields' verbose names already carry their language: "description [en]".
    field = model._meta.get_field(item.field)
    is_file = isinstance(field, models.FileField)
    return Change(item.field, str(field.verbose_name), item.old, item.new, is_file)


def excerpts(old, new):
    """Short forms of two texts that keep what differs between them in view.

    Short texts are returned whole. In longer ones the unchanged start and end are cut to a
    little context, so that an edit at the end of a long description is visible rather than
    lost behind a truncation that shows the same opening twice.
    """
    old, new = _text(old), _text(new)
    if len(old) <= SHORT and len(new) <= SHORT:
        return old, new
    start = _same_start(old, new)
    end = _same_start(old[start:][::-1], new[start:][::-1])
    return _around(old, start, end), _around(new, start, end)


def _same_start(one, other):
    """How many characters the two texts share at their start."""
    for count, (a, b) in enumerate(zip(one, other, strict=False)):
        if a != b:
            return count
    return min(len(one), len(other))


def _around(text, start, end):
    changed = Truncator(text[start : len(text) - end]).chars(LONGEST_CHANGE)
    before = text[max(0, start - CONTEXT) : start]
    after = text[len(text) - end :][:CONTEXT]
    lead = "…" if start > CONTEXT else ""
    tail = "…" if end > CONTEXT else ""
    if lead and " " in before:  # the context starts and ends with whole words
        before = before[before.index(" ") + 1 :]
    if tail and " " in after:
        after = after[: after.rindex(" ")]
    return f"{lead}{before}{changed}{after}{tail}"


def _display(value):
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.date):
        return date_format(value)
    return value


def _file_name(value):
    """A stored file as an editor knows it: the name it was uploaded under."""
    return uploaded_as(str(value)) if value else gettext("no file")


def _text(value):
    """The value on one line, as the message and the history list show it.

    A paragraph break becomes " ¶ ", so an edit that splits or joins paragraphs stays visible;
    a single line break becomes a space, as HTML would show it anyway.
    """
    text = "" if value is None else str(value)
    return PARAGRAPH_BREAK.sub(" ¶ ", text.strip()).replace("\n", " ")
