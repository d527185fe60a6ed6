"""A consultation's exact counts, kept as responses arrive (the rule, once,
as ideas/counters.py keeps the ideas' counters): the analysis page reads
the stored tallies and never recounts the answers per view.

The submit service calls `add_response(response)` inside its transaction
when a response is sent, and again when a sent response is edited;
`remove_response(response)` when a sent response stops counting. Each
response's contribution is stored with it (`TalliedResponse`), so adding
it again first takes away exactly what it added before, whatever its
answers are now: calling remove then add, or add alone, after an edit
gives the same counts. Counts change by `F()` increments on rows first
made with an insert that ignores conflicts, so concurrent responses never
lose a count, on PostgreSQL as on SQLite. `recount(consultation)` rebuilds
them from the answers, for repair (`manage.py recount_consultation`)."""

from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q

from . import questions as asking
from . import tasks
from .services import analysis as analysing
from .models import ConsultationPage, FreeTextAnswer, Response, ResponseAnswer, TalliedResponse, Tally

ANSWERED = ""        # the option of a question's count of answers (and, for numbers, their sum)
WHY = "#why"         # a yes/no answer with a "why"
OVERALL = ""
ORGANISATION_TYPE, ORGANISATION_SIZE, REGION, INDIVIDUAL = "organisation_type", "organisation_size", "region", "individual"
DIMENSIONS = (ORGANISATION_TYPE, ORGANISATION_SIZE, REGION, INDIVIDUAL)
CAMPAIGN_DELAY = 60  # seconds: campaigns are looked for at most once a minute per consultation
_CHUNK = 200


def dimensions(organisation) -> list[tuple[str, str]]:
    """Who answered, as the tallies cross-tabulate them."""
    if organisation is None:
        return [(OVERALL, ""), (INDIVIDUAL, INDIVIDUAL)]
    return [(OVERALL, ""), (ORGANISATION_TYPE, organisation.type), (ORGANISATION_SIZE, organisation.size),
            (REGION, organisation.region)]


def counted(question: asking.Question, value) -> list[tuple[str, int, int]]:
    """(option, count, total) one answer adds (pure)."""
    if value is None or value == "" or value == []:
        return []
    if question.kind == asking.NUMBER:
        return [(ANSWERED, 1, int(value))]
    found = [(ANSWERED, 1, 0)]
    if question.kind in (asking.SINGLE, asking.AGREE):
        found.append((str(value), 1, 0))
    elif question.kind == asking.MULTIPLE:
        found += [(str(v), 1, 0) for v in value]
    elif question.kind == asking.RANKING:
        # count: first places; total: the sum of ranks (every answer ranks every option).
        found += [(str(v), 1 if rank == 1 else 0, rank) for rank, v in enumerate(value, start=1)]
    elif question.kind == asking.YES_NO and isinstance(value, dict):
        found.append((str(value.get("answer")), 1, 0))
        if (value.get("why") or "").strip():
            found.append((WHY, 1, 0))
    return found


def contributions(questions: Iterable[asking.Question], answers: Iterable[tuple[str, object]],
                  organisation) -> list[list]:
    """[question, option, dimension, value, count, total] a response adds (pure but for the organisation's fields)."""
    known = {q.id: q for q in questions}
    who = dimensions(organisation)
    rows = []
    for question_id, value in answers:
        question = known.get(question_id)
        if question is None:
            continue
        for option, count, total in counted(question, value):
            rows += [[question_id, option[:210], dimension, dim_value or "", count, total] for dimension, dim_value in who]
    return rows


def free_text(question: asking.Question, value) -> str:
    """The answer's free text: a free-text answer, or a yes/no answer's why."""
    if question.kind == asking.FREE_TEXT and isinstance(value, str):
        return value.strip()
    if question.kind == asking.YES_NO and isinstance(value, dict):
        return (value.get("why") or "").strip()
    return ""


def _apply(consultation_id, rows, sign):
    if not rows:
        return
    Tally.objects.bulk_create(
        [Tally(consultation_id=consultation_id, question=q, option=o, dimension=d, dimension_value=v)
         for q, o, d, v, _, _ in rows], ignore_conflicts=True)
    groups = defaultdict(list)
    for q, o, d, v, count, total in rows:
        groups[(count * sign, total * sign)].append(Q(question=q, option=o, dimension=d, dimension_value=v))
    # One UPDATE per distinct change, in a fixed order (rows are locked in a
    # like order by concurrent responses).
    for (count, total), keys in sorted(groups.items()):
        for start in range(0, len(keys), _CHUNK):
            Tally.objects.filter(consultation_id=consultation_id).filter(reduce(or_, keys[start:start + _CHUNK])).update(
                count=F("count") + count, total=F("total") + total)


