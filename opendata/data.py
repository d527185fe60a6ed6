"""The open data, read once for the read API (opendata/api.py) and the
downloads (opendata/downloads.py): which missions and calls are public,
the querysets of their public ideas, comments and tallies, and each row as
plain values, so a field is named and computed in one place.

Everything starts from the one visibility query (ideas/visibility.py) and
from the public pages (consult/visibility.py: live, no view restriction), so
hidden, pending and private content never appears. The public calls in
scope are read first, in one query, and every row takes its call's
attribution from that map: imported open data (a Pol.is conversation)
carries its licence and source on every row, in every format.

"Updated since" (docs/open-data.md):
- ideas: `updated_at`, which an edit, a status change or a team response
  moves (votes and comments do not: see tallies);
- comments: written or edited since;
- tallies: the idea changed, or someone voted on it, since (a withdrawn
  vote leaves no trace, so a client wanting exact tallies re-reads them);
- missions, calls and metrics: the page was last published since (metrics
  are edited and published with their mission page)."""

from django.db.models import Exists, F, OuterRef, Q

from consult.models import ChallengeCallPage, MissionPage, OutcomeMetric
from consult.visibility import public_pages
from inputs.refusals import Refused
from ideas.models import Vote
from ideas.serializers import idea_record
from ideas.visibility import public_comments, public_ideas
from participation.report import INDIVIDUALS, published
from participation.snapshots import snapshot_for
from people.names import byline

KINDS = ("ideas", "comments", "tallies", "participation", "metrics", "pilots", "results", "ledger")


def public_missions():
    return public_pages(MissionPage)


def public_calls():
    return public_pages(ChallengeCallPage)


def mission_by_id(mission_id):
    mission = public_missions().filter(pk=mission_id).first()
    if mission is None:
        raise Refused(f"No public mission has the id {mission_id}.", field="mission", status=404, code="not_found")
    return mission


def call_by_id(call_id):
    call = public_calls().filter(pk=call_id).first()
    if call is None:
        raise Refused(f"No public call has the id {call_id}.", field="call", status=404, code="not_found")
    return call


class Scope:
    """The public calls a request covers (a mission's, one call, or all),
    read in one query: {call id: call}, in page order."""

    def __init__(self, mission=None, call=None):
        self.mission, self.call = mission, call
        qs = public_calls().only("pk", "title", "slug", "path", "url_path", "data_attribution").order_by("path")
        if call is not None:
            qs = qs.filter(pk=call.pk)
        if mission is not None:
            qs = qs.filter(path__startswith=mission.path)
        self.calls = {c.pk: c for c in qs}

    @property
    def call_ids(self):
        return list(self.calls)

    def attribution(self, call_id):
        call = self.calls.get(call_id)
        return call.attribution_line if call is not None else ""

    def attributions(self):
        """[{call, title, data_attribution}] for the calls holding imported data."""
        return [{"call": c.pk, "title": c.title, "data_attribution": c.attribution_line}
                for c in self.calls.values() if c.data_attribution]


# --- querysets -----------------------------------------------------------


def ideas(scope, status=None, since=None):
    qs = public_ideas().filter(call_id__in=scope.call_ids)
    if status:
        qs = qs.filter(status=status)
    if since:
        qs = qs.filter(updated_at__gte=since)
    return qs.select_related("organisation_sector").prefetch_related("tagged_items__tag").order_by("pk")


def comments(scope, since=None):
    qs = public_comments().filter(idea__call_id__in=scope.call_ids)
    if since:
        qs = qs.filter(Q(created_at__gte=since) | Q(edited_at__gte=since))
    return qs.select_related("author__profile").annotate(idea_call=F("idea__call_id")).order_by("pk")


