"""Applying to a prize, as GOV.UK services ask: the stage's questions (save
a draft and come back, or continue), check your answers, confirmation.
Works without JavaScript; the services decide, the views show."""

from django.http import Http404
from django.shortcuts import redirect, render
from wagtail.models import Page

from inputs.refusals import Refused, refusal
from people.models import Organisation

from . import file_views
from .forms import ApplicationForm
from .gates import gate
from .models import Answer, Application, PrizeCallPage
from .rules import open_stage
from .services import applications
from .services.applications import AnswersRefused


def _prize(request, call):
    prize, answer = gate(request, call)
    if answer is not None:
        return None, answer
    refused = refusal(request.user, "prizes.apply", call)
    if refused is not None:
        return None, render(request, "prizes/apply_closed.html", {"page": call, "reason": refused.message},
                            status=refused.status)
    return call, None


def _base(prize):
    return Page.get_url(prize) + "apply/"


def apply(request, call):
    prize, answer = _prize(request, call)
    if answer is not None:
        return answer
    stage, _index = open_stage(prize)
    application = Application.objects.filter(prize=prize, applicant=request.user).first()
    organisations = list(Organisation.objects.filter(memberships__user=request.user).order_by("name"))
    saved = {}
    if application is not None:
        saved = dict(Answer.objects.filter(application=application, stage=stage.id).values_list("question", "text"))
    initial = {f"q_{q}": text for q, text in saved.items()}
    if application is not None and organisations:
        initial["organisation"] = application.organisation_id
    form = ApplicationForm(request.POST or None, stage=stage, organisations=organisations, initial=initial)
    file_error = None
    if request.method == "POST" and form.is_valid():
        try:
            applications.save_draft(request.user, prize, form.answers(), form.cleaned_data.get("organisation"))
        except AnswersRefused as refused:
            form.add_answer_errors(refused.errors)
        except Refused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            action = request.POST.get("action", "")
            # The file buttons (prizes/file_views.py): the answers are saved too.
            if action == "upload" or action.startswith("remove:"):
                file_error = file_views.act(request, prize, action)
                if file_error is None:
                    return redirect(_base(prize) + "#files")
            elif action != "save":
                return redirect(_base(prize) + "check/")
    listed = file_views.listing(request.user, prize, stage)
    status = 400 if form.errors or file_error else 200
    return render(request, "prizes/apply.html", {
        "page": prize, "stage": stage, "form": form, "file_error": file_error, "files": listed,
        "limits": file_views.limits(prize, listed),
        "saved": request.method == "POST" and status == 200 and request.POST.get("action") == "save"}, status=status)


def check(request, call):
    prize, answer = _prize(request, call)
    if answer is not None:
        return answer
    stage, _index = open_stage(prize)
    application = Application.objects.filter(prize=prize, applicant=request.user).select_related(
        "organisation").first()
    if application is None:
        return redirect(_base(prize))
    given = dict(application.answers.filter(stage=stage.id).values_list("question", "text"))
    rows = [(n, q, given.get(q.id, "")) for n, q in enumerate(stage.questions, start=1)]
    errors = {}
    if request.method == "POST":
        try:
            applications.submit(request.user, prize)
        except AnswersRefused as refused:
            errors = refused.errors
        except Refused as refused:
            errors = {"": refused.message}
        else:
            return redirect(_base(prize) + "done/")
    return render(request, "prizes/apply_check.html", {
        "page": prize, "stage": stage, "application": application, "rows": rows, "errors": errors,
        "files": file_views.listing(request.user, prize, stage),
    }, status=400 if errors else 200)


def done(request, call):
    if not isinstance(call, PrizeCallPage):
        raise Http404("No such page.")
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    application = Application.objects.filter(prize=call, applicant=request.user,
                                             status=Application.SUBMITTED).first()
    if application is None:
        raise Http404("No application submitted here.")
    return render(request, "prizes/apply_done.html", {"page": call, "application": application})
