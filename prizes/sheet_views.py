"""The panel sheet and what follows it: the ranked sheet with its flags
(chair and team), one application's row (the chair moderates, the team
decides and edits feedback), publishing a stage's results with
confirmation, and the applicant's own application page. Work without
JavaScript; the services decide, the views show."""

from django.http import Http404
from django.shortcuts import redirect, render
from wagtail.models import Page

from inputs.pages import parse_page
from inputs.refusals import Refused, refusal

from . import decisions, results
from .gates import gate
from .models import Answer, Application, Attachment, StageResult
from .services import decisions as deciding
from .services.decisions import FeedbackRefused


def _base(prize):
    return Page.get_url(prize)


def _may(user, perm, prize):
    return refusal(user, perm, prize) is None


def sheet(request, call):
    prize, answer = gate(request, call, "prizes.view_sheet")
    if answer is not None:
        return answer
    stage = results.sheet_stage(prize, request.GET.get("stage"))
    if stage is None:
        raise Http404("No such stage.")
    number = parse_page(request.GET.get("page"))
    flagged = request.GET.get("show") == "flagged"
    can_decide = _may(request.user, "prizes.decide", prize)
    errors, status, done = {}, 200, None
    if request.method == "POST":
        if not can_decide:
            return render(request, "prizes/refused.html", {
                "page": prize, "reason": refusal(request.user, "prizes.decide", prize).message}, status=403)
        try:
            count = deciding.decide(request.user, prize, request.POST.getlist("applications"),
                                    request.POST.get("decision", ""), request.POST.get("award", ""))
        except Refused as refused:
            errors = {refused.field or "applications": refused.message}
            status = refused.status
        else:
            done = f"{count} application{'s' if count != 1 else ''}: {decisions.CHOICES[request.POST['decision']]}."
    published = stage.id in results.published_stage_ids(prize)
    context = {
        "page": prize, "stage": stage, "stages": prize.stages(), "flagged": flagged,
        "page_obj": results.sheet_page(prize, stage.id, number or 1, flagged),
        "counts": results.sheet_counts(prize, stage.id), "threshold": stage.threshold,
        "can_decide": can_decide and not published, "published": published, "blind": prize.blind and not can_decide,
        "choices": [(k, v) for k, v in decisions.CHOICES.items() if k], "errors": errors, "done": done,
        "base": _base(prize), "page_error": None if number else "The page number must be a whole number from 1.",
    }
    return render(request, "prizes/sheet.html", context, status=status if number else 400)


def _application(prize, pk):
    application = Application.objects.filter(prize=prize, pk=pk).select_related(
        "applicant__profile", "organisation").first()
    if application is None:
        raise Http404("No such application.")
    return application


def _number(raw):
    text = (raw or "").strip()
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise Refused("Give the moderated score as a number from 0 to 100, for example 72.5.", field="score",
                      code="invalid") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise Refused("Give the moderated score as a number from 0 to 100.", field="score", code="invalid")
    return value


