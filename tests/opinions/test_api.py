"""GET /api/v1/calls/{id}/opinion-map: the stored map, without sign-in, for
public calls only, with only ideas public now, and no participant's id."""

import pytest

from consult.models import ChallengeCallPage
from ideas.models import Idea, Visibility
from opinions import services

from ..factories import CallFactory, IdeaFactory
from .conftest import COMMON, SPLIT

URL = "/api/v1/calls/{}/opinion-map"


@pytest.mark.django_db
def test_the_map_as_stored_without_sign_in(planted_call, client, django_assert_max_num_queries):
    call, ideas = planted_call["call"], planted_call["ideas"]
    snapshot = services.recompute(call.pk).snapshot
    with django_assert_max_num_queries(4):  # call, snapshot, titles
        response = client.get(URL.format(call.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["call"] == call.pk and body["n_votes"] == snapshot.n_votes == 160
    assert body["computed_at"] and body["reason"] is None
    assert sorted(g["size"] for g in body["groups"]) == [8, 8]
    rep = body["groups"][0]["representative"][0]
    assert rep["title"] and rep["inside"]["n"] == 8 and set(rep["inside"]["shares"]) == {"agree", "disagree", "pass"}
    assert rep["outside"]["n"] == 8
    # The consensus order, and every idea's votes overall and per group.
    assert set(body["agreed_across_groups"][:COMMON]) == {i.pk for i in ideas[2 * SPLIT:]}
    assert [row["idea"] for row in body["ideas"]] == body["agreed_across_groups"]
    row = body["ideas"][0]
    assert row["overall"]["n"] == 16 and row["overall"]["smoothed_agree"] == pytest.approx(17 / 18, abs=1e-4)
    assert set(row["groups"]) == {"0", "1"} and row["groups"]["0"]["n"] == 8
    # Points of the map, but not whose they are.
    assert len(body["points"]) == 16 and set(body["points"][0]) == {"x", "y", "group", "in_model"}
    assert "participants" not in body and "positions" not in body

    def keys(value):
        if isinstance(value, dict):
            return set(value) | set().union(*map(keys, value.values()))
        if isinstance(value, list):
            return set().union(*map(keys, value))
        return set()

    voters = {str(u.pk) for u in planted_call["camp_a"] + planted_call["camp_b"]}
    assert not (voters - {"0", "1"}) & keys(body)  # group ids are "0" and "1"


@pytest.mark.django_db
def test_an_idea_hidden_since_the_map_drops_out(planted_call, client):
    call, ideas = planted_call["call"], planted_call["ideas"]
    services.recompute(call.pk)
    Idea.objects.filter(pk=ideas[-1].pk).update(visibility=Visibility.HIDDEN)
    body = client.get(URL.format(call.pk)).json()
    assert ideas[-1].pk not in body["agreed_across_groups"]
    assert ideas[-1].pk not in [row["idea"] for row in body["ideas"]]
    assert all(r["idea"] != ideas[-1].pk for g in body["groups"] for r in g["representative"])


@pytest.mark.django_db
def test_not_yet_computed_is_empty_and_says_so(mission, client):
    call = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE)
    IdeaFactory(call=call)
    body = client.get(URL.format(call.pk)).json()
    assert body["computed_at"] is None and body["groups"] == [] and "not been computed" in body["reason"]


@pytest.mark.django_db
def test_unpublished_unknown_and_support_calls_are_not_found(planted_call, mission, client):
    call = planted_call["call"]
    services.recompute(call.pk)
    support = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_SUPPORT)
    response = client.get(URL.format(support.pk))
    assert response.status_code == 404 and response.json()["error"]["code"] == "no_opinion_map"
    assert "agree / disagree / pass" in response.json()["error"]["message"]
    assert client.get(URL.format(999999)).status_code == 404
    call.unpublish()
    assert client.get(URL.format(call.pk)).status_code == 404


@pytest.mark.django_db
def test_the_operation_is_in_the_api_schema(site, client):
    schema = client.get("/api/schema").json()
    assert "get" in schema["paths"]["/api/v1/calls/{call_id}/opinion-map"]


@pytest.mark.django_db
def test_an_unknown_parameter_is_a_400_naming_it(planted_call, client):
    call = planted_call["call"]
    services.recompute(call.pk)
    response = client.get(URL.format(call.pk) + "?grups=2")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "grups"
    assert "Unknown parameter “grups”: this address takes no parameters." == response.json()["error"]["message"]
