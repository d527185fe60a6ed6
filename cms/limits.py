"""Request bodies over the size the site accepts get 413, said plainly.

Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE
(RequestDataTooBig), but it answered that with a bare 400 page, with a
traceback in development, and the API with HTML instead of its JSON error.
This middleware answers from the declared Content-Length before anything
reads the body; the API also maps RequestDataTooBig itself (ideas/api.py)
for bodies whose length was not declared (chunked uploads). Multipart
bodies are left to Django: files in them stream to disk and have limits of
their own (the Pol.is upload form takes files of up to 20 MB)."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from inputs.refusals import Refused

from .dualmode import DualModeMiddleware


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB"


def too_large_message():
    return f"The request is too large: the limit is {_megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}."


def too_large_response(request):
    message = too_large_message()
    if request.path.startswith("/api/"):
        return JsonResponse(Refused(message, status=413, code="too_large").as_json(), status=413)
    return HttpResponse(message, content_type="text/plain; charset=utf-8", status=413)


class RequestSizeMiddleware(DualModeMiddleware):
    def before(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit and not request.content_type.startswith("multipart/"):
            return too_large_response(request)
        return None
