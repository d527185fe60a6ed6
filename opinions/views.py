"""The call's results page, `<call url>results/`: the opinion map as a
server-rendered SVG with a text summary and tables that say the same, and
agree / disagree / pass bars per idea, overall and per group.

It reads exactly what the JSON API returns (opinions/selectors.py,
`public_map`), so the page and GET /api/v1/calls/<id>/opinion-map show the
same numbers; nothing is computed in the request beyond layout. Queries are
bounded whatever the number of participants: is the call public, its
snapshot, the titles of its public ideas, the viewer's own point (the
snapshot again) and the live topic's sequence number.

`?fragment=map` answers only the results region, which
static/js/opinion-map.mjs swaps in when an `opinion.updated` event arrives on
the call's live topic; without JavaScript the full page is the whole story.

Registered as the call page's `results` sub-page from opinions/apps.py
(consult/call_page.py says why sub-pages are registered, not imported)."""

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.http import Http404
from django.template.response import TemplateResponse

from consult.models import ChallengeCallPage
from consult.visibility import public_pages
from live import events as live_events
from live.topics import call_topic

from . import selectors, summaries, svg
from .services import no_map_reason
from .tasks import debounce_seconds

N_AGREED = 10  # "agreed across groups": the top of the order; the bars list every idea


def _percent(share):
    return round((share or 0.0) * 100)


def _bar(shares):
    """One bar of agree / disagree / pass: whole percentages and the count
    (``None`` when nobody in that set voted), with each segment's x offset
    and width on a 0-100 scale for the SVG."""
    if not shares or not shares.get("n"):
        return {"n": 0, "empty": True}
    agree, disagree, passed = (float(shares.get(k, 0.0)) for k in ("agree", "disagree", "pass"))
    return {
        "n": shares["n"], "empty": False,
        "agree": _percent(agree), "disagree": _percent(disagree), "pass": _percent(passed),
        "segments": [
            {"kind": "agree", "x": 0.0, "width": round(agree * 100, 2)},
            {"kind": "disagree", "x": round(agree * 100, 2), "width": round(disagree * 100, 2)},
            {"kind": "pass", "x": round((agree + disagree) * 100, 2), "width": round(passed * 100, 2)},
        ],
    }


def _tally(t):
    """A representative idea's counts inside or outside a group, with shares."""
    shares = t.get("shares", {})
    return {"n": t.get("n", 0), "agree": t.get("agree", 0), "disagree": t.get("disagree", 0),
            "pass": t.get("pass", 0), "agree_pct": _percent(shares.get("agree")),
            "disagree_pct": _percent(shares.get("disagree")), "pass_pct": _percent(shares.get("pass"))}


def _idea_rows(rows, groups):
    return [
        {"id": row["idea"], "title": row["title"], "url": f"/ideas/{row['idea']}/",
         "consensus": row["consensus"], "support": row["support"],
         "overall": _bar(row["overall"]),
         "groups": [{"id": g["id"], "label": g["label"], "bar": _bar(row["groups"].get(str(g["id"])))}
                    for g in groups]}
        for row in rows
    ]


def _summary(data, groups, you):
    """The map in a sentence or two: who voted, the groups with their one
    count each, how many shaped them, and the viewer's own group."""
    if not groups:
        return ""
    text = summaries.groups_sentence(data["n_participants"], data["n_votes"],
                                     [(g["label"], g["n_people"]) for g in groups])
    if data["n_in_model"] < sum(g["n_people"] for g in groups):
        text += (f" {data['n_in_model']} of them voted on enough ideas to shape the groups; the others are"
                 " placed in the group nearest to their votes.")
    if you is not None:
        text += f" You are in {svg.group_label(you['group'])}."
    return text


def _group_summary(group, alone, min_votes):
    reps = [r for r in group["representative"] if r["distinctive"]]
    return summaries.group_summary(
        group["label"], group["n_people"],
        agrees=[r["title"] for r in reps if r["direction"] == "agree"],
        disagrees=[r["title"] for r in reps if r["direction"] == "disagree"],
        min_votes=min_votes, alone=alone,
    )


def results_context(call, user):
    """Everything the page and its fragment show, from the stored map."""
    context = {"call": call, "page": call, "reason": no_map_reason(call), "data": None}
    if context["reason"] is not None:
        return context
    data = selectors.public_map(call)
    context["data"] = data
    groups = [
        {"id": g["id"], "label": svg.group_label(g["id"]), "colour": svg.colour_of(g["id"]),
         "shape": svg.shape_of(g["id"]), "n_people": g["n_participants"], "size": g["size"],
         "n_placed": g["n_placed"],
         "representative": [
             {"id": r["idea"], "title": r["title"], "url": f"/ideas/{r['idea']}/", "direction": r["direction"],
              "significant": r["significant"], "distinctive": r["distinctive"],
              "inside": _tally(r["inside"]), "outside": _tally(r["outside"])}
             for r in g["representative"]
         ]}
        for g in data["groups"]
    ]
    for g in groups:
        g["summary"] = _group_summary(g, len(groups) == 1, data["min_distinctive_votes"])
    you = None
    if data["computed_at"] is not None and getattr(user, "is_authenticated", False):
        you = selectors.position_of(selectors.snapshot_for(call), user.pk)
    layout = svg.layout(data["points"], you) if data["points"] else None
    by_id = {row["idea"]: row for row in data["ideas"]}
    context.update({
        "groups": groups,
        "layout": layout,
        "you": you,
        "you_label": svg.group_label(you["group"]) if you else "",
        "summary": _summary(data, groups, you),
        "agreed": [
            {"id": i, "title": by_id[i]["title"], "url": f"/ideas/{i}/", "consensus": by_id[i]["consensus"],
             "overall": _bar(by_id[i]["overall"])}
            for i in data["agreed_across_groups"][:N_AGREED] if i in by_id
        ],
        "ideas": _idea_rows(data["ideas"], groups),
        "about": _idea_rows(data["about_participant"], groups),
        "has_map": bool(groups),
        "min_distinctive_votes": data["min_distinctive_votes"],
        # When it was computed, in words as of this render (the exact time beside it stays true in a
        # cached copy), and how soon new votes show: the worker's debounce (opinions/tasks.py).
        "updated_ago": naturaltime(data["computed_at"]) if data["computed_at"] else "",
        "recomputed_after": summaries.delay_words(debounce_seconds()),
    })
    return context


def results_page(request, call):
    """The call page's `results/` sub-page (and its `?fragment=map`)."""
    if not public_pages(ChallengeCallPage).filter(pk=call.pk).exists():
        raise Http404("No such call.")
    context = results_context(call, request.user)
    topic = call_topic(call.pk)
    context.update({"live_topic": topic, "live_since": live_events.current_seq(topic)})
    if request.GET.get("fragment") == "map":
        return TemplateResponse(request, "opinions/_results.html", context)
    return TemplateResponse(request, "opinions/results.html", context)
