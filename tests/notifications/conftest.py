"""Small helpers: run what is scheduled for later (the `huey_queue`
fixture, Huey's in-memory queue emptied around each test, is in
tests/conftest.py), and read a person's live events."""


from cms.tasks import run_scheduled as run_due  # noqa: F401  (run the tasks due seconds from now)

from live import events
from live.topics import user_topic


def user_events(user, since):
    """The live events published on this person's topic after sequence number `since`."""
    return [(e["event"], e["data"]) for e in events.backlog(user_topic(user.pk), since)]


def seq_of(user):
    return events.current_seq(user_topic(user.pk))
