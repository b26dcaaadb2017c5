"""The editing features every content admin shares: drafts, previews, history, safe saving."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import date as format_date
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..localization import language_name
from ..translations.status import translated_fields
from . import drafts, history
from .drafts import SAVE_DRAFT
from .forms import ConcurrentEditForm, text_rows
from .previews import preview_url, public_url
from .races import RefusedSaveAdminMixin
from .selection import CheckedSelectionAdminMixin


class EditingAdminMixin(RefusedSaveAdminMixin, CheckedSelectionAdminMixin):
    """Use before the history and translation admin classes in the bases of a ModelAdmin."""

    form = ConcurrentEditForm
    change_form_template = "admin/editing/change_form.html"
    object_history_template = "admin/editing/object_history.html"
    object_history_list_template = "admin/editing/history_list.html"
    delete_confirmation_template = "admin/editing/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/editing/delete_selected_confirmation.html"
    object_history_form_template = "admin/editing/history_form.html"
    view_on_site = False  # replaced by one link per language, see site_links()

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/discard-draft/",
                self.admin_site.admin_view(self.discard_draft_view),
                name=f"{opts.app_label}_{opts.model_name}_discard_draft",
            ),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.editor = request.user  # a class made for this request by modelform_factory
        return form

    def get_object(self, request, object_id, from_field=None):
        """On a GET the form opens on the draft, if there is one, so editing continues there."""
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "GET":
            return drafts.with_draft(obj)
        return obj

    def save_model(self, request, obj, form, change):
        if change and SAVE_DRAFT in request.POST:
            drafts.save_draft(
                obj, form.cleaned_data, request.user, form.cleaned_data.get("edit_version", "")
            )
            return
        if getattr(request, "restoring_version", None):
            history.set_note(
                obj,
                lambda: (
                    _("Restored the version of %(date)s")
                    % {"date": _local_time(request.restoring_version)}
                ),
            )
            keep_live_values(obj, form)
        if self._is_list_edit(request):
            current = self._current_row_with(obj, form)
            if current is None:
                messages.warning(
                    request,
                    _("%(name)s was deleted meanwhile; nothing was saved for it.") % {"name": obj},
                )
                return
            obj = current
        draft = drafts.draft_for(obj) if self._publishes_the_draft(request) else None
        # The change form publishes the draft it was opened on; a draft someone saved after
        # that is kept for its editor, whatever this save does.
        publishes = draft is not None and drafts.stamp(draft) == form.cleaned_data.get("draft_seen")
        # Said once the save has gone through: the database may still refuse it (see races).
        kept_draft_note = self._kept_draft_note(draft) if draft and not publishes else None
        if publishes:
            # History names who saved; the draft may be another editor's work.
            history.set_note(
                obj,
                lambda: (
                    _("Published the draft %(user)s saved at %(time)s.")
                    % {"user": drafts.saved_by_name(draft), "time": drafts.saved_at_text(draft)}
                ),
            )
        # Saving an unchanged form writes nothing: no empty history entry, no new version for
        # others' open forms, no pages to refresh. (A restore always has changes.)
        unchanged = (
            change
            and not publishes
            and not self._is_list_edit(request)
            and _writes_nothing_new(obj)
        )
        if not unchanged:
            super().save_model(request, obj, form, change)
            if publishes:
                drafts.discard(obj)
        if kept_draft_note:
            messages.warning(request, kept_draft_note)

    @staticmethod
    def _kept_draft_note(draft):
        return _(
            "%(user)s saved a draft of this page at %(time)s, after you opened this form. "
            "Your save left that draft alone: it is kept for its editor."
        ) % {
            "user": drafts.saved_by_name(draft, starts_sentence=True),
            "time": drafts.saved_at_text(draft),
        }

    def _is_list_edit(self, request):
        return self._is_admin_view(request, "changelist")

    def _is_admin_view(self, request, view):
        """Whether the request is for this admin's view of that name ("change", "changelist")."""
        match = request.resolver_match
        return match is not None and match.url_name == f"{self._url_prefix()}_{view}"

    @staticmethod
    def _current_row_with(obj, form):
        """The row as committed now, locked until the list is saved, with this row's changes.

        Django reads the list's rows before its transaction begins. Saving that copy would
        write every column back as it was then, over a save committed in between; the row is
        therefore read again, and only what the list changed is set on it. None when the row
        has been deleted meanwhile: saving it would bring it back.
        """
        current = type(obj)._base_manager.select_for_update().filter(pk=obj.pk).first()
        if current is None:  # deleted since the list was read
            return None
        for name in form.changed_data:
            attname = obj._meta.get_field(name).attname
            setattr(current, attname, getattr(obj, attname))
        return current

    def _publishes_the_draft(self, request):
        """A save of the change form, which opens on the draft, publishes it.

        Other saves leave a draft in place: a list edit (the published box) or a restore
        changes the live row, and the draft's editor merges that change when publishing.
        """
        return self._is_admin_view(request, "change")

    def log_change(self, request, obj, message):
        if SAVE_DRAFT not in request.POST:
            super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, "restoring_version", None):
            messages.success(
                request,
                _("“%(name)s” was restored to the version of %(date)s.")
                % {"name": obj, "date": _local_time(request.restoring_version)},
            )
            return redirect(reverse(f"admin:{self._url_prefix()}_change", args=[obj.pk]))
        if SAVE_DRAFT in request.POST:
            messages.success(
                request,
                _("The draft was saved. Visitors do not see its changes."),
            )
            return redirect(request.path)
        return super().response_change(request, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        """A save (or draft) of an object deleted while its form was open: say who deleted it
        and when, and give back what the form held, so typed texts are not lost."""
        if request.method != "POST" or not self._is_admin_view(request, "change"):
            return super()._get_obj_does_not_exist_redirect(request, opts, object_id)
        return self.deleted_while_editing(request, object_id, self._posted_texts(request))

    def deleted_while_editing(self, request, object_id, texts):
        """410: who deleted the object and when, and the texts posted for it, [(label, text)].

        Also the translator view's answer to a save of an object deleted meanwhile.
        """
        opts = self.model._meta
        pk = _pk_or_none(self.model, object_id)
        deletion = (
            self.model.history.filter(**{opts.pk.attname: pk}, history_type="-")
            .order_by("-history_date")
            .first()
            if pk is not None
            else None
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": _("Your changes were not saved"),
            "deletion": deletion,
            "deleted_by": _history_user_name(deletion),
            "deleted_at": _local_time(deletion.history_date) if deletion else "",
            "texts": [(label, text, text_rows(text, line_length=80)) for label, text in texts],
            "changelist_url": reverse(f"admin:{self._url_prefix()}_changelist"),
        }
        return TemplateResponse(
            request, "admin/editing/deleted_while_editing.html", context, status=410
        )

    def _posted_texts(self, request):
        """(label, text) for each text the posted form held, for the editor to copy."""
        form = self.get_form(request, None, change=True)
        texts = []
        for name, field in form.base_fields.items():
            if field.widget.is_hidden or isinstance(field, (forms.FileField, forms.BooleanField)):
                continue
            value = request.POST.get(name, "").strip()
            if value:
                texts.append((capfirst(field.label or name), value))
        return texts

    def _may_see_any(self, request):
        """Before any lookup: without the right to see these objects, a 404 would tell which
        exist (as the preview and the translator view check first too)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied

    def history_view(self, request, object_id, extra_context=None):
        self._may_see_any(request)
        pk = _pk_or_none(self.model, object_id)
        deleted = not self.model._base_manager.filter(pk=pk).exists()
        extra_context = {**(extra_context or {}), "deleted": deleted}
        return super().history_view(request, object_id, extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        """The versions with who made each, in the list's one query.

        The history package asks for the user, then replaces that with a bare select_related()
        for the tracked foreign keys, which follows no nullable key: one query per version.
        """
        versions = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return versions.select_related("history_user")

    def revert_disabled(self, request, obj=None):
        """A deleted object's history is kept to read; its versions are offered for no restore.

        Restoring one would bring back a row whose logo files and former addresses are gone,
        and whose slug another page may have taken since.
        """
        if obj is not None and not self.model._base_manager.filter(pk=obj.pk).exists():
            return True
        return super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._may_see_any(request)
        live = self.get_object(request, unquote(object_id))
        if live is None:
            raise Http404
        # The history package shows a version to whoever may read the object, and saves a
        # posted restore for them too; it only hides the button. A restore changes every text,
        # the address and the publication, so it takes the right to change the object.
        if request.method == "POST" and not self.has_change_permission(request, live):
            raise PermissionDenied
        history = self.model.history.model
        try:
            version_id = history._meta.pk.to_python(version_id)
        except ValidationError:
            raise Http404 from None  # an address no version can have
        record = get_object_or_404(history, history_id=version_id)
        request.restoring_version = record.history_date
        # One transaction, as Django runs the change form: the version check locks the row
        # until the restore is saved (see ConcurrentEditForm).
        extra_context = {**(extra_context or {}), "keeps_current_files": bool(self._file_fields())}
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_fieldsets(self, request, obj=None):
        """A restore's form leaves out files: the current logo stays (see keep_live_values).

        An old version's file was deleted when it was replaced, and a file chosen on the
        restore form would be dropped, so the form offers neither.
        """
        fieldsets = super().get_fieldsets(request, obj)
        if not getattr(request, "restoring_version", None):
            return fieldsets
        files = self._file_fields()
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in files]})
            for name, options in fieldsets
        ]

    def _file_fields(self):
        return {f.name for f in self.model._meta.fields if isinstance(f, models.FileField)}

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        """What each version changed, shown as in the conflict message.

        Every field once, and long texts around the part that changed.
        """
        previous = None
        for current in historical_records:
            if previous is not None:
                previous.history_delta_changes = [
                    {"field": change.label, "old": old, "new": new}
                    for change in history.delta(previous, current)
                    for old, new in [change.excerpts()]
                ]
            previous = current

    def discard_draft_view(self, request, object_id):
        self._may_see_any(request)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if request.method != "POST" or not self.has_change_permission(request, obj):
            return redirect(reverse(f"admin:{self._url_prefix()}_change", args=[obj.pk]))
        drafts.discard(obj)
        messages.success(request, _("The draft was discarded."))
        return redirect(reverse(f"admin:{self._url_prefix()}_change", args=[obj.pk]))

    def _url_prefix(self):
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            draft = drafts.draft_for(obj)
            # A form sent back (refused) shows what was sent: a draft saved meanwhile by
            # someone else is not in it, and the page says so instead of "you are editing".
            shown = request.method != "POST" or drafts.stamp(draft) == request.POST.get(
                "draft_seen"
            )
            context.update(
                draft=draft,
                draft_shown=shown,
                site_links=self.site_links(obj, has_draft=draft is not None),
                discard_draft_url=reverse(
                    f"admin:{self._url_prefix()}_discard_draft", args=[obj.pk]
                ),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def site_links(obj, has_draft=False):
        """Per language: the public page, or a preview while it is a draft or unpublished."""
        links = []
        for code, _name in settings.LANGUAGES:
            name = language_name(code)
            url = None if has_draft else public_url(obj, code)
            if url:
                links.append((url, _("View on site (%(language)s)") % {"language": name}))
            else:
                links.append(
                    (preview_url(obj, code), _("Preview (%(language)s)") % {"language": name})
                )
        return links


def _writes_nothing_new(obj):
    """Whether saving obj would store exactly what the row holds already."""
    stored = type(obj)._base_manager.filter(pk=obj.pk).first()
    return stored is not None and all(
        field.value_from_object(stored) == field.value_from_object(obj)
        for field in obj._meta.concrete_fields
    )


def _history_user_name(record):
    """Who made a history record, to begin a sentence with: "Someone" if it names nobody."""
    user = getattr(record, "history_user", None) if record is not None else None
    return str(user) if user is not None else _("Someone")


def _pk_or_none(model, object_id):
    """The primary key an address names, or None for one no row can have."""
    try:
        return model._meta.pk.to_python(unquote(object_id))
    except ValidationError:
        return None


def _local_time(moment):
    return format_date(timezone.localtime(moment), "DATETIME_FORMAT")


def keep_live_values(obj, form):
    """A restore brings back what its form shows; everything else stays as it is now.

    The old version also holds values the editor never sees in the form, such as the place in
    the list, and files: an old version's logo was deleted when it was replaced.
    """
    live = type(obj)._base_manager.get(pk=obj.pk)
    # A translated field is shown through its per-language fields (name_nl, name_en).
    shown = set(form.fields) | set(translated_fields(type(obj)))
    for field in obj._meta.concrete_fields:
        if field.primary_key or (field.name in shown and not isinstance(field, models.FileField)):
            continue
        setattr(obj, field.attname, getattr(live, field.attname))
