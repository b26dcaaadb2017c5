from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        """Keep logo files and former addresses in step with the organizations."""
        from django.db.models.signals import post_delete, post_save, pre_save

        from . import signals

        receivers = [
            (pre_save, signals.prepare_logo_change),
            (post_save, signals.apply_logo_change),
            (pre_save, signals.remember_slug),
            (post_save, signals.keep_former_slug),
            (post_delete, signals.delete_logo_with_organization),
        ]
        for model in signals.LOGO_MODELS:
            for signal, receiver in receivers:
                signal.connect(
                    receiver,
                    sender=model,
                    dispatch_uid=f"{receiver.__name__}:{model._meta.label_lower}",
                )
