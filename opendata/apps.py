from django.apps import AppConfig


class OpendataConfig(AppConfig):
    """Open data: the read-only API (/api/v1/: missions, calls, ideas,
    comments, tallies, metrics, participation, pilots, the ledger), the downloads (CSV and JSON
    per mission and call), the call's CSV export and its Atom feeds, and the
    mission's feed of pilot results. It sits above ideas and consult and
    reads them through the one visibility query and ideas' one idea record;
    nothing below imports it. No models."""

    name = "opendata"
    verbose_name = "Open data"

    def ready(self):
        from consult import call_page, mission_page

        from . import downloads, exports, feeds

        # The call page's export/ and feed/ sub-pages (consult/call_page.py
        # says why they are registered, not imported).
        call_page.register_route("export", exports.call_csv)
        call_page.register_route("feed", feeds.call_feed)
        call_page.register_route("updates_feed", feeds.call_updates_feed)
        # The download links beside them on the call page.
        call_page.register_context(downloads.call_page_context)
        # The mission page's "Open data" downloads (consult names no route of ours).
        mission_page.register_part("end", "opendata/_mission_open_data.html", order=10)
