"""Reads of a prize's panel, as plain values for the pure cores."""

from collections import defaultdict
from collections.abc import Iterator

from django.contrib.auth.models import User

from people.models import Membership

from .assignment import Assessor
from .models import Conflict, PanelMember, PrizeCallPage


def panel(prize: PrizeCallPage) -> list[Assessor]:
    """The prize's assessors with the organisations they belong to and the
    conflicts they declared (prizes/assignment.py), in three queries."""
    members = list(PanelMember.objects.filter(prize=prize).order_by("pk").values_list("pk", "user_id"))
    users = [user for _pk, user in members]
    organisations = defaultdict(set)
    for user, organisation in Membership.objects.filter(user_id__in=users).values_list("user_id", "organisation_id"):
        organisations[user].add(organisation)
    people, orgs = defaultdict(set), defaultdict(set)
    for member, organisation, person in Conflict.objects.filter(member__prize=prize).values_list(
            "member_id", "organisation_id", "person_id"):
        if organisation is not None:
            orgs[member].add(organisation)
        if person is not None:
            people[member].add(person)
    return [Assessor(id=user, organisations=frozenset(organisations[user]), conflict_people=frozenset(people[pk]),
                     conflict_organisations=frozenset(orgs[pk])) for pk, user in members]


def chair(prize: PrizeCallPage) -> int | None:
    """The chair's user id, or None."""
    return PanelMember.objects.filter(prize=prize, is_chair=True).values_list("user_id", flat=True).first()


def data_rows(user: User) -> Iterator[dict]:
    """A person's seats on prize panels and the conflicts they declared, for
    their data download (people/data_rights.py)."""
    for member in PanelMember.objects.filter(user=user).select_related("prize").prefetch_related(
            "conflicts__organisation").order_by("pk"):
        yield {
            "prize": member.prize.title, "chair": member.is_chair, "appointed_at": member.appointed_at,
            "conflicts": [{"organisation": c.organisation.name if c.organisation else None,
                           "person": c.person_id, "declared_at": c.declared_at} for c in member.conflicts.all()],
        }
