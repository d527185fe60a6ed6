"""WhiteNoise, able to run async (issue #19, "less work per view").

WhiteNoise 6's middleware is sync-only, and one sync-only middleware makes
every layer above it sync under ASGI (cms/dualmode.py says why that costs
two thread hops per page). The look-up is a dict read; only a request that
is for a static file goes to a thread, to open and serve it. In production
nginx serves /static/ itself (docker/nginx.conf), so pages never pay."""

from asgiref.sync import sync_to_async
from whitenoise.middleware import WhiteNoiseMiddleware

from .dualmode import ServerMode


class StaticFilesMiddleware(ServerMode, WhiteNoiseMiddleware):
    def __init__(self, get_response=None, settings=None):
        if settings is None:
            super().__init__(get_response)
        else:
            super().__init__(get_response, settings)
        self.adopt_mode(get_response)

    def sync_call(self, request):
        return WhiteNoiseMiddleware.__call__(self, request)

    async def __acall__(self, request):
        if self.autorefresh:
            static_file = await sync_to_async(self.find_file, thread_sensitive=False)(request.path_info)
        else:
            static_file = self.files.get(request.path_info)
        if static_file is not None:
            return await sync_to_async(self.serve, thread_sensitive=False)(static_file, request)
        return await self.get_response(request)
