"""The reads of the team's analysis page: the stored tallies as tables
(consultations/tallies.py keeps them), the cross-tabulation by the answer
to another question (one grouped query over the answers at view time, two
when yes/no questions are among those tabulated: a yes/no answer is read by
its "answer" key), campaigns, and the free-text answers with their tags.
Each read is a fixed number of queries, whatever the number of responses."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, JSONField, OuterRef, Subquery
from django.db.models.fields.json import KeyTransform

from people.choices import OrganisationSize, OrganisationType, Region

from . import questions as asking
from . import tallies
from .models import Campaign, FreeTextAnswer, Response, ResponseAnswer, Tally

ANSWERS_PER_PAGE = 50
CROSS_TABS = {
    tallies.ORGANISATION_TYPE: ("Organisation type", OrganisationType.choices),
    tallies.ORGANISATION_SIZE: ("Organisation size", OrganisationSize.choices),
    tallies.REGION: ("Organisation's region", Region.choices),
}
INDIVIDUALS_COLUMN = (tallies.INDIVIDUAL, "Individuals")
TABULATED = (asking.SINGLE, asking.AGREE, asking.YES_NO, asking.MULTIPLE)   # may be cross-tabulated by another question
BY_KINDS = (asking.SINGLE, asking.AGREE, asking.YES_NO, asking.MULTIPLE)    # may be the question tabulated by


@dataclass
class Cell:
    count: int
    share: float | None       # per cent of the column's answers

    @property
    def share_text(self) -> str:
        return "" if self.share is None else f"{self.share:.0f}%"

    @property
    def width(self) -> str:
        """The bar's length out of 100 (an SVG attribute: the site's CSP allows no inline style)."""
        return f"{min(self.share or 0, 100):.1f}"


@dataclass
class Row:
    label: str
    cells: list[Cell]
    mean_rank: float | None = None

    @property
    def overall(self) -> Cell:
        return self.cells[0]


@dataclass
class Table:
    question: asking.Question
    columns: list[str]                  # the first is "All respondents"
    answered: list[int]                 # per column
    rows: list[Row] = field(default_factory=list)
    mean: float | None = None           # number questions
    reasons: int | None = None          # yes/no answers with a why
    campaigns: list = field(default_factory=list)


def tally_map(consultation_id: int) -> dict[tuple[str, str, str, str], tuple[int, int]]:
    """The consultation's tallies in one query."""
    return {(t.question, t.option, t.dimension, t.dimension_value): (t.count, t.total)
            for t in Tally.objects.filter(consultation_id=consultation_id)}


def respondents(consultation_id: int) -> int:
    return Response.objects.filter(consultation_id=consultation_id, status=Response.SUBMITTED).count()


def _share(count, answered):
    return 100 * count / answered if answered else None


def tables(questions: list[asking.Question], counts: dict, by: str = "",
           crossed: dict | None = None, by_question: asking.Question | None = None) -> list[Table]:
    """One table per question: its options' counts and shares overall and,
    with `by` a cross-tab dimension, for each of its values (and
    individuals); or, with `by_question` and `crossed` (from
    `cross_by_question`), for each answer to that question."""
    if by_question is not None:
        columns = [(value, value) for value in by_question.choices]
    elif by in CROSS_TABS:
        columns = list(CROSS_TABS[by][1]) + [INDIVIDUALS_COLUMN]
    else:
        columns = []
    found = []
    for q in questions:
        crossing = by_question is not None and q.kind in TABULATED and q.id != by_question.id

        def count(option, column, q=q, crossing=crossing):
            if column is None:
                return counts.get((q.id, option, tallies.OVERALL, ""), (0, 0))
            if crossing:
                return (crossed.get((q.id, option, column), 0), 0)
            if by_question is not None:
                return (0, 0)
            dimension = tallies.INDIVIDUAL if column == tallies.INDIVIDUAL else by
            return counts.get((q.id, option, dimension, column), (0, 0))

        keys = [None] + [key for key, _ in columns] if (by_question is None or crossing) else [None]
        labels = ["All respondents"] + [label for key, label in columns][:len(keys) - 1]
        answered = [count(tallies.ANSWERED, key)[0] for key in keys]
        table = Table(q, labels, answered)
        if q.kind in (asking.SINGLE, asking.AGREE, asking.YES_NO, asking.MULTIPLE, asking.RANKING):
            for option in q.choices:
                cells = [Cell(count(option, key)[0], _share(count(option, key)[0], answered[i]))
                         for i, key in enumerate(keys)]
                mean_rank = None
                if q.kind == asking.RANKING and answered[0]:
                    mean_rank = count(option, None)[1] / answered[0]
                table.rows.append(Row(option, cells, mean_rank))
        if q.kind == asking.NUMBER and answered[0]:
            table.mean = count(tallies.ANSWERED, None)[1] / answered[0]
        if q.kind == asking.YES_NO:
            table.reasons = count(tallies.WHY, None)[0]
        found.append(table)
    return found


