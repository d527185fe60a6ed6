"""Hostile input gets a 4xx in the site's error shape, never a 500, and
stores nothing: huge page numbers and ids, oversized bodies, NUL characters,
JSON bodies that are not objects, missing or bad API credentials."""

import json

import pytest
from django.test import Client

from ideas.services import tokens
from ideas.models import Comment, Follow, Idea, Vote

from ..factories import IdeaFactory

BEYOND_64_BITS = "99999999999999999999"
JUST_BEYOND = str(2**63)


def bearer(user):
    _, key = tokens.create_api_token(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def error_of(response):
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()["error"]


# --- page numbers -------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("page", [BEYOND_64_BITS, JUST_BEYOND, "9999999999999999", "²", "-3", "0", "x"])
def test_search_pages_beyond_the_results_show_the_last_page(call, client, page, django_capture_on_commit_callbacks):
    """?page=99999999999999999999 became an OFFSET the database cannot hold: a 500 for anyone."""
    with django_capture_on_commit_callbacks(execute=True):  # search indexes after the commit
        for n in range(3):
            IdeaFactory(call=call, title=f"Zebra crossing {n}")
    response = client.get("/search/", {"q": "zebra", "page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert len(response.context["results"].hits) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"page": BEYOND_64_BITS}, {"sector": BEYOND_64_BITS}, {"sector": "²"},
                                    {"tag": "a\x00b"}])
def test_the_call_page_survives_hostile_filters(call, client, params):
    idea = IdeaFactory(call=call)
    response = client.get(call.url, params)
    assert response.status_code == 200
    if "page" in params:  # past the end is the last page, as before
        assert idea.title in response.content.decode()


@pytest.mark.django_db
def test_the_open_data_schema_declares_its_limits(client, site):
    schema = client.get("/api/schema").json()
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/calls/{call_id}/ideas"]["get"]["parameters"]}
    assert params["page"]["minimum"] == 1
    assert params["sort"]["enum"] == ["newest", "supported", "agreed", "consensus", "discussed"]
    assert params["call_id"] == {**params["call_id"], "minimum": 1, "maximum": 2**63 - 1}
    idea_in = schema["components"]["schemas"]["IdeaIn"]["properties"]
    assert (idea_in["title"]["maxLength"], idea_in["summary"]["maxLength"]) == (150, 500)
    assert idea_in["tags"]["maxItems"] == 10
    assert schema["components"]["schemas"]["CommentIn"]["properties"]["body"]["maxLength"] == 5000


# --- ids beyond 64 bits -------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("number", [BEYOND_64_BITS, JUST_BEYOND])
def test_api_ids_beyond_64_bits_are_a_field_error(call, user, client, number):
    auth = bearer(user)
    idea = IdeaFactory(call=call)
    for response, field in [
        (client.get(f"/api/v1/calls/{number}/ideas"), "call_id"),
        (client.post(f"/api/v1/calls/{number}/ideas", {"title": "t", "summary": "s", "body": "b"},
                     content_type="application/json", **auth), "call_id"),
        (client.get(f"/api/v1/ideas/{number}"), "idea_id"),
        (client.post(f"/api/v1/calls/{call.pk}/ideas", {"title": "t", "summary": "s", "body": "b",
                                                        "organisation_id": int(number)},
                     content_type="application/json", **auth), "organisation_id"),
        (client.post(f"/api/v1/calls/{call.pk}/ideas", {"title": "t", "summary": "s", "body": "b",
                                                        "learning_questions": [int(number)]},
                     content_type="application/json", **auth), "learning_questions.0"),
        (client.post(f"/api/v1/ideas/{idea.pk}/comments", {"body": "b", "parent": int(number)},
                     content_type="application/json", **auth), "parent"),
    ]:
        assert response.status_code == 422, response.content[:200]
        assert error_of(response)["field"] == field
    assert Idea.objects.count() == 1 and not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("number", [BEYOND_64_BITS, JUST_BEYOND])
def test_html_ids_beyond_64_bits_are_not_found(call, admin_user, client, number):
    IdeaFactory(call=call)
    client.force_login(admin_user)
    for url in [f"/ideas/{number}/", f"/ideas/{number}/history/", f"/ideas/comments/{number}/edit/",
                f"/moderation/{call.get_parent().slug}/items/idea/{number}/"]:
        assert client.get(url).status_code == 404, url
    for url in [f"/ideas/{number}/vote/", f"/ideas/{number}/comments/", f"/ideas/comments/{number}/delete/",
                f"/accounts/tokens/{number}/revoke/"]:
        assert client.post(url).status_code == 404, url


@pytest.mark.django_db
def test_unknown_api_addresses_answer_json(client, site):
    for url in ("/api/v1/nothing-here", "/api/v1/ideas/1/"):
        response = client.get(url)
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


# --- oversized bodies ---------------------------------------------------------

TWENTY_MB = 20 * 1024 * 1024


@pytest.mark.django_db
def test_a_20_mb_api_body_is_413_json_and_stores_nothing(call, user, client):
    idea = IdeaFactory(call=call)
    response = client.post(f"/api/v1/ideas/{idea.pk}/comments", json.dumps({"body": "x" * TWENTY_MB}),
                           content_type="application/json", **bearer(user))
    assert response.status_code == 413
    assert error_of(response) == {"code": "too_large", "message": "The request is too large: the limit is 2.5 MB.",
                                  "field": None}
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_20_mb_form_is_413_without_a_traceback(call, user, client, settings):
    settings.DEBUG = True  # the traceback page was what development showed
    idea = IdeaFactory(call=call)
    client.force_login(user)
    response = client.post(f"/ideas/{idea.pk}/comments/", "body=" + "x" * TWENTY_MB,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert response.content.decode() == "The request is too large: the limit is 2.5 MB."
    assert not Comment.objects.exists()


# --- NUL characters -----------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("field, value", [("title", "Bad\x00title"), ("body", "a\x00b"), ("summary", "\x00"),
                                          ("tags", ["ok", "t\x00g"])])
