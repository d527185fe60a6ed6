"""A call that says "every idea and comment is checked by a moderator before
it is published" holds comments too. Until a moderator approves it, a
comment is not on the idea page, in the API, open data or search, is sent
to no public live topic and is not counted; its author sees that it awaits
moderation and the moderation queue lists it. Approving publishes it
everywhere at once: the count, the live events, the index, the followers.
Before, such a call's comments were public at once."""

import pytest

from consult.models import ChallengeCallPage
from ideas import search_documents
from ideas.models import Comment, Follow, Visibility
from ideas.services import comments, tokens
from live import events
from live.topics import call_topic, idea_topic, moderation_topic
from moderation import services as moderation
from notifications.models import Kind, Notification
from search import backend

from ..factories import CallFactory, IdeaFactory, UserFactory

WORDS = "Prescribe allotments through the surgery"


@pytest.fixture
def pre_call(mission):
    return CallFactory(parent=mission, moderation_mode=ChallengeCallPage.MODERATION_PRE)


@pytest.fixture
def idea(pre_call, commit):
    with commit():  # its search sync runs now, not with a later test's
        return IdeaFactory(call=pre_call, title="Green social prescribing")


@pytest.fixture
def sent(monkeypatch):
    """Every live event published, as (topic, event, data)."""
    published = []
    monkeypatch.setattr(events, "publish", lambda topic, event, data: published.append((topic, event, data)))
    return published


@pytest.fixture(autouse=True)
def _database_search(settings):
    settings.ELASTICSEARCH_URL = ""


def found_in_search(text):
    results = backend.search(text, filters={"kind": "comment"}, per_page=100, facets=False,
                             visible=search_documents.visible)
    return {hit.id for hit in results.hits}


def open_data_ids(client):
    return [row["id"] for row in client.get("/api/v1/comments").json()["results"]]


@pytest.mark.django_db
def test_a_comment_posted_on_the_page_waits_for_a_moderator(idea, client, commit, sent):
    author, reader = UserFactory(), UserFactory()
    client.force_login(author)
    with commit():
        response = client.post(f"/ideas/{idea.pk}/comments/", {"body": WORDS}, follow=True)
    html = response.content.decode()
    assert "Your comment will appear once a moderator has checked it" in html
    comment = Comment.objects.get(author=author)
    assert comment.visibility == Visibility.PENDING
    # The author sees it, marked as awaiting moderation.
    assert WORDS in html and "Awaiting moderation" in html
    idea.refresh_from_db()
    assert idea.comment_count == 0

    client.force_login(reader)
    assert WORDS not in client.get(f"/ideas/{idea.pk}/").content.decode()
    client.logout()
    assert WORDS not in client.get(f"/ideas/{idea.pk}/").content.decode()
    assert client.get(f"/api/v1/ideas/{idea.pk}").json()["comment_count"] == 0
    assert comment.pk not in open_data_ids(client)
    assert comment.pk not in found_in_search("allotments")
    # Only the moderators' queue hears of it.
    mission_id = idea.call.get_parent().pk
    assert [(topic, event) for topic, event, _ in sent] == [(moderation_topic(mission_id), events.QUEUE_ADDED)]
    assert not Notification.objects.filter(link__endswith=f"#comment-{comment.pk}").exists()


@pytest.mark.django_db
def test_a_comment_posted_through_the_api_says_it_awaits_moderation(idea, client, sent, commit):
    author = UserFactory()
    _, key = tokens.create_api_token(author, "tests")
    with commit():
        response = client.post(f"/api/v1/ideas/{idea.pk}/comments", {"body": WORDS}, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201
    assert response.json()["visibility"] == "pending"
    assert Comment.objects.get(pk=response.json()["id"]).visibility == Visibility.PENDING
    assert client.get(f"/api/v1/ideas/{idea.pk}").json()["comment_count"] == 0
    assert response.json()["id"] not in open_data_ids(client)
    assert not [1 for topic, _, _ in sent if topic in (idea_topic(idea.pk), call_topic(idea.call_id))]


@pytest.mark.django_db
def test_the_queue_lists_it_and_approving_publishes_it_everywhere(idea, moderator, client, commit, sent):
    author, follower = UserFactory(), UserFactory()
    Follow.objects.create(user=follower, idea=idea)
    with commit():
        comment = comments.add_comment(author, idea, WORDS)
    assert comment.visibility == Visibility.PENDING

    client.force_login(moderator)
    mission = idea.call.get_parent()
    queue = client.get(f"/moderation/{mission.slug}/?kind=comment").content.decode()
    assert WORDS in queue and f"comment:{comment.pk}" in queue

    sent.clear()
    with commit():
        response = client.post(f"/moderation/{mission.slug}/act/", {"items": [f"comment:{comment.pk}"],
                                                                    "action": "approve"})
    assert response.status_code == 302
    comment.refresh_from_db()
    idea.refresh_from_db()
    assert comment.visibility == Visibility.PUBLISHED
    assert idea.comment_count == 1
    published = {(topic, event) for topic, event, _ in sent}
    assert (idea_topic(idea.pk), events.COMMENT_CREATED) in published
    assert (call_topic(idea.call_id), events.COMMENT_COUNT) in published
    assert comment.pk in found_in_search("allotments")
    client.logout()
    assert WORDS in client.get(f"/ideas/{idea.pk}/").content.decode()
    assert client.get(f"/api/v1/ideas/{idea.pk}").json()["comment_count"] == 1
    assert comment.pk in open_data_ids(client)
    # The idea's author and its followers hear of the comment once it is public, once.
    link = f"{idea.get_absolute_url()}#comment-{comment.pk}"
    told = Notification.objects.filter(link=link, kind__in=[Kind.REPLY, Kind.FOLLOWED])
    assert set(told.values_list("recipient_id", flat=True)) == {idea.author_id, follower.pk}
    with commit():
        moderation.moderate(moderator, comment, "hide", reason="spam")
        moderation.moderate(moderator, comment, "restore")
    assert told.filter(recipient=follower).count() == 1


@pytest.mark.django_db
def test_an_approved_comment_edited_by_its_author_waits_again(idea, moderator, commit, sent):
    author = UserFactory()
    comment = comments.add_comment(author, idea, WORDS)
    moderation.moderate(moderator, comment, "approve")
    sent.clear()
    with commit():
        comments.edit_comment(author, Comment.objects.get(pk=comment.pk), "Now with different words")
    comment.refresh_from_db()
    idea.refresh_from_db()
    assert comment.visibility == Visibility.PENDING
    assert idea.comment_count == 0
    published = {(topic, event) for topic, event, _ in sent}
    assert (idea_topic(idea.pk), events.COMMENT_REMOVED) in published
    assert (moderation_topic(idea.call.get_parent().pk), events.QUEUE_ADDED) in published
    assert (idea_topic(idea.pk), events.COMMENT_UPDATED) not in published


@pytest.mark.django_db
def test_a_call_without_pre_moderation_publishes_comments_at_once(call, commit, sent):
    idea = IdeaFactory(call=call)
    with commit():
        comment = comments.add_comment(UserFactory(), idea, WORDS)
    idea.refresh_from_db()
    assert comment.visibility == Visibility.PUBLISHED and idea.comment_count == 1
    assert (idea_topic(idea.pk), events.COMMENT_CREATED) in {(topic, event) for topic, event, _ in sent}