def cross_by_question(consultation_id: int, questions: list[asking.Question],
                      by: asking.Question) -> dict[tuple[str, str, str], int]:
    """{(question, option, answer to `by`): respondents} for every choice
    question against the answer to `by`, from the sent answers in one
    grouped query (two with yes/no questions); option "" counts those who
    answered the question. Not stored: a team asks for it now and then."""
    by_answers = ResponseAnswer.objects.filter(response_id=OuterRef("response_id"), question=by.id)
    if by.kind == asking.YES_NO:
        by_answers = by_answers.annotate(choice=KeyTransform("answer", "value")).values("choice")
    else:
        by_answers = by_answers.values("value")
    base = ResponseAnswer.objects.filter(
        response__consultation_id=consultation_id, response__status=Response.SUBMITTED,
    ).annotate(by=Subquery(by_answers[:1], output_field=JSONField())).exclude(by=None)
    targets = [q for q in questions if q.kind in TABULATED and q.id != by.id]
    plain = [q.id for q in targets if q.kind != asking.YES_NO]
    yes_no = [q.id for q in targets if q.kind == asking.YES_NO]
    rows = []
    if plain:
        rows += list(base.filter(question__in=plain).values("question", "value", "by").annotate(n=Count("pk")))
    if yes_no:
        rows += list(base.filter(question__in=yes_no).annotate(choice=KeyTransform("answer", "value"))
                     .values("question", "choice", "by").annotate(n=Count("pk")))
    found = defaultdict(int)
    for row in rows:
        value = row.get("value", row.get("choice"))
        chosen = value if isinstance(value, list) else [value]
        columns = row["by"] if isinstance(row["by"], list) else [row["by"]]
        for column in columns:
            found[(row["question"], tallies.ANSWERED, str(column))] += row["n"]
            for option in chosen:
                found[(row["question"], str(option), str(column))] += row["n"]
    return dict(found)


def campaigns_of(consultation_id: int) -> dict[str, list[Campaign]]:
    """Each question's campaigns, biggest first, in one query."""
    found = defaultdict(list)
    for campaign in Campaign.objects.filter(consultation_id=consultation_id).order_by("-respondents", "pk"):
        found[campaign.question].append(campaign)
    return dict(found)


def free_text_page(consultation_id: int, question_id: str, search: str = "", number: int = 1,
                   campaign: int | None = None) -> Page:
    """A page of a question's free-text answers (not in a campaign, or in
    the one named), newest first, matching `search` (case-insensitive,
    anywhere in the text), each with its tags: three queries."""
    answers = FreeTextAnswer.objects.filter(consultation_id=consultation_id, question=question_id)
    answers = answers.filter(campaign_id=campaign) if campaign else answers.filter(campaign__isnull=True)
    if search:
        answers = answers.filter(text__icontains=search)
    answers = (answers.select_related("answer__response").prefetch_related("answer__tags")
               .order_by("-answer__response__submitted_at", "-pk"))
    return Paginator(answers, ANSWERS_PER_PAGE).get_page(number)
