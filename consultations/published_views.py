"""The consultation's public pages after it (issue #29 item 5) and the
team's export (item 6): `response/`, the government response question by
question beside the suppressed results; `response/edit/`, where the team
writes and publishes it; `responses/`, the responses published with their
authors' consent once a moderator approved them (the team and moderators
approve and hide them there); `export/`, every response as CSV, streamed."""

from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from ideas import csvsafe
from ideas.restrictions import response_for
from inputs.ids import parse_id
from inputs.pages import parse_page
from inputs.refusals import Refused, refusal

from . import publishing
from .models import ConsultationPage, Response
from .services import publishing as writing

PAGE_SIZE = 50


def _public(request, page):
    if not isinstance(page, ConsultationPage):
        raise Http404("No such page.")
    return response_for(request, page)


def _refused(request, page, perm):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    refused = refusal(request.user, perm, page)
    if refused is None:
        return None
    if refused.status == 404:
        raise Http404(refused.message)
    return render(request, "consultations/analysis_refused.html", {"page": page, "reason": refused.message},
                  status=refused.status)


def response(request, page):
    answer = _public(request, page)
    if answer is not None:
        return answer
    published = publishing.published_response(page)
    if published is None:
        raise Http404("The team has not published its response yet.")
    return render(request, "consultations/published_response.html", {"page": page, "published": published})


def response_edit(request, page):
    answer = _public(request, page) or _refused(request, page, "consultations.analyse")
    if answer is not None:
        return answer
    questions = page.question_list()
    error, status = None, 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "unpublish":
                writing.unpublish_response(request.user, page)
            else:
                writing.save_response(
                    request.user, page, request.POST.get("introduction", ""),
                    {q.id: (request.POST.get(f"summary-{q.id}", ""), request.POST.get(f"decision-{q.id}", ""))
                     for q in questions},
                    publish=request.POST.get("action") == "publish")
        except Refused as refused:
            error, status = refused.message, refused.status
        else:
            return redirect(request.path)
    found = publishing.government_response(page)
    written = publishing.question_responses(page)
    rows = [(q, written.get(q.id)) for q in questions]
    return render(request, "consultations/published_response_edit.html",
                  {"page": page, "found": found, "rows": rows, "error": error}, status=status)


def responses(request, page):
    answer = _public(request, page)
    if answer is not None:
        return answer
    may_moderate = request.user.is_authenticated and refusal(
        request.user, "consultations.moderate_responses", page) is None
    error, status = None, 200
    if request.method == "POST":
        if not may_moderate:
            return _refused(request, page, "consultations.moderate_responses")
        try:
            writing.moderate_response(request.user, page, parse_id(request.POST.get("response")),
                                      request.POST.get("action", ""), request.POST.get("reason", ""))
        except Refused as refused:
            error, status = refused.message, refused.status
        else:
            return redirect(request.get_full_path())
    paginator = Paginator(publishing.public_responses([page.pk]), PAGE_SIZE)
    page_obj = paginator.get_page(parse_page(request.GET.get("page")) or 1)
    context = {"page": page, "page_obj": page_obj, "rows": publishing.rows(page, page_obj.object_list),
               "may_moderate": may_moderate, "error": error}
    if may_moderate:
        waiting = list(publishing.awaiting_moderation(page)[:200])
        context["waiting"] = list(zip(waiting, publishing.rows(page, waiting)))
    return render(request, "consultations/published_responses.html", context, status=status)


class _Echo:
    def write(self, value):
        return value


def cell(value) -> str | int | float:
    """An answer as one cell: a list joined, a yes/no with its why."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        why = value.get("why") or ""
        return f"{value.get('answer', '')}: {why}" if why else str(value.get("answer", ""))
    return value


def export_rows(page):
    """The header, then one row per response (every status but drafts), one column per question."""
    questions = page.question_list()
    yield ["reference", "status", "submitted_at", "on_behalf_of", "publish",
           *[f"Q{q.number}. {q.text}" for q in questions]]
    responses = (Response.objects.filter(consultation_id=page.pk).exclude(status=Response.DRAFT)
                 .select_related("organisation").prefetch_related("answers").order_by("pk"))
    for row in responses.iterator(chunk_size=500):
        given = {a.question: a.value for a in row.answers.all()}
        yield [f"C{page.pk}-{row.pk}", row.status, row.submitted_at.isoformat() if row.submitted_at else "",
               row.organisation.name if row.organisation else "", row.publish,
               *[cell(given.get(q.id)) for q in questions]]


def export(request, page):
    answer = _public(request, page) or _refused(request, page, "consultations.analyse")
    if answer is not None:
        return answer
    writer = csvsafe.writer(_Echo())
    streamed = StreamingHttpResponse((writer.writerow(row) for row in export_rows(page)), content_type="text/csv")
    streamed["Content-Disposition"] = f'attachment; filename="{slugify(page.title) or "consultation"}-responses.csv"'
    return streamed
