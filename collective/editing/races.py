"""Saves that pass the form's checks but that the database refuses.

A change form checks that a slug or a user name is free, then saves. When someone else's save
takes the same value in between, both forms pass their checks and the database refuses the
second with an IntegrityError, which Django's admin leaves as a server error: the editor loses
what they typed. Here the whole refused save is rolled back (the admin wraps it in one
transaction) and the form is checked once more. Now the other save is in the database, so the
check names the clash at its field and the form comes back with everything typed.

The storage takes no part in the transaction: a file the refused save stored (a new logo) is
deleted, unless a row uses it.
"""

import logging

from django.db import IntegrityError, models
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# On the request: the object its change form is saving, whose files a refused save leaves.
SAVING = "_object_being_saved"


class RefusedSaveAdminMixin:
    """For ModelAdmins whose forms check values the database also holds unique."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
            logger.info("A save clashed with another one; checking the form again.")
            self._delete_files_of_refused_save(request)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            self._delete_files_of_refused_save(request)
            # The form's checks passed twice: the database holds a rule the form does not.
            logger.exception("The database refused a save the form had accepted.")
            return TemplateResponse(
                request,
                "admin/editing/save_refused.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Not saved"),
                    "opts": self.model._meta,
                    "back_url": request.get_full_path(),
                },
                status=409,
            )

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        setattr(request, SAVING, obj)
        return obj

    def _delete_files_of_refused_save(self, request):
        obj = request.__dict__.pop(SAVING, None)
        if obj is None:
            return
        for field in obj._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            file = getattr(obj, field.attname)
            # Stored by this save (committed to the storage), under a name no row holds.
            if not file or not file._committed:
                continue
            if type(obj)._base_manager.filter(**{field.attname: file.name}).exists():
                continue
            try:
                self.delete_file_of_refused_save(field, file.name)
            except Exception:
                # The editor's answer does not depend on it: the file is only left over.
                logger.exception("A file of a refused save could not be deleted: %s", file.name)

    def delete_file_of_refused_save(self, field, name):
        """Delete a file only the refused save used; an admin may delete what goes with it."""
        field.storage.delete(name)
