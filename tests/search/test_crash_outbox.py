"""A comment committed but not indexed when its process died (`kill -9`
between the commit and the after-commit sync) is not lost: the outbox row
written in the comment's own transaction stays, /health and `search_index
--check` report the same backlog, and the drain (the worker's every-minute
task, `search_index --drain`) indexes it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ideas.services.comments import add_comment
from search import backend, tasks
from search.models import Entry, Outbox

from ..factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


def check():
    out = StringIO()
    try:
        call_command("search_index", "--check", stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), ""


def test_a_comment_committed_by_a_process_that_died_is_indexed_later(client, call, settings,
                                                                      django_capture_on_commit_callbacks):
    settings.ELASTICSEARCH_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        idea = IdeaFactory(call=call)
    assert client.get("/health").json()["search_backlog"] == 0
    # The after-commit callbacks never run: the process died right after the commit.
    with django_capture_on_commit_callbacks(execute=False):
        comment = add_comment(UserFactory(), idea, "Heat networks under every new estate")
    assert not Entry.objects.filter(kind="comment", object_id=comment.pk).exists()
    assert list(Outbox.objects.values_list("kind", "object_id", "stage")) == [("comment", comment.pk, "database")]

    health = client.get("/health").json()  # (its drain waits for a commit that never comes here)
    assert health["status"] == "ok" and health["search_backlog"] == 1 == backend.backlog()
    out, failure = check()
    assert "1 change wait in the search outbox" in out
    assert "comment" in failure  # the database index has one comment fewer than the comments

    assert tasks.drain_search_outbox.call_local() == (1, 0)
    assert Entry.objects.filter(kind="comment", object_id=comment.pk).exists()
    assert backend.search("heat networks").total == 1
    assert client.get("/health").json()["search_backlog"] == 0
    out, failure = check()
    # (The mission and call pages the fixtures made were never indexed: their drift is theirs.)
    assert "comment" not in failure and "idea" not in failure and "outbox" not in out


def test_a_sync_that_ran_leaves_no_backlog(call, settings, django_capture_on_commit_callbacks):
    settings.ELASTICSEARCH_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        idea = IdeaFactory(call=call)
        comment = add_comment(UserFactory(), idea, "Solar on school roofs")
    assert Entry.objects.filter(kind="comment", object_id=comment.pk).exists()
    assert backend.backlog() == 0
