"""Reads of the stored opinion map, for the results page, the call page, the
JSON API and the command. Plain functions of plain values (a call, an id),
never the request.

The snapshot keys participants by user id (or Pol.is id): that says which
group a given person fell in, so it never leaves the server as such.
`public_map` gives the points without their keys; `position_of` finds one
signed-in person's own point for their page. Ideas are re-read through the
visibility query each time: an idea hidden since the map was computed drops
out of every list before the next recomputation."""

from django.db.models import F, FloatField, QuerySet
from django.db.models.functions import Cast

from ideas.visibility import public_ideas

from consult.models import ChallengeCallPage
from ideas.models import Idea

from .groups import MIN_DISTINCTIVE_VOTES, is_distinctive
from .models import OpinionSnapshot
from .services import KEY_USER, no_map_reason


def _call_id(call):
    return getattr(call, "pk", call)


def snapshot_for(call: ChallengeCallPage | int) -> OpinionSnapshot | None:
    """The call's stored map (an OpinionSnapshot), or None if none was computed."""
    return OpinionSnapshot.objects.filter(call_id=_call_id(call)).first()


def ordered_by_consensus(call: ChallengeCallPage | int) -> QuerySet[Idea]:
    """The call's public opinions in "agreed across groups" order: group-informed
    consensus (highest first), then smoothed support, then id, as the map
    orders them. Statements about the participant and ideas not yet scored
    are left out. A queryset: slice it, select_related what the page shows."""
    agree, disagree, passed = F("agree_count"), F("disagree_count"), F("pass_count")
    support = (Cast(agree, FloatField()) + 1.0) / (Cast(agree + disagree + passed, FloatField()) + 2.0)
    return (
        public_ideas().filter(call_id=_call_id(call), about_participant=False, consensus__isnull=False)
        .annotate(smoothed_support=support)
        .order_by("-consensus", "-smoothed_support", "pk")
    )


def participant_key(snapshot: OpinionSnapshot, user_id: int) -> str:
    """The key of this user's point in the snapshot (str), whatever the call's key kind."""
    if snapshot.data.get("key_kind", KEY_USER) == KEY_USER:
        return str(user_id)
    return f"user-{user_id}"


def position_of(snapshot: OpinionSnapshot, user_id: int) -> dict | None:
    """This signed-in person's own point ({"x", "y", "group", "in_model"}), or
    None if they have not voted (or not since the map was computed)."""
    if snapshot is None or user_id is None:
        return None
    return snapshot.data.get("positions", {}).get(participant_key(snapshot, user_id))


def _idea_row(idea_id, titles, data):
    key = str(idea_id)
    shares = data.get("shares", {}).get(key, {})
    return {
        "idea": idea_id,
        "title": titles[idea_id],
        "consensus": data.get("consensus", {}).get(key),
        "support": data.get("support", {}).get(key),
        "overall": shares.get("overall"),
        "groups": shares.get("groups", {}),
    }


def public_map(call: ChallengeCallPage) -> dict | None:
    """The call's map as the public may see it (the JSON API, the results
    page's tables), or None if the call can have none (its votes are not
    agree / disagree / pass).

    ``ideas`` lists the opinions in "agreed across groups" order, each with
    its consensus, smoothed support and votes overall and per group;
    ``about_participant`` the statements about the participant likewise;
    ``most_supported`` and ``divided`` are orders of idea ids; ``points`` the
    map's points without their keys. A group's ``n_participants`` counts
    everyone in it (``size`` who shaped it, ``n_placed`` placed with it); a
    representative idea is ``distinctive`` (sets the group apart) only on at
    least ``min_distinctive_votes`` of the group's votes. Not yet computed: empty, with
    ``computed_at`` None and the reason. Every idea named is public now, with
    its title (one query)."""
    reason = no_map_reason(call)
    if reason is not None:
        return None
    snapshot = snapshot_for(call)
    if snapshot is None:
        return {
            "call": call.pk, "computed_at": None, "n_votes": 0, "n_participants": 0, "n_in_model": 0,
            "min_distinctive_votes": MIN_DISTINCTIVE_VOTES,
            "reason": "The opinion map has not been computed yet.", "groups": [], "agreed_across_groups": [],
            "most_supported": [], "divided": [], "ideas": [], "about_participant": [], "points": [],
        }
    data = snapshot.data
    titles = dict(public_ideas().filter(call_id=call.pk).values_list("pk", "title"))

    def rows(ids):
        return [_idea_row(int(i), titles, data) for i in ids if int(i) in titles]

    groups = []
    for group in data.get("groups", []):
        n_placed = group.get("n_placed", 0)
        groups.append({
            "id": group["id"], "size": group["size"], "n_placed": n_placed,
            # everyone the map shows in the group: the one count the page, the SVG and the API give
            "n_participants": group["size"] + n_placed,
            "centroid": group.get("centroid", [0.0, 0.0]),
            "representative": [
                {"idea": r["statement"], "title": titles[r["statement"]], "direction": r["direction"],
                 "significant": r["significant"], "distinctive": is_distinctive(r["significant"], r["n_trials"]),
                 "best_agree": r["best_agree"], "p_success": r["p_success"],
                 "repness": r["repness"], "repness_test": r["repness_test"], "p_test": r["p_test"],
                 "inside": r["inside"], "outside": r["outside"]}
                for r in group.get("representative", []) if r["statement"] in titles
            ],
        })
    # Points without their keys, in an order that says nothing of who is who.
    points = sorted(
        ([p["x"], p["y"], p["group"], p["in_model"]] for p in data.get("positions", {}).values()),
        key=lambda p: (p[2] is None, p[2] if p[2] is not None else -1, p[0], p[1]),
    )
    ordered = data.get("agreed_across_groups", [])
    return {
        "call": call.pk,
        "computed_at": snapshot.computed_at,
        "n_votes": snapshot.n_votes,
        "n_participants": snapshot.n_participants,
        "n_in_model": data.get("n_in_model", 0),
        "min_distinctive_votes": MIN_DISTINCTIVE_VOTES,
        "reason": data.get("reason"),
        "groups": groups,
        "agreed_across_groups": [int(i) for i in ordered if int(i) in titles],
        "most_supported": [int(i) for i in data.get("most_supported", []) if int(i) in titles],
        "divided": [int(i) for i in data.get("divided", []) if int(i) in titles],
        "ideas": rows(ordered),
        "about_participant": rows(sorted(int(i) for i in data.get("meta", {}))),
        "points": [{"x": x, "y": y, "group": g, "in_model": m} for x, y, g, m in points],
    }
