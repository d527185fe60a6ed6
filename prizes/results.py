"""Reads of a prize's panel sheet and its published results, as plain
functions of plain arguments (the styleguide's selectors).

The sheet reads the stored rows (StageResult: prizes/scoring.py's
aggregates, written when a score sheet is submitted), ranked by the
database, one page at a time: its cost does not grow with the number of
scores. What is public is decided here once: only stages the team
published, only applications advanced or awarded, named by the
organisation they applied for or the applicant's public name; never a score,
an assessor or a declined application."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, Max, Q, QuerySet, Value, When, Window
from django.db.models.functions import Rank

from people.names import display_name

from . import decisions, stages
from .models import Application, Assignment, PrizeCallPage, PublishedStage, Score, StageResult
from .scoring import total

PER_PAGE = 50
FLAGGED = Q(disagreement=True) | ~Q(outliers=[])


def sheet_stage(prize: PrizeCallPage, stage_id: str | None = None) -> stages.Stage | None:
    """The stage the sheet shows: the one asked for, else the latest stage
    with assessments under way, else the first."""
    found = prize.stages()
    if stage_id:
        return next((s for s in found if s.id == stage_id), None)
    with_results = set(StageResult.objects.filter(prize=prize).values_list("stage", flat=True).distinct())
    under_way = [s for s in found if s.id in with_results]
    return under_way[-1] if under_way else (found[0] if found else None)


def sheet_rows(prize: PrizeCallPage, stage_id: str, flagged: bool = False) -> QuerySet[StageResult]:
    """The stage's rows ranked by final score (moderated, else the mean),
    best first, equal scores sharing a rank, unscored last."""
    rows = StageResult.objects.filter(prize=prize, stage=stage_id).annotate(
        rank=Window(Rank(), order_by=F("final").desc(nulls_last=True)))
    if flagged:
        # A filter on a window expression runs after the ranking (Django
        # wraps the query), so flagged rows keep their rank in the stage.
        rows = rows.annotate(flag=Window(Max(Case(When(FLAGGED, then=Value(1)), default=Value(0))),
                                         partition_by=[F("pk")])).filter(flag=1)
    return rows.select_related("application__applicant__profile", "application__organisation").order_by(
        F("final").desc(nulls_last=True), "application_id")


def sheet_page(prize: PrizeCallPage, stage_id: str, number: int, flagged: bool = False) -> Page:
    return Paginator(sheet_rows(prize, stage_id, flagged), PER_PAGE).get_page(number)


@dataclass(frozen=True)
class SheetCounts:
    applications: int
    assessed: int       # assessments submitted
    assigned: int       # assessments assigned
    flagged: int
    decided: int


def sheet_counts(prize: PrizeCallPage, stage_id: str) -> SheetCounts:
    """The totals above the sheet, in one query."""
    rows = list(StageResult.objects.filter(prize=prize, stage=stage_id).values_list(
        "assigned", "assessed", "disagreement", "outliers", "decision"))
    return SheetCounts(
        applications=len(rows), assessed=sum(r[1] for r in rows), assigned=sum(r[0] for r in rows),
        flagged=sum(1 for r in rows if r[2] or r[3]),
        decided=sum(1 for r in rows if r[4] in (decisions.ADVANCED, decisions.AWARDED, decisions.DECLINED)))


@dataclass(frozen=True)
class AssessorSheet:
    """One assessor's scores of one application, for the team and chair."""

    assessor: object        # the user
    label: str              # "Assessor 1"
    submitted: bool
    total: float | None
    outlier: bool
    scores: dict            # criterion id -> (value, comment)


def assessor_sheets(result: StageResult, criteria: Iterable[stages.PublishedCriterion]) -> list[AssessorSheet]:
    """Each assigned assessor's scores and comments of the application at
    the result's stage (two queries)."""
    criteria = list(criteria)
    assignments = list(Assignment.objects.filter(application_id=result.application_id, stage=result.stage)
                       .select_related("assessor__profile").order_by("pk"))
    scores = defaultdict(dict)
    for assignment, criterion, value, comment in Score.objects.filter(
            assignment__in=[a.pk for a in assignments]).values_list("assignment_id", "criterion", "value", "comment"):
        scores[assignment][criterion] = (value, comment)
    sheets = []
    for number, assignment in enumerate(assignments, start=1):
        given = scores[assignment.pk]
        total = None
        if assignment.submitted_at and all(c.id in given for c in criteria) and criteria:
            from_values = {c.id: given[c.id][0] for c in criteria}
            try:
                total = _total(from_values, criteria)
            except ValueError:
                total = None
        sheets.append(AssessorSheet(assessor=assignment.assessor, label=f"Assessor {number}",
                                    submitted=assignment.submitted_at is not None, total=total,
                                    outlier=assignment.assessor_id in (result.outliers or []),
                                    scores=dict(given)))
    return sheets


def _total(values, criteria):
    return total(values, [c.for_scoring() for c in criteria])


def comments_by_criterion(result: StageResult) -> dict[str, list[str]]:
    """The submitted assessors' comments on each criterion (for the
    feedback's first draft), in the assessors' order."""
    found = defaultdict(list)
    for criterion, comment in Score.objects.filter(
            assignment__application_id=result.application_id, assignment__stage=result.stage,
            assignment__submitted_at__isnull=False).order_by("assignment_id", "pk").values_list("criterion", "comment"):
        found[criterion].append(comment)
    return dict(found)


