"""Open data without sign-in: missions with metrics, questions and calls with
participation figures; a call's public ideas page by page. Hidden content and
unpublished calls never appear, and the query count does not grow with rows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from consult.models import ChallengeCallPage, LearningQuestion, MetricPoint, OutcomeMetric
from ideas.services import comments, votes
from ideas.models import Comment, Visibility, Vote

from ..factories import CallFactory, IdeaFactory, MissionFactory, UserFactory


def mission_with_data(title, calls=1):
    today = timezone.now().date()
    mission = MissionFactory(
        title=title, owner_name="Ada Owner", owner_role="Director",
        learning_questions=[LearningQuestion(question="What works?", status="answered", answer="Peer visits.")],
        metrics=[OutcomeMetric(name="Jobs", unit="%", baseline=Decimal("1.5"), target=Decimal("3"),
                               target_date=today,
                               points=[MetricPoint(date=today - timedelta(days=30), value=Decimal("1.75"),
                                                   source="ONS", commentary="On track, just.")])],
    )
    for n in range(calls):
        CallFactory(parent=mission, title=f"{title} call {n}", voting_mode="agree")
    return mission


@pytest.mark.django_db
def test_missions_carry_metrics_questions_calls_and_true_participation(site, client):
    mission = mission_with_data("Clean energy")
    call = ChallengeCallPage.objects.child_of(mission).get()
    shown, hidden = IdeaFactory(call=call), IdeaFactory(call=call)
    voters = [UserFactory() for _ in range(3)]
    for voter in voters:
        votes.cast_vote(voter, shown, "agree")
    votes.cast_vote(voters[0], hidden, "disagree")
    comments.add_comment(voters[1], shown, "Good point.")
    comments.add_comment(voters[2], hidden, "Hidden with its idea.")
    hidden.visibility = Visibility.HIDDEN  # as a moderator's hide leaves it, counters and all
    hidden.save(update_fields=["visibility"])
    ChallengeCallPage.objects.filter(pk=call.pk).update(idea_count=1)
    draft = CallFactory(parent=mission, title="Draft call")
    draft.unpublish()

    response = client.get("/api/v1/missions")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["pages"] == 1
    m = body["results"][0]
    assert (m["title"], m["owner_name"], m["url"]) == ("Clean energy", "Ada Owner", mission.url)
    assert m["learning_questions"] == [{"question": "What works?", "status": "answered", "answer": "Peer visits."}]
    metric = m["metrics"][0]
    assert (metric["name"], metric["baseline"], metric["target"]) == ("Jobs", 1.5, 3.0)
    assert metric["points"][0]["value"] == 1.75 and metric["points"][0]["commentary"] == "On track, just."
    assert [c["title"] for c in m["calls"]] == ["Clean energy call 0"]
    c = m["calls"][0]
    assert c["phase"] == "submission" and c["url"] == call.url
    # Public figures only: the hidden idea's vote and comment are not counted.
    public_votes = Vote.objects.filter(idea__visibility=Visibility.PUBLISHED).count()
    public_comments = Comment.objects.filter(idea__visibility=Visibility.PUBLISHED).count()
    assert c["participation"] == {"ideas": 1, "comments": public_comments, "votes": public_votes} == \
        {"ideas": 1, "comments": 1, "votes": 3}


@pytest.mark.django_db
def test_missions_listing_takes_the_same_queries_for_more_missions_and_calls(site, client,
                                                                             django_assert_num_queries):
    mission_with_data("One", calls=1)
    client.get("/api/v1/missions")  # warm Wagtail's site cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/missions")
    for n in range(4):
        mission_with_data(f"More {n}", calls=3)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get("/api/v1/missions").json()
    assert body["count"] == 5 and sum(len(m["calls"]) for m in body["results"]) == 13


@pytest.mark.django_db
def test_call_ideas_page_by_page_in_the_chosen_order_without_hidden_ones(call, client, django_assert_max_num_queries):
    ideas = [IdeaFactory(call=call, agree_count=n) for n in range(55)]
    IdeaFactory(call=call, title="Removed", visibility=Visibility.HIDDEN)
    client.get(f"/api/v1/calls/{call.pk}/ideas")
    with django_assert_max_num_queries(4):
        first = client.get(f"/api/v1/calls/{call.pk}/ideas", {"sort": "agreed"}).json()
    second = client.get(f"/api/v1/calls/{call.pk}/ideas", {"sort": "agreed", "page": 2}).json()
    assert (first["count"], first["pages"], len(first["results"]), len(second["results"])) == (55, 2, 50, 5)
    ranked = [row["id"] for row in first["results"] + second["results"]]
    assert ranked == [i.pk for i in sorted(ideas, key=lambda i: (-i.agree_count, -i.pk))]
    assert "Removed" not in str(first) + str(second)


@pytest.mark.django_db
@pytest.mark.parametrize("params, status, code, field", [
    ({"page": 3}, 404, "not_found", "page"),
    ({"page": 0}, 422, "invalid", "page"),
    ({"page": "two"}, 422, "invalid", "page"),
    ({"sort": "loudest"}, 422, "invalid", "sort"),
])
def test_bad_paging_and_sorting_get_a_json_error(call, client, params, status, code, field):
    IdeaFactory(call=call)
    response = client.get(f"/api/v1/calls/{call.pk}/ideas", params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code and response.json()["error"]["field"] == field


@pytest.mark.django_db
def test_unpublished_and_unknown_calls_are_not_found(call, client):
    IdeaFactory(call=call)
    call.unpublish()
    assert client.get(f"/api/v1/calls/{call.pk}/ideas").status_code == 404
    assert client.get("/api/v1/calls/987654/ideas").json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_open_data_is_in_the_api_schema(site, client):
    paths = client.get("/api/schema").json()["paths"]
    assert "get" in paths["/api/v1/missions"] and "get" in paths["/api/v1/calls/{call_id}/ideas"]
    assert "post" in paths["/api/v1/calls/{call_id}/ideas"]  # submitting still answers on the same path