def test_nul_in_an_api_idea_is_a_field_error(call, user, client, field, value):
    payload = {"title": "Fine", "summary": "Fine", "body": "Fine", field: value}
    response = client.post(f"/api/v1/calls/{call.pk}/ideas", payload, content_type="application/json", **bearer(user))
    assert response.status_code == 422
    error = error_of(response)
    assert error["message"] == "Null characters are not allowed."
    assert error["field"] == ("tags.1" if field == "tags" else field)
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_nul_in_an_api_comment_or_edit_is_a_field_error(call, user, client):
    auth = bearer(user)
    idea = IdeaFactory(call=call, author=user)
    response = client.post(f"/api/v1/ideas/{idea.pk}/comments", {"body": "hi\x00there"},
                           content_type="application/json", **auth)
    assert response.status_code == 422 and error_of(response)["field"] == "body"
    response = client.patch(f"/api/v1/ideas/{idea.pk}", {"title": "T", "summary": "S\x00", "body": "B"},
                            content_type="application/json", **auth)
    assert response.status_code == 422 and error_of(response)["field"] == "summary"
    assert not Comment.objects.exists()
    idea.refresh_from_db()
    assert "\x00" not in idea.summary


# --- JSON bodies that are not objects -----------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("url, body", [("follow", "false"), ("follow", "[]"), ("vote", "[]"), ("vote", '"agree"'),
                                       ("vote", "1"), ("comments", "null"), ("vote", "{not json")])
def test_a_body_that_is_not_a_json_object_is_refused(call, user, client, url, body):
    idea = IdeaFactory(call=call)
    response = client.post(f"/api/v1/ideas/{idea.pk}/{url}", body, content_type="application/json", **bearer(user))
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_body" and error["message"].startswith("The request body ")
    assert not Follow.objects.filter(idea=idea).exists()
    assert not Vote.objects.exists() and not Comment.objects.exists()


@pytest.mark.django_db
def test_follow_needs_a_real_boolean(call, user, client):
    idea = IdeaFactory(call=call)
    response = client.post(f"/api/v1/ideas/{idea.pk}/follow", {"follow": 0}, content_type="application/json",
                           **bearer(user))
    assert response.status_code == 422 and error_of(response)["field"] == "follow"
    assert not Follow.objects.filter(idea=idea).exists()


# --- credentials --------------------------------------------------------------

@pytest.mark.django_db
def test_missing_revoked_or_malformed_tokens_are_401_with_a_challenge(call, user):
    """With CSRF enforced, as for a real client: ninja's session auth ran its
    CSRF check first and answered 403 "CSRF check Failed"."""
    client = Client(enforce_csrf_checks=True)
    idea = IdeaFactory(call=call)
    token, key = tokens.create_api_token(user, "to revoke")
    tokens.revoke_api_token(user, token)
    url = f"/api/v1/ideas/{idea.pk}/vote"
    for header, challenge in [(None, 'Bearer realm="api"'),
                              (f"Bearer {key}", 'Bearer realm="api", error="invalid_token"'),
                              ("Bearer mc_made_up", 'Bearer realm="api", error="invalid_token"'),
                              ("Basic dXNlcjpwYXNz", 'Bearer realm="api", error="invalid_request"'),
                              ("Bearer", 'Bearer realm="api", error="invalid_request"')]:
        extra = {"HTTP_AUTHORIZATION": header} if header else {}
        response = client.post(url, {}, content_type="application/json", **extra)
        assert response.status_code == 401, (header, response.content)
        assert response["WWW-Authenticate"] == challenge
        assert error_of(response)["code"] == "not_authenticated"
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_browser_without_the_csrf_token_is_still_refused(call, user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    idea = IdeaFactory(call=call)
    response = client.post(f"/api/v1/ideas/{idea.pk}/vote", {}, content_type="application/json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "csrf_failed"
    assert not Vote.objects.exists()
