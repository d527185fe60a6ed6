"""The team's analysis of a consultation (`analysis/`): each question's
counts and shares as bars with their table, cross-tabulated on demand by
the respondents' organisation (type, size, region; individuals beside
them) or by the answer to another question (`?by=`); a free-text
question's answers (`?question=`), searched and tagged, with its campaigns
apart. Exact counts: the page is the team's (`consultations.analyse`);
anything public starts from consultations/results.py. Works without
JavaScript; the services write."""

from django.http import Http404
from django.shortcuts import redirect, render

from ideas.restrictions import response_for
from inputs.ids import parse_id
from inputs.pages import parse_page
from inputs.refusals import Refused, refusal

from . import questions as asking
from . import selectors
from .models import ConsultationPage
from .services import analysis as analysing

TEXT_KINDS = (asking.FREE_TEXT, asking.YES_NO)


def _gate(request, page):
    if not isinstance(page, ConsultationPage):
        raise Http404("No such page.")
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    restricted = response_for(request, page)
    if restricted is not None:
        return restricted
    refused = refusal(request.user, "consultations.analyse", page)
    if refused is not None:
        if refused.status == 404:
            raise Http404(refused.message)
        return render(request, "consultations/analysis_refused.html", {"page": page, "reason": refused.message},
                      status=refused.status)
    return None


def _sections(tables):
    sections = []
    for table in tables:
        if not sections or sections[-1][0] != table.question.section:
            sections.append((table.question.section, []))
        sections[-1][1].append(table)
    return sections


def analysis(request, page):
    answer = _gate(request, page)
    if answer is not None:
        return answer
    questions = page.question_list()
    known = {q.id: q for q in questions}
    error, status = None, 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            answer_id = parse_id(request.POST.get("answer"))
            if action == "untag":
                analysing.untag_answer(request.user, page, answer_id, request.POST.get("tag", ""))
            else:
                analysing.tag_answer(request.user, page, answer_id, request.POST.get("tag", ""))
        except Refused as refused:
            error, status = refused.message, refused.status
        else:
            return redirect(request.get_full_path())
    reading = known.get(request.GET.get("question", ""))
    if reading is not None and reading.kind in TEXT_KINDS:
        return _answers(request, page, reading, error, status)
    by = request.GET.get("by", "")
    by_question = known.get(by) if known.get(by) and known[by].kind in selectors.BY_KINDS else None
    dimension = by if by in selectors.CROSS_TABS else ""
    crossed = selectors.cross_by_question(page.pk, questions, by_question) if by_question else None
    campaigns = selectors.campaigns_of(page.pk)
    tables = selectors.tables(questions, selectors.tally_map(page.pk), dimension, crossed, by_question)
    for table in tables:
        table.campaigns = campaigns.get(table.question.id, [])
    context = {
        "page": page, "sections": _sections(tables), "respondents": selectors.respondents(page.pk),
        "by": by if (by_question or dimension) else "", "by_question": by_question,
        "cross_tabs": [(key, label) for key, (label, _) in selectors.CROSS_TABS.items()],
        "by_questions": [q for q in questions if q.kind in selectors.BY_KINDS], "text_kinds": TEXT_KINDS,
    }
    return render(request, "consultations/analysis.html", context, status=status)


def _answers(request, page, question, error, status):
    search = (request.GET.get("q") or "").strip()[:200]
    number = parse_page(request.GET.get("page")) or 1
    campaign_id = request.GET.get("campaign")
    campaign = None
    campaigns = selectors.campaigns_of(page.pk).get(question.id, [])
    if campaign_id:
        campaign = next((c for c in campaigns if str(c.pk) == campaign_id), None)
        if campaign is None:
            raise Http404("No such campaign.")
    context = {
        "page": page, "question": question, "search": search, "campaigns": campaigns, "campaign": campaign,
        "page_obj": selectors.free_text_page(page.pk, question.id, search, number, campaign.pk if campaign else None),
        "error": error,
    }
    return render(request, "consultations/analysis_answers.html", context, status=status)
