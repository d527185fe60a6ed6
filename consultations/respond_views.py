"""Answering a consultation as GOV.UK services ask: who is answering,
one question per page, check your answers, confirmation; save and come
back later by an emailed link; without an account, a response confirmed
by email. Works without JavaScript. The services decide
(consultations/services/responses.py), the views show."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from wagtail.models import Page

from ideas.restrictions import response_for
from inputs.refusals import Refused, refusal
from people.models import Organisation

from . import questions as asking
from . import ratelimits
from .models import ConsultationPage, Response
from .rules import closed_message
from .services import responses

def _base(page):
    return Page.get_url(page) + "respond/"


def _session_key(page):
    return f"consultation-response-{page.pk}"


def current(request, page) -> Response | None:
    """This person's response to the consultation: theirs when signed in,
    else the one this browser started or resumed from an emailed link."""
    if request.user.is_authenticated:
        return Response.objects.filter(consultation=page, respondent=request.user).first()
    pk = request.session.get(_session_key(page))
    if pk is None:
        return None
    return Response.objects.filter(pk=pk, consultation=page, respondent__isnull=True).first()


def _gate(request, page, *, respond=True):
    """None when the person may go on, else the answer: not a consultation
    is 404; a view restriction; the `consultations.respond` refusal (sign
    in, or the page saying when it opens or closed)."""
    if not isinstance(page, ConsultationPage):
        raise Http404("No such page.")
    restricted = response_for(request, page)
    if restricted is not None:
        return restricted
    if respond:
        refused = refusal(request.user, "consultations.respond", page)
        if refused is not None:
            if refused.status == 401:
                return redirect_to_login(request.get_full_path())
            return _closed(request, page, refused.message, refused.status)
    return None


def _closed(request, page, message, status=409):
    return render(request, "consultations/respond_closed.html", {"page": page, "reason": message}, status=status)


def page_context(request, page) -> dict:
    """What the consultation page shows about responding: open or not, and this person's response."""
    return {"is_open": page.is_open(), "my_response": current(request, page)}


def _next_url(page, response, after, *, change=False):
    """The next question asked after `after` (routing), or check your answers."""
    questions = page.question_list()
    answers = responses.given(response)
    asked = asking.asked(questions, answers)
    if change:
        missing = asking.missing(questions, answers)
        return _base(page) + (f"{missing[0].id}/?change=1" if missing else "check/")
    following = [q for q in asked if after is None or q.number > after.number]
    return _base(page) + (f"{following[0].id}/" if following else "check/")


def _first_open_question(page, response):
    """Where a resumed draft carries on: the first question asked not answered yet, else check your answers."""
    questions = page.question_list()
    answers = responses.given(response)
    for q in asking.asked(questions, answers):
        if q.id not in answers:
            return _base(page) + f"{q.id}/"
    return _base(page) + "check/"


def respond(request, page):
    """Who is answering and whether the response may be published."""
    answer = _gate(request, page)
    if answer is not None:
        return answer
    response = current(request, page)
    signed_in = request.user.is_authenticated
    organisations = list(Organisation.objects.filter(memberships__user=request.user).order_by("name")) \
        if signed_in else []
    errors, values = {}, {}
    if response is not None:
        values = {"organisation": str(response.organisation_id or ""), "publish": response.publish}
    if request.method == "POST":
        values = {"organisation": request.POST.get("organisation", ""), "publish": request.POST.get("publish", ""),
                  "email": request.POST.get("email", "").strip()}
        try:
            if response is None:
                if not signed_in:
                    ratelimits.enforce(request, "consultation_response", recipient=values["email"])
                response = responses.start(request.user, page, values["email"])
                if not signed_in:
                    request.session[_session_key(page)] = response.pk
            was_sent = response.status != Response.DRAFT
            responses.set_respondent(response, values["organisation"], values["publish"])
        except Refused as refused:
            errors[refused.field or "organisation"] = refused.message
        else:
            if was_sent:
                return redirect(_base(page) + "check/")
            return redirect(_first_open_question(page, response))
    return render(request, "consultations/respond.html", {
        "page": page, "response": response, "organisations": organisations, "errors": errors, "values": values,
        "signed_in": signed_in, "publish_choices": Response.PUBLISH_CHOICES,
        "already": responses.ALREADY_RESPONDED if response is not None and response.status != Response.DRAFT else "",
    }, status=400 if errors else 200)


def _raw(request, question):
    if question.kind in (asking.MULTIPLE, asking.RANKING):
        return {"answer": request.POST.getlist("answer"), "why": ""}
    return {"answer": request.POST.get("answer", ""), "why": request.POST.get("why", "")}


def _is_blank(raw):
    value = raw.get("answer")
    if isinstance(value, list):
        return not any(isinstance(v, str) and v.strip() for v in value)
    return not (value or "").strip() and not (raw.get("why") or "").strip()


