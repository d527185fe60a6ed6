"""The panel's work: assigning a stage's applications to assessors, the
chair moving an assignment, an assessor's score sheet (a draft, then
submitted), and each application's row on the panel sheet (StageResult)
recomputed from the submitted sheets. Check → write in one transaction →
live events after the commit (the styleguide in DEVELOPERS.md); plain
values in, never the request.

What assessors see of each other: nothing until their own sheet is
submitted, then the others' scores and comments without their names
(prizes/assess_views.py). Live events carry ids and counts only: an
assessor's own topic (user:<id>) hears that applications were assigned to
them; the sheet's topic (sheet:<prize id>, the chair and the team) hears
that assignments or scores changed, never who scored or what."""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from inputs.refusals import Refused, require
from live import events as live_events
from live.topics import sheet_topic, user_topic

from .. import scoring, selectors
from ..assignment import Application as PlainApplication
from ..assignment import Plan, assign, conflicted, shortfall_message
from ..models import Application, Assignment, PrizeCallPage, Score, StageResult
from ..stages import PublishedCriterion, Stage

MAX_COMMENT = 2_000  # characters per criterion's comment


# --- which stage ------------------------------------------------------------------

def stage_to_assess(prize: PrizeCallPage, stage_id: str | None = None) -> Stage:
    """The stage named, or else the one being assessed now: the stage open
    now (applications are assessed as they arrive), or else the last one to
    have closed (its assessment is under way before the next opens)."""
    found = prize.stages()
    if stage_id:
        stage = next((s for s in found if s.id == stage_id), None)
        if stage is None:
            raise Refused("Choose one of this prize's stages.", field="stage", code="invalid_choice")
        return stage
    now = timezone.now()
    started = [s for s in found if s.opens <= now]
    if not started:
        raise Refused("No stage of this prize has opened yet: there is nothing to assess.", status=409,
                      code="not_started")
    return started[-1]


def stage_of(prize: PrizeCallPage, stage_id: str) -> Stage | None:
    return next((s for s in prize.stages() if s.id == stage_id), None)


# --- assigning --------------------------------------------------------------------

@dataclass
class AssignmentRun(Plan):
    """The plan (prizes/assignment.py) of one run, with what it stored: how
    many assignments are new and what to tell the team of the shortfall."""

    stage: Stage | None = None
    made: int = 0
    message: str = ""


def _publish_assigned(prize_id: int, stage_id: str, per_assessor: Mapping[int, int], removed: Mapping[int, int]):
    def send():
        for assessor, count in per_assessor.items():
            live_events.publish(user_topic(assessor), live_events.ASSIGNMENT_ADDED, {"prize": prize_id, "count": count})
        for assessor, count in removed.items():
            live_events.publish(user_topic(assessor), live_events.ASSIGNMENT_REMOVED,
                                {"prize": prize_id, "count": count})
        total = sum(per_assessor.values()) + sum(removed.values())
        if total:
            live_events.publish(sheet_topic(prize_id), live_events.SHEET_ASSIGNED,
                                {"stage": stage_id, "assignments": total})
    transaction.on_commit(send)


