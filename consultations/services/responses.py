"""A respondent's writes: starting a response, answering its questions one
at a time, who answers and whether it may be published, saving for later,
sending it, and confirming it by email. Check → write in one transaction →
side effects (emails) on commit; plain values in, never the request.

One response per person (per confirmed address without an account). A
response counts in the analysis (consultations/tallies.py) only while it
is submitted: changing a submitted response takes it out of the counts
and back to a draft in the same transaction (`tallies.remove_response`),
and sending it again puts it back (`tallies.add_response`), so the counts
stay exact whatever is abandoned half way."""

import hmac
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from inputs.refusals import Refused, require
from people.models import Membership

from .. import questions as asking
from .. import tallies
from ..models import ConsultationPage, Response, ResponseAnswer
from ..rules import closed_message

ALREADY_RESPONDED = "You have already responded: you can change your response while the consultation is open."
QUESTIONS_CHANGED = ("The questions changed since you saved your draft: check your answers before you send "
                     "your response.")


def _person(user):
    return user if user is not None else AnonymousUser()


def _require_open(response: Response) -> None:
    consultation = response.consultation
    if not consultation.is_open():
        raise Refused(closed_message(None, consultation), status=409, code="consultation_closed")


def given(response: Response) -> dict[str, object]:
    """The response's answers so far, {question id: value} (one query)."""
    return dict(ResponseAnswer.objects.filter(response_id=response.pk).values_list("question", "value"))


def as_raw(value: object) -> dict[str, object]:
    """A stored answer as a form would send it back (for `read_answer` and the forms)."""
    if isinstance(value, dict):
        return {"answer": value.get("answer") or "", "why": value.get("why") or ""}
    if isinstance(value, list):
        return {"answer": [str(v) for v in value]}
    return {"answer": "" if value is None else str(value)}


def _reopen(response: Response) -> None:
    """Inside a transaction, the row locked: a sent response being changed
    stops counting and is a draft again until sent again."""
    if response.status == Response.SUBMITTED:
        tallies.remove_response(response)
    if response.status != Response.DRAFT:
        response.status = Response.DRAFT
        response.save(update_fields=["status", "updated_at"])


def _locked(response: Response) -> Response:
    locked = Response.objects.select_for_update().get(pk=response.pk)
    response.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return response


def start(user: User | AnonymousUser | None, consultation: ConsultationPage, email: str | None = None) -> Response:
    """The person's response to the consultation: their existing one if any
    (one per person: a sent one can be changed while open), else a new
    draft. Without an account, a new draft for the address given."""
    user = _person(user)
    require(user, "consultations.respond", consultation)
    questions = consultation.question_list()
    if user.is_authenticated:
        with transaction.atomic():
            response, _created = Response.objects.get_or_create(
                consultation=consultation, respondent=user,
                defaults={"fingerprint": asking.fingerprint(questions), "email": user.email})
        return response
    email = (email or "").strip()
    if not email or "@" not in email or len(email) > 254:
        raise Refused("Enter an email address in the correct format, like name@example.com.", field="email",
                      code="invalid_email")
    with transaction.atomic():
        return Response.objects.create(consultation=consultation, email=email,
                                       fingerprint=asking.fingerprint(questions))


def answer(response: Response, question_id: str, raw: Mapping[str, object]) -> object:
    """Store the answer to one question asked, read by `read_answer` (a
    problem is refused, naming it, and nothing is stored). An empty answer
    to an optional question clears it. Answers to questions no longer asked
    after this one (routing) are removed. Returns the stored value."""
    _require_open(response)
    questions = response.consultation.question_list()
    question = next((q for q in questions if q.id == question_id), None)
    if question is None:
        raise Refused("There is no such question in this consultation.", status=404, code="not_found")
    value, problem = asking.read_answer(question, raw)
    if problem is not None:
        raise Refused(problem, field="answer", code="invalid_answer")
    with transaction.atomic():
        _locked(response)
        answers = given(response)
        if question.id not in {q.id for q in asking.asked(questions, answers)}:
            raise Refused("Your earlier answers mean this question is not asked.", status=409, code="not_asked")
        _reopen(response)
        if value is None:
            ResponseAnswer.objects.filter(response=response, question=question.id).delete()
            answers.pop(question.id, None)
        else:
            ResponseAnswer.objects.update_or_create(response=response, question=question.id,
                                                    defaults={"value": value})
            answers[question.id] = value
        still = {q.id for q in asking.asked(questions, answers)}
        gone = [q for q in answers if q not in still]
        if gone:
            ResponseAnswer.objects.filter(response=response, question__in=gone).delete()
        response.save(update_fields=["updated_at"])
    return value


def set_respondent(response: Response, organisation_id: int | str | None, publish: str) -> Response:
    """Who answers (the person, or an organisation they belong to) and
    whether the response may be published (with a name, anonymously, not at all)."""
    _require_open(response)
    if publish not in dict(Response.PUBLISH_CHOICES):
        raise Refused("Choose whether we may publish your response.", field="publish", code="invalid_choice")
    organisation = None
    if organisation_id not in (None, ""):
        membership = Membership.objects.filter(
            organisation_id=organisation_id if str(organisation_id).isdigit() else -1,
            user_id=response.respondent_id).select_related("organisation").first() if response.respondent_id else None
        if membership is None:
            raise Refused("Choose an organisation you belong to, or answer as yourself.", field="organisation",
                          code="invalid_choice")
        organisation = membership.organisation
    with transaction.atomic():
        _locked(response)
        if response.organisation_id != (organisation.pk if organisation else None):
            _reopen(response)  # the counts by kind of respondent change: out of them until sent again
        response.organisation = organisation
        response.publish = publish
        response.save(update_fields=["organisation", "publish", "updated_at"])
    return response