def question(request, page, question):
    """One question: the right GOV.UK component for its type."""
    answer = _gate(request, page)
    if answer is not None:
        return answer
    response = current(request, page)
    if response is None:
        return redirect(_base(page))
    questions = page.question_list()
    asked_question = next((q for q in questions if q.id == question), None)
    if asked_question is None:
        raise Http404("No such question.")
    answers = responses.given(response)
    asked = asking.asked(questions, answers)
    if asked_question not in asked:
        return redirect(_base(page) + "check/")
    change = bool(request.GET.get("change"))
    raw = responses.as_raw(answers.get(asked_question.id))
    error = None
    if request.method == "POST":
        raw = _raw(request, asked_question)
        saving = request.POST.get("action") == "save"
        try:
            if not (saving and _is_blank(raw)):
                responses.answer(response, asked_question.id, raw)
            if saving:
                ratelimits.enforce(request, "consultation_link", recipient=response.email or getattr(request.user, "email", ""))
                responses.save_for_later(response)
        except Refused as refused:
            error = refused.message
        else:
            if saving:
                return render(request, "consultations/respond_saved.html", {"page": page, "response": response})
            return redirect(_next_url(page, response, asked_question, change=change))
    earlier = [q for q in asked if q.number < asked_question.number]
    back = _base(page) + (f"{earlier[-1].id}/" if earlier else "")
    if change:
        back = _base(page) + "check/"
    chosen = raw.get("answer")
    ranks = []
    if asked_question.kind == asking.RANKING:
        order = chosen if isinstance(chosen, list) else []
        ranks = [(n, asking.ordinal(n), order[n - 1] if n <= len(order) else "")
                 for n in range(1, len(asked_question.choices) + 1)]
    return render(request, "consultations/respond_question.html", {
        "page": page, "question": asked_question, "error": error, "answer": chosen,
        "chosen": chosen if isinstance(chosen, list) else [chosen], "why": raw.get("why", ""), "ranks": ranks,
        "back": back, "total": len(asked), "response": response,
    }, status=400 if error else 200)


def _rows(page, response):
    questions = page.question_list()
    answers = responses.given(response)
    return [(q, asking.shown(q, answers.get(q.id))) for q in asking.asked(questions, answers)]


def check(request, page):
    """Check your answers: only the questions asked, each with a Change link."""
    answer = _gate(request, page)
    if answer is not None:
        return answer
    response = current(request, page)
    if response is None:
        return redirect(_base(page))
    errors, notice, status = {}, "", 200
    if request.method == "POST":
        try:
            if response.respondent_id is None:
                ratelimits.enforce(request, "consultation_response", recipient=response.email)
            responses.submit(response)
        except Refused as refused:
            status = refused.status
            if refused.code == "questions_changed":
                notice = refused.message
            else:
                errors[refused.field or ""] = refused.message
        else:
            return redirect(_base(page) + "done/")
    organisation = response.organisation
    return render(request, "consultations/respond_check.html", {
        "page": page, "response": response, "rows": _rows(page, response), "errors": errors, "notice": notice,
        "organisation": organisation, "publish": dict(Response.PUBLISH_CHOICES).get(response.publish, ""),
        "sent": response.status == Response.SUBMITTED,
    }, status=status)


def done(request, page):
    """The confirmation panel with the reference (or, without an account, "check your email")."""
    answer = _gate(request, page, respond=False)
    if answer is not None:
        return answer
    response = current(request, page)
    if response is None or response.status == Response.DRAFT:
        raise Http404("No response sent here.")
    return render(request, "consultations/respond_done.html", {"page": page, "response": response})


def resume(request, page, token):
    """The emailed link: back to the draft (a wrong link is 404)."""
    answer = _gate(request, page, respond=False)
    if answer is not None:
        return answer
    response = responses.find(page, token)
    if response is None:
        raise Http404("No such response.")
    if response.respondent_id is not None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.pk != response.respondent_id:
            raise Http404("No such response.")
    if not page.is_open():
        return _closed(request, page, closed_message(request.user, page))
    if response.respondent_id is None:
        request.session[_session_key(page)] = response.pk
    if response.status != Response.DRAFT:
        return render(request, "consultations/respond_sent.html", {
            "page": page, "response": response, "message": responses.ALREADY_RESPONDED})
    return redirect(_first_open_question(page, response))


def confirm(request, page, token):
    """Without an account: the emailed link makes the response count (a button, so a mail scanner's visit does not)."""
    answer = _gate(request, page, respond=False)
    if answer is not None:
        return answer
    response = responses.find(page, token)
    if response is None or response.respondent_id is not None:
        raise Http404("No such response.")
    if request.method == "POST":
        try:
            responses.confirm(response)
        except Refused as refused:
            return _closed(request, page, refused.message, refused.status)
        request.session[_session_key(page)] = response.pk
        return redirect(_base(page) + "done/")
    if response.status == Response.SUBMITTED:
        return redirect(_base(page) + "done/") if request.session.get(_session_key(page)) == response.pk else \
            render(request, "consultations/respond_confirm.html", {"page": page, "response": response,
                                                                    "confirmed": True})
    if not page.is_open():
        return _closed(request, page, "This consultation has closed: responses can no longer be confirmed.")
    return render(request, "consultations/respond_confirm.html", {"page": page, "response": response})
