"""/sitemap.xml: every public page, in each language its content exists in, with alternates."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

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
        return item.updated_at


class WhoAreWeSitemap(LocalizedSitemap):
    priority = 1.0

    def items(self):
        collective = Collective.load()
        return [collective] if collective else []

    def lastmod(self, item):
        """The page shows every published organization too: the latest change of any of them.

        Unpublishing one changes the page as well; its row's `updated_at` records that.
        """
        changed = [item.updated_at]
        for model in (MemberOrganization, AdvisoryBody):
            latest = model.objects.aggregate(latest=Max("updated_at"))["latest"]
            if latest is not None:
                changed.append(latest)
        return max(changed)


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
