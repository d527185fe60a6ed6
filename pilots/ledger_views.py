""""You said, we did" (issue #18 item 3): what became of every public idea
of a mission, or of one of its calls, with the counts at the top. One
template for both pages; the reads are pilots/selectors.py `ledger`.

The mission's page is /missions/<slug>/you-said-we-did/ (cms/urls.py); the
call's is the call page's own sub-page you-said-we-did/ (registered with
consult/call_page.py in pilots/apps.py). Only live missions and calls are
shown. A page number or outcome that is not one answers 400 with a page
that says so (a page past the end shows the last page)."""

from django.http import Http404
from django.shortcuts import render

from consult.models import MissionPage
from consult.parts import Places
from ideas.restrictions import response_for
from inputs.pages import parse_page

from . import ledger
from .selectors import ledger as ledger_data

TEMPLATE = "pilots/you_said_we_did.html"

# What the instruments above pilots add to "you said, we did" (a prize's
# published results): a template for the place after the ideas, and a
# context provider `provider(mission, call) -> dict`, registered from their
# AppConfig.ready(), so that this app names none of them.
_places = Places("you said, we did", ("after_ideas",))
register_part = _places.register
_context_providers = []


def register_context(provider) -> None:
    if provider not in _context_providers:
        _context_providers.append(provider)
OUTCOME_CHOICES = [(key, ledger.LABELS[key]) for key in (
    ledger.AWAITING, ledger.NO_RESPONSE_EXPECTED, ledger.RESPONDED, ledger.NOT_TAKEN_FORWARD, ledger.MERGED,
    ledger.TAKEN_FORWARD, ledger.PILOTED, ledger.SCALED,
)]


def median_words(days):
    """The median time to a response in words: "Less than a day", "1 day",
    "12 days" (to the nearest day); None before any response."""
    if days is None:
        return None
    if days < 1:
        return "Less than a day"
    whole = int(days + 0.5)
    return "1 day" if whole == 1 else f"{whole:,} days"


def _params(query):
    """(page number, outcome key or None, error message or None) from the
    address's query values as typed."""
    page = parse_page(query.get("page"))
    if page is None:
        return 1, None, "The page number must be a whole number from 1, for example ?page=2."
    outcome = query.get("outcome") or None
    if outcome is not None and outcome not in ledger.LABELS:
        return page, None, "Choose an outcome from the list, or all outcomes."
    return page, outcome, None


def _render(request, mission, call):
    page, outcome, error = _params(request.GET)
    context = {
        "ledger_parts": _places.parts(),
        "mission": mission, "call": call, "page": call or mission,
        "outcome_choices": OUTCOME_CHOICES, "outcome": outcome, "error": error,
        "ledger_url": request.path,
    }
    if error:
        return render(request, TEMPLATE, context, status=400)
    for provider in _context_providers:
        context.update(provider(mission, call))
    data = ledger_data(mission, call=call, page=page, outcome=outcome)
    context.update({
        "data": data, "counts": data["counts"], "entries": data["entries"], "page_obj": data["page_obj"],
        "median_text": median_words(data["median_days"]),
        "outcome_label": ledger.LABELS[outcome] if outcome else None,
    })
    return render(request, TEMPLATE, context)


def mission_ledger(request, mission_slug):
    mission = MissionPage.objects.live().filter(slug=mission_slug).first()
    if mission is None:
        raise Http404("No such mission.")
    return response_for(request, mission) or _render(request, mission, None)


def call_ledger(request, call):
    mission = call.get_parent().specific
    if not (call.live and mission.live):
        raise Http404("No such call.")
    return _render(request, mission, call)
