from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .prepared import PreparedQuery

PLAIN_TEXT_HELP = _("Plain text. Separate paragraphs with a blank line.")


class Collective(models.Model):
    """The Kinderrechtencollectief itself: the one row behind the "Who are we" page."""

    SINGLETON_PK = 1
    # Its name is in the title and structured data of every page: the page cache refreshes
    # them all when it changes (collective.caching.pages_showing).
    on_every_page = True

    name = models.CharField(_("name"), max_length=200)
    page_title = models.CharField(
        _("page title"), max_length=200, help_text=_('The heading of the "Who are we" page.')
    )
    founding_year = models.PositiveSmallIntegerField(
        _("founding year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    intro = models.TextField(_("introduction"), help_text=PLAIN_TEXT_HELP)
    body = models.TextField(_("body text"), blank=True, help_text=PLAIN_TEXT_HELP)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("collective")
        verbose_name_plural = _("collective")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="collective_is_singleton"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("collective:who-are-we")

    @classmethod
    def load(cls):
        """The collective's row, or None before any content exists."""
        rows = _THE_COLLECTIVE()
        return rows[0] if rows else None


# Read on every public page: its SQL is built once per thread (see collective.prepared).
_THE_COLLECTIVE = PreparedQuery(Collective, lambda rows: rows.filter(pk=Collective.SINGLETON_PK))
