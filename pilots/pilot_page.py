"""What a pilot's page shows beyond its own fields, asked by
PilotPage.get_context. The reader (pilots/page_context.py) imports ideas'
visibility rule, which needs every app's models loaded (Wagtail's hooks
module reads the Page model when imported), so pilots/models.py cannot
import it while Django loads the models: pilots/apps.py registers it in
ready(), as the apps above consult do with consult/call_page.py."""

_readers = []


def register(reader):
    """`reader(pilot)` returns the dict merged into the pilot page's context."""
    _readers[:] = [reader]


def context(pilot):
    if not _readers:
        raise LookupError("no pilot page reader: pilots/apps.py registers pilots/page_context.py in ready()")
    return _readers[0](pilot)
