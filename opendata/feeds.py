"""Atom feeds of a call: its newest public ideas (feed/), and its ideas'
status changes and the team's responses (feed/updates/); and of a mission's
pilots: each result and each conclusion with its lesson
(/missions/<m>/pilots/feed/). It starts from the one
visibility query, so moderation applies at once; Django's Feed makes its
links absolute from the address the request came to."""

from datetime import datetime, time, UTC

from django.contrib.syndication.views import Feed
from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from ideas.models import IdeaStatus
from ideas.visibility import public_ideas
from pilots.models import ENDED, PilotAnnouncement, PilotResult

from . import data, pilots_data


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


# --- a mission's pilots: results and conclusions (issue #18) ----------------


class PilotEvent:
    def __init__(self, pilot, kind, at, result=None):
        self.pilot, self.kind, self.at, self.result = pilot, kind, at, result


class MissionPilotsFeed(Feed):
    """Each result of the mission's public pilots, and each pilot's
    conclusion with its lesson, newest first: one entry per event with an
    id of its own. A result is dated by its date (midnight UTC); a
    conclusion by when it was announced (pilots/signals.py), else by the
    page's last publication. Three queries, whatever the number of pilots."""

    feed_type = Atom1Feed
    LIMIT = 50

    def __call__(self, request, *args, mission=None, **kwargs):
        self.mission, self.request = mission, request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return f"Pilot results: {self.mission.title}"

    def link(self):
        return self.mission.get_url(self.request) or "/"

    def subtitle(self):
        return "Results and lessons of this mission's pilots, newest first."

    def items(self):
        pilots = pilots_data.public_pilots().filter(path__startswith=self.mission.path, depth=self.mission.depth + 1)
        results = (PilotResult.objects.filter(page_id__in=pilots.values("pk")).select_related("page__metric")
                   .order_by("-date", "-pk")[:self.LIMIT])
        ended_at = (PilotAnnouncement.objects.filter(pilot_id=OuterRef("pk"), kind=PilotAnnouncement.ENDED)
                    .values("pilot_id").annotate(at=Min("created_at")).values("at")[:1])
        ended = (pilots.filter(status__in=ENDED).select_related("metric")
                 .annotate(concluded_at=Coalesce(Subquery(ended_at), "last_published_at")).order_by("-concluded_at"))
        events = [PilotEvent(r.page, "result", datetime.combine(r.date, time.min, tzinfo=UTC), r)
                  for r in results]
        events += [PilotEvent(p, "lesson", p.concluded_at) for p in ended[:self.LIMIT]]
        events.sort(key=lambda e: (e.at, e.kind == "lesson", e.result.pk if e.result else e.pilot.pk), reverse=True)
        return events[:self.LIMIT]

    def item_title(self, item):
        pilot = item.pilot
        if item.kind == "result":
            value = f"{item.result.value.normalize():f}"
            unit = pilot.unit
            return f"{pilot.title}: {pilot.measure_label or 'result'} {value}{(' ' + unit) if unit else ''}"
        return f"{pilot.title}: {pilot.get_status_display().lower()}" + (
            f", decision: {pilot.get_decision_display().lower()}" if pilot.decision else "")

    def item_description(self, item):
        if item.kind == "result":
            parts = [f"{item.result.date.day} {item.result.date:%B %Y}", item.result.commentary,
                     f"Source: {item.result.source}" if item.result.source else ""]
        else:
            parts = [item.pilot.lesson, item.pilot.decision_reason]
        return "\n\n".join(p for p in parts if p)

    def item_link(self, item):
        return pilots_data.page_url(item.pilot, request=self.request)

    def item_guid(self, item):
        anchor = f"result-{item.result.pk}" if item.kind == "result" else f"lesson-{item.pilot.status}"
        return f"{self.item_link(item)}#{anchor}"

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        return item.at

    def item_updateddate(self, item):
        return item.at


@require_GET
def mission_pilots_feed(request, mission_slug):
    """/missions/<m>/pilots/feed/ (a Django URL in cms/urls.py, before
    Wagtail's, which would look for a pilot called "feed")."""
    mission = data.public_missions().filter(slug=mission_slug).first()
    if mission is None:
        raise Http404("No such mission.")
    return MissionPilotsFeed()(request, mission=mission)
