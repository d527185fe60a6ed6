import pytest

from ideas.services import tokens
from ideas.models import Idea, Vote

from ..factories import IdeaFactory


def bearer(user):
    _, key = tokens.create_api_token(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db
def test_submit_comment_vote_unvote_follow_with_a_token(call, user, client):
    auth = bearer(user)
    response = client.post(
        f"/api/v1/calls/{call.pk}/ideas",
        {"title": "API idea", "summary": "s", "body": "**b**", "tags": ["x"]},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.content
    idea_id = response.json()["id"]
    assert response.json()["body_html"] == "<p><strong>b</strong></p>"
    other = IdeaFactory(call=call)
    assert client.post(f"/api/v1/ideas/{other.pk}/vote", {"value": "support"}, content_type="application/json", **auth).json()["support_count"] == 1
    again = client.post(f"/api/v1/ideas/{other.pk}/vote", {"value": "support"}, content_type="application/json", **auth)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_voted"
    assert client.delete(f"/api/v1/ideas/{other.pk}/vote", **auth).json()["support_count"] == 0
    response = client.post(f"/api/v1/ideas/{idea_id}/comments", {"body": "hi"}, content_type="application/json", **auth)
    assert response.status_code == 201
    assert client.post(f"/api/v1/ideas/{other.pk}/follow", {"follow": True}, content_type="application/json", **auth).json() == {"ok": True}
    response = client.patch(f"/api/v1/ideas/{idea_id}", {"title": "New", "summary": "s", "body": "b"}, content_type="application/json", **auth)
    assert response.status_code == 200 and response.json()["title"] == "New"


@pytest.mark.django_db
def test_errors_are_json_with_field_and_reason(call, user, client):
    auth = bearer(user)
    response = client.post(
        f"/api/v1/calls/{call.pk}/ideas", {"title": "x" * 151, "summary": "s", "body": "b"}, content_type="application/json", **auth
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "too_long", "message": "A title must be 150 characters or fewer (it is 151).", "field": "title"}
    }
    response = client.post(f"/api/v1/calls/{call.pk}/ideas", {"summary": "s"}, content_type="application/json", **auth)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "title"
    response = client.post(f"/api/v1/calls/{call.pk}/ideas", "not json", content_type="application/json", **auth)
    assert 400 <= response.status_code < 500
    assert client.post("/api/v1/ideas/424242/vote", {}, content_type="application/json", **auth).status_code == 404
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_someone_elses_idea_cannot_be_edited(call, user, other_user, client):
    idea = IdeaFactory(call=call, author=other_user)
    response = client.patch(f"/api/v1/ideas/{idea.pk}", {"title": "Mine now", "summary": "s", "body": "b"}, content_type="application/json", **bearer(user))
    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.title != "Mine now"


@pytest.mark.django_db
def test_no_credentials_and_revoked_tokens_are_401(call, user, client):
    idea = IdeaFactory(call=call)
    assert client.post(f"/api/v1/ideas/{idea.pk}/vote", {}, content_type="application/json").status_code == 401
    token, key = tokens.create_api_token(user, "to revoke")
    tokens.revoke_api_token(user, token)
    response = client.post(f"/api/v1/ideas/{idea.pk}/vote", {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_session_auth_needs_the_csrf_token(call, user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    idea = IdeaFactory(call=call)
    response = client.post(f"/api/v1/ideas/{idea.pk}/vote", {}, content_type="application/json")
    assert response.status_code == 403
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(f"/api/v1/ideas/{idea.pk}/vote", {}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


@pytest.mark.django_db
def test_schema_and_docs(client, site):
    schema = client.get("/api/schema").json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert "/api/v1/calls/{call_id}/ideas" in paths
    assert {"post", "delete"} <= set(paths["/api/v1/ideas/{idea_id}/vote"])
    assert "bearerAuth" in str(schema["components"]["securitySchemes"]) or "BearerToken" in str(schema["components"]["securitySchemes"])
    assert client.get("/api/docs").status_code == 200


@pytest.mark.django_db
def test_token_page_creates_shows_once_and_revokes(user, client, site):
    client.force_login(user)
    response = client.post("/accounts/tokens/", {"name": "my script"})
    html = response.content.decode()
    assert "Copy it now" in html
    token = user.personal_tokens.get()
    assert token.key_hash not in html
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_token_use_is_recorded_without_a_write_on_every_call(call, user, client):
    """last_used_at is shown to the day; it is written at most every ten minutes."""
    from datetime import timedelta

    from django.utils import timezone

    from ideas.models import ApiToken

    auth = bearer(user)
    url = f"/api/v1/ideas/{IdeaFactory(call=call).pk}/vote"
    assert client.post(url, {}, content_type="application/json", **auth).status_code == 200
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    assert client.delete(url, **auth).status_code == 200
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=11))
    assert client.post(url, {}, content_type="application/json", **auth).status_code == 200
    assert ApiToken.objects.get().last_used_at > first
