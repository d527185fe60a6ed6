"""What crawlers read: robots.txt, and the sitemap of every public page and
every listed idea.

Pages come from the one page rule (consult/visibility.py `public_pages`),
not Wagtail's own sitemap query (`.live().public()`), so a page type that is
never listed, or a call under a view restriction, is left out here exactly
as on the home page and in open data; ideas come from `listed_ideas`
(public, and not in a restricted call). `/sitemap.xml` is an index of the
sections, each paged at `LIMIT` addresses, so the file a crawler fetches
stays small however many ideas there are."""

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page, Site

from consult.visibility import public_pages
from ideas.visibility import listed_ideas

LIMIT = 5000


class PageSitemap(WagtailSitemap):
    limit = LIMIT

    def items(self):
        site = Site.find_for_request(self.request) or Site.objects.select_related("root_page").get(is_default_site=True)
        pages = site.root_page.get_descendants(inclusive=True)
        return public_pages(pages).order_by("path").defer_streamfields().specific()

    def get_latest_lastmod(self):
        """One aggregate, not every page loaded (Django's default)."""
        return public_pages(Page.objects.all()).aggregate(
            at=Max(Coalesce("last_published_at", "latest_revision_created_at")))["at"]


class IdeaSitemap(DjangoSitemap):
    limit = LIMIT

    def __init__(self, request=None):
        self.request = request

    def items(self):
        return listed_ideas().order_by("pk").only("pk", "updated_at")

    def get_latest_lastmod(self):
        return listed_ideas().aggregate(at=Max("updated_at"))["at"]

    def location(self, idea):
        return idea.get_absolute_url()

    def lastmod(self, idea):
        return idea.updated_at

    def get_protocol(self, protocol=None):
        return self.request.scheme if self.request is not None else super().get_protocol(protocol)

    def get_domain(self, site=None):
        return self.request.get_host() if self.request is not None else super().get_domain(site)


SECTIONS = {"pages": PageSitemap, "ideas": IdeaSitemap}


ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /accounts/
Disallow: /moderation/
Disallow: /search/
Sitemap: {sitemap}
"""


@require_GET
def robots(request):
    """Crawlers may read the public site, not the admin, sign-in, the
    moderators' queue or search results (endless combinations of queries)."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain; charset=utf-8")