def _index_free_text(response, questions, answers):
    known = {q.id: q for q in questions}
    FreeTextAnswer.objects.filter(answer__response_id=response.pk).delete()
    FreeTextAnswer.objects.bulk_create(_free_text_rows(response.consultation_id, known, answers))


def _free_text_rows(consultation_id, known, answers):
    rows = []
    for answer in answers:
        question = known.get(answer.question)
        text = free_text(question, answer.value) if question else ""
        if text:
            rows.append(FreeTextAnswer(answer=answer, consultation_id=consultation_id, question=answer.question,
                                       text=text))
    return rows


def _take_away(response):
    previous = TalliedResponse.objects.select_for_update().filter(response_id=response.pk).first()
    if previous is not None:
        _apply(response.consultation_id, previous.rows, -1)
        previous.delete()


def add_response(response: Response) -> None:
    """Count a sent response (again, after an edit: what it added before is
    taken away first). A response not sent counts nothing. Call it inside
    the transaction that sends or edits it."""
    with transaction.atomic():
        _take_away(response)
        if response.status != Response.SUBMITTED:
            FreeTextAnswer.objects.filter(answer__response_id=response.pk).delete()
            return
        consultation = ConsultationPage.objects.get(pk=response.consultation_id)
        questions = consultation.question_list()
        answers = list(ResponseAnswer.objects.filter(response_id=response.pk))
        organisation = response.organisation if response.organisation_id else None
        rows = contributions(questions, [(a.question, a.value) for a in answers], organisation)
        _apply(response.consultation_id, rows, 1)
        TalliedResponse.objects.create(response_id=response.pk, rows=rows)
        _index_free_text(response, questions, answers)
        consultation_id = response.consultation_id
        transaction.on_commit(lambda: look_for_campaigns(consultation_id))


def remove_response(response: Response) -> None:
    """Stop counting a response: take away what it added (nothing if it was not counted)."""
    with transaction.atomic():
        _take_away(response)
        FreeTextAnswer.objects.filter(answer__response_id=response.pk).delete()


def look_for_campaigns(consultation_id: int) -> None:
    """Ask the worker to look for campaigns in a minute, once however many responses arrive meanwhile."""
    if cache.add(tasks.pending_key(consultation_id), 1, timeout=CAMPAIGN_DELAY * 2):
        tasks.find_campaigns.schedule((consultation_id,), delay=CAMPAIGN_DELAY)


def recount(consultation: ConsultationPage) -> int:
    """Rebuild a consultation's tallies (and its free-text index) from the
    sent responses' answers; the number of responses counted."""
    questions = consultation.question_list()
    known = {q.id: q for q in questions}
    with transaction.atomic():
        ConsultationPage.objects.select_for_update().filter(pk=consultation.pk).first()
        Tally.objects.filter(consultation_id=consultation.pk).delete()
        TalliedResponse.objects.filter(response__consultation_id=consultation.pk).delete()
        FreeTextAnswer.objects.filter(consultation_id=consultation.pk).delete()
        sums = defaultdict(lambda: [0, 0])
        tallied, texts = [], []
        responses = (Response.objects.filter(consultation_id=consultation.pk, status=Response.SUBMITTED)
                     .select_related("organisation").prefetch_related("answers"))
        for response in responses.iterator(chunk_size=1000):
            answers = list(response.answers.all())
            rows = contributions(questions, [(a.question, a.value) for a in answers], response.organisation)
            for q, o, d, v, count, total in rows:
                sums[(q, o, d, v)][0] += count
                sums[(q, o, d, v)][1] += total
            tallied.append(TalliedResponse(response_id=response.pk, rows=rows))
            texts += _free_text_rows(consultation.pk, known, answers)
        Tally.objects.bulk_create([Tally(consultation_id=consultation.pk, question=q, option=o, dimension=d,
                                         dimension_value=v, count=c, total=t)
                                   for (q, o, d, v), (c, t) in sums.items()], batch_size=1000)
        TalliedResponse.objects.bulk_create(tallied, batch_size=1000)
        FreeTextAnswer.objects.bulk_create(texts, batch_size=1000)
        analysing.store_campaigns(consultation.pk)
    return len(tallied)


def stored(consultation_id: int) -> dict[tuple[str, str, str, str], tuple[int, int]]:
    """The tallies as {(question, option, dimension, value): (count, total)}, leaving out those at nothing."""
    return {(t.question, t.option, t.dimension, t.dimension_value): (t.count, t.total)
            for t in Tally.objects.filter(consultation_id=consultation_id) if t.count or t.total}
