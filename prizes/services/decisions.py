"""The panel sheet's writes: the chair's moderated score, the team's
decisions and feedback, and publishing a stage's results. Check (the rules
in prizes/rules.py) → write in one transaction → side effects on commit
(the audit log entry is part of the write; emails and live events after).
The method is prizes/decisions.py's; services take plain values."""

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from consult.models import mission_of
from inputs.refusals import Refused, require
from moderation.services import log_moderated_score
from live.fragments import bump_site

from .. import decisions, stages, tasks
from ..models import Application, PrizeCallPage, PublishedStage, StageResult
from ..results import stage_comments
from .assessments import refresh_result


class FeedbackRefused(Refused):
    """Refused with what is wrong with each criterion's feedback."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), field=next(iter(errors)), code="invalid_feedback")
        self.errors = errors


def _stage(prize, stage_id) -> tuple[stages.Stage, stages.Stage | None]:
    found = prize.stages()
    for place, stage in enumerate(found):
        if stage.id == stage_id:
            return stage, found[place + 1] if place + 1 < len(found) else None
    raise Refused("That stage is no longer part of this prize.", status=409, code="no_stage")


def _not_published(prize, stage_id):
    if PublishedStage.objects.filter(prize=prize, stage=stage_id).exists():
        raise Refused("This stage's results are published: its decisions can no longer change.", status=409,
                      code="published")


def _result(prize, application) -> StageResult:
    result = StageResult.objects.select_for_update().filter(
        prize=prize, application=application, stage=application.stage).first()
    if result is None:
        raise Refused("This application has not been assigned to assessors at this stage.", status=409,
                      code="not_assessed")
    return result


def moderate(chair: User | AnonymousUser, prize: PrizeCallPage, application: Application, score: float | None,
             reason: str) -> StageResult:
    """The chair records a moderated score (0–100) that then stands for the
    application, or clears it (None) to return to the assessors' mean; the
    reason is required and goes to the mission's audit log."""
    require(chair, "prizes.moderate_score", prize)
    reason = (reason or "").replace("\x00", "").strip()
    if score is not None and not 0 <= score <= 100:
        raise Refused("Give a moderated score from 0 to 100.", field="score", code="out_of_range")
    if len(reason) < 10:
        raise Refused("Say why the score is moderated, in at least 10 characters: it goes to the audit log.",
                      field="reason", code="required")
    if len(reason) > 500:
        raise Refused("Give the reason in 500 characters or fewer.", field="reason", code="too_long")
    _not_published(prize, application.stage)
    with transaction.atomic():
        result = _result(prize, application)
        before = result.moderated
        result.moderated = None if score is None else round(float(score), 2)
        result.moderated_reason = reason
        result.save(update_fields=["moderated", "moderated_reason", "updated_at"])
        result = refresh_result(application, application.stage)
        log_moderated_score(chair, mission_of(prize), result, application.applicant, reason, before, result.moderated)
    return result


def decide(by: User | AnonymousUser, prize: PrizeCallPage, application_ids: Iterable[int], decision: str,
           award: str = "") -> int:
    """Record the team's decision for these applications of their current
    stage (it takes effect when the stage's results are published).
    Returns how many were decided."""
    require(by, "prizes.decide", prize)
    award = (award or "").replace("\x00", "").strip()
    try:
        ids = sorted({int(pk) for pk in application_ids})
    except (TypeError, ValueError):
        raise Refused("Choose applications from the sheet.", field="applications", code="invalid_choice") from None
    if not ids:
        raise Refused("Choose at least one application.", field="applications", code="required")
    with transaction.atomic():
        results = list(StageResult.objects.select_for_update().filter(
            prize=prize, application_id__in=ids).select_related("application"))
        results = [r for r in results if r.stage == r.application.stage]
        if len(results) != len(ids):
            raise Refused("Some of those applications are not on this stage's sheet.", field="applications",
                          code="invalid_choice")
        for stage_id in {r.stage for r in results}:
            _not_published(prize, stage_id)
            _stage_found, following = _stage(prize, stage_id)
            error = decisions.decision_error(decision, award, following is not None)
            if error:
                raise Refused(error[1], field=error[0], code="invalid_decision")
        for result in results:
            result.decision = decision
            result.award = award if decision == decisions.AWARDED else ""
        StageResult.objects.bulk_update(results, ["decision", "award", "updated_at"])
    return len(results)


