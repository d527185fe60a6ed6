"""Atom feeds of a call: its newest public ideas (feed/), and its ideas'
status changes and the team's responses (feed/updates/). It starts from the one
visibility query, so moderation applies at once; Django's Feed makes its
links absolute from the address the request came to."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from ideas.models import IdeaStatus
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


class CallUpdatesFeed(CallFeed):
    """Status changes and the team's responses in a call, newest first: one
    entry per event, with an id of its own (the status, or the response's
    time), so a reader shows each change once. There is no history of
    statuses, so a status entry is dated by the idea's `updated_at`, which
    the status change set (a later edit of the idea moves it too)."""

    LIMIT = 50

    def title(self):
        return f"Status changes and team responses: {self.call.title}"

    def subtitle(self):
        return "Ideas in this challenge call given a new status, and the mission team's responses."

    def items(self):
        base = public_ideas().filter(call=self.call).only(
            "pk", "title", "status", "response", "response_at", "updated_at", "created_at")
        statuses = base.exclude(status=IdeaStatus.SUBMITTED).order_by("-updated_at", "-pk")[:self.LIMIT]
        responses = base.filter(response_at__isnull=False).order_by("-response_at", "-pk")[:self.LIMIT]
        events = [Update(idea, "status", idea.updated_at) for idea in statuses]
        events += [Update(idea, "response", idea.response_at) for idea in responses]
        events.sort(key=lambda e: (e.at, e.idea.pk), reverse=True)
        return events[:self.LIMIT]

    def item_title(self, item):
        if item.kind == "status":
            return f"{item.idea.title}: {item.idea.get_status_display().lower()}"
        return f"{item.idea.title}: the mission team responded"

    def item_description(self, item):
        if item.kind == "status":
            return f"Status changed to {item.idea.get_status_display()}."
        return item.idea.response

    def item_link(self, item):
        return item.idea.get_absolute_url()

    def item_guid(self, item):
        stamp = item.at.isoformat() if item.kind == "response" else item.idea.status
        return f"{item.idea.get_absolute_url()}#{item.kind}-{stamp}"

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        return item.at

    def item_updateddate(self, item):
        return item.at


class Update:
    def __init__(self, idea, kind, at):
        self.idea, self.kind, self.at = idea, kind, at


def call_updates_feed(request, call):
    """The call page's feed/updates/ sub-page."""
    return CallUpdatesFeed()(request, call=call)
