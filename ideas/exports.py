"""Open data: a call's public ideas as CSV, and an Atom feed of new ideas.
Both start from the one visibility query, so moderation applies at once.
Links in both are built from the address the request came to (host and
port), so a site served at :8100 or behind a proxy links to itself, not to
SITE_URL's default; every CSV cell goes through ideas.csvsafe."""

from django.contrib.syndication.views import Feed
from django.http import StreamingHttpResponse
from django.utils.feedgenerator import Atom1Feed

from . import csvsafe
from .selectors import public_ideas

COLUMNS = ["id", "url", "title", "summary", "status", "organisation", "sector", "tags", "supports", "agree",
           "disagree", "pass", "comments", "created_at"]


class _Echo:
    def write(self, value):
        return value


def _rows(request, call):
    ideas = (
        public_ideas().filter(call=call).select_related("organisation_sector")
        .prefetch_related("tagged_items__tag").order_by("pk")
    )
    # Imported open data keeps its licence and attribution in every row, so
    # it travels with any row copied out of the file.
    source = [call.attribution_line] if call.data_attribution else []
    yield COLUMNS + (["source"] if source else [])
    for idea in ideas:
        yield [
            idea.pk, request.build_absolute_uri(idea.get_absolute_url()), idea.title, idea.summary, idea.status, idea.organisation,
            idea.organisation_sector.name if idea.organisation_sector else "",
            ";".join(t.tag.name for t in idea.tagged_items.all()),
            idea.support_count, idea.agree_count, idea.disagree_count, idea.pass_count, idea.comment_count,
            idea.created_at.isoformat(),
        ] + source


def call_csv(request, call):
    writer = csvsafe.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in _rows(request, call)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ideas-{call.slug}.csv"'
    return response


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
