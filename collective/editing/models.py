from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class Draft(models.Model):
    """Changes to a live object that an editor saved without publishing them.

    The live row stays as visitors see it; `data` holds the form's field values (by field name)
    until the draft is published through the normal save, or discarded.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(_("changed values"), encoder=DjangoJSONEncoder)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)
    # The object's version (its `updated_at`) when the draft was made. Reopened, the draft's
    # form carries this version, so publishing it after someone else saved the object is
    # caught as a conflict instead of silently putting back what they changed.
    based_on = models.CharField(_("based on version"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_draft_per_object"
            )
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}"
