"""The /search/ page and GET /api/v1/search: one box over ideas, comments,
missions, calls and pages, with filters, facet counts, sorting and pages.

search/ is a leaf and does not know our apps, so this module (in ideas,
which may import consult) reads the request, asks search.backend, re-reads
each hit through the one visibility query (search_documents.visible), and
names the facets (mission and call titles, status labels). The page and the
API read their parameters with the same function, so a bad value gets the
same specific message on both: on the page beside the form, in the API as
a 400 naming the parameter."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.shortcuts import render
from wagtail.models import Page as WagtailPage

from inputs.pages import parse_page
from search import backend as search_backend

from .models import Idea, IdeaStatus
from .ratelimits import RateLimited, enforce as rate_limit
from .search_documents import visible
from .validation import parse_id

PER_PAGE = 20
# Elasticsearch refuses to page deeper than 10,000 hits (max_result_window),
# and an unbounded page number became an OFFSET the database cannot hold.
MAX_RESULTS = 10_000
MAX_PAGE = MAX_RESULTS // PER_PAGE
MAX_QUERY = 200

KIND_LABELS = {"idea": "Ideas", "comment": "Comments", "mission": "Missions", "call": "Challenge calls", "page": "Pages"}
KIND_NAMES = {"idea": "Idea", "comment": "Comment", "mission": "Mission", "call": "Challenge call", "page": "Page"}
SORT_LABELS = {"relevance": "Most relevant", "newest": "Newest", "supported": "Most supported"}
# URL parameter -> (document field, label on the page)
FILTERS = {
    "type": ("kind", "Type"),
    "mission": ("mission_id", "Mission"),
    "call": ("call_id", "Challenge call"),
    "status": ("status", "Status"),
    "sector": ("sector", "Sector"),
    "org_type": ("org_type", "Organisation type"),
}


@dataclass
class SearchRequest:
    text: str = ""
    filters: dict = field(default_factory=dict)  # document field -> value
    chosen: dict = field(default_factory=dict)  # URL parameter -> raw value, for the form
    sort: str = "relevance"
    page: int = 1
    errors: dict = field(default_factory=dict)  # URL parameter -> message
    notes: list = field(default_factory=list)


def read_params(params):
    """A SearchRequest from a query string; bad values are dropped with a
    message naming them, never an exception."""
    request = SearchRequest()
    text = params.get("q") or ""
    if "\x00" in text:
        request.errors["q"] = "Search text cannot contain a null character."
        text = text.replace("\x00", " ")
    text = " ".join(text.split())
    if len(text) > MAX_QUERY:
        request.notes.append(f"Only the first {MAX_QUERY} characters were searched for.")
        text = text[:MAX_QUERY]
    request.text = text
    for name, (doc_field, label) in FILTERS.items():
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        if doc_field.endswith("_id"):
            value = parse_id(raw)
            if value is None:
                request.errors[name] = f"{label} must be chosen from the list."
                continue
        elif doc_field == "kind":
            if raw not in KIND_LABELS:
                request.errors[name] = f"Type must be one of: {', '.join(KIND_LABELS)}."
                continue
            value = raw
        else:
            if len(raw) > 100 or "\x00" in raw:
                request.errors[name] = f"{label} must be chosen from the list."
                continue
            value = raw
        request.filters[doc_field] = value
        request.chosen[name] = raw
    sort = params.get("sort") or "relevance"
    if sort not in SORT_LABELS:
        request.errors["sort"] = f"Sort by one of: {', '.join(SORT_LABELS)}."
        sort = "relevance"
    request.sort = sort
    number = parse_page(params.get("page"))
    if number is None:
        request.errors["page"] = "Page must be a whole number from 1."
        number = 1
    request.page = min(number, MAX_PAGE)
    return request


def _search(request, page):
    return search_backend.search(
        request.text, filters=request.filters, sort=request.sort, page=page, per_page=PER_PAGE, visible=visible
    )


def last_page(results):
    """The last page the results reach: all of them, or, for a broad query,
    the bounded set the backend ordered (search.results.Results.reachable)."""
    return max(1, -(-min(results.reachable, MAX_RESULTS) // PER_PAGE))


def run(request):
    """Results for a SearchRequest; past the last page, the last page."""
    results = _search(request, request.page)
    if request.page > 1 and not results.hits and not results.error:
        # A page past the end has no hits; the first page knows how many
        # pages there are.
        first = _search(request, 1)
        last = last_page(first)
        if request.page > last:
            request.page = last
            results = first if last == 1 else _search(request, last)
    if request.page > last_page(results) and results.total:
        request.page = last_page(results)
        results = _search(request, request.page)
    add_votes(results.hits)
    return results


def add_votes(hits):
    """Give each idea hit its call's way of voting and its tallies as they
    are now (one query for the page): an idea in an agree/disagree/pass call
    is shown with its agrees and disagrees, not as "0 supports", and one in
    a call without voting with none. Other hits keep what the index holds."""
    ideas = [hit for hit in hits if hit.kind == "idea"]
    rows = {}
    if ideas:
        rows = {
            row[0]: row[1:]
            for row in Idea.objects.filter(pk__in=[hit.id for hit in ideas]).values_list(
                "pk", "call__voting_mode", "support_count", "agree_count", "disagree_count", "pass_count"
            )
        }
    for hit in hits:
        hit.voting, hit.agree_count, hit.disagree_count, hit.pass_count = "", 0, 0, 0
        if hit.kind == "comment":
            hit.voting = "support"  # comments are supported, whatever the call's voting
        if hit.kind == "idea" and hit.id in rows:
            hit.voting, hit.support_count, hit.agree_count, hit.disagree_count, hit.pass_count = rows[hit.id]
        hit.votes = votes_text(hit)


def votes_text(hit):
    """How a hit's votes read on the page: "4 agree · 1 disagree · 2 pass",
    "3 supports", or nothing where there is no voting."""
    if hit.voting == "agree":
        return f"{hit.agree_count} agree · {hit.disagree_count} disagree · {hit.pass_count} pass"
    if hit.voting == "support":
        return f"{hit.support_count} support{'' if hit.support_count == 1 else 's'}"
    return ""


def summary(results, query):
    """What the page says about the results, truthfully when a broad query
    was counted only up to a limit (docs/search.md, "Broad queries")."""
    if results.total_is_lower_bound:
        return f"More than {results.total:,} results for \u201c{query}\u201d."
    return f"{results.total:,} result{'' if results.total == 1 else 's'} for \u201c{query}\u201d."


def bounds_notes(results, sort):
    """Notes under the summary for a broad query: how the order and the
    filter counts were bounded."""
    notes = []
    if results.ranked_among and sort == "relevance":
        among = (f"of the first {results.total:,} found" if results.total_is_lower_bound else "of them")
        notes.append(
            f"Too many results to rank them all: these are the {results.ranked_among:,} {among} that best match "
            "in their titles and summaries, best match first. Add words or filters to narrow the search, or sort "
            "by newest or most supported to go through every result."
        )
    if results.facets_are_lower_bounds:
        notes.append(f"The counts beside each filter are of the first {results.total:,} results found, "
                     "so there are at least that many.")
    return notes


def facet_options(results):
    """{parameter: [(value, label, count)]} with missions' and calls' titles
    read in one query."""
    ids = {v for f in ("mission_id", "call_id") for v, _n in results.facets.get(f, [])}
    titles = dict(WagtailPage.objects.filter(pk__in=ids).values_list("pk", "title")) if ids else {}
    statuses = dict(IdeaStatus.choices)
    options = {}
    for name, (doc_field, _label) in FILTERS.items():
        rows = []
        for value, count in results.facets.get(doc_field, []):
            if doc_field == "kind":
                label = KIND_LABELS.get(value, value)
            elif doc_field.endswith("_id"):
                label = titles.get(value)
                if label is None:
                    continue
            elif doc_field == "status":
                label = statuses.get(value, value.replace("_", " ").capitalize())
            else:
                label = value
            rows.append((str(value), label, count))
        options[name] = rows
    return options


def _with_choice(options, chosen, errors):
    """(parameter, label, [(value, text, count, selected)], error) for the form."""
    out = []
    for name, (_field, label) in FILTERS.items():
        rows = [(value, text, count, chosen.get(name) == value) for value, text, count in options.get(name, [])]
        out.append((name, label, rows, errors.get(name, "")))
    return out


def _error_links(errors, options, filters_shown):
    """(anchor, message) for the error summary: each links to the control
    it is about when the page shows it (a filter is only shown when its
    facet has values, the filters only beside results), else to the box."""
    links = []
    for name, message in errors.items():
        shown = filters_shown and (name == "sort" or bool(options.get(name)))
        links.append((f"filter-{name}" if shown else "q", message))
    return links


def search(request):
    params = read_params(request.GET)
    results, page_obj, options = None, None, {}
    limited = None
    if params.text:
        try:
            rate_limit(request, "search")
        except RateLimited as error:
            limited = error
            params.errors.setdefault("q", error.message)
    if params.text and limited is None:
        results = run(params)
        if results.error:
            # The query cannot be searched as typed ("-gas" alone): a
            # problem with the box, shown as one, in the error summary.
            params.errors.setdefault("q", results.error)
            results = None
    elif "q" in request.GET and "q" not in params.errors:
        params.errors["q"] = "Type a word or phrase to search for."
    if results is not None:
        options = facet_options(results)
        for hit in results.hits:
            hit.kind_name = KIND_NAMES.get(hit.kind, hit.kind)
        if results.total:
            paginator = Paginator(range(min(results.reachable, MAX_RESULTS)), PER_PAGE)
            page_obj = Page(results.hits, params.page, paginator)
    chosen_labels = []
    for name, raw in params.chosen.items():
        label = next((lbl for value, lbl, _n in options.get(name, []) if value == raw), raw)
        rest = request.GET.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        chosen_labels.append({"name": FILTERS[name][1], "label": label, "remove": rest.urlencode()})
    return render(
        request,
        "search/search.html",
        {
            "query": params.text,
            "params": params,
            "results": results,
            "summary": summary(results, params.text) if results is not None else "",
            "bounds_notes": bounds_notes(results, params.sort) if results is not None else [],
            "page_obj": page_obj,
            "options": _with_choice(options, params.chosen, params.errors),
            "error_links": _error_links(params.errors, options, results is not None),
            "chosen": chosen_labels,
            "sorts": SORT_LABELS.items(),
            "kind_names": KIND_NAMES,
        },
        status=limited.status if limited is not None else 200,
    )
