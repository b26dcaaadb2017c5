"""/sitemap.xml: every public page, in each language its content exists in, with alternates."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.utils import timezone

from organizations.models import AdvisoryBody, MemberOrganization

from .models import Collective
from .seo import content_languages


class LocalizedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_languages_for_item(self, item):
        return list(content_languages(item))

    def lastmod(self, item):
        changed = [item.updated_at]
        if isinstance(item, MemberOrganization):
            # A page changes on the day its member joins or leaves, though no row is saved.
            today = timezone.localdate()
            changed += [_start_of(day) for day in (item.joined, item.left) if day and day <= today]
        return max(changed)


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class WhoAreWeSitemap(LocalizedSitemap):
    priority = 1.0

    def items(self):
        collective = Collective.load()
        return [collective] if collective else []

    def lastmod(self, item):
        """The page shows every published organization too: the latest change of any of them.

        Unpublishing one changes the page as well; its row's `updated_at` records that. So do
        deleting one (its history keeps the moment) and the day a member joins or leaves.
        """
        today = timezone.localdate()
        changed = [item.updated_at]
        for model in (MemberOrganization, AdvisoryBody):
            changed.append(model.objects.aggregate(latest=Max("updated_at"))["latest"])
            deleted = model.history.filter(history_type="-")
            changed.append(deleted.aggregate(latest=Max("history_date"))["latest"])
        membership = MemberOrganization.objects.published().aggregate(
            joined=Max("joined", filter=Q(joined__lte=today)),
            left=Max("left", filter=Q(left__lte=today)),
        )
        changed += [_start_of(day) for day in membership.values() if day]
        return max(moment for moment in changed if moment is not None)


class OrganizationSitemap(LocalizedSitemap):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def items(self):
        return self.model.objects.public()


SITEMAPS = {
    "who-are-we": WhoAreWeSitemap,
    "members": OrganizationSitemap(MemberOrganization),
    "advisors": OrganizationSitemap(AdvisoryBody),
}
