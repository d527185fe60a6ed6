"""Middleware that runs in the server's own mode: async under ASGI, sync
under WSGI and the test client (issue #19, "less work per view").

Django builds the middleware chain from the inside out, and from the first
sync-only middleware outwards every layer is sync: under ASGI a request then
crossed from the event loop to a thread at the top of the chain, back to
the loop (async_to_sync) below that middleware, and to a thread again for
the view, three hops per request. With every middleware able to run
async, the only hop left is the one into the sync view.

A subclass implements `before(request)` (return a response to answer early,
or None) and `after(request, response)`. Neither may touch the database:
they run on the event loop under ASGI. Work that needs it says so with
`needs_sync(request)`, and only then runs in a thread."""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async


class ServerMode:
    """What every middleware of ours that runs in the server's mode shares
    (this module's DualModeMiddleware, cms/pagecache.py's page cache and
    cms/static.py's WhiteNoise): both capabilities declared, the mode taken
    from the layer below, and each call sent to `sync_call` or `__acall__`."""

    sync_capable = True
    async_capable = True

    def adopt_mode(self, get_response):
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.async_mode:
            return self.__acall__(request)
        return self.sync_call(request)


class DualModeMiddleware(ServerMode):
    def __init__(self, get_response):
        self.get_response = get_response
        self.adopt_mode(get_response)

    def before(self, request):
        return None

    def after(self, request, response):
        return response

    def needs_sync(self, request):
        """Whether `before` must run in a thread for this request (it reads
        the database, e.g. request.user)."""
        return False

    def sync_call(self, request):
        response = self.before(request)
        if response is None:
            response = self.get_response(request)
        return self.after(request, response)

    async def __acall__(self, request):
        if self.needs_sync(request):
            response = await sync_to_async(self.before, thread_sensitive=True)(request)
        else:
            response = self.before(request)
        if response is None:
            response = await self.get_response(request)
        return self.after(request, response)
