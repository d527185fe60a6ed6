"""The one visibility module (ideas/visibility.py): its query and its row test
agree for every state, and an idea and a comment hidden by a moderator leave
every surface in that commit, and come back on restore, with the page cache
off and on (a surface that keeps serving a hidden item from the cache fails)."""

import csv
import io
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from consult.models import ChallengeCallPage
from ideas import visibility
from ideas.services import comments, submissions
from ideas.models import Comment, Idea, Visibility
from ideas.search_documents import similar_ideas, visible
from search import backend as search_backend
from live import events
from live.topics import TopicError, authorise, call_topic, idea_topic
from moderation import services as moderation

from ..factories import CallFactory, IdeaFactory, UserFactory


@pytest.mark.django_db
def test_the_query_and_the_row_test_agree_for_every_state(mission):
    live_call = CallFactory(parent=mission)
    draft_call = CallFactory(parent=mission)
    ChallengeCallPage.objects.filter(pk=draft_call.pk).update(live=False)
    draft_call.refresh_from_db()
    author = UserFactory()
    for call, state, deleted in itertools.product((live_call, draft_call), Visibility.values, (False, True)):
        idea = IdeaFactory(call=call, visibility=state)
        comment = Comment.objects.create(idea=idea, author=author, body="c", body_html="", visibility=state,
                                         is_deleted=deleted)
        idea = Idea.objects.select_related("call").get(pk=idea.pk)
        expected_idea = state == Visibility.PUBLISHED and call.live
        assert visibility.is_public_idea(idea) == expected_idea
        assert visibility.public_ideas().filter(pk=idea.pk).exists() == expected_idea
        assert visibility.is_public_comment(comment) == (expected_idea and not deleted)
        assert visibility.public_comments().filter(pk=comment.pk).exists() == (expected_idea and not deleted)
        # The rules ask the same module.
        assert AnonymousUser().has_perm("ideas.view_idea", idea) == expected_idea
        assert AnonymousUser().has_perm("ideas.view_comment", comment) == (expected_idea and not deleted)


def _surfaces(call, idea, comment_idea, comment, reader):
    """Where each item can be seen, as (surface, seen?) pairs."""
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(reader)
    title, words = idea.title, comment.body
    seen = {}
    seen["call page"] = title in anonymous.get(call.url).content.decode()
    idea_page = anonymous.get(idea.get_absolute_url())
    seen["idea page"] = idea_page.status_code == 200 and title in idea_page.content.decode()
    seen["search page"] = title in anonymous.get("/search/", {"q": "zebracrossing"}).content.decode()
    hits = search_backend.search("zebracrossing", filters={"kind": "idea"}, visible=visible).hits
    seen["search backend"] = any(hit.id == idea.pk for hit in hits)
    seen["similar ideas"] = any(i.pk == idea.pk for i in similar_ideas(call, "zebracrossing lanterns"))
    seen["API idea"] = anonymous.get(f"/api/v1/ideas/{idea.pk}").status_code == 200
    listing = anonymous.get(f"/api/v1/calls/{call.pk}/ideas").json()
    seen["open data API"] = any(row["id"] == idea.pk for row in listing["results"])
    export = anonymous.get(call.url + "export/")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    seen["CSV export"] = any(title in row for row in rows)
    seen["Atom feed"] = title in anonymous.get(call.url + "feed/").content.decode()
    seen["live call tallies"] = any(row["id"] == idea.pk for row in events.read_tallies(call_topic(call.pk), {idea.pk}))
    try:
        authorise(AnonymousUser(), idea_topic(idea.pk))
        seen["live idea topic"] = True
    except TopicError:
        seen["live idea topic"] = False
    seen["flag form"] = signed_in.get(f"/ideas/{idea.pk}/flag/").status_code == 200
    seen["call counter"] = ChallengeCallPage.objects.get(pk=call.pk).idea_count == 2

    comment_page = anonymous.get(comment_idea.get_absolute_url()).content.decode()
    seen["comment in thread"] = words in comment_page
    seen["comment fragment"] = anonymous.get(
        f"/ideas/{comment_idea.pk}/comments/{comment.pk}/fragment/").status_code == 200
    seen["comment flag form"] = signed_in.get(f"/ideas/comments/{comment.pk}/flag/").status_code == 200
    seen["comment counter"] = Idea.objects.get(pk=comment_idea.pk).comment_count == 1
    return seen


@pytest.mark.django_db
def test_hidden_idea_and_comment_leave_every_surface_and_come_back(call, moderator, django_capture_on_commit_callbacks,
                                                                   page_cache_on_and_off):
    author, reader = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):  # search indexes after the commit
        idea = submissions.submit_idea(author, call, title="Zebracrossing lanterns", summary="Lanterns at crossings",
                                    body="Light every zebracrossing at night.")
        other = submissions.submit_idea(author, call, title="Quiet streets", summary="Fewer cars", body="Close some roads.")
        comment = comments.add_comment(UserFactory(), other, "Quokka meadow planting would help too.")

    before = _surfaces(call, idea, other, comment, reader)
    assert all(before.values()), [name for name, shown in before.items() if not shown]

    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(moderator, idea, "hide", reason="off_topic")
        moderation.moderate(moderator, comment, "hide", reason="abuse")
    hidden = _surfaces(call, idea, other, comment, reader)
    assert not any(hidden.values()), [name for name, shown in hidden.items() if shown]

    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(moderator, idea, "restore")
        moderation.moderate(moderator, comment, "restore")
    restored = _surfaces(call, idea, other, comment, reader)
    assert all(restored.values()), [name for name, shown in restored.items() if not shown]
