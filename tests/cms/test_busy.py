"""A write that times out on SQLite's lock, or a request that waits too long
for a connection from PostgreSQL's pool, is overload: 503 with Retry-After,
never a 500, on the HTML views and on the API alike."""

import pytest
from django.db import OperationalError
from psycopg_pool import PoolTimeout

from ideas.services import tokens, votes
from ideas.models import Vote

from ..factories import IdeaFactory


def sqlite_locked():
    raise OperationalError("database is locked")


def pool_exhausted():
    # Raised as Django's PostgreSQL backend raises it, whatever database this
    # suite runs on: the driver's error wrapped in Django's OperationalError.
    try:
        raise PoolTimeout("couldn't get a connection after 10.00 sec")
    except PoolTimeout as exc:
        raise OperationalError(str(exc)) from exc


def pool_timeout_unwrapped():
    # The pool's own error where no backend wrapper caught it.
    raise PoolTimeout("couldn't get a connection after 10.00 sec")


@pytest.fixture(params=[sqlite_locked, pool_exhausted, pool_timeout_unwrapped])
def locked(monkeypatch, request):
    def cast_vote(*args, **kwargs):
        request.param()

    monkeypatch.setattr(votes, "cast_vote", cast_vote)


@pytest.mark.django_db
def test_api_answers_503_json_with_retry_after(call, user, client, locked):
    _, key = tokens.create_api_token(user, "t")
    idea = IdeaFactory(call=call)
    response = client.post(f"/api/v1/ideas/{idea.pk}/vote", {}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json()["error"]["code"] == "busy"
    assert "Nothing was saved" in response.json()["error"]["message"]
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_html_view_answers_503_page_with_retry_after(call, user, client, locked):
    client.force_login(user)
    idea = IdeaFactory(call=call)
    response = client.post(f"/ideas/{idea.pk}/vote/", {"value": "support"})
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "the service is busy" in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_other_database_errors_are_not_dressed_up_as_busy(call, user, client, monkeypatch):
    def cast_vote(*args, **kwargs):
        raise OperationalError("no such table: ideas_vote")

    monkeypatch.setattr(votes, "cast_vote", cast_vote)
    client.raise_request_exception = True
    client.force_login(user)
    idea = IdeaFactory(call=call)
    with pytest.raises(OperationalError):
        client.post(f"/ideas/{idea.pk}/vote/", {"value": "support"})
