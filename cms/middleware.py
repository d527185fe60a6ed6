"""Request-scoped helpers shared by forms and views."""

from contextvars import ContextVar

current_request = ContextVar("current_request", default=None)


class RequestContextMiddleware:
    """Keeps the request reachable from forms that are not given it
    (allauth's signup form), and answers rate-limited requests with 429 and
    Retry-After while still rendering the form with what was typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        retry = getattr(request, "rate_limited", None)
        if retry:
            if response.status_code < 300 or response.status_code in (400, 409):
                response.status_code = 429
            response["Retry-After"] = str(int(retry))
        return response
