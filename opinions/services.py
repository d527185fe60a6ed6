"""Recompute a call's opinion map from its votes, store it, tell open pages.

`recompute(call_id)` runs in the background worker (opinions/tasks.py), never
in a request: the votes are read in one query, the map is computed by the pure
core (opinions/groups.py, no I/O), and the snapshot and every idea's consensus
are written in one short transaction. The heavy part runs outside that
transaction, so no row stays locked while numpy works. After the commit, an
`opinion.updated` event goes to the call's live topic, so open pages fetch the
new map without a reload.

Who a participant is on the map: their user id; except in a conversation
imported from Pol.is (ideas/polis.py), where the participant's Pol.is id is
kept, so the map, the command's output and Pol.is's own export
(participants-votes.csv) name the same people the same way.
"""

import logging
import math
import re
import time
from dataclasses import dataclass

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from consult.models import ChallengeCallPage
from ideas.models import Idea, PolisImport, Vote
from ideas.visibility import public_ideas
from live import events as live_events
from live.topics import call_topic

from . import groups
from .models import OpinionSnapshot

logger = logging.getLogger("missioncommons.opinions")

# The live event sent on the call's topic when its map changed. live/events.py
# keeps the other event names; this one should join them there (live is a leaf
# we do not edit from here), with docs/live-protocol.md and static/js/live.mjs.
OPINION_UPDATED = live_events.OPINION_UPDATED

VALUES = {Vote.AGREE: groups.AGREE, Vote.DISAGREE: groups.DISAGREE, Vote.PASS: groups.PASS}
SEED = 0  # the same votes give the same map, on every worker
POSITION_DECIMALS = 4  # a point on a map some hundred pixels wide: 4 decimals bound the stored JSON
SHARE_DECIMALS = 4  # shares shown as whole percentages; the scores that order ideas are kept whole

# ideas/polis.py names a participant's account "polis-<slug>-<Pol.is id>",
# inactive, with the id as last name as well.
POLIS_USERNAME = re.compile(r"^polis-.+-([0-9]{1,9})$")
POLIS_FIRST_NAME = "Pol.is participant"

KEY_USER = "user"  # participants keyed by user id
KEY_POLIS = "polis"  # by Pol.is participant id; an account of ours voting there is "user-<id>"

NOT_AGREE = ("This call takes {mode} votes; opinion groups need agree / disagree / pass votes, so it has no "
             "opinion map.")


@dataclass
class Outcome:
    """What `recompute` did: the stored snapshot, or why there is none."""

    call_id: int
    snapshot: OpinionSnapshot | None
    reason: str | None = None
    seconds: float = 0.0


def no_map_reason(call: ChallengeCallPage) -> str | None:
    """Why this call can have no opinion map, or None if it can."""
    if call.voting_mode == ChallengeCallPage.VOTING_AGREE:
        return None
    mode = dict(ChallengeCallPage.VOTING_CHOICES).get(call.voting_mode, call.voting_mode).lower()
    if call.voting_mode == ChallengeCallPage.VOTING_OFF:
        return "Voting is switched off for this call, so it has no opinion map."
    return NOT_AGREE.format(mode=mode)


def _participant_keys(call):
    """(key kind, {user id: Pol.is participant id}) for this call's voters.

    One query, and only for a call the Pol.is importer made: its accounts are
    inactive, named "polis-<slug>-<id>" with the id as last name (the slug is
    the one at import time, which the call's own may since have left)."""
    if not PolisImport.objects.filter(call_id=call.pk).exists():
        return KEY_USER, {}
    rows = (
        get_user_model().objects
        .filter(pk__in=Vote.objects.filter(call_id=call.pk).values("user_id"), is_active=False,
                first_name=POLIS_FIRST_NAME, username__startswith="polis-")
        .values_list("pk", "username", "last_name")
    )
    keys = {}
    for pk, username, last_name in rows:
        match = POLIS_USERNAME.match(username)
        if match and match.group(1) == last_name:
            keys[pk] = int(last_name)
    return KEY_POLIS, keys


def read_votes(call: ChallengeCallPage) -> tuple[groups.VoteArrays, frozenset[int], str]:
    """(VoteArrays, meta idea ids, key kind) of a call's public
    ideas: one query for the ideas, one for the votes (values_list, no model
    rows), one more for an imported call's Pol.is ids."""
    public = public_ideas().filter(call_id=call.pk)
    ideas = list(public.values_list("pk", "about_participant"))
    meta = frozenset(pk for pk, about in ideas if about)
    rows = list(
        Vote.objects.filter(call_id=call.pk, idea__in=public.values("pk"), value__in=list(VALUES))
        .values_list("user_id", "idea_id", "value")
    )
    kind, polis_ids = _participant_keys(call)
    if rows:
        users, idea_ids, values = zip(*rows)
    else:
        users, idea_ids, values = (), (), ()
    if kind == KEY_USER:
        participants = np.asarray(users, dtype=np.int64)
    else:
        participants = [polis_ids.get(u, f"user-{u}") for u in users]
    arrays = groups.VoteArrays(participants, np.asarray(idea_ids, dtype=np.int64),
                               np.fromiter((VALUES[v] for v in values), dtype=np.int64, count=len(values)))
    return arrays, meta, kind


