"""Strings of libraries' admin pages that ship without a Dutch translation.

Listing them here keeps them in our own catalogue (`make messages`), so staff see these pages
in Dutch too.
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy

SIMPLE_HISTORY = [
    _("Choose a date from the list below to revert to a previous version of this object."),
    _("This object doesn't have a change history."),
    _("Object"),
    _("Date/time"),
    _("Comment"),
    _("Changed by"),
    _("Change reason"),
    _("Changes"),
    _("None"),
    _("History"),
    _("View on site"),
    _("Press the 'Revert' button below to revert to this version of the object."),
    _("Press the 'Change History' button below to edit the history."),
    _("Revert"),
    _("Change History"),
    _("Close"),
    _("Change history: %s"),
    _("Changed"),
    _("Created"),
    _("Deleted"),
    _("Deleted %(type_name)s"),
    _("Revert %s"),
    _("View %s"),
    _("View history: %s"),
    _("You may edit it again below"),
    _("Revert %(verbose_name)s"),
    _("View %(verbose_name)s"),
]

# The admin index's table headers for screen readers, new in Django 5.2 and not yet in
# Django's Dutch catalogue.
DJANGO_ADMIN = [
    _("Model name"),
    _("Add link"),
    _("Change or view list link"),
    _("Error:"),  # the start of a page title after a refused form
    _("After you’ve created a user, you’ll be able to edit more user options."),  # noqa: RUF001
]

# Django 5.2 reworded the refusal of a too short password (staff accounts need 12 characters),
# and its Dutch catalogue has only the former wording.
DJANGO_AUTH = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        12,
    ),
]

# django-axes (login lockout) ships no Dutch catalogue.
AXES = [
    _("access attempt"),
    _("access attempts"),
    _("access failure"),
    _("access failures"),
    _("access log"),
    _("access logs"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("Access Attempt"),
    _("Access lock out"),
    _("Attempt Remaining"),
    _("Attempt Time"),
    _("Clean up expired attempts"),
    _("Expires At"),
    _("Failed Logins"),
    _("Form Data"),
    _("GET Data"),
    _("HTTP Accept"),
    _("IP Address"),
    _("Locked Out"),
    _("Logout Time"),
    _("Meta Data"),
    _("Not set"),
    _("POST Data"),
    _("Path"),
    _("Session key hash (sha256)"),
    _("The time when access attempt expires and is no longer valid."),
    _("User Agent"),
    _("Username"),
]

# Django's Dutch save messages put "De" before every model name; the collective is a het-word
# ("De collectief"). Our catalogue words them without an article.
DJANGO_ADMIN_WITHOUT_ARTICLE = [
    _("The {name} “{obj}” was added successfully."),
    _("The {name} “{obj}” was added successfully. You may add another {name} below."),
    _("The {name} “{obj}” was changed successfully. You may edit it again below."),
    _("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    _("The {name} “{obj}” was changed successfully."),
    _("The %(name)s “%(obj)s” was deleted successfully."),
]