def feedback_draft(prize: PrizeCallPage, result: StageResult, comments: Mapping[str, list[str]]) -> dict[str, str]:
    """The feedback the team starts from: what it saved, else the assessors'
    comments by criterion (prizes/decisions.py)."""
    stage, _next = _stage(prize, result.stage)
    criteria = [(c.id, c.name) for c in stage.criteria]
    draft = decisions.draft_feedback(criteria, comments)
    return {c: result.feedback.get(c) or draft[c] for c, _name in criteria}


def save_feedback(by: User | AnonymousUser, prize: PrizeCallPage, application: Application,
                  feedback: Mapping[str, str]) -> StageResult:
    """The team's edited feedback on each published criterion (all of them,
    each within 5,000 characters), before the results are published."""
    require(by, "prizes.decide", prize)
    stage, _next = _stage(prize, application.stage)
    criteria = [(c.id, c.name) for c in stage.criteria]
    cleaned = {c: (feedback.get(c) or "").replace("\x00", "").strip() for c, _name in criteria}
    errors = decisions.feedback_error(cleaned, criteria)
    if errors:
        raise FeedbackRefused(errors)
    _not_published(prize, application.stage)
    with transaction.atomic():
        result = _result(prize, application)
        result.feedback = cleaned
        result.save(update_fields=["feedback", "updated_at"])
    return result


def publication_rows(prize: PrizeCallPage, stage_id: str) -> list[decisions.Row]:
    """The stage's sheet as publication sees it (one query)."""
    return [decisions.Row(reference=f"P{prize.pk}-{app}", assigned=assigned, assessed=assessed, decision=decision)
            for app, assigned, assessed, decision in StageResult.objects.filter(prize=prize, stage=stage_id)
            .order_by("application_id").values_list("application_id", "assigned", "assessed", "decision")]


def publish(by: User | AnonymousUser, prize: PrizeCallPage, stage_id: str, confirmed: bool = False) -> PublishedStage:
    """Publish a stage's results. With assessments outstanding or
    applications undecided, refuses (409, code "confirm") saying which,
    unless `confirmed`. Then, in one transaction: undecided applications are
    not taken forward, advanced ones move into the next stage (a draft of
    its questions), the stage is marked published. After the commit each
    applicant is emailed their outcome and feedback."""
    require(by, "prizes.decide", prize)
    stage, following = _stage(prize, stage_id)
    _not_published(prize, stage_id)
    if not confirmed:
        found = decisions.warnings(publication_rows(prize, stage_id))
        if found:
            raise Refused(" ".join(found), status=409, code="confirm")
    with transaction.atomic():
        results = list(StageResult.objects.select_for_update().filter(prize=prize, stage=stage_id))
        criteria = [(c.id, c.name) for c in stage.criteria]
        comments = stage_comments(prize, stage_id)
        for result in results:
            result.decision = decisions.on_publication(result.decision)
            if result.decision != decisions.AWARDED:
                result.award = ""
            # Feedback the team did not edit goes as the assessors wrote it.
            draft = decisions.draft_feedback(criteria, comments.get(result.application_id, {}))
            result.feedback = {c: result.feedback.get(c) or draft[c] for c, _name in criteria}
        StageResult.objects.bulk_update(results, ["decision", "award", "feedback", "updated_at"])
        advanced = [r.application_id for r in results if r.decision == decisions.ADVANCED]
        if advanced and following is not None:
            Application.objects.filter(pk__in=advanced).update(
                stage=following.id, status=Application.DRAFT, submitted_at=None, updated_at=timezone.now())
        published = PublishedStage.objects.create(prize=prize, stage=stage_id, published_by=by)
        # One email each, whatever their notification settings: an
        # applicant's result is the answer to what they asked, not news.
        ids = [r.pk for r in results]
        transaction.on_commit(lambda: tasks.send_feedback_emails(ids))
        transaction.on_commit(bump_site)
    return published
