"""GET /health, for load balancers and the compose healthcheck.

- 503 when the database does not answer: nothing works without it.
- 200 "degraded" when Elasticsearch is configured but does not answer:
  searches then run on the database index and writes queue their index
  changes in the outbox, so the site still works and a load balancer must
  keep sending it traffic; the body says what fell back.
- `search_backlog` is always reported: index changes waiting in the outbox
  (search.backend.backlog, the count `search_index --check` reports too):
  those committed by a process that died before indexing them, and those
  Elasticsearch missed.

The answer is JSON, for monitoring, curl and the compose healthcheck (which
send no Accept header, or */*). A browser, which prefers text/html, gets the
same status, as the same code, on a small page of the site's own
(templates/health.html), rendered without the database."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from search import backend as search_backend

from .stack import describe

log = logging.getLogger(__name__)


@never_cache
@require_GET
def health(request):
    body = {"status": "ok", **describe()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the database is not answering
        body["status"] = "error"
        body["failing"] = "database"
        body["detail"] = exc.__class__.__name__
        return _answer(request, body, 503)
    try:
        search = search_backend.health()
    except Exception as exc:  # never let the search check take /health down with it
        # One line, not a traceback: monitoring asks every few seconds.
        log.warning("the search health check failed: %r", exc)
        search = {"backend": search_backend.name(), "ok": False, "detail": exc.__class__.__name__, "backlog": None}
    body["search"] = search["backend"]
    body["search_backlog"] = search.get("backlog", 0)
    if not search["ok"]:
        why = search["detail"] or "no answer"
        body.update(
            status="degraded",
            degraded="search",
            detail=(
                f"Elasticsearch is not answering ({why}): "
                "search fell back to the database and index changes wait in the outbox."
                if search["backend"] == "elasticsearch"
                else f"The search index could not be read ({why})."
            ),
        )
    return _answer(request, body, 200)


HEADLINES = {
    "ok": ("The service is working", "Working", "green", ""),
    "degraded": ("The service is working, with search on its fallback", "Working, with a fallback", "yellow", ""),
    "error": ("The service is not working", "Not working", "red",
              "The database is not answering, so pages cannot be shown."),
}
NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite (embedded)", "redis": "Redis", "memory": "In this process",
         "elasticsearch": "Elasticsearch", "database": "The database"}


def _answer(request, body, status):
    """JSON unless the client prefers HTML (a browser)."""
    if request.get_preferred_type(["application/json", "text/html"]) != "text/html":
        response = JsonResponse(body, status=status)
        patch_vary_headers(response, ["Accept"])
        return response
    headline, label, colour, explanation = HEADLINES[body["status"]]
    rows = [
        ("Status", label),
        ("Database", "Not answering" if body.get("failing") == "database" else NAMES.get(body["database"], body["database"])),
        ("Live updates", NAMES.get(body["channel_layer"], body["channel_layer"])),
        ("Search", NAMES.get(body["search"], body["search"])),
    ]
    if body.get("search_backlog") is not None:
        rows.append(("Search changes waiting", f"{body['search_backlog']:,}"))
    html = render_to_string("health.html", {
        "site_name": settings.SITE_NAME, "headline": headline, "label": label, "colour": colour,
        "explanation": body.get("detail") if body["status"] == "degraded" else explanation,
        "rows": rows, "checked_at": timezone.now(),
    })
    response = HttpResponse(html, status=status)
    patch_vary_headers(response, ["Accept"])
    return response
