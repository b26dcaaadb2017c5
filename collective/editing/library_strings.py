"""Strings of django-simple-history's admin pages, which ship without a Dutch translation.

Listing them here keeps them in our own catalogue (`make messages`), so staff see the history
and restore pages in Dutch too.
"""

from django.utils.translation import gettext_noop as _

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
