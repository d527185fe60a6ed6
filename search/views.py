from django.core.paginator import Page, Paginator
from django.shortcuts import render

from . import backend

PER_PAGE = 20


def search(request):
    query = (request.GET.get("q") or "").strip()[:200]
    try:
        page_number = max(int(request.GET.get("page") or 1), 1)
    except ValueError:
        page_number = 1
    results, total = ([], 0)
    if query:
        results, total = backend.search_ideas(query, limit=PER_PAGE, offset=(page_number - 1) * PER_PAGE)
    paginator = Paginator(range(total), PER_PAGE)
    page = Page(results, page_number, paginator) if total else None
    return render(request, "search/search.html", {"query": query, "results": results, "total": total, "page_obj": page})