def _shares(tally):
    """Raw shares with their count, and Pol.is's smoothed agree and disagree
    shares ((1 + x) / (2 + n)): what a bar of votes shows, so 6 of 6 never
    reads as more than 20 of 21."""
    n = tally["n"]
    out = {"n": n}
    for name, count in (("agree", tally["agree"]), ("disagree", tally["disagree"]), ("pass", tally["pass"])):
        out[name] = round(count / n, SHARE_DECIMALS) if n else 0.0
    out["smoothed_agree"] = round(groups.smoothed_share(tally["agree"], n), SHARE_DECIMALS)
    out["smoothed_disagree"] = round(groups.smoothed_share(tally["disagree"], n), SHARE_DECIMALS)
    return out


def snapshot_data(result: groups.OpinionMap, key_kind: str) -> dict:
    """The JSON stored for a map: ``result.as_dict()`` plus what the pages need.

    - ``positions`` rounded to 4 decimals (bounded size);
    - ``shares``: per idea (opinions and statements about the participant),
      overall and per group, raw shares with counts and smoothed shares;
    - ``most_supported``: ideas by smoothed support, beside the consensus
      order ``agreed_across_groups``;
    - ``divided``: ideas by how far apart the groups' smoothed agree shares
      are (largest gap first); empty with fewer than two groups;
    - ``key_kind``: how ``participants`` and ``positions`` are keyed."""
    data = result.as_dict()
    data["positions"] = {
        key: {"x": round(p["x"], POSITION_DECIMALS), "y": round(p["y"], POSITION_DECIMALS),
              "group": p["group"], "in_model": p["in_model"]}
        for key, p in data["positions"].items()
    }
    data["key_kind"] = key_kind
    data["shares"] = {
        sid: {"overall": _shares(t["overall"]), "groups": {g: _shares(gt) for g, gt in t["groups"].items()}}
        for sid, t in (*data["tallies"].items(), *data["meta"].items())
    }
    support = result.support
    data["most_supported"] = sorted(support, key=lambda s: (-support[s], s))
    gaps = {}
    if len(result.groups) >= 2:
        for sid in result.tallies:
            agree = [data["shares"][str(sid)]["groups"][str(g.id)]["smoothed_agree"] for g in result.groups]
            gaps[sid] = max(agree) - min(agree)
    data["divided"] = sorted(gaps, key=lambda s: (-gaps[s], s))
    data["gaps"] = {str(s): g for s, g in gaps.items()}
    return data


def _finite(value):
    return value if value is not None and math.isfinite(value) else None


def recompute(call_id: int) -> Outcome:
    """Compute and store the opinion map of one call; returns an Outcome.

    A call that is gone is nothing to do (a task queued before it was
    deleted); a call whose votes are not agree / disagree / pass has no map:
    its snapshot and consensus are cleared and the reason returned."""
    started = time.perf_counter()
    call = ChallengeCallPage.objects.filter(pk=call_id).first()
    if call is None:
        return Outcome(call_id, None, "No such call.")
    reason = no_map_reason(call)
    if reason is not None:
        with transaction.atomic():
            OpinionSnapshot.objects.filter(call_id=call.pk).delete()
            Idea.objects.filter(call_id=call.pk, consensus__isnull=False).update(consensus=None)
        return Outcome(call.pk, None, reason, time.perf_counter() - started)

    computed_at = timezone.now()  # the votes read below are those committed by now
    arrays, meta, kind = read_votes(call)
    result = groups.compute(arrays, meta=meta, seed=SEED)
    data = snapshot_data(result, kind)
    consensus = {sid: _finite(score) for sid, score in result.consensus.items()}

    with transaction.atomic():
        snapshot, _ = OpinionSnapshot.objects.update_or_create(
            call_id=call.pk,
            defaults={"computed_at": computed_at, "n_votes": result.n_votes,
                      "n_participants": result.n_participants, "data": data},
        )
        # Every idea of the call: a score for the public opinions voted on,
        # none for the rest (statements about the participant, hidden ideas).
        changed = [
            Idea(pk=pk, consensus=consensus.get(pk))
            for pk, old in Idea.objects.filter(call_id=call.pk).values_list("pk", "consensus")
            if old != consensus.get(pk)
        ]
        Idea.objects.bulk_update(changed, ["consensus"], batch_size=500)
        live_events.publish_on_commit(call_topic(call.pk), OPINION_UPDATED, {
            "call": call.pk, "computed_at": computed_at.isoformat(), "n_votes": result.n_votes,
            "n_participants": result.n_participants, "n_groups": len(result.groups), "reason": result.reason,
        })
    seconds = time.perf_counter() - started
    logger.info("opinion map of call %s: %s votes, %s participants, %s groups in %.2f s", call.pk,
                result.n_votes, result.n_participants, len(result.groups), seconds)
    return Outcome(call.pk, snapshot, result.reason, seconds)