def sheet_row(request, call, pk):
    prize, answer = gate(request, call, "prizes.view_sheet")
    if answer is not None:
        return answer
    application = _application(prize, pk)
    result = StageResult.objects.filter(prize=prize, application=application, stage=application.stage).first()
    if result is None:
        result = StageResult.objects.filter(prize=prize, application=application).order_by("-pk").first()
    if result is None:
        raise Http404("This application is not on a panel sheet yet.")
    stage = next((s for s in prize.stages() if s.id == result.stage), None)
    if stage is None:
        raise Http404("No such stage.")
    can_decide = _may(request.user, "prizes.decide", prize)
    can_moderate = _may(request.user, "prizes.moderate_score", prize)
    published = stage.id in results.published_stage_ids(prize)
    errors, status, done = {}, 200, None
    feedback = deciding.feedback_draft(prize, result, results.comments_by_criterion(result))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "moderate":
                result = deciding.moderate(request.user, prize, application, _number(request.POST.get("score")),
                                           request.POST.get("reason", ""))
                done = "The moderated score is recorded in the audit log."
            elif action == "decide":
                deciding.decide(request.user, prize, [application.pk], request.POST.get("decision", ""),
                                request.POST.get("award", ""))
                done = "Decision recorded. It takes effect when the stage's results are published."
            elif action == "feedback":
                feedback = {c.id: request.POST.get(f"feedback_{c.id}", "") for c in stage.criteria}
                deciding.save_feedback(request.user, prize, application, feedback)
                done = "Feedback saved. It is sent when the stage's results are published."
            else:
                raise Refused("Choose what to do.", code="invalid")
        except FeedbackRefused as refused:
            errors = {f"feedback_{k}": v for k, v in refused.errors.items()}
            status = 400
        except Refused as refused:
            errors = {refused.field or "form": refused.message}
            status = refused.status
        if not errors:
            return redirect(f"{_base(prize)}sheet/{application.pk}/?done={action}")
    done = done or {"moderate": "The moderated score is recorded in the audit log.",
                    "decide": "Decision recorded. It takes effect when the stage's results are published.",
                    "feedback": "Feedback saved. It is sent when the stage's results are published."}.get(
        request.GET.get("done"))
    result.refresh_from_db()
    return render(request, "prizes/sheet_row.html", {
        "page": prize, "application": application, "result": result, "stage": stage,
        "blind": prize.blind and not can_decide, "published": published,
        "sheets": results.assessor_sheets(result, stage.criteria),
        "answers": dict(Answer.objects.filter(application=application, stage=stage.id).values_list("question", "text")),
        "attachments": Attachment.objects.filter(application=application, stage=stage.id),
        "feedback": [(c, feedback.get(c.id, "")) for c in stage.criteria],
        "can_decide": can_decide and not published, "can_moderate": can_moderate and not published,
        "choices": [(k, v) for k, v in decisions.CHOICES.items() if k], "errors": errors, "done": done,
        "base": _base(prize),
    }, status=status)


def publish(request, call):
    prize, answer = gate(request, call, "prizes.decide")
    if answer is not None:
        return answer
    stage = results.sheet_stage(prize, request.POST.get("stage") or request.GET.get("stage"))
    if stage is None:
        raise Http404("No such stage.")
    if stage.id in results.published_stage_ids(prize):
        return redirect(f"{_base(prize)}sheet/?stage={stage.id}")
    rows = deciding.publication_rows(prize, stage.id)
    warnings = decisions.warnings(rows)
    error, status = None, 200
    if request.method == "POST":
        try:
            deciding.publish(request.user, prize, stage.id, confirmed=request.POST.get("confirm") == "yes")
        except Refused as refused:
            error, status = refused.message, refused.status
        else:
            return redirect(f"{_base(prize)}#results")
    return render(request, "prizes/publish.html", {
        "page": prize, "stage": stage, "rows": rows, "warnings": warnings, "error": error,
        "advancing": sum(1 for r in rows if r.decision == decisions.ADVANCED),
        "awarding": sum(1 for r in rows if r.decision == decisions.AWARDED), "base": _base(prize),
    }, status=status)


def application_page(request, call):
    """The applicant's own application: where it stands, what they answered
    and attached, and once published, the result and the feedback."""
    prize, answer = gate(request, call)
    if answer is not None:
        return answer
    application = Application.objects.filter(prize=prize, applicant=request.user).select_related(
        "organisation").first()
    if application is None:
        raise Http404("You have not applied to this prize.")
    stages_by_id = {s.id: s for s in prize.stages()}
    answers = {}
    for stage_id, question, text in Answer.objects.filter(application=application).values_list(
            "stage", "question", "text"):
        answers.setdefault(stage_id, {})[question] = text
    answered = [(s, [(q, answers[s.id].get(q.id, "")) for q in s.questions]) for s in prize.stages()
                if s.id in answers]
    return render(request, "prizes/application.html", {
        "page": prize, "application": application, "current": stages_by_id.get(application.stage),
        "answered": answered, "attachments": Attachment.objects.filter(application=application),
        "results": [(s, r, [(c, r.feedback.get(c.id, "")) for c in s.criteria])
                    for s, r in results.own_results(application)],
        "outcomes": decisions.OUTCOMES, "base": _base(prize),
    })
