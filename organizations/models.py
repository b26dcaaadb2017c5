import re

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collective.models import PLAIN_TEXT_HELP
from collective.prepared import PreparedQuery

from .addresses import slug_address
from .images import validate_logo

WEB_ADDRESS_MESSAGE = _("Enter a web address that starts with http:// or https://.")


class OrganizationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def public(self, today=None):
        """What visitors may open: published, and for members, joined by `today`."""
        return self.published()


class MemberQuerySet(OrganizationQuerySet):
    def public(self, today=None):
        # A joining date ahead is a scheduled announcement: no page before that day.
        return self.published().exclude(joined__gt=today or timezone.localdate())

    def current(self, today=None):
        """Published members that have joined (or have no joining date) and not yet left."""
        today = today or timezone.localdate()
        return (
            self.published()
            .filter(Q(left__isnull=True) | Q(left__gt=today))
            .exclude(joined__gt=today)
        )

    def former(self, today=None):
        """Published members that have left, most recently left first."""
        today = today or timezone.localdate()
        return self.published().filter(left__lte=today).order_by("-left", "position", "pk")


def split_by_membership(members, today=None):
    """Published members, read in one query, as the lists current() and former() give.

    Current ones keep the order given (the list order); former ones come by leaving date,
    most recent first.
    """
    today = today or timezone.localdate()
    current = [m for m in members if m.is_current(today)]
    former = [m for m in members if m.left is not None and m.left <= today]
    former.sort(key=lambda m: m.left, reverse=True)
    return current, former


class Organization(models.Model):
    """What member organizations and the advisory body share: a name, a text, a logo, a link."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("The last part of the page's web address, the same in every language."),
        error_messages={"unique": _("Another page already has this address; choose another.")},
    )
    description = models.TextField(_("description"), blank=True, help_text=PLAIN_TEXT_HELP)
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[validate_logo],
        width_field="logo_width",
        height_field="logo_height",
        help_text=_(
            "PNG, JPEG or WebP; at least 200 pixels on each side and at most 8 times as long "
            "as wide; at most 5 MB and 40 megapixels."
        ),
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    website = models.URLField(
        _("website"),
        blank=True,
        # A link visitors follow in their browser: not ftp:// or other schemes Django allows.
        validators=[
            URLValidator(
                schemes=["http", "https"],
                message=WEB_ADDRESS_MESSAGE,
                code="not_a_web_address",  # not "invalid": the form would put its own words
            )
        ],
    )
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Lower numbers are listed first.")
    )
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Only published organizations are shown.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Deleted with the organization: its old addresses then lead nowhere, like its page.
    former_slugs = GenericRelation("organizations.FormerSlug")

    objects = OrganizationQuerySet.as_manager()

    url_name = None

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_address(self.url_name, self.slug)

    def is_public(self, today=None):
        """Whether visitors can open this organization's page (see the queryset's public())."""
        return self.is_published

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude)
        # Web addresses in lower case only, as slugs are made from names: "NJR" and "njr"
        # would otherwise be two pages. An older slug with capitals becomes lower case when
        # it is next edited, and its old address redirects. Only where the slug is being
        # edited: a form without it (the list) does not check it for uniqueness either.
        if self.slug and "slug" not in (exclude or ()):
            self.slug = self.slug.lower()

    @property
    def anchor(self):
        """A page-unique id for this organization's section on the "Who are we" page."""
        return f"{self._meta.model_name}-{self.slug}"

    @property
    def initials(self):
        """Up to three letters standing in for a missing logo: "SC" for Save the Children."""
        # An explanation in brackets after the name is not part of it: "NJR (National Youth
        # Council)" is NJR, not NYC.
        words = (re.sub(r"\s*\([^()]*\)\s*$", "", self.name) or self.name).split()
        if len(words) == 1:
            return words[0][:3]
        capitals = "".join(word[0] for word in words if word[0].isupper())
        # A name written all in lower case ("terre des hommes") still gets its letters.
        return (capitals or "".join(word[0] for word in words).upper())[:3]


