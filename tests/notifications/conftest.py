"""Huey's in-memory queue (immediate mode, cms/settings/test.py) emptied
around each test, and small helpers to run what is scheduled for later."""

import datetime

import pytest
from huey.contrib.djhuey import HUEY

from live import events
from live.topics import user_topic


@pytest.fixture
def huey_queue():
    assert HUEY.immediate, "tests run Huey in immediate mode (cms/settings/test.py)"
    HUEY.flush()
    yield HUEY
    HUEY.flush()


def run_due(huey, seconds_ahead=0):
    """Run the scheduled tasks (retries) due `seconds_ahead` from now, as the consumer would."""
    when = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) + datetime.timedelta(seconds=seconds_ahead)
    ran = 0
    while due := huey.read_schedule(when):
        for task in due:
            huey.execute(task, when)
            ran += 1
    return ran


def user_events(user, since):
    """The live events published on this person's topic after sequence number `since`."""
    return [(e["event"], e["data"]) for e in events.backlog(user_topic(user.pk), since)]


def seq_of(user):
    return events.current_seq(user_topic(user.pk))
