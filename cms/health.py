"""GET /health, for load balancers and the compose healthcheck.

- 503 when the database does not answer: nothing works without it.
- 200 "degraded" when Elasticsearch is configured but does not answer:
  searches then run on the database index and writes queue their index
  changes in the outbox, so the site still works and a load balancer must
  keep sending it traffic; the body says what fell back.
- `search_backlog` is always reported: index changes waiting in the outbox
  (search.backend.backlog, the count `search_index --check` reports too):
  those committed by a process that died before indexing them, and those
  Elasticsearch missed."""

import logging

from django.db import connection
from django.http import JsonResponse
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
        return JsonResponse(body, status=503)
    try:
        search = search_backend.health()
    except Exception as exc:  # never let the search check take /health down with it
        log.exception("the search health check failed")
        search = {"backend": search_backend.name(), "ok": False, "detail": exc.__class__.__name__, "backlog": None}
    body["search"] = search["backend"]
    body["search_backlog"] = search.get("backlog", 0)
    if not search["ok"]:
        body.update(
            status="degraded",
            degraded="search",
            detail=(
                f"Elasticsearch is not answering ({search['detail'] or 'no answer'}): "
                "search fell back to the database and index changes wait in the outbox."
            ),
        )
    return JsonResponse(body)
