"""Saves that pass the form's checks but that the database refuses.

A change form checks that a slug or a user name is free, then saves. When someone else's save
takes the same value in between, both forms pass their checks and the database refuses the
second with an IntegrityError, which Django's admin leaves as a server error: the editor loses
what they typed. Here the whole refused save is rolled back (the admin wraps it in one
transaction) and the form is checked once more. Now the other save is in the database, so the
check names the clash at its field and the form comes back with everything typed.
"""

import logging

from django.db import IntegrityError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class RefusedSaveAdminMixin:
    """For ModelAdmins whose forms check values the database also holds unique."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
            logger.info("A save clashed with another one; checking the form again.")
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
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
