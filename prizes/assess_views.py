"""The panel's assessing screens, on the prize's own addresses (routed by
consult's call page, registered in prizes/apps.py):

- `panel/assign/`: the team assigns the stage's applications to assessors;
- `assess/`: an assessor's list of their applications (live: new ones are
  announced without a reload);
- `assess/<id>/`: one application's answers and files, and the score sheet;
  the other assessors' sheets, unnamed, once one's own is submitted;
- `sheet/<id>/reassign/`: the chair moves an assignment.

Blind prizes show assessors no name, organisation or file name. Every page
works without JavaScript; the services decide, the views show."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from wagtail.models import Page

from inputs.ids import parse_id
from inputs.pages import parse_page
from inputs.refusals import Refused, refusal
from people.names import display_name

from .gates import gate
from . import selectors
from .assignment import conflicted
from .models import Application, Assignment
from .rules import is_on_panel
from .services import assessments
from .services.assessments import ScoresRefused

PER_PAGE = 25
RADIOS_UP_TO = 6  # points on a scale shown as radios; longer scales get a number box


def _base(prize):
    return Page.get_url(prize)


def _refused_page(request, prize, refused):
    return render(request, "prizes/refused.html", {"page": prize, "reason": refused.message}, status=refused.status)


# --- panel/assign/ ----------------------------------------------------------------

def assign(request, call):
    prize, answer = gate(request, call)
    if answer is not None:
        return answer
    refused = refusal(request.user, "prizes.assign", prize)
    if refused is not None:
        return _refused_page(request, prize, refused)
    context = {"page": prize}
    status = 200
    if request.method == "POST":
        try:
            context["run"] = assessments.assign_stage(request.user, prize, request.POST.get("stage") or None)
        except Refused as error:
            context["error"], status = error.message, error.status
    try:
        stage = context["run"].stage if "run" in context else assessments.stage_to_assess(prize)
    except Refused as error:
        context["error"], status = error.message, error.status
        return render(request, "prizes/assign.html", context, status=status)
    applications = list(Application.objects.filter(prize=prize, stage=stage.id, status=Application.SUBMITTED)
                        .values_list("pk", flat=True))
    assignments = Assignment.objects.filter(application_id__in=applications, stage=stage.id).count()
    context.update(stage=stage, applications=len(applications), assessors=len(selectors.panel_users(prize)),
                   assignments=assignments, needed=len(applications) * stage.assessors)
    return render(request, "prizes/assign.html", context, status=status)


# --- assess/ ----------------------------------------------------------------------

def assess_list(request, call):
    prize, answer = gate(request, call)
    if answer is not None:
        return answer
    if not is_on_panel(request.user, prize):
        raise Http404("No such page.")
    number = parse_page(request.GET.get("page"))
    if number is None:
        raise Http404("No such page.")
    paginator = Paginator(selectors.assessor_work(prize, request.user.pk), PER_PAGE)
    if number > paginator.num_pages:
        raise Http404("No such page.")
    page_obj = paginator.page(number)
    stages = {s.id: s for s in prize.stages()}
    me = selectors.assessor(prize.pk, request.user.pk)
    rows = []
    for assignment in page_obj.object_list:
        application = assignment.application
        current = assignment.stage == application.stage
        if me is not None and conflicted(me, selectors.as_plain(application)):
            status = ("red", "Conflict declared")
        elif assignment.submitted_at is not None:
            status = ("green", "Submitted")
        elif not current:
            status = ("grey", "Stage over")
        elif assignment.scored:
            status = ("blue", "In progress")
        else:
            status = ("grey", "To do")
        stage = stages.get(assignment.stage)
        rows.append({
            "assignment": assignment, "application": application, "reference": application.reference,
            "stage": stage.name if stage else "A stage no longer published", "status": status,
            "open": current and status[1] != "Conflict declared",
            "applicant": None if prize.blind else display_name(application.applicant),
            "organisation": None if prize.blind or application.organisation is None else application.organisation.name,
        })
    return render(request, "prizes/assess_list.html", {
        "page": prize, "rows": rows, "page_obj": page_obj, "blind": prize.blind,
        "to_do": sum(1 for r in rows if r["status"][1] in ("To do", "In progress")),
    })


# --- assess/<id>/ -----------------------------------------------------------------

def _criterion_fields(stage, values, comments, errors):
    fields = []
    for c in stage.criteria:
        points = c.high - c.low + 1
        fields.append({
            "criterion": c, "share": stage.weight_share(c),
            "score": values.get(c.id, ""), "comment": comments.get(c.id, ""),
            "radios": [str(n) for n in range(c.low, c.high + 1)] if points <= RADIOS_UP_TO else None,
            "score_error": errors.get(f"score_{c.id}"), "comment_error": errors.get(f"comment_{c.id}"),
        })
    return fields


def assess(request, call, pk):
    prize, answer = gate(request, call)
    if answer is not None:
        return answer
    query = Application.objects.filter(prize=prize, pk=pk)
    if not prize.blind:
        query = query.select_related("organisation", "applicant__profile")
    application = query.first()
    if application is None or refusal(request.user, "prizes.assess", application) is not None:
        raise Http404("No such application.")
    stage = assessments.stage_of(prize, application.stage)
    if stage is None:
        raise Http404("No such application.")
    sheets = selectors.score_sheets(application.pk, stage.id)
    mine = next((s for s in sheets if s["assessor"] == request.user.pk), None)
    if mine is None:  # moved away since the rule was asked
        raise Http404("No such application.")
    values = {c: str(v) for c, (v, _t) in mine["scores"].items()}
    comments = {c: t for c, (_v, t) in mine["scores"].items()}
    errors, saved, status = {}, False, 200
    if request.method == "POST":
        values = {c.id: request.POST.get(f"score_{c.id}", "").strip() for c in stage.criteria}
        comments = {c.id: request.POST.get(f"comment_{c.id}", "") for c in stage.criteria}
        act = assessments.save_scores if request.POST.get("action") == "save" else assessments.submit_scores
        try:
            act(request.user, prize, application, values, comments)
        except ScoresRefused as refused:
            errors, status = refused.errors, refused.status
        except Refused as refused:
            errors, status = {"": refused.message}, refused.status
        else:
            if act is assessments.submit_scores:
                return redirect(f"{_base(prize)}assess/{application.pk}/?submitted=1")
            saved = True
    submitted = mine["submitted_at"] is not None
    answers = selectors.answers_by_stage(application.pk)
    answered = [(s, [(q, answers[s.id][q.id]) for q in s.questions if answers.get(s.id, {}).get(q.id)])
                for s in prize.stages()]
    files = [{"pk": f.pk, "name": f"Attachment {n}" if prize.blind else f.name, "size": f.size,
              "type": f.content_type} for n, f in enumerate(selectors.attachments_shown(application.pk), start=1)]
    criteria = {c.id: c for c in stage.criteria}
    own = [(criteria[c], *mine["scores"][c]) for c in criteria if c in mine["scores"]] if submitted else []
    # Only now, and never named: the other assessors' submitted sheets.
    others = []
    if submitted:
        for number, sheet in enumerate((s for s in sheets if s is not mine and s["submitted_at"]), start=1):
            others.append({"label": f"Assessor {number}",
                           "rows": [(criteria[c], *sheet["scores"][c]) for c in criteria if c in sheet["scores"]]})
    return render(request, "prizes/assess.html", {
        "page": prize, "application": application, "stage": stage, "blind": prize.blind,
        "max_comment": assessments.MAX_COMMENT,
        "answered": [(s, rows) for s, rows in answered if rows], "files": files,
        "fields": _criterion_fields(stage, values, comments, errors), "errors": errors,
        "error_list": [(key, message) for key, message in errors.items()],
        "saved": saved, "submitted": submitted, "submitted_at": mine["submitted_at"],
        "just_submitted": submitted and request.GET.get("submitted") == "1",
        "own": own, "others": others, "outstanding": sum(1 for s in sheets if s is not mine and not s["submitted_at"]),
    }, status=status)


# --- sheet/<id>/reassign/ ---------------------------------------------------------

def reassign(request, call, pk):
    prize, answer = gate(request, call)
    if answer is not None:
        return answer
    refused = refusal(request.user, "prizes.reassign", prize)
    if refused is not None:
        return _refused_page(request, prize, refused)
    application = Application.objects.filter(prize=prize, pk=pk).first()
    if application is None:
        raise Http404("No such application.")
    errors, status = {}, 200
    chosen = {"from": None, "to": None}
    if request.method == "POST":
        chosen = {"from": parse_id(request.POST.get("assignment")), "to": parse_id(request.POST.get("to"))}
        try:
            if chosen["from"] is None:
                raise Refused("Choose the assessor whose assignment to move.", field="assignment")
            if chosen["to"] is None:
                raise Refused("Choose the assessor to move it to.", field="to")
            assessments.reassign(request.user, prize, application, chosen["from"], chosen["to"])
        except Refused as error:
            errors[error.field or "assignment"] = error.message
            status = error.status
        else:
            return redirect(f"{_base(prize)}sheet/{application.pk}/reassign/?moved=1")
    stage = assessments.stage_of(prize, application.stage)
    users = selectors.panel_users(prize)
    sheets = selectors.score_sheets(application.pk, application.stage)
    assigned = [{"assessor": s["assessor"], "name": _name(users, s["assessor"]), "submitted": bool(s["submitted_at"]),
                 "started": bool(s["scores"])} for s in sheets]
    eligible = [{"assessor": a, "name": _name(users, a)} for a in assessments.eligible_assessors(prize, application)]
    return render(request, "prizes/reassign.html", {
        "page": prize, "application": application, "stage": stage, "assigned": assigned, "eligible": eligible,
        "movable": [a for a in assigned if not a["submitted"]], "errors": errors, "chosen": chosen,
        "moved": request.GET.get("moved") == "1",
    }, status=status)


def _name(users, user_id):
    user = users.get(user_id)
    return display_name(user) if user is not None else "A former panel member"
