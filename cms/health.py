"""GET /health, for load balancers and the compose healthcheck: 200, or 503
naming what fails (the database, or search when Elasticsearch does not
answer: every idea write and search needs it)."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from search import backend as search_backend

from .stack import describe


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
    search = search_backend.health()
    body["search"] = search["backend"]
    if not search["ok"]:
        body.update(status="error", failing="search", detail=search["detail"])
        return JsonResponse(body, status=503)
    return JsonResponse(body)