def assign_stage(by: User | AnonymousUser, prize: PrizeCallPage, stage_id: str | None = None) -> AssignmentRun:
    """Give each submitted application of the stage its assessors
    (the stage's number, 3 by default), none with a conflict, keeping the
    assignments already made: running it again fills only the gaps. An
    assignment of someone no longer on the panel who had not submitted is
    withdrawn and refilled. Where the panel is too small, every assignment
    that can be made is made and `message` says how many are missing and
    for which applications."""
    require(by, "prizes.assign", prize)
    stage = stage_to_assess(prize, stage_id)
    with transaction.atomic():
        # One run at a time per prize (PostgreSQL): two would both fill the same gap.
        PrizeCallPage.objects.select_for_update().filter(pk=prize.pk).values_list("pk").first()
        rows = list(Application.objects.filter(prize=prize, stage=stage.id, status=Application.SUBMITTED)
                    .order_by("pk").values_list("pk", "applicant_id", "organisation_id"))
        if not rows:
            raise Refused(f"No applications have been submitted to {stage.name} yet.", status=409,
                          code="nothing_to_assign")
        panel = selectors.panel(prize)
        if not panel:
            raise Refused("The panel has no assessors yet: appoint them first.", status=409, code="no_panel")
        on_panel = {a.id for a in panel}
        applications = [PlainApplication(id=pk, applicant=applicant, organisation=organisation)
                        for pk, applicant, organisation in rows]
        ids = [a.id for a in applications]
        existing, stale = defaultdict(list), []
        for pk, application, assessor, submitted in Assignment.objects.filter(
                application_id__in=ids, stage=stage.id).order_by("pk").values_list(
                "pk", "application_id", "assessor_id", "submitted_at"):
            if assessor in on_panel or submitted is not None:
                existing[application].append(assessor)
            else:
                stale.append((pk, assessor))
        plan = assign(applications, panel, stage.assessors, existing)
        new = [Assignment(application_id=app, stage=stage.id, assessor_id=assessor)
               for app, assessors in plan.assigned.items() for assessor in assessors
               if assessor not in existing.get(app, ())]
        if stale:
            Assignment.objects.filter(pk__in=[pk for pk, _a in stale]).delete()
        Assignment.objects.bulk_create(new)
        assigned = Counter(dict.fromkeys(ids, 0))
        assigned.update(Assignment.objects.filter(application_id__in=ids, stage=stage.id)
                        .values_list("application_id", flat=True))
        _store_assigned_counts(prize, stage.id, assigned)
        _publish_assigned(prize.pk, stage.id, Counter(a.assessor_id for a in new),
                          Counter(assessor for _pk, assessor in stale))
    references = {pk: f"P{prize.pk}-{pk}" for pk in ids}
    return AssignmentRun(assigned=plan.assigned, shortfall=plan.shortfall, load=plan.load, stage=stage,
                         made=len(new), message=shortfall_message(plan, references))


def _store_assigned_counts(prize, stage_id, assigned: Mapping[int, int]):
    """Each application's row on the sheet, made if missing, with its
    number of assessors (bulk: two queries whatever the number)."""
    now = timezone.now()
    rows = {r.application_id: r for r in StageResult.objects.filter(application_id__in=list(assigned), stage=stage_id)}
    changed = []
    for application, count in assigned.items():
        row = rows.get(application)
        if row is not None and row.assigned != count:
            row.assigned, row.updated_at = count, now
            changed.append(row)
    if changed:
        StageResult.objects.bulk_update(changed, ["assigned", "updated_at"])
    StageResult.objects.bulk_create([StageResult(prize=prize, application_id=application, stage=stage_id, assigned=count)
                                     for application, count in assigned.items() if application not in rows])


def eligible_assessors(prize: PrizeCallPage, application: Application) -> list[int]:
    """The panel members (user ids) an assignment of this application may
    move to: on the panel, with no conflict, not already assigned to it at
    its stage. Four queries."""
    plain = selectors.as_plain(application)
    taken = set(Assignment.objects.filter(application=application, stage=application.stage)
                .values_list("assessor_id", flat=True))
    return [a.id for a in selectors.panel(prize) if a.id not in taken and not conflicted(a, plain)]


def reassign(by: User | AnonymousUser, prize: PrizeCallPage, application: Application, from_assessor_id: int,
             to_assessor_id: int) -> Assignment:
    """The chair (or the team) moves an application's assignment at its
    stage from one assessor to another on the panel with no conflict. A
    sheet already submitted stays where it is; a draft is discarded."""
    require(by, "prizes.reassign", prize)
    if application.prize_id != prize.pk:
        raise Refused("No such application.", status=404, code="not_found")
    with transaction.atomic():
        old = Assignment.objects.select_for_update().filter(
            application=application, stage=application.stage, assessor_id=from_assessor_id).first()
        if old is None:
            raise Refused("Choose an assessor assigned to this application.", field="assignment",
                          code="invalid_choice")
        if old.submitted_at is not None:
            raise Refused("That assessor has submitted their scores: their assignment can no longer move.",
                          field="assignment", status=409, code="already_submitted")
        to = selectors.assessor(prize.pk, to_assessor_id) if to_assessor_id is not None else None
        if to is None:
            raise Refused("Choose an assessor on this prize's panel.", field="to", code="invalid_choice")
        if conflicted(to, selectors.as_plain(application)):
            raise Refused("That assessor has a conflict of interest with this application: choose another.",
                          field="to", code="conflict")
        if Assignment.objects.filter(application=application, stage=application.stage,
                                     assessor_id=to_assessor_id).exists():
            raise Refused("That assessor is already assigned to this application: choose another.", field="to",
                          code="already_assigned")
        old.delete()  # and any draft scores with it
        moved = Assignment.objects.create(application=application, stage=application.stage,
                                          assessor_id=to_assessor_id)
        refresh_result(application, application.stage)
        _publish_assigned(prize.pk, application.stage, {to_assessor_id: 1}, {from_assessor_id: 1})
    return moved


