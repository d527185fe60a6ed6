"""Edits are posts too: a suspended person cannot rewrite public text, and an
edit passes the same automatic screening as a new post (blocked terms, links
from new accounts, repeated text), on the site and through the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.services import comments, submissions, tokens
from moderation import services as moderation
from inputs.refusals import Refused
from ideas.models import Comment, Idea, Visibility
from moderation.models import ModerationAction
from moderation.services import about

from ..factories import UserFactory


def _old_account():
    user = UserFactory()
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


def _idea(call, author, **overrides):
    fields = {"title": "Clean title", "summary": "Clean summary", "body": "A clean description."}
    fields.update(overrides)
    return submissions.submit_idea(author, call, **fields)


@pytest.fixture
def suspended_author(call, moderator):
    author = _old_account()
    idea = _idea(call, author)
    comment = comments.add_comment(author, idea, "A clean comment.")
    moderation.suspend(moderator, call.get_parent().specific, author, 7, "Repeated spam")
    return author, idea, comment


@pytest.mark.django_db
def test_suspended_author_cannot_edit_idea_by_service_form_or_api(suspended_author, client):
    author, idea, _ = suspended_author
    with pytest.raises(Refused) as exc:
        submissions.edit_idea(author, idea, title="Rewritten", summary="Rewritten", body="Rewritten body")
    assert exc.value.code == "suspended"

    client.force_login(author)
    response = client.post(f"/ideas/{idea.pk}/edit/", {"title": "Rewritten", "summary": "s", "body": "b"}, follow=True)
    assert "suspended from this mission" in response.content.decode()

    _, key = tokens.create_api_token(author, "t")
    response = client.patch(f"/api/v1/ideas/{idea.pk}", {"title": "Rewritten", "summary": "s", "body": "b"},
                            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "suspended"
    idea.refresh_from_db()
    assert idea.title == "Clean title" and idea.revisions.count() == 1
    assert not author.has_perm("ideas.change_idea", idea)


@pytest.mark.django_db
def test_suspended_author_cannot_edit_comment(suspended_author, client):
    author, _, comment = suspended_author
    with pytest.raises(Refused) as exc:
        comments.edit_comment(author, comment, "Rewritten comment")
    assert exc.value.code == "suspended"
    client.force_login(author)
    response = client.post(f"/ideas/comments/{comment.pk}/edit/",
                           {"body": "Rewritten comment"}, follow=True)
    assert "suspended from this mission" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "A clean comment."


@pytest.mark.django_db
def test_blocked_term_in_an_edit_sends_a_public_idea_to_the_queue(call, settings):
    settings.BLOCKED_TERMS = ["casino"]
    author = _old_account()
    idea = _idea(call, author)
    call.refresh_from_db()
    assert idea.visibility == Visibility.PUBLISHED and call.idea_count == 1

    submissions.edit_idea(author, idea, title="Clean title", summary="Clean summary", body="Visit our casino today")

    idea.refresh_from_db()
    call.refresh_from_db()
    assert idea.visibility == Visibility.PENDING
    assert call.idea_count == 0
    hold = ModerationAction.objects.get(**about(idea), kind="hold")
    assert hold.moderator is None and "blocked term" in hold.reason_text


@pytest.mark.django_db
def test_link_from_a_new_account_in_an_edit_is_held(call):
    author = UserFactory()  # joined just now
    idea = _idea(call, author)
    assert idea.visibility == Visibility.PUBLISHED
    submissions.edit_idea(author, idea, title="Clean title", summary="Clean summary", body="Buy now at https://spam.example")
    idea.refresh_from_db()
    assert idea.visibility == Visibility.PENDING


@pytest.mark.django_db
def test_moderator_edit_is_not_screened(call, moderator, settings):
    settings.BLOCKED_TERMS = ["casino"]
    author = _old_account()
    idea = _idea(call, author)
    submissions.edit_idea(moderator, idea, title="Clean title", summary="Quoting: casino", body="A clean description.")
    idea.refresh_from_db()
    assert idea.visibility == Visibility.PUBLISHED


@pytest.mark.django_db
def test_blocked_term_in_a_comment_edit_takes_it_off_the_page(call, settings):
    settings.BLOCKED_TERMS = ["casino"]
    author = _old_account()
    idea = _idea(call, UserFactory())
    comment = comments.add_comment(author, idea, "A clean comment.")
    assert Idea.objects.get(pk=idea.pk).comment_count == 1

    comments.edit_comment(author, comment, "Now with casino links")

    comment.refresh_from_db()
    assert comment.visibility == Visibility.PENDING
    assert Idea.objects.get(pk=idea.pk).comment_count == 0
    assert ModerationAction.objects.filter(**about(comment), kind="hold").exists()


@pytest.mark.django_db
def test_editing_into_a_repeat_of_another_post_is_refused(call):
    author = _old_account()
    idea = _idea(call, UserFactory())
    comments.add_comment(author, idea, "First comment text.")
    second = comments.add_comment(author, idea, "Second comment text.")
    with pytest.raises(Refused) as exc:
        comments.edit_comment(author, second, "first comment TEXT.")
    assert exc.value.code == "duplicate"
    # Saving the same text again is an edit of itself, not a repeat.
    comments.edit_comment(author, second, "Second comment text.")
    assert Comment.objects.get(pk=second.pk).visibility == Visibility.PUBLISHED


@pytest.mark.django_db
def test_edit_form_shows_the_screening_refusal_on_the_field(call, client):
    author = _old_account()
    idea = _idea(call, UserFactory())
    comments.add_comment(author, idea, "First comment text.")
    second = comments.add_comment(author, idea, "Second comment text.")
    client.force_login(author)
    response = client.post(f"/ideas/comments/{second.pk}/edit/", {"body": "First comment text."})
    assert response.status_code == 409
    assert "You posted the same text less than an hour ago." in response.content.decode()
    assert Comment.objects.get(pk=second.pk).body == "Second comment text."


@pytest.mark.django_db
def test_edits_are_rate_limited_with_the_text_kept(call, client, settings):
    settings.RATE_LIMITS = {"edit": {"user": "1/h"}}
    author = _old_account()
    idea = _idea(call, author)
    client.force_login(author)
    url = f"/ideas/{idea.pk}/edit/"
    assert client.post(url, {"title": "First edit", "summary": "s", "body": "b"}).status_code == 302
    response = client.post(url, {"title": "Second edit typed", "summary": "s", "body": "b"})
    # django-ratelimit counts in fixed windows: the wait is what is left of this hour.
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 3600
    assert 'value="Second edit typed"' in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).title == "First edit"
