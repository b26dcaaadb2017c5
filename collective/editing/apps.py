from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditingConfig(AppConfig):
    """What editors need beyond plain forms: drafts, previews, history and safe saving."""

    name = "collective.editing"
    label = "editing"
    verbose_name = _("Editing")

    def ready(self):
        from . import drafts

        drafts.connect()