# --- score sheets -----------------------------------------------------------------

class ScoresRefused(Refused):
    """Refused with what is wrong with each box: {"score_<criterion id>" or
    "comment_<criterion id>": message naming the criterion}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), field=next(iter(errors)), code="invalid_scores")
        self.errors = errors


def _whole(value):
    """An int from an int or a string of ASCII digits (a form's value), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text.startswith("-") else text
        if text and digits.isascii() and digits.isdigit() and len(digits) <= 6:
            return int(text)
    return None


def _read_sheet(criteria: tuple[PublishedCriterion, ...], scores: Mapping[str, object],
                comments: Mapping[str, str], complete: bool):
    """({criterion id: value}, {criterion id: comment}, errors)."""
    values, texts, errors = {}, {}, {}
    for c in criteria:
        raw = scores.get(c.id)
        given = raw is not None and str(raw).strip() != ""
        if given:
            value = _whole(raw)
            error = scoring.score_error(c.for_scoring(), value)
            if error is not None:
                errors[f"score_{c.id}"] = f"{c.name}: {error[0].lower()}{error[1:]}"
            else:
                values[c.id] = value
        elif complete:
            errors[f"score_{c.id}"] = f"{c.name}: give a score from {c.low} to {c.high}."
        elif (comments.get(c.id) or "").strip():
            errors[f"score_{c.id}"] = f"{c.name}: give a score with your comment to save it, or leave both blank."
        text = (comments.get(c.id) or "").replace("\x00", "").strip()
        if len(text) > MAX_COMMENT:
            errors[f"comment_{c.id}"] = (f"{c.name}: keep your comment to {MAX_COMMENT:,} characters "
                                         f"(it has {len(text):,}).")
        elif complete and not text:
            errors[f"comment_{c.id}"] = (f"{c.name}: say why you gave this score (the applicant's feedback "
                                         "is built from the comments).")
        else:
            texts[c.id] = text
    return values, texts, errors


def _open_sheet(assessor, prize, application):
    require(assessor, "prizes.assess", application)
    if application.prize_id != prize.pk:
        raise Refused("No such application.", status=404, code="not_found")
    stage = stage_of(prize, application.stage)
    if stage is None or not stage.criteria:
        raise Refused("This stage has no published criteria to score against.", status=409, code="no_criteria")
    if Assignment.objects.filter(application=application, stage=application.stage, assessor_id=assessor.pk,
                                 submitted_at__isnull=False).exists():
        raise _already_submitted()
    return stage


def _already_submitted():
    return Refused("You have submitted your scores for this application: they can no longer change.",
                   status=409, code="already_submitted")


def _locked_assignment(assessor, application):
    assignment = Assignment.objects.select_for_update().filter(
        application=application, stage=application.stage, assessor_id=assessor.pk).first()
    if assignment is None:  # moved away since the rule was asked
        raise Refused("No such application.", status=404, code="not_found")
    if assignment.submitted_at is not None:
        raise _already_submitted()
    return assignment


def _write_sheet(assignment, stage, values, texts):
    """One row per criterion scored, with its comment; a criterion left
    blank in a draft has no row."""
    stored = {s.criterion: s for s in Score.objects.filter(assignment=assignment)}
    for c in stage.criteria:
        row = stored.get(c.id)
        if c.id in values:
            if row is None:
                Score.objects.create(assignment=assignment, criterion=c.id, value=values[c.id],
                                     comment=texts.get(c.id, ""))
            elif (row.value, row.comment) != (values[c.id], texts.get(c.id, "")):
                row.value, row.comment = values[c.id], texts.get(c.id, "")
                row.save(update_fields=["value", "comment"])
        elif row is not None:
            row.delete()


def save_scores(assessor: User | AnonymousUser, prize: PrizeCallPage, application: Application,
                scores: Mapping[str, object], comments: Mapping[str, str]) -> Assignment:
    """Keep a draft of the assessor's sheet: what is given must be on its
    scale, a comment within its length; blanks are allowed. Nobody else sees
    a draft, and it counts for nothing on the sheet."""
    stage = _open_sheet(assessor, prize, application)
    values, texts, errors = _read_sheet(stage.criteria, scores, comments, complete=False)
    if errors:
        raise ScoresRefused(errors)
    with transaction.atomic():
        assignment = _locked_assignment(assessor, application)
        _write_sheet(assignment, stage, values, texts)
    return assignment


def submit_scores(assessor: User | AnonymousUser, prize: PrizeCallPage, application: Application,
                  scores: Mapping[str, object], comments: Mapping[str, str]) -> Assignment:
    """Submit the assessor's sheet: every published criterion of the
    application's stage scored on its scale with a comment (at most 2,000
    characters). Once submitted it cannot change (409), and the other
    assessors' sheets become visible to them. The application's row on the
    panel sheet is recomputed in the same transaction."""
    stage = _open_sheet(assessor, prize, application)
    values, texts, errors = _read_sheet(stage.criteria, scores, comments, complete=True)
    if errors:
        raise ScoresRefused(errors)
    with transaction.atomic():
        assignment = _locked_assignment(assessor, application)
        _write_sheet(assignment, stage, values, texts)
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["submitted_at"])
        result = refresh_result(application, stage)
        data = {"stage": stage.id, "application": application.pk, "assessed": result.assessed,
                "assigned": result.assigned}
        live_events.publish_on_commit(sheet_topic(prize.pk), live_events.SHEET_SCORED, data)
    return assignment


