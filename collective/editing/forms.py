from django import forms
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst, normalize_newlines
from django.utils.translation import gettext_lazy as _

from . import drafts
from .drafts import SAVE_DRAFT
from .history import changes_since


def text_rows(*texts, line_length, least=1):
    """Rows for a text box that shows the longest of `texts` whole, with a line to spare, up
    to a screenful (20 rows); `line_length` is about how many characters fit on a row."""
    lines = max(sum(1 + len(line) // line_length for line in text.split("\n")) for text in texts)
    return max(least, min(20, lines + 1))


class ConcurrentEditForm(forms.ModelForm):
    """Refuses a save when someone else saved the object after this form was opened.

    The form carries the `updated_at` of the row as it was loaded. If the row has changed
    since, the save is refused with what changed and by whom. The other editor's changes to
    fields this editor left alone are filled into the form, so that saving again cannot undo
    them; where both changed the same field, the form keeps this editor's input. The version
    is moved on, so that saving again (after a look) goes through.
    """

    edit_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # The draft the form was opened on (drafts.stamp), or "": a draft saved after that by
    # someone else is neither replaced by this form's draft nor dropped by its save.
    draft_seen = forms.CharField(widget=forms.HiddenInput, required=False)
    # Who is saving (set by EditingAdminMixin.get_form), so a conflict with their own save in
    # another window is not blamed on someone else.
    editor = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form opened on a draft stands where the draft was made, not where the row is now.
        self.fields["edit_version"].initial = (
            getattr(self.instance, "draft_version", "") or self._stored_version()
        )
        self.fields["draft_seen"].initial = getattr(self.instance, "draft_stamp", "")

    def _stored_version(self, lock=False):
        """The row's `updated_at` as stored; with `lock`, the row stays locked until the save.

        The lock holds only inside a transaction, as every admin save runs (see
        EditingAdminMixin): a second save of the same row then waits for this one to commit
        and sees its version, so two posts at the same moment cannot both pass the check.
        """
        if self.instance.pk is None:
            return ""
        model = type(self.instance)
        rows = model._base_manager.filter(pk=self.instance.pk)
        if lock and transaction.get_connection(router.db_for_write(model)).in_atomic_block:
            rows = rows.select_for_update()
        stored = rows.values_list("updated_at", flat=True).first()
        return stored.isoformat() if stored else ""

    def clean(self):
        cleaned_data = super().clean()
        for name, value in cleaned_data.items():
            # Stored as the seed and imports store them, so no save shows as a change of
            # every line of a text.
            cleaned_data[name] = _lf(value)
        if SAVE_DRAFT in self.data:
            self._refuse_files_in_a_draft()
        seen = cleaned_data.get("edit_version")
        if seen and _moment(seen) is None:  # a tampered form: said, not a traceback
            raise ValidationError(
                _("This form is incomplete or out of date; open it again."), code="bad_version"
            )
        current = self._stored_version(lock=True)
        if SAVE_DRAFT in self.data:
            # After the lock: a draft saved at the same moment through another form has been
            # committed by now, and is seen.
            self._refuse_replacing_another_draft(cleaned_data.get("draft_seen", ""))
        if self.instance.pk and seen and seen != current:
            changes, users = changes_since(self.instance, _moment(seen))
            if changes is not None and not self._would_undo(changes):
                return cleaned_data
            changes = changes or []
            data = self.data.copy()
            kept = self._take_over(changes, data)
            data[self.add_prefix("edit_version")] = current
            self.data = data
            self._ask_for_files_again()
            raise ValidationError(self._conflict_message(changes, users, kept), code="conflict")
        return cleaned_data

    def _refuse_replacing_another_draft(self, seen):
        """Saving a draft replaces the object's draft: only the one this form was opened on."""
        current = drafts.draft_for(self.instance)
        if current is None or drafts.stamp(current) == seen:
            return
        raise ValidationError(
            _(
                "%(user)s saved a draft of this page at %(time)s, after you opened this form. "
                "Saving yours would replace it: copy your changes, open the form again (it "
                "opens on that draft) and add them there."
            )
            % {
                "user": drafts.saved_by_name(current, starts_sentence=True),
                "time": drafts.saved_at_text(current),
            },
            code="other_draft",
        )

    def _refuse_files_in_a_draft(self):
        """A draft keeps texts only: say so rather than save it and drop a chosen file."""
        for name in self.changed_data:
            if isinstance(self.fields[name], forms.FileField):
                self.add_error(
                    name,
                    _(
                        "A draft keeps texts only, not files: save to publish this change at "
                        "once, or save the draft without it."
                    ),
                )

    def _ask_for_files_again(self):
        """A refused save cannot keep an uploaded file: say so beside each one chosen."""
        for name in self.changed_data:
            if isinstance(self.fields[name], forms.FileField) and self.files.get(
                self.add_prefix(name)
            ):
                self.add_error(
                    name,
                    _("This file was not saved with the rest: choose it again before saving."),
                )

    def _would_undo(self, changes):
        """Whether saving this form would undo any of the changes saved since it was opened.

        Not when they touch only what the form does not show (the place in the list), when
        they saved nothing new, or when the form already holds the same values (a double
        submit, or two people making the same edit).
        """
        return any(
            _differs(field, change.new, posted) for change, field, posted in self._shown(changes)
        ) or any(self._replaces_file(change.field) for change in changes if change.is_file)

    def _replaces_file(self, name):
        """Whether this form uploads a new file for `name`, or clears the stored one.

        A file someone else stored since the form was opened would be replaced unseen.
        """
        field = self.fields.get(name)
        if not isinstance(field, forms.FileField) or field.disabled:
            return False
        key = self.add_prefix(name)
        clear = getattr(field.widget, "clear_checkbox_name", None)
        return bool(self.files.get(key)) or bool(clear and self.data.get(clear(key)))

    def _take_over(self, changes, data):
        """Put the other editor's values into `data` for the fields this editor left alone.

        Returns the names of the fields that both changed, each differently: those keep this
        editor's input. File fields are not posted back, so they keep the stored file anyway.
        The other editor's value is taken from history, not from the form's initial data: a
        restore form starts from an old version, not from the row as it is now.
        """
        kept = set()
        for change, field, posted in self._shown(changes):
            if not _differs(field, change.old, posted):
                self._post(data, change.field, change.new)
            elif _differs(field, change.new, posted):
                kept.add(change.field)
        return kept

    def _shown(self, changes):
        """(change, form field, posted value) for each change to a field this form posts.

        File fields are left out: a browser never posts the stored file back.
        """
        for change in changes:
            field = self.fields.get(change.field)
            if field is None or field.disabled or isinstance(field, forms.FileField):
                continue
            yield change, field, self[change.field].data

    def _post(self, data, name, value):
        """Write `value` into `data` the way the field's widget would have posted it."""
        field = self.fields[name]
        _write(data, self.add_prefix(name), field.widget, field.prepare_value(value))

    def _conflict_message(self, changes, users, kept):
        if self.editor is not None and users == [str(self.editor)]:
            intro = _(
                "You saved this yourself after this form was opened (in another window, or in "
                "the list), and this form did not show that save yet. Its changes to fields you "
                "had not touched here are now in the form below; where you changed a field here "
                "too, the form keeps this version. Check the form, then save again."
            )
        else:
            intro = _(
                "Someone else (%(users)s) saved this after you opened it, and your changes have "
                "not been saved yet. Their changes to fields you had not touched are now in the "
                "form below; where you both changed a field, the form keeps your version. Check "
                "the form, then save again."
            ) % {"users": ", ".join(users) or _("unknown")}
        if not changes:
            return intro
        items = format_html_join(
            "",
            "<li>{}: “{}” → “{}”{}</li>",
            (
                (capfirst(change.label), *change.excerpts(), self._kept_note(change.field in kept))
                for change in changes
            ),
        )
        return format_html("{}<ul>{}</ul>", intro, items)

    @staticmethod
    def _kept_note(kept):
        if not kept:
            return ""
        return format_html(" <strong>{}</strong>", _("You changed this too: the form keeps yours."))


def _differs(field, value, posted):
    """Whether the posted value differs from `value`, line endings aside.

    Browsers post a textarea's line breaks as CRLF; texts saved by the seed, an import or the
    shell have LF. Without this, a text the editor never touched would count as edited.
    """
    return field.has_changed(_lf(value), _lf(posted))


def _moment(value):
    """The time a form's version names, or None when it names none."""
    try:
        return parse_datetime(value)
    except ValueError:  # the shape of a time, but no such day or hour
        return None


def _lf(value):
    return normalize_newlines(value) if isinstance(value, str) else value


def _write(data, key, widget, value):
    if isinstance(widget, forms.MultiWidget):
        parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
        for suffix, part_widget, part in zip(
            widget.widgets_names, widget.widgets, parts, strict=True
        ):
            _write(data, key + suffix, part_widget, part)
    elif isinstance(widget, forms.CheckboxInput):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    else:
        formatted = widget.format_value(value)
        if isinstance(formatted, (list, tuple)):  # selects, and fields taking several values
            data.setlist(key, [str(item) for item in formatted])
        else:
            data[key] = "" if formatted is None else formatted