def tallies(scope, status=None, since=None):
    qs = public_ideas().filter(call_id__in=scope.call_ids)
    if status:
        qs = qs.filter(status=status)
    if since:
        voted = Vote.objects.filter(idea_id=OuterRef("pk"), created_at__gte=since)
        qs = qs.filter(Q(updated_at__gte=since) | Exists(voted))
    return qs.only("pk", "call_id", "title", "status", "support_count", "agree_count", "disagree_count",
                   "pass_count", "comment_count").order_by("pk")


def metrics(missions_qs):
    return (
        OutcomeMetric.objects.filter(page__in=missions_qs.values("pk"))
        .prefetch_related("points").order_by("page__path", "sort_order", "pk")
    )


# --- rows ----------------------------------------------------------------


def idea_row(idea, scope, base_url=""):
    record = idea_record(idea, base_url, labels=True)
    return {
        "id": record["id"], "call": record["call"], "url": record["url"], "title": record["title"],
        "summary": record["summary"], "status": record["status"], "organisation": record["organisation"],
        "sector": record["sector"], "tags": [t.tag.name for t in idea.tagged_items.all()],
        "support_count": record["support_count"], "agree_count": record["agree_count"],
        "disagree_count": record["disagree_count"], "pass_count": record["pass_count"],
        "comment_count": record["comment_count"], "team_response": idea.response,
        "team_response_at": idea.response_at, "created_at": idea.created_at, "updated_at": idea.updated_at,
        "data_attribution": scope.attribution(idea.call_id),
    }


def comment_row(comment, scope, base_url=""):
    return {
        "id": comment.pk, "idea": comment.idea_id, "call": comment.idea_call, "parent": comment.parent_id,
        "url": f"{base_url}/ideas/{comment.idea_id}/#comment-{comment.pk}",
        "author": byline(comment),  # the public name only; "A participant" when posted without one
        "body": comment.body, "support_count": comment.support_count,
        "created_at": comment.created_at, "edited_at": comment.edited_at,
        "data_attribution": scope.attribution(comment.idea_call),
    }


def tally_row(idea, scope, base_url=""):
    return {
        "idea": idea.pk, "call": idea.call_id, "title": idea.title, "status": idea.status,
        "support": idea.support_count, "agree": idea.agree_count, "disagree": idea.disagree_count,
        "pass": idea.pass_count, "comments": idea.comment_count,
        "data_attribution": scope.attribution(idea.call_id),
    }


def metric_row(metric):
    return {
        "id": metric.pk, "mission": metric.page_id, "name": metric.name, "unit": metric.unit,
        "direction": metric.direction, "baseline": float(metric.baseline), "baseline_date": metric.baseline_date,
        "target": float(metric.target), "target_date": metric.target_date,
        "points": [{"date": p.date, "value": float(p.value), "source": p.source, "commentary": p.commentary}
                   for p in metric.points.all()],
    }


def participation(mission, call=None):
    """The stored dashboard counts (never recounted in a request), with what
    the public dashboard does not show as None: counts of who took part from
    1 to 4, those withheld so that a total cannot give one of them back, and
    totals or weekly counts that would (participation/report.py `published`),
    so no one can be picked out."""
    counts, computed_at = snapshot_for(mission, call)
    shown = published(counts)

    def dim(name):
        _values, protected, _shares = shown["dimensions"][name]
        present_keys = (counts.get(f"by_{name}") or {}).keys()
        return [{"category": key, "ideas": protected.values.get(key)}
                for key in sorted(present_keys, key=str) if key in protected.values]

    return {
        "mission": mission.pk, "call": call.pk if call is not None else None, "computed_at": computed_at,
        "totals": shown["totals"],
        "individuals": shown["who"].values[INDIVIDUALS],
        "by_type": dim("type"), "by_size": dim("size"), "by_business_size": dim("business_size"),
        "by_region": dim("region"),
        "learning_questions": [{"question": q, "ideas": n} for q, n in counts.get("questions") or []],
        "weeks": [{"week": w["week"], **{k: w[k][0] for k in ("ideas", "comments", "votes", "participants")}}
                  for w in shown["weeks"]],
        "data_attribution": (call.attribution_line if call is not None else ""),
    }
