"""The open data operations, mounted on the API by cms/urls.py: missions,
calls, ideas, comments, tallies, metrics and participation (opendata/api.py),
then pilots, their results and the ledger (opendata/pilots_api.py, which
reads api.py's helpers, so api.py does not import it)."""

from . import api, consultations_api, pilots_api, prizes_api


def register(ninja_api, errors):
    api.register(ninja_api, errors)
    pilots_api.register(ninja_api, errors, api.TAGS)
    prizes_api.register(ninja_api, errors, api.TAGS)
    consultations_api.register(ninja_api, errors, api.TAGS)
