import logging
import sys

from django.apps import AppConfig

logger = logging.getLogger("missioncommons")


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Mission Commons site"

    def ready(self):
        # Every failing background task is logged, in whichever process runs
        # it (the worker; the test run in immediate mode): cms/tasks.py.
        from .tasks import connect_failure_logging

        connect_failure_logging()

        # Page writes that publish no live event move the page cache's site generation.
        from .pagecache import connect_signals

        connect_signals()

        # Role and permission changes move it too: the signed-in header's
        # links are kept with it (cms/header.py).
        from .header import connect_signals as connect_header_signals

        connect_header_signals()

        # Say at start-up which stack this process serves, so an operator
        # can tell the embedded default from the scale-out stack in the logs.
        if any(arg in sys.argv[0] for arg in ("uvicorn", "daphne", "gunicorn", "cms/serve.py")) or "runserver" in sys.argv:
            from .stack import describe

            parts = describe()
            logger.info(
                "Mission Commons starting on database=%(database)s channel_layer=%(channel_layer)s search=%(search)s",
                parts,
            )
