from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    """Translator tooling for every model registered with modeltranslation."""

    name = "collective.translations"
    label = "translations"
    verbose_name = _("Translations")

    def ready(self):
        from . import roles, signals

        signals.connect()
        pre_migrate.connect(roles.note_permissions_before_migrate, sender=self)
        post_migrate.connect(roles.setup_after_migrate, sender=self)
