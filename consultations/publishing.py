"""What is public of a consultation beyond its questions (issue #29 items 5
and 6), read once for the pages, the read API and the downloads: the
government response ("We asked, you said, we did") once the team published
it, question by question beside the suppressed results
(consultations/results.py), and the responses whose authors allowed
publication and a moderator approved.

A published response shows its free-text answers only (and a yes/no
answer's "why"): the choices are published as suppressed counts, and a
named respondent's own choices beside their organisation's type, size and
region would give back the small counts the suppression hides."""

from django.db.models import QuerySet

from consult.visibility import public_pages
from ideas.models import Visibility
from people.names import display_name

from .models import ConsultationPage, FreeTextAnswer, GovernmentResponse, QuestionResponse, Response
from .results import public_results

ANONYMOUS = "A respondent"
PUBLISHABLE = (Response.PUBLISH_NAME, Response.PUBLISH_ANONYMOUS)


def government_response(consultation: ConsultationPage) -> GovernmentResponse | None:
    return GovernmentResponse.objects.filter(consultation_id=consultation.pk).first()


def question_responses(consultation: ConsultationPage) -> dict[str, QuestionResponse]:
    return {row.question: row for row in QuestionResponse.objects.filter(consultation_id=consultation.pk)}


def published_response(consultation: ConsultationPage) -> dict | None:
    """{"introduction", "published_at", "respondents", "questions": [{"id",
    "number", "text", "kind", "answered", "options", "texts", "mean",
    "summary", "decision"}]}, or None until the team publishes it."""
    found = government_response(consultation)
    if found is None or found.published_at is None:
        return None
    written = question_responses(consultation)
    results = public_results(consultation)
    questions = []
    for row in results["questions"]:
        answer = written.get(row["id"])
        questions.append({**row, "summary": answer.summary if answer else "",
                          "decision": answer.decision if answer else ""})
    return {"introduction": found.introduction, "published_at": found.published_at,
            "respondents": results["respondents"], "questions": questions}


def public_responses(consultation_ids) -> QuerySet[Response]:
    """Sent responses whose authors allowed publication, approved by a moderator (oldest first)."""
    return (Response.objects.filter(consultation_id__in=consultation_ids, status=Response.SUBMITTED,
                                    publish__in=PUBLISHABLE, visibility=Visibility.PUBLISHED)
            .select_related("organisation", "respondent__profile").order_by("submitted_at", "pk"))


def awaiting_moderation(consultation: ConsultationPage) -> QuerySet[Response]:
    return (Response.objects.filter(consultation_id=consultation.pk, status=Response.SUBMITTED,
                                    publish__in=PUBLISHABLE)
            .exclude(visibility=Visibility.PUBLISHED)
            .select_related("organisation", "respondent__profile").order_by("submitted_at", "pk"))


def name_of(response: Response) -> str:
    """The organisation's name or the person's public name; "A respondent" when anonymous (or without an account)."""
    if response.publish != Response.PUBLISH_NAME:
        return ANONYMOUS
    if response.organisation is not None:
        return response.organisation.name
    if response.respondent is None:
        return ANONYMOUS
    return display_name(response.respondent)


def rows(consultation: ConsultationPage, responses) -> list[dict]:
    """The published form of these responses (one query for their answers):
    {"id", "name", "submitted_at", "answers": [{"question", "number", "text", "answer"}]}."""
    responses = list(responses)
    numbers = {q.id: q for q in consultation.question_list()}
    texts: dict[int, list] = {}
    for answer in (FreeTextAnswer.objects.filter(answer__response__in=[r.pk for r in responses])
                   .select_related("answer").order_by("pk")):
        texts.setdefault(answer.answer.response_id, []).append(answer)
    found = []
    for response in responses:
        answers = sorted((a for a in texts.get(response.pk, []) if a.question in numbers),
                         key=lambda a: numbers[a.question].number)
        found.append({"id": response.pk, "name": name_of(response), "submitted_at": response.submitted_at,
                      "answers": [{"question": a.question, "number": numbers[a.question].number,
                                   "text": numbers[a.question].text, "answer": a.text} for a in answers]})
    return found


def page_context(request, page) -> dict:
    """The consultation page links to the response once published."""
    return {"government_response_published": GovernmentResponse.objects.filter(
        consultation_id=page.pk, published_at__isnull=False).exists()}


def ledger_context(mission, call) -> dict:
    """The mission's public consultations with a published response, for
    "you said, we did" (consultations sit under the mission, not a call)."""
    if call is not None:
        return {"ledger_consultations": []}
    found = (public_pages(ConsultationPage).descendant_of(mission)
             .filter(government_response__published_at__isnull=False).order_by("path"))
    return {"ledger_consultations": list(found)}
