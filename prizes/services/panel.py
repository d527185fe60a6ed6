"""The writes of a prize's panel: appointing assessors and a chair, and an
assessor's declared conflicts. Check → write in one transaction (the
styleguide in DEVELOPERS.md); services take plain values, never the request."""

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction

from inputs.refusals import Refused, require
from people.models import Organisation

from ..models import Conflict, PanelMember, PrizeCallPage


def appoint(by: User | AnonymousUser, prize: PrizeCallPage, user: User, chair: bool = False) -> PanelMember:
    """Put `user` on the prize's panel (as its chair: the chair before moves
    to an ordinary seat)."""
    require(by, "prizes.manage_panel", prize)
    if not user.is_active:
        raise Refused("That account is closed: appoint someone else.", field="user", code="inactive")
    with transaction.atomic():
        if chair:
            PanelMember.objects.filter(prize=prize, is_chair=True).exclude(user=user).update(is_chair=False)
        member, _ = PanelMember.objects.update_or_create(prize=prize, user=user, defaults={"is_chair": chair})
    return member


def remove(by: User | AnonymousUser, prize: PrizeCallPage, user: User) -> None:
    require(by, "prizes.manage_panel", prize)
    PanelMember.objects.filter(prize=prize, user=user).delete()


def declare_conflict(by: User | AnonymousUser, prize: PrizeCallPage, organisation: Organisation | None = None,
                     person: User | None = None) -> Conflict:
    """An assessor declares a conflict with one organisation or one person
    (declaring it again changes nothing)."""
    require(by, "prizes.declare_conflict", prize)
    if (organisation is None) == (person is None):
        raise Refused("Choose one organisation or one person you have a conflict with.", field="organisation",
                      code="required")
    member = PanelMember.objects.get(prize=prize, user=by)
    with transaction.atomic():
        conflict, _ = Conflict.objects.get_or_create(member=member, organisation=organisation, person=person)
    return conflict
