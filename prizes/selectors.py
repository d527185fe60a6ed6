"""Reads of a prize's panel, as plain values for the pure cores."""

from collections import defaultdict
from collections.abc import Iterator

from django.contrib.auth.models import User
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower

from people.models import Membership, Organisation

from .assignment import Application as PlainApplication
from .assignment import Assessor
from .models import Answer, Application, Assignment, Attachment, Conflict, PanelMember, PrizeCallPage, Score


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


def outstanding(prize_id: int, user_id: int) -> int:
    """How many of the prize's applications the person is assigned and has
    not yet assessed (removing them from the panel waits for these)."""
    return Assignment.objects.filter(application__prize_id=prize_id, assessor_id=user_id,
                                     submitted_at__isnull=True).count()


# --- the panel's screens (prizes/panel_views.py) ------------------------------

def panel_rows(prize: PrizeCallPage) -> list[dict]:
    """The panel as the team's page lists it, chair first: each member with
    their profile, declared conflicts (organisation or person, loaded) and
    applications assigned and still to assess, in three queries whatever
    the panel's size."""
    members = list(PanelMember.objects.filter(prize=prize).select_related("user__profile")
                   .order_by("-is_chair", "appointed_at", "pk"))
    conflicts = defaultdict(list)
    for conflict in Conflict.objects.filter(member__prize=prize).select_related(
            "organisation", "person__profile").order_by("declared_at", "pk"):
        conflicts[conflict.member_id].append(conflict)
    work = {row["assessor_id"]: row for row in Assignment.objects.filter(application__prize=prize).values(
        "assessor_id").annotate(assigned=Count("pk"), waiting=Count("pk", filter=Q(submitted_at__isnull=True)))}
    return [{"member": m, "user": m.user, "conflicts": conflicts[m.pk],
             "assigned": work.get(m.user_id, {}).get("assigned", 0),
             "waiting": work.get(m.user_id, {}).get("waiting", 0)} for m in members]


def own_conflicts(prize: PrizeCallPage, user: User) -> list[Conflict]:
    """The conflicts this assessor declared on this prize, oldest first."""
    return list(Conflict.objects.filter(member__prize=prize, member__user=user).select_related(
        "organisation", "person__profile").order_by("declared_at", "pk"))


def has_assignments(prize: PrizeCallPage, user: User) -> bool:
    """Whether the person has any of the prize's applications assigned
    (their declared conflicts then stay)."""
    return Assignment.objects.filter(application__prize=prize, assessor=user).exists()


def accounts_matching(text: str) -> list[User]:
    """Accounts whose email address or username is `text` (any case): at
    most a few; the caller says which it wanted."""
    text = text.strip()
    if not text:
        return []
    return list(User.objects.filter(Q(email__iexact=text) | Q(username__iexact=text)).select_related(
        "profile").order_by("pk")[:5])


def people_matching(text: str) -> list[User]:
    """Active accounts with this email address, username or display name
    (any case), for declaring a conflict with a person."""
    text = text.strip()
    if not text:
        return []
    return list(User.objects.filter(
        Q(email__iexact=text) | Q(username__iexact=text)
        | Q(profile__display_name__iexact=text, profile__deleted_at__isnull=True), is_active=True,
    ).select_related("profile").distinct().order_by("pk")[:5])


def organisations_matching(text: str) -> list[Organisation]:
    """Organisations with this name (any case: the name index) or this
    slug, the last part of the organisation's page address."""
    text = text.strip()
    if not text:
        return []
    return list(Organisation.objects.annotate(lower_name=Lower("name")).filter(
        Q(lower_name=text.lower()) | Q(slug=text.lower())).order_by("name", "pk")[:5])


# --- assessing (prizes/assess_views.py) -----------------------------------------

def assessor_work(prize: PrizeCallPage, user_id: int) -> QuerySet:
    """An assessor's assignments on a prize, those to do first, newest
    first, each with its application and how many criteria are scored (a
    draft), one query a page. The applicant and their organisation are
    loaded only when the prize is not blind."""
    rows = Assignment.objects.filter(application__prize=prize, assessor_id=user_id).annotate(
        scored=Count("scores")).order_by(F("submitted_at").asc(nulls_first=True), "-assigned_at", "-pk")
    if prize.blind:
        return rows.select_related("application")
    return rows.select_related("application__organisation", "application__applicant__profile")


def answers_by_stage(application_id: int) -> dict[str, dict[str, str]]:
    """{stage id: {question id: answer}} of an application, one query."""
    found = defaultdict(dict)
    for stage, question, text in Answer.objects.filter(application_id=application_id).values_list(
            "stage", "question", "text"):
        found[stage][question] = text
    return dict(found)


def attachments_shown(application_id: int) -> list[Attachment]:
    """The application's files that may be opened: scanned clean, or not
    scanned where no scanner is configured; never one waiting or refused."""
    return list(Attachment.objects.filter(application_id=application_id, scan__in=[
        Attachment.CLEAN, Attachment.UNSCANNED]).order_by("pk"))


def score_sheets(application_id: int, stage_id: str) -> list[dict]:
    """Every assessor's sheet of the application at the stage, in the order
    they were assigned: {"assignment", "assessor", "submitted_at", "scores":
    {criterion id: (value, comment)}}. Two queries. Assessors' identities
    and scores are the panel's: never shown to the public."""
    sheets = {pk: {"assignment": pk, "assessor": assessor, "submitted_at": at, "scores": {}}
              for pk, assessor, at in Assignment.objects.filter(
                  application_id=application_id, stage=stage_id).order_by("pk").values_list(
                  "pk", "assessor_id", "submitted_at")}
    for assignment, criterion, value, comment in Score.objects.filter(assignment_id__in=list(sheets)).values_list(
            "assignment_id", "criterion", "value", "comment"):
        sheets[assignment]["scores"][criterion] = (value, comment)
    return list(sheets.values())


def panel_users(prize: PrizeCallPage) -> dict[int, User]:
    """The panel's accounts by id, with their profiles (for their names), one query."""
    return {u.pk: u for u in User.objects.filter(prize_panels__prize=prize).select_related("profile").order_by("pk")}
