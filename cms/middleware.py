"""Request-scoped helpers shared by forms and views."""

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from psycopg_pool import PoolTimeout

from inputs.refusals import Refused

from .accounts import remember_device
from .dualmode import DualModeMiddleware


class RequestContextMiddleware(DualModeMiddleware):
    """Answers rate-limited requests (``request.rate_limited`` set by
    ideas/ratelimits.py or cms/accounts.py) with 429 and Retry-After while
    still rendering the form with what was typed, and gives a browser that
    has just signed in its device cookie (cms/accounts.py)."""

    def after(self, request, response):
        remember_device(request, response)
        retry = getattr(request, "rate_limited", None)
        if retry:
            if response.status_code < 300 or response.status_code in (400, 409):
                response.status_code = 429
            response["Retry-After"] = str(int(retry))
        return response


BUSY_MESSAGE = "The service is busy. Nothing was saved; try again in a moment."
BUSY_RETRY_SECONDS = 2


def database_busy(exc):
    """Overload, not a fault, so 503: SQLite (the embedded default) has one
    write lock, and under a burst a write can wait longer than its timeout; on
    PostgreSQL every connection of the process's pool can be in use for
    longer than a request waits for one."""
    # On PostgreSQL Django wraps the pool's timeout in its own
    # OperationalError; the raw one is caught too, whatever wrapped it.
    if isinstance(exc, PoolTimeout) or isinstance(exc.__cause__, PoolTimeout):
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def busy_response(request):
    if request.path.startswith("/api/"):
        response = JsonResponse(Refused(BUSY_MESSAGE, status=503, code="busy").as_json(), status=503)
    else:
        try:
            response = render(request, "busy.html", {"message": BUSY_MESSAGE}, status=503)
        except Exception:  # the page itself could not be built: say it plainly
            response = HttpResponse(BUSY_MESSAGE, content_type="text/plain; charset=utf-8", status=503)
    response["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response


class DatabaseBusyMiddleware(DualModeMiddleware):
    """Answers a write that timed out on SQLite's lock with 503 and Retry-After.
    (Django runs `process_exception` in a thread when the view raised.)"""

    def process_exception(self, request, exc):
        if database_busy(exc):
            return busy_response(request)
        return None
