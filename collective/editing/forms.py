from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .drafts import SAVE_DRAFT
from .history import changes_since


class ConcurrentEditForm(forms.ModelForm):
    """Refuses a save when someone else saved the object after this form was opened.

    The form carries the `updated_at` of the row as it was loaded. If the row has changed
    since, the save is refused with what changed and by whom; the editor's input stays in the
    form, and the version is moved on so that saving again (after a look) goes through.
    """

    edit_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self._stored_version()

    def _stored_version(self):
        if self.instance.pk is None:
            return ""
        manager = type(self.instance)._base_manager
        stored = manager.filter(pk=self.instance.pk).values_list("updated_at", flat=True).first()
        return stored.isoformat() if stored else ""

    def clean(self):
        cleaned_data = super().clean()
        if SAVE_DRAFT in self.data:
            self._refuse_files_in_a_draft()
        seen = cleaned_data.get("edit_version")
        current = self._stored_version()
        if self.instance.pk and seen and seen != current:
            self._move_version_on(current)
            raise ValidationError(self._conflict_message(parse_datetime(seen)), code="conflict")
        return cleaned_data

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

    def _move_version_on(self, current):
        data = self.data.copy()
        data[self.add_prefix("edit_version")] = current
        self.data = data

    def _conflict_message(self, seen):
        changes, users = changes_since(self.instance, seen)
        intro = _(
            "Someone else (%(users)s) saved this after you opened it. Your input is still in the "
            "form below and has not been saved. Check what changed, then save again."
        ) % {"users": ", ".join(users) or _("unknown")}
        if not changes:
            return intro
        items = format_html_join(
            "", "<li>{}: “{}” → “{}”</li>", ((c.label, c.old, c.new) for c in changes)
        )
        return format_html("{}<ul>{}</ul>", intro, items)
