from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TranslationBaseline(models.Model):
    """The source text a translation was made from, to tell when the source has moved on.

    One row per object, translated field and target language, written whenever that translation
    is saved or confirmed. When the source text's fingerprint no longer matches, the translation
    is outdated, and `source_text` lets the translator see what changed.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=100)
    language = models.CharField(_("language"), max_length=15)
    source_fingerprint = models.CharField(_("source fingerprint"), max_length=64)
    source_text = models.TextField(_("source text"), blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("translation baseline")
        verbose_name_plural = _("translation baselines")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="one_baseline_per_translation",
            ),
        ]
        permissions = [("translate_content", _("Can translate content"))]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id} {self.field} [{self.language}]"
