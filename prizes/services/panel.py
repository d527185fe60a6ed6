"""The writes of a prize's panel: appointing assessors and a chair, and an
assessor's declared conflicts. Check → write in one transaction (the
styleguide in DEVELOPERS.md); services take plain values, never the request."""

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from wagtail.models import Page

from consult.models import MissionMembership, mission_of
from inputs.refusals import Refused, require
from notifications.models import Kind
from notifications.services import notify
from people.models import Organisation
from people.names import display_name

from .. import selectors
from ..models import Conflict, PanelMember, PrizeCallPage


def appoint(by: User | AnonymousUser, prize: PrizeCallPage, user: User, chair: bool = False) -> PanelMember:
    """Put `user` on the prize's panel (as its chair: the chair before moves
    to an ordinary seat)."""
    require(by, "prizes.manage_panel", prize)
    if not user.is_active:
        raise Refused("That account is closed: appoint someone else.", field="user", code="inactive")
    with transaction.atomic():
        before = PanelMember.objects.filter(prize=prize, user=user).values_list("is_chair", flat=True).first()
        if chair:
            PanelMember.objects.filter(prize=prize, is_chair=True).exclude(user=user).update(is_chair=False)
        member, _ = PanelMember.objects.update_or_create(prize=prize, user=user, defaults={"is_chair": chair})
        # The seat is a role on the prize's mission (consult's roles list it;
        # it grants nothing there).
        MissionMembership.objects.get_or_create(mission=mission_of(prize), user=user,
                                                role=MissionMembership.ROLE_ASSESSOR)
        if before is None or (chair and not before):
            _tell_appointed(prize, user, chair, new=before is None)
    return member


def _tell_appointed(prize, user, chair, new):
    """In the site's list (and by email, as they chose for the teams'
    alerts): in the write's transaction, sent after the commit."""
    what = "the chair of the panel" if chair else "an assessor on the panel"
    notify([user.pk], Kind.TEAM, title=f"You are {what} of {prize.title}",
           excerpt=("The mission team appointed you. Declare any conflicts of interest (organisations or people) "
                    "before applications are assigned: you will not be asked to assess applications from them.")
           if new else "The mission team made you the panel's chair: you can reassign applications and moderate scores.",
           link=(Page.get_url(prize) or "") + "panel/conflicts/")


def remove(by: User | AnonymousUser, prize: PrizeCallPage, user: User) -> None:
    """Take `user` off the panel, with their declared conflicts. Refused
    while they have applications to assess (the chair reassigns them
    first); the assessments they submitted stay on the sheet."""
    require(by, "prizes.manage_panel", prize)
    with transaction.atomic():
        waiting = selectors.outstanding(prize.pk, user.pk)
        if waiting:
            them = "1 application" if waiting == 1 else f"{waiting} applications"
            raise Refused(f"{display_name(user)} has {them} still to assess: have the chair reassign "
                          f"{'it' if waiting == 1 else 'them'} first, then remove them.", status=409,
                          code="has_assignments")
        PanelMember.objects.filter(prize=prize, user=user).delete()
        mission = mission_of(prize)
        if not PanelMember.objects.filter(user=user, prize__path__startswith=mission.path).exists():
            MissionMembership.objects.filter(mission=mission, user=user, role=MissionMembership.ROLE_ASSESSOR).delete()


def declare_conflict(by: User | AnonymousUser, prize: PrizeCallPage, organisation: Organisation | None = None,
                     person: User | None = None) -> Conflict:
    """An assessor declares a conflict with one organisation or one person
    (declaring it again changes nothing)."""
    require(by, "prizes.declare_conflict", prize)
    if (organisation is None) == (person is None):
        raise Refused("Choose one organisation or one person you have a conflict with.", field="organisation",
                      code="required")
    if person is not None and person.pk == by.pk:
        raise Refused("You cannot have a conflict with yourself: you are never asked to assess your own application.",
                      field="person", code="invalid")
    member = PanelMember.objects.get(prize=prize, user=by)
    with transaction.atomic():
        conflict, _ = Conflict.objects.get_or_create(member=member, organisation=organisation, person=person)
    return conflict


def withdraw_conflict(by: User | AnonymousUser, prize: PrizeCallPage, conflict_id: int) -> None:
    """An assessor withdraws a conflict they declared, only while they have
    no application of the prize assigned: once assessing has started, the
    declarations are the record of a fair assessment and stay."""
    require(by, "prizes.declare_conflict", prize)
    with transaction.atomic():
        conflict = Conflict.objects.filter(pk=conflict_id, member__prize=prize, member__user=by).first()
        if conflict is None:
            raise Refused("No such conflict of yours.", status=404, code="not_found")
        if selectors.has_assignments(prize, by):
            raise Refused("You have applications assigned, so your declared conflicts stay: "
                          "ask the mission team if one was made in error.", status=409, code="assigned")
        conflict.delete()
