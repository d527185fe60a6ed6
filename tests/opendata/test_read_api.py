"""The read API over every kind (issue #17): missions, calls, ideas,
comments, tallies, metrics and participation as paginated, filterable JSON;
unknown or malformed parameters are a 400 naming the parameter; hidden,
pending and private content never appears; lists take a fixed number of
queries at 1 and at many rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas.models import Comment, Idea, Visibility
from participation.models import Snapshot
from people.models import Profile

from ..factories import CallFactory, CommentFactory, IdeaFactory, MissionFactory, UserFactory
from .test_api import mission_with_data

UNSCOPED = ("/api/v1/metrics", "/api/v1/missions")
LISTS = ["/api/v1/calls", "/api/v1/ideas", "/api/v1/comments", "/api/v1/tallies", "/api/v1/metrics"]


def named(user, name):
    Profile.objects.update_or_create(user=user, defaults={"display_name": name})
    return user


@pytest.mark.django_db
def test_ideas_comments_and_tallies_are_public_only(call, client):
    shown = IdeaFactory(call=call, title="Shown idea", support_count=4)
    IdeaFactory(call=call, title="Hidden idea", visibility=Visibility.HIDDEN)
    IdeaFactory(call=call, title="Pending idea", visibility=Visibility.PENDING)
    private = CallFactory(parent=call.get_parent())
    private.unpublish()
    IdeaFactory(call=private, title="Draft call idea")
    CommentFactory(idea=shown, author=named(UserFactory(), "Priya Shah"), body="Named comment")
    CommentFactory(idea=shown, author=named(UserFactory(), "Secret Name"), body="Anonymous comment", anonymous=True)
    CommentFactory(idea=shown, body="Hidden comment", visibility=Visibility.HIDDEN)

    ideas = client.get("/api/v1/ideas").json()
    assert [i["title"] for i in ideas["results"]] == ["Shown idea"] and ideas["count"] == 1
    comments = client.get("/api/v1/comments").json()["results"]
    assert sorted((c["body"], c["author"]) for c in comments) == [
        ("Anonymous comment", "A participant"), ("Named comment", "Priya Shah")]
    assert "Secret Name" not in str(comments)
    [tally] = client.get("/api/v1/tallies").json()["results"]
    shown.refresh_from_db()
    assert (tally["idea"], tally["support"], tally["comments"]) == (shown.pk, 4, shown.comment_count)
    assert "pass" in tally and "pass_" not in tally


@pytest.mark.django_db
def test_filters_by_mission_call_status_and_updated_since(site, client):
    one, two = MissionFactory(), MissionFactory()
    call_one, call_two = CallFactory(parent=one), CallFactory(parent=two)
    a = IdeaFactory(call=call_one, status="shortlisted")
    b = IdeaFactory(call=call_one)
    c = IdeaFactory(call=call_two)
    old = timezone.now() - timedelta(days=10)
    Idea.objects.filter(pk__in=[a.pk, c.pk]).update(updated_at=old)

    def ids(url, **q):
        response = client.get(url, q)
        assert response.status_code == 200, response.content
        return sorted(r.get("id", r.get("idea")) for r in response.json()["results"])

    assert ids("/api/v1/ideas", mission=one.pk) == sorted([a.pk, b.pk])
    assert ids("/api/v1/ideas", call=call_two.pk) == [c.pk]
    assert ids("/api/v1/ideas", status="shortlisted") == [a.pk]
    assert ids("/api/v1/tallies", mission=one.pk, status="submitted") == [b.pk]
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    assert ids("/api/v1/ideas", updated_since=since) == [b.pk]
    assert ids("/api/v1/ideas", updated_since=(timezone.now() - timedelta(days=1)).isoformat()) == [b.pk]
    assert ids("/api/v1/calls", mission=two.pk) == [call_two.pk]
    assert client.get("/api/v1/calls", {"mission": two.pk}).json()["results"][0]["mission"] == two.pk

    comment = CommentFactory(idea=a)
    Comment.objects.filter(pk=comment.pk).update(created_at=old)
    assert ids("/api/v1/comments", updated_since=since) == []
    Comment.objects.filter(pk=comment.pk).update(edited_at=timezone.now())
    assert ids("/api/v1/comments", updated_since=since) == [comment.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("url, query, field", [
    ("/api/v1/ideas", {"statuss": "shortlisted"}, "statuss"),
    ("/api/v1/ideas", {"updated_since": "last tuesday"}, "updated_since"),
    ("/api/v1/ideas", {"updated_since": "2026-02-30"}, "updated_since"),
    ("/api/v1/ideas", {"updated_since": "0001-01-01T00:00:00+23:59"}, "updated_since"),
    ("/api/v1/ideas", {"mission": "clean-energy"}, "mission"),
    ("/api/v1/calls", {"mission": ""}, "mission"),
    ("/api/v1/tallies", {"status": ""}, "status"),
    ("/api/v1/ideas", {"status": "great"}, "status"),
    ("/api/v1/comments", {"status": "submitted"}, "status"),
    ("/api/v1/tallies", {"call": "-1"}, "call"),
    ("/api/v1/calls", {"updated_since": "yesterday"}, "updated_since"),
    ("/api/v1/metrics", {"call": "1"}, "call"),
    ("/api/v1/missions", {"sort": "newest"}, "sort"),
    ("/api/v1/missions", {"updated_since": "soon"}, "updated_since"),
    ("/api/v1/participation", {}, "mission"),
    ("/api/v1/participation", {"mission": "1", "page": "2"}, "page"),
])
def test_unknown_filters_and_malformed_values_are_a_400_naming_the_parameter(call, client, url, query, field):
    response = client.get(url, query)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["field"] == field and field in error["message"]


@pytest.mark.django_db
def test_call_ideas_rejects_unknown_parameters_too(call, client):
    response = client.get(f"/api/v1/calls/{call.pk}/ideas", {"srot": "newest"})
    assert response.status_code == 400 and response.json()["error"]["field"] == "srot"


@pytest.mark.django_db
def test_unknown_mission_or_call_is_a_404_naming_it(site, client):
    response = client.get("/api/v1/ideas", {"mission": 987654})
    assert response.status_code == 404 and response.json()["error"]["field"] == "mission"
    assert client.get("/api/v1/comments", {"call": 987654}).json()["error"]["field"] == "call"


@pytest.mark.django_db
def test_participation_reads_the_stored_counts_and_suppresses_small_ones(call, client):
    mission = call.get_parent().specific
    for _ in range(3):
        IdeaFactory(call=call)
    body = client.get("/api/v1/participation", {"call": call.pk}).json()
    assert body["call"] == call.pk and body["mission"] == mission.pk
    # Three ideas, all by individuals: the total would give their count back.
    assert body["totals"]["ideas"] is None
    assert body["individuals"] is None  # three ideas by individuals: fewer than 5
    assert all(w["participants"] is None for w in body["weeks"])
    whole = client.get("/api/v1/participation", {"mission": mission.pk}).json()
    assert whole["call"] is None and whole["totals"]["ideas"] is None
    IdeaFactory.create_batch(2, call=call)
    Snapshot.objects.all().delete()
    assert client.get("/api/v1/participation", {"call": call.pk}).json()["totals"]["ideas"] == 5
    other = MissionFactory()
    response = client.get("/api/v1/participation", {"mission": other.pk, "call": call.pk})
    assert response.status_code == 400 and response.json()["error"]["field"] == "call"


@pytest.mark.django_db
def test_pages_of_fifty(call, client):
    IdeaFactory.create_batch(51, call=call)
    first = client.get("/api/v1/ideas").json()
    second = client.get("/api/v1/ideas", {"page": 2}).json()
    assert (first["count"], first["pages"], len(first["results"]), len(second["results"])) == (51, 2, 50, 1)
    assert client.get("/api/v1/ideas", {"page": 3}).status_code == 404


def _world(mission, n):
    for _ in range(n):
        call = CallFactory(parent=mission, data_attribution="Pol.is, CC BY 4.0")
        idea = IdeaFactory(call=call, status="shortlisted")
        idea.tags.add("heat")
        CommentFactory(idea=idea, author=named(UserFactory(), "Someone"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS + ["/api/v1/missions"])
def test_list_endpoints_run_a_fixed_number_of_queries(mission, client, url):
    mission_with_data("Metrics mission")
    _world(mission, 1)
    client.get(url)  # warm Wagtail's site cache
    with CaptureQueriesContext(connection) as one:
        body = client.get(url, {} if url in UNSCOPED else {"mission": mission.pk}).json()
    assert body["count"] >= 1
    _world(mission, 30)
    mission_with_data("More metrics")
    with CaptureQueriesContext(connection) as many:
        body = client.get(url, {} if url in UNSCOPED else {"mission": mission.pk}).json()
    assert len(many.captured_queries) == len(one.captured_queries), url
    if url not in UNSCOPED:
        assert body["count"] == 31


@pytest.mark.django_db
def test_imported_data_carries_its_attribution_in_every_row(call, client):
    call.data_attribution = "From a Pol.is conversation,\nCC BY 4.0"
    call.save_revision().publish()
    idea = IdeaFactory(call=call)
    CommentFactory(idea=idea)
    for url in ("/api/v1/ideas", "/api/v1/comments", "/api/v1/tallies"):
        [row] = client.get(url).json()["results"]
        assert row["data_attribution"] == "From a Pol.is conversation, CC BY 4.0", url
    assert client.get("/api/v1/calls").json()["results"][0]["data_attribution"].startswith("From a Pol.is")


@pytest.mark.django_db
def test_a_thousand_ideas_take_the_queries_of_one(call, client):
    """The issue's measure: lists and downloads at 1 and at 1,000 ideas."""
    author = UserFactory()
    Idea.objects.bulk_create([Idea(call=call, author=author, title="First", summary="s", body="b")])
    urls = ["/api/v1/ideas", "/api/v1/tallies", "/api/v1/comments", f"{call.url}data/ideas.csv",
            f"{call.url}data/tallies.json"]

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"call": call.pk} if url.startswith("/api/") else {})
            assert response.status_code == 200
            if response.streaming:
                b"".join(response.streaming_content)
        return len(captured.captured_queries)

    for url in urls:
        queries(url)  # warm Wagtail's caches
    at_one = {url: queries(url) for url in urls}
    Idea.objects.bulk_create([Idea(call=call, author=author, title=f"Idea {n}", summary="s", body="b")
                              for n in range(999)])
    for idea in Idea.objects.filter(call=call)[:60]:
        CommentFactory(idea=idea, author=author)
    assert {url: queries(url) for url in urls} == at_one
    assert client.get("/api/v1/ideas", {"call": call.pk}).json()["count"] == 1000
