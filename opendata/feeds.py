"""An Atom feed of a call's newest public ideas. It starts from the one
visibility query, so moderation applies at once; Django's Feed makes its
links absolute from the address the request came to."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from ideas.visibility import public_ideas


class CallFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, call=None, **kwargs):
        self.call = call
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return f"New ideas: {self.call.title}"

    def link(self):
        return self.call.url

    def subtitle(self):
        return "The newest public ideas submitted to this challenge call."

    def feed_copyright(self):
        # Atom <rights>: the licence and attribution of imported open data.
        return self.call.attribution_line or None

    def items(self):
        return public_ideas().filter(call=self.call).order_by("-created_at", "-pk")[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at


def call_feed(request, call):
    """The call page's feed/ sub-page: `view(request, call)` like the others."""
    return CallFeed()(request, call=call)