def _recheck(response: Response, questions: list[asking.Question]) -> None:
    """The questions changed under a draft: keep only the answers still
    valid for a question still asked, and note the new fingerprint."""
    answers = given(response)
    known = {q.id: q for q in questions}
    kept = {}
    for question_id, value in answers.items():
        question = known.get(question_id)
        if question is not None:
            read, problem = asking.read_answer(question, as_raw(value))
            if problem is None and read is not None:
                kept[question_id] = read
    asked_now = {q.id for q in asking.asked(questions, kept)}
    dropped = [q for q in answers if q not in kept or q not in asked_now]
    if dropped:
        ResponseAnswer.objects.filter(response=response, question__in=dropped).delete()
    response.fingerprint = asking.fingerprint(questions)
    response.save(update_fields=["fingerprint", "updated_at"])


def submit(response: Response) -> Response:
    """Send the response: the consultation still open, every required
    question asked answered, the questions unchanged since the draft was
    saved (else it is checked again and the person told). With an account
    it counts at once and a receipt is emailed; without one it waits for
    the emailed confirmation link."""
    _require_open(response)
    questions = response.consultation.question_list()
    current = asking.fingerprint(questions)
    with transaction.atomic():
        _locked(response)
        if response.status == Response.SUBMITTED:
            raise Refused(ALREADY_RESPONDED, status=409, code="already_responded")
        if response.fingerprint != current:
            _recheck(response, questions)
            changed = True
        else:
            changed = False
    if changed:
        raise Refused(QUESTIONS_CHANGED, status=409, code="questions_changed")
    with transaction.atomic():
        _locked(response)
        answers = given(response)
        unanswered = asking.missing(questions, answers)
        if unanswered:
            raise Refused(f"Answer question {unanswered[0].number}: {unanswered[0].text}",
                          field=unanswered[0].id, code="unanswered")
        response.submitted_at = timezone.now()
        if response.respondent_id is not None:
            response.status = Response.SUBMITTED
            tallies.add_response(response)
        else:
            response.status = Response.UNCONFIRMED
        response.save(update_fields=["status", "submitted_at", "updated_at"])
        pk = response.pk
        transaction.on_commit(lambda: send_receipt(pk))
    return response


def confirm(response: Response) -> Response:
    """The emailed link was followed: an unconfirmed response counts (it
    replaces an earlier one confirmed from the same address)."""
    _require_open(response)
    with transaction.atomic():
        _locked(response)
        if response.status != Response.UNCONFIRMED:
            return response
        earlier = list(Response.objects.select_for_update().filter(
            consultation_id=response.consultation_id, respondent__isnull=True, email__iexact=response.email,
            status=Response.SUBMITTED).exclude(pk=response.pk))
        for old in earlier:
            tallies.remove_response(old)
            old.delete()
        response.status = Response.SUBMITTED
        response.save(update_fields=["status", "updated_at"])
        tallies.add_response(response)
    return response


def save_for_later(response: Response) -> Response:
    """Email the person the link that resumes their draft."""
    _require_open(response)
    pk = response.pk
    transaction.on_commit(lambda: send_resume_link(pk))
    return response


def find(consultation: ConsultationPage, link_token: str) -> Response | None:
    """The response an emailed link names ("<id>-<secret>": the id has no
    "-", so the first one ends it), the secret compared in constant time;
    None if there is none."""
    pk, _dash, secret = (link_token or "").partition("-")
    if not pk.isdigit() or not secret:
        return None
    response = Response.objects.filter(pk=int(pk), consultation_id=consultation.pk).first()
    if response is None or not hmac.compare_digest(response.token.encode(), secret.encode()):
        return None
    return response


def link_token(response: Response) -> str:
    return f"{response.pk}-{response.token}"


def _link(response: Response, action: str) -> str:
    return settings.SITE_URL.rstrip("/") + response.consultation.url + f"respond/{action}/{link_token(response)}/"


def _address(response: Response) -> str:
    return response.respondent.email if response.respondent_id else response.email


def _rows(response: Response) -> list[tuple[asking.Question, object]]:
    questions = response.consultation.question_list()
    answers = given(response)
    return [(q, asking.shown(q, answers.get(q.id))) for q in asking.asked(questions, answers)]


def _send(response: Response, subject: str, template: str, context: dict) -> None:
    address = _address(response)
    if not address:
        return
    body = render_to_string(template, {"response": response, "consultation": response.consultation,
                                       "site_name": settings.SITE_NAME, **context})
    EmailMessage(f"[{settings.SITE_NAME}] {subject}", body, settings.DEFAULT_FROM_EMAIL, [address]).send()


def send_receipt(response_id: int) -> None:
    """The receipt with a copy of the answers; without an account, the link confirming the response."""
    response = Response.objects.select_related("consultation", "respondent", "organisation").filter(
        pk=response_id).first()
    if response is None:
        return
    consultation = response.consultation
    unconfirmed = response.status == Response.UNCONFIRMED
    subject = (f"Confirm your response to {consultation.title}" if unconfirmed
               else f"Your response to {consultation.title}")
    _send(response, subject, "consultations/email/receipt.txt", {
        "rows": _rows(response), "confirm_link": _link(response, "confirm") if unconfirmed else ""})


def send_resume_link(response_id: int) -> None:
    response = Response.objects.select_related("consultation", "respondent").filter(pk=response_id).first()
    if response is None:
        return
    _send(response, f"Your draft response to {response.consultation.title}", "consultations/email/resume.txt",
          {"link": _link(response, "resume")})
