from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from consult.selectors import home_missions, open_calls


class HomePage(Page):
    """The front door: what Mission Commons is, and the missions."""

    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["consult.MissionIndexPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["missions"] = home_missions()
        context["open_calls"] = open_calls()
        return context
