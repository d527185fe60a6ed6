"""The team's writes while analysing a consultation: tags on answers
(asked through `consultations.analyse`), and the campaigns the worker finds
(consultations/campaigns.py decides, this stores)."""

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction

from inputs.refusals import Refused, require

from .. import campaigns as finding
from ..models import AnswerTag, Campaign, ConsultationPage, FreeTextAnswer, ResponseAnswer

TAG_MAX = 50


def _answer(consultation: ConsultationPage, answer_id: int | None) -> ResponseAnswer:
    answer = ResponseAnswer.objects.filter(pk=answer_id, response__consultation_id=consultation.pk).first()
    if answer is None:
        raise Refused("No such answer.", field="answer", status=404, code="not_found")
    return answer


def tag_answer(user: User | AnonymousUser, consultation: ConsultationPage, answer_id: int | None, tag: str) -> AnswerTag:
    """Put a tag on an answer (a tag it has already is kept once)."""
    require(user, "consultations.analyse", consultation)
    tag = " ".join((tag or "").split()).lower()
    if not tag:
        raise Refused("Enter a tag.", field="tag", status=400, code="invalid")
    if len(tag) > TAG_MAX:
        raise Refused(f"A tag must be {TAG_MAX} characters or fewer.", field="tag", status=400, code="invalid")
    answer = _answer(consultation, answer_id)
    with transaction.atomic():
        found, _ = AnswerTag.objects.get_or_create(answer=answer, tag=tag, defaults={"tagged_by": user})
    return found


def untag_answer(user: User | AnonymousUser, consultation: ConsultationPage, answer_id: int | None, tag: str) -> None:
    require(user, "consultations.analyse", consultation)
    answer = _answer(consultation, answer_id)
    with transaction.atomic():
        AnswerTag.objects.filter(answer=answer, tag=tag).delete()


def store_campaigns(consultation_id: int) -> int:
    """Find the campaigns in each question's free-text answers and store
    them in place of those found before; the number of campaigns."""
    rows = FreeTextAnswer.objects.filter(consultation_id=consultation_id).values_list("pk", "question", "text")
    by_question: dict[str, dict[int, str]] = {}
    for pk, question, text in rows.iterator(chunk_size=2000):
        by_question.setdefault(question, {})[pk] = text
    found = {question: finding.campaigns(texts) for question, texts in by_question.items()}
    with transaction.atomic():
        Campaign.objects.filter(consultation_id=consultation_id).delete()
        made = 0
        for question, groups in found.items():
            for group in groups:
                campaign = Campaign.objects.create(consultation_id=consultation_id, question=question,
                                                   text=group.text, respondents=group.respondents)
                for start in range(0, len(group.keys), 5000):
                    FreeTextAnswer.objects.filter(pk__in=group.keys[start:start + 5000],
                                                  consultation_id=consultation_id).update(campaign=campaign)
                made += 1
    return made
