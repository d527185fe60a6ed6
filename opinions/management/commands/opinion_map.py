"""manage.py opinion_map CALL_SLUG [--json]: recompute a call's opinion map now
(in this process, not the worker), store it as the worker would, and print it.

With --json, exactly::

    {"groups": [{"id": 0, "size": 98, "representative": [<idea id>, ...]}, ...],
     "participants": {"<participant key>": <group id or null>, ...},
     "consensus": {"<idea id>": <score>, ...}}

The participant key is the user id, or for a conversation imported from
Pol.is the participant's Pol.is id, so the groups compare with the export's
own `group-id` column (docs/opinion-map.md). Open results pages update live,
through the relay table on the embedded default (live/relay.py)."""

import json

from django.core.management.base import BaseCommand, CommandError

from consult.models import ChallengeCallPage
from live import relay

from ... import services


def command_output(data):
    """The --json document from a snapshot's data."""
    return {
        "groups": [
            {"id": g["id"], "size": g["size"], "representative": [r["statement"] for r in g["representative"]]}
            for g in data.get("groups", [])
        ],
        "participants": dict(data.get("participants", {})),
        "consensus": dict(data.get("consensus", {})),
    }


class Command(BaseCommand):
    help = ("Recompute a call's opinion map (opinion groups, representative ideas, group-informed consensus) "
            "and print it; --json prints {groups, participants, consensus}.")

    def add_arguments(self, parser):
        parser.add_argument("call_slug", help="slug of the challenge call")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the map as JSON")

    def handle(self, *args, call_slug, as_json=False, **options):
        calls = list(ChallengeCallPage.objects.filter(slug=call_slug).order_by("path")[:2])
        if not calls:
            raise CommandError(f"No challenge call with the slug {call_slug!r}.")
        if len(calls) > 1:
            raise CommandError(f"More than one call has the slug {call_slug!r} (under different missions): "
                               "rename one of them.")
        # This process serves no sockets: on the embedded default the
        # opinion.updated event reaches open pages through the relay table.
        with relay.as_publisher():
            outcome = services.recompute(calls[0].pk)
        if outcome.snapshot is None:
            raise CommandError(f"{calls[0].title}: {outcome.reason}")
        data = outcome.snapshot.data
        if as_json:
            self.stdout.write(json.dumps(command_output(data), ensure_ascii=False))
            return
        self._summary(calls[0], outcome)

    def _summary(self, call, outcome):
        snapshot, data = outcome.snapshot, outcome.snapshot.data
        titles = dict(call.ideas.values_list("pk", "title"))
        write = self.stdout.write
        write(f"{call.title} ({call.slug}): {snapshot.n_votes} votes from {snapshot.n_participants} participants, "
              f"{data['n_in_model']} of them with enough votes to shape the groups; "
              f"computed in {outcome.seconds:.2f} s.")
        if data.get("reason"):
            write(f"No groups: {data['reason']}.")
        for group in data["groups"]:
            placed = f" (+{group['n_placed']} placed)" if group.get("n_placed") else ""
            write(f"\nGroup {group['id']}: {group['size']} participants{placed}. What sets it apart:")
            for r in group["representative"]:
                inside = r["inside"]
                write(f"  - {r['direction']:8} {inside[r['direction']]}/{inside['n']} inside, "
                      f"{r['outside']['shares'][r['direction']]:.0%} outside: "
                      f"{titles.get(r['statement'], r['statement'])}")
        write("\nAgreed across groups (group-informed consensus):")
        for sid in data["agreed_across_groups"][:10]:
            write(f"  {data['consensus'][str(sid)]:.3f}  {titles.get(sid, sid)}")
        if data.get("meta"):
            write(f"\n{len(data['meta'])} statement(s) about the participant, left out of the groups and consensus.")
