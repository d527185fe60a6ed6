"""Reads of a prize's panel, as plain values for the pure cores."""

from collections import defaultdict
from collections.abc import Iterator

from django.contrib.auth.models import User

from people.models import Membership

from .assignment import Application as PlainApplication
from .assignment import Assessor
from .models import Application, Conflict, PanelMember, PrizeCallPage


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


def assessor(prize_id: int, user_id: int) -> Assessor | None:
    """One panel member as the assignment core sees them, or None if not on
    the panel (three queries)."""
    member = PanelMember.objects.filter(prize_id=prize_id, user_id=user_id).values_list("pk", flat=True).first()
    if member is None:
        return None
    conflicts = list(Conflict.objects.filter(member_id=member).values_list("organisation_id", "person_id"))
    return Assessor(
        id=user_id,
        organisations=frozenset(Membership.objects.filter(user_id=user_id).values_list("organisation_id", flat=True)),
        conflict_people=frozenset(p for _o, p in conflicts if p is not None),
        conflict_organisations=frozenset(o for o, _p in conflicts if o is not None))


def as_plain(application: Application) -> PlainApplication:
    """An application as the assignment core sees it."""
    return PlainApplication(id=application.pk, applicant=application.applicant_id,
                            organisation=application.organisation_id)


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
