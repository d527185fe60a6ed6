"""The team's writes for the published response (asked through
`consultations.analyse`), and the moderators' decisions on published
responses (`consultations.moderate_responses`), each written to the
mission's moderation audit log beside the decisions on ideas."""

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from consult.models import mission_of
from ideas.models import Visibility
from inputs.refusals import Refused, require
from moderation.models import ModerationAction
from moderation.services import about

from ..models import ConsultationPage, GovernmentResponse, QuestionResponse, Response

TEXT_MAX = 5000
ACTIONS = {"approve": (ModerationAction.Kind.APPROVE, Visibility.PUBLISHED),
           "hide": (ModerationAction.Kind.HIDE, Visibility.HIDDEN),
           "restore": (ModerationAction.Kind.RESTORE, Visibility.PUBLISHED)}
FROM_STATES = {"approve": {Visibility.PENDING, Visibility.HELD}, "hide": {Visibility.PENDING, Visibility.HELD,
                                                                           Visibility.PUBLISHED},
               "restore": {Visibility.HIDDEN}}


def _text(value, field, label):
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        raise Refused(f"{label} must be {TEXT_MAX} characters or fewer.", field=field, status=400, code="invalid")
    return value


def save_response(user: User | AnonymousUser, consultation: ConsultationPage, introduction: str,
                  answers: dict[str, tuple[str, str]], publish: bool = False) -> GovernmentResponse:
    """Keep what the team heard and will do, per question ({question id:
    (summary, decision)}); `publish` makes it public (from now on, edits
    show at once)."""
    require(user, "consultations.analyse", consultation)
    known = {q.id for q in consultation.question_list()}
    unknown = set(answers) - known
    if unknown:
        raise Refused("No such question.", field="question", status=400, code="invalid")
    introduction = _text(introduction, "introduction", "The introduction")
    cleaned = {q: (_text(s, f"summary-{q}", "What you heard"), _text(d, f"decision-{q}", "What you will do"))
               for q, (s, d) in answers.items()}
    with transaction.atomic():
        found, _ = GovernmentResponse.objects.select_for_update().get_or_create(consultation=consultation)
        found.introduction = introduction
        if publish and found.published_at is None:
            found.published_at = timezone.now()
        found.save()
        for question, (summary, decision) in cleaned.items():
            QuestionResponse.objects.update_or_create(consultation=consultation, question=question,
                                                      defaults={"summary": summary, "decision": decision})
    return found


def unpublish_response(user: User | AnonymousUser, consultation: ConsultationPage) -> None:
    require(user, "consultations.analyse", consultation)
    GovernmentResponse.objects.filter(consultation=consultation).update(published_at=None)


def moderate_response(user: User | AnonymousUser, consultation: ConsultationPage, response_id: int | None,
                      action: str, reason: str = "") -> Response:
    """Approve a response for publication, hide it (with a reason the
    public sees) or restore it; written to the mission's audit log."""
    require(user, "consultations.moderate_responses", consultation)
    if action not in ACTIONS:
        raise Refused("Choose approve, hide or restore.", field="action", status=400, code="invalid_choice")
    reason = (reason or "").strip()[:255]
    if action == "hide" and not reason:
        raise Refused("Say why it is hidden.", field="reason", status=400, code="required")
    kind, state = ACTIONS[action]
    with transaction.atomic():
        response = (Response.objects.select_for_update().filter(pk=response_id, consultation_id=consultation.pk,
                                                                status=Response.SUBMITTED).first())
        if response is None or response.publish == Response.PUBLISH_NONE:
            raise Refused("No such response.", field="response", status=404, code="not_found")
        if response.visibility not in FROM_STATES[action]:
            raise Refused(f"This response is {response.get_visibility_display().lower()}.", status=409,
                          code="wrong_state")
        before = {"visibility": response.visibility, "reason": response.moderation_reason}
        response.visibility = state
        response.moderation_reason = reason if action == "hide" else ""
        response.save(update_fields=["visibility", "moderation_reason", "updated_at"])
        ModerationAction.objects.create(
            mission=mission_of(consultation), moderator=user, kind=kind, **about(response),
            subject=response.respondent, reason_text=reason, before=before,
            after={"visibility": response.visibility, "reason": response.moderation_reason})
    return response
