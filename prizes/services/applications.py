"""An applicant's writes: saving a draft of the open stage's answers and
submitting it. Check (the `prizes.apply` rule: the stage clock) → write in
one transaction. A draft may be incomplete but never over a word limit;
submitting needs every answer, before the stage closes."""

from collections.abc import Mapping

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from inputs.refusals import Refused, require
from people.models import Membership, Organisation

from ..applying import answer_errors
from ..models import Answer, Application, PrizeCallPage
from ..rules import open_stage


class AnswersRefused(Refused):
    """Refused with what is wrong with each answer ({question id: message})."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), field=next(iter(errors)), code="invalid_answers")
        self.errors = errors


def _organisation(user, organisation_id):
    if organisation_id in (None, ""):
        return None
    organisation = Organisation.objects.filter(pk=organisation_id, memberships__user=user).first()
    if organisation is None:
        raise Refused("Choose an organisation you belong to, or apply as yourself.", field="organisation",
                      code="invalid_choice")
    return organisation


def save_draft(user: User | AnonymousUser, prize: PrizeCallPage, answers: Mapping[str, str],
               organisation_id: int | None = None) -> Application:
    """Keep the answers given so far for the stage open now (only its
    questions; a blank answer clears one)."""
    require(user, "prizes.apply", prize)
    stage, _index = open_stage(prize)
    answers = {q.id: (answers.get(q.id) or "").replace("\x00", "").strip() for q in stage.questions}
    errors = answer_errors(stage, answers, complete=False)
    if errors:
        raise AnswersRefused(errors)
    organisation = _organisation(user, organisation_id)
    with transaction.atomic():
        application, _created = Application.objects.select_for_update().get_or_create(
            prize=prize, applicant=user, defaults={"stage": stage.id, "organisation": organisation})
        if application.status == Application.SUBMITTED and application.stage == stage.id:
            raise Refused("You have submitted this stage's answers: they can no longer change.", status=409,
                          code="already_submitted")
        application.organisation = organisation
        application.stage = stage.id
        application.status = Application.DRAFT
        application.save(update_fields=["organisation", "stage", "status", "updated_at"])
        for question, text in answers.items():
            Answer.objects.update_or_create(application=application, question=question,
                                            defaults={"stage": stage.id, "text": text})
    return application


def submit(user: User | AnonymousUser, prize: PrizeCallPage) -> Application:
    """Submit the draft for the stage open now: every question answered,
    each within its limit, before the stage closes (the rule's clock)."""
    require(user, "prizes.apply", prize)
    stage, _index = open_stage(prize)
    with transaction.atomic():
        application = Application.objects.select_for_update().filter(prize=prize, applicant=user).first()
        if application is None:
            raise Refused("Save your answers first.", status=409, code="no_draft")
        if application.status == Application.SUBMITTED and application.stage == stage.id:
            raise Refused("You have submitted this stage's answers already.", status=409, code="already_submitted")
        if application.organisation_id and not Membership.objects.filter(
                user=user, organisation_id=application.organisation_id).exists():
            raise Refused("You no longer belong to the organisation you applied for: choose again.",
                          field="organisation", code="invalid_choice")
        given = dict(application.answers.filter(stage=stage.id).values_list("question", "text"))
        errors = answer_errors(stage, given, complete=True)
        if errors:
            raise AnswersRefused(errors)
        application.status = Application.SUBMITTED
        application.submitted_at = timezone.now()
        application.save(update_fields=["status", "submitted_at", "updated_at"])
    return application
