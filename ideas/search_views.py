"""The /search/ page: public ideas matching a query, through the search
interface (search/ is a leaf, so the page that knows ideas lives here)."""

from django.core.paginator import Page, Paginator
from django.shortcuts import render

from .search_documents import search_ideas

PER_PAGE = 20
# The page number is anyone's input. Unbounded, it became an OFFSET the
# database cannot hold (a 500 for ?page=99999999999999999999), and
# Elasticsearch refuses to page deeper than 10,000 hits (max_result_window).
MAX_RESULTS = 10_000
MAX_PAGE = MAX_RESULTS // PER_PAGE


def page_number(raw):
    """A page number from the query string: not a number is page 1, and past
    the deepest page is the deepest page (the call page clamps the same way)."""
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def search(request):
    query = (request.GET.get("q") or "").strip()[:200]
    number = page_number(request.GET.get("page"))
    results, total = ([], 0)
    if query:
        results, total = search_ideas(query, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
        last = max(1, -(-min(total, MAX_RESULTS) // PER_PAGE))
        if number > last:  # past the end: show the last page rather than an empty one
            number = last
            results, total = search_ideas(query, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    paginator = Paginator(range(min(total, MAX_RESULTS)), PER_PAGE)
    page = Page(results, number, paginator) if total else None
    return render(request, "search/search.html", {"query": query, "results": results, "total": total, "page_obj": page})
