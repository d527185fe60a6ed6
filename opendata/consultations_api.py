"""Consultations in the read API (issue #29 item 6): the public
consultations, their questions, their results as suppressed counts
(consultations/results.py: counts of 1 to 4 are null), the government
response once the team published it, and the responses published with
their authors' consent after moderation (consultations/publishing.py
decides what is public, once). The same rules as the rest of open data: 50
a page, an unknown parameter or a malformed value is a 400 naming it, only
public consultations (consult/visibility.py), else a 404."""

from datetime import datetime

from ninja import Field, Query, Schema

from consult.visibility import public_pages
from consultations import publishing
from consultations.models import ConsultationPage, GovernmentResponse
from consultations.results import public_results
from ideas.validation import PathId
from inputs.refusals import Refused

from . import data, params
from .api import PAGE_SIZE, PageIn, _example, _mission_filter, _page_number, _paged


def consultation_by_id(consultation_id: PathId) -> ConsultationPage:
    found = public_pages(ConsultationPage).filter(pk=consultation_id).first()
    if found is None:
        raise Refused(f"No public consultation has the id {consultation_id}.", field="consultation_id", status=404,
                      code="not_found")
    return found


class ConsultationsIn(PageIn):
    mission: str | None = _mission_filter()


class ConsultationOut(Schema):
    model_config = _example({
        "id": 41, "title": "A target for heat pumps", "url": "/missions/clean-energy/heat-pump-target/",
        "summary": "We propose a target for 2030.", "opens": "2026-11-01T09:00:00Z",
        "closes": "2026-12-20T17:00:00Z", "questions": 12, "response_published_at": None})
    id: int
    title: str
    url: str
    summary: str
    opens: datetime
    closes: datetime
    questions: int = Field(description="How many questions it asks.")
    response_published_at: datetime | None = Field(description="When the team published its response, if it has.")


class ConsultationListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ConsultationOut]


class ConsultationQuestionOut(Schema):
    model_config = _example({"id": "b1", "number": 1, "text": "Do you agree with the proposed target?",
                             "kind": "agree", "required": True, "section": "About the target",
                             "options": ["Strongly agree", "Agree"], "only_if": None})
    id: str
    number: int
    text: str
    kind: str
    required: bool
    section: str
    options: list[str]
    only_if: list[str] | None = Field(description="[question id, answer]: asked only after that answer.")


class ConsultationQuestionListOut(Schema):
    questions: list[ConsultationQuestionOut]


class ConsultationResultOut(Schema):
    model_config = _example({"id": "b1", "number": 1, "text": "Do you agree?", "kind": "agree", "answered": 120,
                             "options": {"Agree": 80, "Disagree": None}, "texts": {"Agree": "80",
                                                                                     "Disagree": "fewer than 5"},
                             "mean": None})
    id: str
    number: int
    text: str
    kind: str
    answered: int | None = Field(description="Null where withheld (a count of 1 to 4, or one that would give one back).")
    options: dict[str, int | None]
    texts: dict[str, str]
    mean: float | None


class ConsultationResultsOut(Schema):
    respondents: int | None
    questions: list[ConsultationResultOut]


class ConsultationQuestionResponseOut(ConsultationResultOut):
    summary: str = Field(description="What the team heard.")
    decision: str = Field(description="What the team will do.")


class ConsultationGovernmentResponseOut(Schema):
    introduction: str
    published_at: datetime
    respondents: int | None
    questions: list[ConsultationQuestionResponseOut]


class PublishedAnswerOut(Schema):
    question: str
    number: int
    text: str
    answer: str


class PublishedResponseOut(Schema):
    model_config = _example({"id": 901, "name": "A respondent", "submitted_at": "2026-11-12T10:00:00Z",
                             "answers": [{"question": "b2", "number": 2, "text": "Why?", "answer": "Too soon."}]})
    id: int
    name: str = Field(description="The organisation's name, the person's public name, or “A respondent”.")
    submitted_at: datetime | None
    answers: list[PublishedAnswerOut] = Field(description="The written answers (choices are published as counts).")


class PublishedResponseListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[PublishedResponseOut]


def consultation_rows(pages):
    published = dict(GovernmentResponse.objects.filter(
        consultation__in=[p.pk for p in pages], published_at__isnull=False).values_list("consultation_id",
                                                                                        "published_at"))
    return [{"id": p.pk, "title": p.title, "url": p.url or "", "summary": p.summary, "opens": p.opens,
             "closes": p.closes, "questions": len(p.question_list()), "response_published_at": published.get(p.pk)}
            for p in pages]


def consultations(request, query: Query[ConsultationsIn]):
    params.only(request.GET, {"page", "mission"})
    pages = public_pages(ConsultationPage)
    mission_id = params.identifier("mission", query.mission)
    if mission_id:
        pages = pages.descendant_of(data.mission_by_id(mission_id))
    count, last, rows = _paged(pages.order_by("path"), query.page)
    return {"count": count, "page": query.page, "pages": last, "results": consultation_rows(list(rows))}


def question_rows(consultation):
    return [{"id": q.id, "number": q.number, "text": q.text, "kind": q.kind, "required": q.required,
             "section": q.section, "options": list(q.options), "only_if": list(q.only_if) if q.only_if else None}
            for q in consultation.question_list()]


def questions(request, consultation_id: PathId):
    params.only(request.GET, set())
    return {"questions": question_rows(consultation_by_id(consultation_id))}


def results(request, consultation_id: PathId):
    params.only(request.GET, set())
    return public_results(consultation_by_id(consultation_id))


def response(request, consultation_id: PathId):
    params.only(request.GET, set())
    found = publishing.published_response(consultation_by_id(consultation_id))
    if found is None:
        raise Refused("The team has not published its response to this consultation yet.", status=404,
                      code="not_found")
    return found


def responses(request, consultation_id: PathId, query: Query[PageIn]):
    params.only(request.GET, {"page"})
    consultation = consultation_by_id(consultation_id)
    found = publishing.public_responses([consultation.pk])
    count = found.count()
    last = _page_number(query.page, count)
    rows = found[(query.page - 1) * PAGE_SIZE: query.page * PAGE_SIZE]
    return {"count": count, "page": query.page, "pages": last, "results": publishing.rows(consultation, rows)}


def register(api, errors, tags):
    api.get("/consultations", response={200: ConsultationListOut, **errors}, auth=None, tags=tags,
            operation_id="open_data_consultations_list", summary="Consultations open to the public",
            description="50 a page; an unknown parameter or a malformed value is a 400 naming it.")(consultations)
    api.get("/consultations/{consultation_id}/questions", response={200: ConsultationQuestionListOut, **errors}, auth=None,
            tags=tags, operation_id="open_data_consultation_questions", summary="A consultation's questions",
            description="In the order respondents meet them, with their routing.")(questions)
    api.get("/consultations/{consultation_id}/results", response={200: ConsultationResultsOut, **errors}, auth=None, tags=tags,
            operation_id="open_data_consultation_results", summary="A consultation's results, suppressed",
            description="Counts of 1 to 4 are null, and so is any count that would give one back.")(results)
    api.get("/consultations/{consultation_id}/response", response={200: ConsultationGovernmentResponseOut, **errors}, auth=None,
            tags=tags, operation_id="open_data_consultation_response",
            summary="The government response: we asked, you said, we did",
            description="Question by question, beside the suppressed results; a 404 until published.")(response)
    api.get("/consultations/{consultation_id}/responses", response={200: PublishedResponseListOut, **errors},
            auth=None, tags=tags, operation_id="open_data_consultation_responses",
            summary="Responses published with their authors' consent",
            description="After moderation, 50 a page: the written answers, under the organisation's or the "
            "person's name, or “A respondent”.")(responses)
