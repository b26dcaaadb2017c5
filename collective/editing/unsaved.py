"""What an editor was saving when their session had ended: kept, and filled in again after login.

A form sent to the admin by someone no longer logged in (the session ran out after a working
day, or they logged out in another tab) is answered with the login page, and what they typed
would be gone. UnsavedFormMiddleware keeps the sent fields in the session instead, says so on
the login page, and once the same person, or another member of staff on that browser, is
logged in and back on the same page, hands them to a script (static/editing/unsaved.js) that
fills the form in again. Nothing is saved until they save: the form keeps the version it was
opened on, so a change made by someone else meanwhile is still caught when they do.

Only a form that passed the CSRF check, so one sent from the site's own pages, is kept.
Uploaded files cannot be: the page asks for them again.
"""

import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.utils import timezone
from django.utils.translation import gettext as _

SESSION_KEY = "unsaved_form"
# The texts of a form, however long, fit many times over; a larger post is not kept.
MAX_BYTES = 256 * 1024
NOT_KEPT = {"csrfmiddlewaretoken", REDIRECT_FIELD_NAME}
# What the admin's login and logout pages receive is no edit.
NOT_EDITS = {"login", "logout"}


class UnsavedFormMiddleware:
    """Below CSRF and authentication middleware: it sees who sent a form that passed CSRF."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_PATH}"

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method == "POST"
            and request.path.startswith(self.admin_prefix)
            and not _is_staff(request.user)
            and request.resolver_match.url_name not in NOT_EDITS
            and _is_form_sent(request)
        ):
            self._keep(request)
        return None

    def process_template_response(self, request, response):
        if (
            request.method == "GET"
            and request.path.startswith(self.admin_prefix)
            and response.status_code == 200
            and response.context_data is not None
            and _is_staff(request.user)
        ):
            unsaved = request.session.get(SESSION_KEY)
            if unsaved and unsaved.get("path") == request.path:
                del request.session[SESSION_KEY]
                sent_at = datetime.datetime.fromisoformat(unsaved["at"])
                response.context_data["unsaved_form"] = {**unsaved, "at": sent_at}
        return response

    @staticmethod
    def _keep(request):
        unsaved = {
            "path": request.path,
            "fields": [
                [name, value]
                for name, values in request.POST.lists()
                if name not in NOT_KEPT
                for value in values
            ],
            "files": sorted(request.FILES),
            "at": timezone.now().isoformat(),
        }
        if len(json.dumps(unsaved)) > MAX_BYTES:
            messages.warning(request, _("Your session had ended, so nothing was saved."))
            return
        request.session[SESSION_KEY] = unsaved
        messages.warning(
            request,
            _(
                "Your session had ended, so nothing was saved. Log in again: what you were "
                "saving is then filled in again, for you to check and save."
            ),
        )


def _is_form_sent(request):
    """A form the browser sent, and will show the answer of; not a script's request (a row
    dragged in a list), whose page stays as it is. Browsers say which in Sec-Fetch-Mode."""
    return request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"


def _is_staff(user):
    """Whom the admin lets in (AdminSite.has_permission)."""
    return user.is_active and user.is_staff