def stage_comments(prize: PrizeCallPage, stage_id: str) -> dict[int, dict[str, list[str]]]:
    """Every submitted comment of a stage, by application and criterion, in
    one query (publication drafts the feedback nobody edited from them)."""
    found = defaultdict(lambda: defaultdict(list))
    for application, criterion, comment in Score.objects.filter(
            assignment__application__prize=prize, assignment__stage=stage_id,
            assignment__submitted_at__isnull=False).order_by("assignment_id", "pk").values_list(
            "assignment__application_id", "criterion", "comment"):
        found[application][criterion].append(comment)
    return found


def published_stage_ids(prize: PrizeCallPage) -> set[str]:
    return set(PublishedStage.objects.filter(prize=prize).values_list("stage", flat=True))


def public_name(application: Application) -> str:
    """How published results name an application: the organisation it was
    made for, else the applicant's public name."""
    if application.organisation_id is not None and application.organisation is not None:
        return application.organisation.name
    return display_name(application.applicant)


@dataclass(frozen=True)
class PublishedResult:
    stage: stages.Stage
    published_at: object
    awarded: list          # (name, award)
    advanced: list         # names
    applications: int      # how many the stage assessed (a count, no names)


def published_results(prizes: Iterable[PrizeCallPage]) -> list[tuple[PrizeCallPage, list[PublishedResult]]]:
    """What each prize has published, stage by stage, in three queries
    whatever the number of prizes: who advanced, what was awarded."""
    prizes = list(prizes)
    published = defaultdict(dict)
    for prize_id, stage, at in PublishedStage.objects.filter(prize__in=prizes).values_list(
            "prize_id", "stage", "published_at"):
        published[prize_id][stage] = at
    wanted = Q()
    for prize_id, found in published.items():
        wanted |= Q(prize_id=prize_id, stage__in=list(found))
    rows = defaultdict(list)
    counts = defaultdict(int)
    if published:
        for result in StageResult.objects.filter(wanted).select_related(
                "application__applicant__profile", "application__organisation").order_by(
                F("final").desc(nulls_last=True), "application_id"):
            counts[(result.prize_id, result.stage)] += 1
            if result.decision in decisions.PUBLIC:
                rows[(result.prize_id, result.stage)].append(result)
    answer = []
    for prize in prizes:
        stage_results = []
        for stage in prize.stages():
            if stage.id not in published[prize.pk]:
                continue
            found = rows[(prize.pk, stage.id)]
            stage_results.append(PublishedResult(
                stage=stage, published_at=published[prize.pk][stage.id],
                awarded=[(public_name(r.application), r.award) for r in found if r.decision == decisions.AWARDED],
                advanced=[public_name(r.application) for r in found if r.decision == decisions.ADVANCED],
                applications=counts[(prize.pk, stage.id)]))
        answer.append((prize, stage_results))
    return answer


def own_results(application: Application) -> list[tuple[stages.Stage, StageResult]]:
    """An applicant's published results, stage by stage, with the feedback
    (only stages the team published)."""
    published = published_stage_ids(application.prize)
    by_stage = {r.stage: r for r in StageResult.objects.filter(application=application, stage__in=published)}
    return [(s, by_stage[s.id]) for s in application.prize.stages() if s.id in by_stage]


def public_result_rows(prize_ids: Iterable[int]) -> QuerySet[StageResult]:
    """Every published decision that is public (advanced, awarded) of these
    prizes, for open data: the caller passes only prizes the page rule says
    are public (consult/visibility.py). Never a score or an assessor."""
    published = PublishedStage.objects.filter(prize_id__in=prize_ids)
    wanted = Q(pk__in=[])
    for prize_id, stage in published.values_list("prize_id", "stage"):
        wanted |= Q(prize_id=prize_id, stage=stage)
    return (StageResult.objects.filter(wanted, decision__in=decisions.PUBLIC)
            .select_related("prize", "application__applicant__profile", "application__organisation")
            .order_by("prize_id", "stage", F("final").desc(nulls_last=True), "application_id"))


def public_result_row(result: StageResult, stage_names: dict, published_at: dict) -> dict:
    return {
        "prize": result.prize_id, "prize_title": result.prize.title, "url": result.prize.url,
        "stage": result.stage, "stage_name": stage_names.get((result.prize_id, result.stage), ""),
        "published_at": published_at.get((result.prize_id, result.stage)),
        "outcome": result.decision, "outcome_label": decisions.OUTCOMES[result.decision],
        "name": public_name(result.application), "award": result.award,
    }


def public_rows(rows: Iterable[StageResult]) -> list[dict]:
    """Rows of public_result_rows as open data, stage names and publication
    dates read once per prize."""
    rows = list(rows)
    prizes = {r.prize_id: r.prize for r in rows}
    names = {(pk, s.id): s.name for pk, prize in prizes.items() for s in prize.stages()}
    when = {(p, s): at for p, s, at in PublishedStage.objects.filter(prize_id__in=list(prizes)).values_list(
        "prize_id", "stage", "published_at")}
    return [public_result_row(r, names, when) for r in rows]
