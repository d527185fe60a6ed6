"""Abuse limits: rate limits with 429 and Retry-After (and the typed text
kept), blocked terms and new accounts' links to the queue, repeats refused."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ideas.services import comments, submissions, tokens
from inputs.refusals import Refused
from ideas.models import Comment, Idea, Visibility
from moderation.models import ModerationAction
from moderation.services import about

from ..factories import IdeaFactory, UserFactory


@pytest.mark.django_db
def test_comment_rate_limit_is_429_with_retry_after_and_keeps_the_text(call, user, client, settings):
    settings.RATE_LIMITS = {"comment": {"user": "2/m"}}
    idea = IdeaFactory(call=call)
    client.force_login(user)
    for n in range(2):
        assert client.post(f"/ideas/{idea.pk}/comments/", {"body": f"comment {n}"}).status_code == 302
    response = client.post(f"/ideas/{idea.pk}/comments/", {"body": "my carefully typed third comment"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    html = response.content.decode()
    assert "You have done this too often" in html
    assert "my carefully typed third comment</textarea>" in html
    assert Comment.objects.count() == 2
    json_response = client.post(f"/ideas/{idea.pk}/comments/", {"body": "again"}, HTTP_ACCEPT="application/json")
    assert json_response.status_code == 429 and json_response.json()["error"]["code"] == "rate_limited"
    assert "Retry-After" in json_response


@pytest.mark.django_db
def test_idea_rate_limit_keeps_the_form(call, user, client, settings):
    settings.RATE_LIMITS = {"idea": {"user": "1/h"}}
    client.force_login(user)
    url = call.url + "submit/"
    assert client.post(url, {"title": "First", "summary": "s", "body": "b", "confirm": "1"}).status_code == 302
    response = client.post(url, {"title": "Second idea title", "summary": "s2", "body": "b2", "confirm": "1"})
    # django-ratelimit counts in fixed windows: the wait is what is left of this hour.
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 3600
    assert 'value="Second idea title"' in response.content.decode()
    assert Idea.objects.count() == 1


@pytest.mark.django_db
def test_vote_and_api_rate_limits_per_ip(call, client, settings):
    settings.RATE_LIMITS = {"vote": {"ip": "2/m", "user": "100/m"}}
    ideas = [IdeaFactory(call=call) for _ in range(3)]
    for n, idea in enumerate(ideas):
        voter = UserFactory()
        client.force_login(voter)
        response = client.post(f"/ideas/{idea.pk}/vote/", {"value": "support"}, HTTP_ACCEPT="application/json")
        assert response.status_code == (200 if n < 2 else 429)
    _, key = tokens.create_api_token(UserFactory(), "t")
    response = client.post(f"/api/v1/ideas/{ideas[0].pk}/vote", {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 429 and "Retry-After" in response


@pytest.mark.django_db
def test_signup_and_login_limits_keep_what_was_typed(settings, site):
    # allauth's counters (ACCOUNT_RATE_LIMITS) live in the default cache, kept
    # between tests on Redis: an address of this test's own.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup_attempt": "1/h/ip", "login_attempt": "2/m/ip"}
    client = Client(REMOTE_ADDR=f"10.{uuid.uuid4().int % 250 + 1}.0.{uuid.uuid4().int % 250 + 1}")
    data = {"display_name": "New Person", "email": "new@example.org", "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"}
    assert client.post("/accounts/signup/", data).status_code == 302
    client.logout()
    again = client.post("/accounts/signup/", {**data, "email": "second@example.org"})
    assert again.status_code == 429 and "Retry-After" in again
    assert 'value="second@example.org"' in again.content.decode()
    for _ in range(2):
        client.post("/accounts/login/", {"login": "who@example.org", "password": "wrong"})
    blocked = client.post("/accounts/login/", {"login": "who@example.org", "password": "wrong"})
    assert blocked.status_code == 429 and "Retry-After" in blocked
    assert "You have done this too often" in blocked.content.decode()
    assert 'value="who@example.org"' in blocked.content.decode()


@pytest.mark.django_db
def test_blocked_terms_send_content_to_the_queue(call, user, settings):
    settings.BLOCKED_TERMS = ["casino"]
    idea = submissions.submit_idea(user, call, title="Fund a Casino", summary="s", body="b")
    assert idea.visibility == Visibility.PENDING
    assert ModerationAction.objects.get(**about(idea)).reason_text == "Automatic: contains a blocked term"
    fine = submissions.submit_idea(user, call, title="Fund a library", summary="s", body="no casinos-like words? casinos")
    assert fine.visibility == Visibility.PUBLISHED  # whole words only
    comment = comments.add_comment(UserFactory(), fine, "Visit my casino")
    assert comment.visibility == Visibility.PENDING
    fine.refresh_from_db()
    assert fine.comment_count == 0


@pytest.mark.django_db
def test_links_from_new_accounts_wait_for_a_moderator(call):
    new = UserFactory()
    old = UserFactory()
    old.date_joined = timezone.now() - timedelta(days=2)
    old.save()
    idea = IdeaFactory(call=call)
    held = comments.add_comment(new, idea, "See https://example.org/offer")
    shown = comments.add_comment(old, idea, "See https://example.org/report")
    assert held.visibility == Visibility.PENDING and shown.visibility == Visibility.PUBLISHED


@pytest.mark.django_db
def test_the_same_text_twice_within_an_hour_is_refused(call, user):
    idea = IdeaFactory(call=call)
    first = comments.add_comment(user, idea, "Great idea!")
    with pytest.raises(Refused) as exc:
        comments.add_comment(user, idea, "  great   IDEA! ")
    assert exc.value.code == "duplicate"
    Comment.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=61))
    comments.add_comment(user, idea, "Great idea!")
    submissions.submit_idea(user, call, title="One", summary="s", body="Same body")
    with pytest.raises(Refused):
        submissions.submit_idea(user, call, title="Two", summary="s", body="Same body")


@pytest.mark.django_db
def test_flag_rate_limit_keeps_the_form(call, user, client, settings):
    from moderation.models import Flag

    settings.RATE_LIMITS = {"flag": {"user": "1/h"}}
    first, second = IdeaFactory(call=call), IdeaFactory(call=call)
    client.force_login(user)
    assert client.post(f"/ideas/{first.pk}/flag/", {"reason": "spam"}).status_code == 302
    response = client.post(f"/ideas/{second.pk}/flag/", {"reason": "other", "text": "typed reason"})
    assert response.status_code == 429 and "Retry-After" in response
    assert "typed reason</textarea>" in response.content.decode()
    assert Flag.objects.count() == 1


@pytest.mark.django_db
def test_making_api_tokens_is_limited(client, user, settings):
    from ideas.models import ApiToken

    settings.RATE_LIMITS = {"token": {"user": "1/h"}}
    client.force_login(user)
    assert client.post("/accounts/tokens/", {"name": "first"}).status_code == 200
    again = client.post("/accounts/tokens/", {"name": "second script"})
    assert again.status_code == 429 and "Retry-After" in again
    html = again.content.decode()
    assert "You have done this too often" in html and 'value="second script"' in html
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["first"]


@pytest.mark.django_db
def test_search_is_limited_on_the_api_and_the_page(client, settings):
    settings.RATE_LIMITS = {"search": {"ip": "2/m"}}
    assert client.get("/api/v1/search", {"q": "heat"}).status_code == 200
    assert client.get("/search/", {"q": "heat"}).status_code == 200  # the page counts with the API
    api = client.get("/api/v1/search", {"q": "heat"})
    assert api.status_code == 429 and 1 <= int(api["Retry-After"]) <= 60
    assert api.json()["error"]["code"] == "rate_limited" and "Please wait" in api.json()["error"]["message"]
    page = client.get("/search/", {"q": "heat"})
    assert page.status_code == 429 and "You have done this too often" in page.content.decode()
