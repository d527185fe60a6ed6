from django.core.exceptions import ValidationError
from django.http import Http404
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from consult.selectors import home_missions, open_calls

from .service_pages import FOOTER_SLUGS, RICH_TEXT_FEATURES


class HomePage(Page):
    """The front door: what Mission Commons is, and the missions."""

    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["consult.MissionIndexPage", "cms.InformationPage"]
    max_count = 1

    def route(self, request, path_components):
        """Find the deepest page the path names in one query, instead of
        Wagtail's two per level (each child by slug, then its specific
        type): a call page is four levels down (issue #19, "less work per
        view"). The page found routes the rest of the path itself, as
        Wagtail would have (a call's sub-pages, a mission's questions), and
        answers 404 if it is not live, as Wagtail's own route does. Only
        pages under this home page are found (`path__startswith`)."""
        if not path_components:
            return super().route(request, path_components)
        candidates = {
            self.url_path + "/".join(path_components[:n]) + "/": n for n in range(1, len(path_components) + 1)
        }
        found = (
            Page.objects.filter(url_path__in=candidates, path__startswith=self.path, depth__gt=self.depth)
            .order_by("-depth")
            .specific()
            .first()
        )
        if found is None:
            raise Http404
        return found.route(request, path_components[candidates[found.url_path]:])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["missions"] = home_missions()
        context["open_calls"] = open_calls()
        return context


class InformationPage(Page):
    """A page the service must publish: the privacy notice, the accessibility
    statement, cookies, contact, terms of use (cms/service_pages.py seeds
    them). Content only: the team edits the body in the admin. The site's
    footer links their fixed addresses (/privacy/ ...) at no query, so a
    page the footer links keeps its slug."""

    body = RichTextField(features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    template = "cms/information_page.html"

    class Meta:
        verbose_name = "information page"

    def clean(self):
        super().clean()
        if self.pk is None:
            return
        was = Page.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        if was in FOOTER_SLUGS and self.slug != was:
            raise ValidationError({"slug": f"Every page's footer links to /{was}/, so this page keeps the slug "
                                           f"\"{was}\"."})