def validate_membership_date(value):
    """Dates from 1900 to 2100, as the collective's founding year: "0019" is a typing error."""
    if not 1900 <= value.year <= 2100:
        raise ValidationError(
            _("Enter a date between 1900 and 2100."), code="out_of_range", params={"value": value}
        )


class MemberOrganization(Organization):
    url_name = "organizations:member"

    joined = models.DateField(
        _("joined"),
        null=True,
        blank=True,
        validators=[validate_membership_date],
        help_text=_("When it became a member, if known."),
    )
    left = models.DateField(
        _("left"),
        null=True,
        blank=True,
        validators=[validate_membership_date],
        help_text=_("When it stopped being a member. Former members are listed separately."),
    )

    objects = MemberQuerySet.as_manager()

    class Meta(Organization.Meta):
        verbose_name = _("member organization")
        verbose_name_plural = _("member organizations")
        constraints = [
            # clean() says so on the form; this keeps any other writer (an update(), the
            # shell, a script) from storing a membership that ends before it begins.
            models.CheckConstraint(
                condition=Q(joined__isnull=True) | Q(left__isnull=True) | Q(left__gte=F("joined")),
                name="member_leaves_after_joining",
                violation_error_message=_("A member cannot leave before it joined."),
            ),
        ]

    def clean(self):
        super().clean()
        if self.joined and self.left and self.left < self.joined:
            raise ValidationError({"left": _("A member cannot leave before it joined.")})

    def is_public(self, today=None):
        return self.is_published and not self.joins_later(today)

    def joins_later(self, today=None):
        """Whether the joining date lies ahead: the member is shown from that day."""
        return self.joined is not None and self.joined > (today or timezone.localdate())

    @property
    def is_former(self):
        return self.left is not None and self.left <= timezone.localdate()

    def is_current(self, today):
        joined = self.joined is None or self.joined <= today
        return joined and (self.left is None or self.left > today)


class AdvisoryBody(Organization):
    url_name = "organizations:advisor"

    role = models.CharField(
        _("role"), max_length=200, help_text=_('For example "independent advisor".')
    )

    class Meta(Organization.Meta):
        verbose_name = _("advisory body")
        verbose_name_plural = _("advisory bodies")


class FormerSlug(models.Model):
    """A slug an organization's page had before; its old address redirects to the page.

    Links, bookmarks and search results keep working after an editor changes a slug. A slug
    in use by a page is never kept here: the live page always wins.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    organization = GenericForeignKey("content_type", "object_id")
    slug = models.SlugField(_("slug"), max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "slug"], name="one_former_slug_per_model"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.slug

    @classmethod
    def record_change(cls, organization, old_slug):
        """After a save: keep `old_slug` as a way to `organization`, unless a page uses it."""
        content_type = ContentType.objects.get_for_model(organization)
        cls.objects.filter(content_type=content_type, slug=organization.slug).delete()
        if old_slug and old_slug != organization.slug:
            cls.objects.update_or_create(
                content_type=content_type, slug=old_slug, defaults={"object_id": organization.pk}
            )

    @classmethod
    def target(cls, model, slug, *, public=True):
        """The organization of `model` that once had `slug`, or None.

        Only one visitors can open, unless `public` is false: then any published one, such
        as a member whose joining date lies ahead (its old address is still its own).
        """
        former = cls.objects.filter(
            content_type=ContentType.objects.get_for_model(model), slug=slug
        ).first()
        if former is None:
            return None
        organizations = model.objects.public() if public else model.objects.published()
        return organizations.filter(pk=former.object_id).first()


# The "Who are we" page's lists, read on every uncached view of it: their SQL is built once
# per thread (see collective.prepared). Members are split by date in Python, so the SQL
# holds no date.
published_members = PreparedQuery(MemberOrganization, lambda rows: rows.published())
published_advisory_bodies = PreparedQuery(AdvisoryBody, lambda rows: rows.published())
