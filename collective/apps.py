from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectiveConfig(AppConfig):
    name = "collective"
    verbose_name = _("Collective")

    def ready(self):
        from . import caching

        caching.connect()