# --- the panel sheet's row --------------------------------------------------------

def refresh_result(application: Application, stage: Stage | str) -> StageResult:
    """Recompute the application's row on the stage's panel sheet from the
    submitted sheets (prizes/scoring.py `summarise`): how many assessors are
    assigned and have submitted, the mean, spread, outliers (user ids) and
    disagreement, and the final score (the chair's moderated score if
    recorded, else the mean) against the stage's threshold. The chair's
    moderated score and reason, and the team's decision and feedback, are
    kept as they are. Call it inside the write's transaction (the chair's
    moderation does, after recording the moderated score)."""
    if isinstance(stage, str):
        found = stage_of(application.prize, stage)
        if found is None:
            raise Refused("Choose one of this prize's stages.", field="stage", code="invalid_choice")
        stage = found
    criteria = [c.for_scoring() for c in stage.criteria]
    with transaction.atomic():
        row, _created = StageResult.objects.select_for_update().get_or_create(
            application=application, stage=stage.id, defaults={"prize_id": application.prize_id})
        assignments = list(Assignment.objects.filter(application=application, stage=stage.id)
                           .values_list("pk", "assessor_id", "submitted_at"))
        submitted = {pk: assessor for pk, assessor, at in assignments if at is not None}
        sheets = defaultdict(dict)
        for assignment, criterion, value in Score.objects.filter(assignment_id__in=list(submitted)).values_list(
                "assignment_id", "criterion", "value"):
            sheets[submitted[assignment]][criterion] = value
        wanted = {c.key for c in criteria}
        # A sheet counts when it scores every criterion published now.
        complete = {assessor: scores for assessor, scores in sheets.items() if wanted <= set(scores)}
        summary = scoring.summarise(application.pk, complete, criteria, assigned=len(assignments),
                                    moderated=row.moderated, threshold=stage.threshold) if criteria else None
        row.assigned = len(assignments)
        row.assessed = len(complete)
        row.mean = summary.mean if summary else None
        row.spread = summary.spread if summary else None
        row.outliers = list(summary.outliers) if summary else []
        row.disagreement = bool(summary and summary.disagreement)
        row.final = summary.final if summary else row.moderated
        row.passes = summary.passes if summary else None
        row.save(update_fields=["assigned", "assessed", "mean", "spread", "outliers", "disagreement", "final",
                                "passes", "updated_at"])
    return row
