"""What ideas and moderation tell people, through the notifications app:
who hears of a comment, a reply, a status change, the team's response and a
moderation decision, under which kind, and the emails that follow."""

import pytest
from django.core import mail

from ideas.services import comments, follows, submissions
from notifications.models import Kind, Notification
from notifications.services import update_settings

from ..factories import UserFactory

GOOD = {"title": "Community heat networks", "summary": "Share heat between homes.", "body": "Use **waste heat**."}


def kinds_of(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def idea(call, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return submissions.submit_idea(user, call, **GOOD)


@pytest.mark.django_db
def test_a_comment_tells_the_author_as_a_reply_and_followers_as_activity(
        idea, user, other_user, django_capture_on_commit_callbacks):
    follower = UserFactory()
    follows.follow(follower, idea=idea)
    follows.follow(other_user, idea=idea)
    with django_capture_on_commit_callbacks(execute=True):
        comment = comments.add_comment(other_user, idea, "Have you costed **this**?")
    assert kinds_of(user) == [Kind.REPLY]
    assert kinds_of(follower) == [Kind.FOLLOWED]
    assert kinds_of(other_user) == []  # not told of their own comment
    note = Notification.objects.get(recipient=user)
    assert note.title == f"New comment on your idea “{idea.title}”"
    assert note.excerpt == "Have you costed this?" and note.link == f"/ideas/{idea.pk}/#comment-{comment.pk}"
    # Replies to me go at once by default; activity on what one follows waits for the digest.
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "Have you costed this?" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_reply_tells_the_comments_author(idea, user, other_user, django_capture_on_commit_callbacks):
    third = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = comments.add_comment(other_user, idea, "First thought")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        comments.add_comment(third, idea, "A reply to you", parent=first)
    assert Notification.objects.get(recipient=other_user).title == f"New reply to your comment on “{idea.title}”"
    assert kinds_of(other_user) == [Kind.REPLY] and kinds_of(user) == [Kind.REPLY]


@pytest.mark.django_db
def test_status_and_response_tell_followers_under_their_kind(
        idea, user, team_member, django_capture_on_commit_callbacks):
    follower = UserFactory()
    follows.follow(follower, idea=idea)
    update_settings(follower.pk, {Kind.STATUS: "off"})
    with django_capture_on_commit_callbacks(execute=True):
        submissions.set_idea_status(team_member, idea, "shortlisted")
        submissions.respond_to_idea(team_member, idea, "We will *pilot* this in spring.")
    assert kinds_of(user) == [Kind.STATUS, Kind.STATUS] and kinds_of(follower) == [Kind.STATUS, Kind.STATUS]
    response = Notification.objects.filter(recipient=user).order_by("pk").last()
    assert response.title == f"The mission team responded: {idea.title}"
    assert response.excerpt == "We will *pilot* this in spring."
    assert [m.to for m in mail.outbox] == [[user.email], [user.email]]  # the follower turned these off


@pytest.mark.django_db
def test_a_moderation_decision_tells_the_author(idea, user, moderator, django_capture_on_commit_callbacks):
    from moderation import services as moderation

    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(moderator, idea, "hide", reason="spam", reason_text="Advertising")
    note = Notification.objects.get(recipient=user, kind=Kind.MODERATION)
    assert note.link == f"/ideas/{idea.pk}/" and "Advertising" in note.excerpt
    assert [m.to for m in mail.outbox] == [[user.email]]
