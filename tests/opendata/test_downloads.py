"""Downloads per mission and per call, CSV and JSON, of public ideas,
comments, tallies, participation counts and metric series: streamed, public
content only, names as shown in public, every CSV cell neutralised, and the
attribution of imported data on every row."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas.models import Visibility
from people.models import Profile

from ..factories import CallFactory, CommentFactory, IdeaFactory, UserFactory
from .test_api import mission_with_data

KINDS = ["ideas", "comments", "tallies", "participation", "metrics"]


def call_url(call, kind, fmt):
    return f"{call.url}data/{kind}.{fmt}"


def mission_url(mission, kind, fmt):
    return f"/missions/{mission.slug}/data/{kind}.{fmt}"


def body_of(response):
    assert response.status_code == 200, response
    assert response.streaming is True
    return b"".join(response.streaming_content).decode()


def csv_rows(client, url):
    return list(csv.DictReader(io.StringIO(body_of(client.get(url)))))


def json_doc(client, url):
    response = client.get(url)
    assert response["Content-Type"] == "application/json"
    return json.loads(body_of(response))


@pytest.fixture
def imported(site):
    mission = mission_with_data("Clean air")
    call = mission.get_children().specific().get()
    call.data_attribution = "Pol.is conversation 4x, CC BY 4.0"
    call.save_revision().publish()
    return mission, call


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_download_streams_for_a_mission_and_a_call(imported, client, kind, fmt):
    mission, call = imported
    CommentFactory(idea=IdeaFactory(call=call))
    for url in (call_url(call, kind, fmt), mission_url(mission, kind, fmt)):
        response = client.get(url)
        assert response.status_code == 200 and response.streaming is True, url
        assert f"{kind}-{mission.slug}" in response["Content-Disposition"]
        text = b"".join(response.streaming_content).decode()
        if fmt == "json":
            doc = json.loads(text)
            assert doc["kind"] == kind and doc["mission"] == mission.pk and doc["results"]
            # The attribution of imported data leads the file ...
            assert doc["data_attribution"] == [{"call": call.pk, "title": call.title,
                                                "data_attribution": "Pol.is conversation 4x, CC BY 4.0"}]
        else:
            assert list(csv.reader(io.StringIO(text)))[1:], url


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["ideas", "comments", "tallies"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_imported_data_keeps_its_attribution_on_every_row(imported, client, kind, fmt):
    mission, call = imported
    idea = IdeaFactory(call=call)
    CommentFactory(idea=idea)
    plain = CallFactory(parent=mission)
    IdeaFactory(call=plain, title="Home grown")
    url = mission_url(mission, kind, fmt)
    rows = csv_rows(client, url) if fmt == "csv" else json_doc(client, url)["results"]
    by_call = {int(r["call"]): r["data_attribution"] for r in rows}
    assert by_call[call.pk] == "Pol.is conversation 4x, CC BY 4.0"
    if kind != "comments":
        assert by_call[plain.pk] == ""


@pytest.mark.django_db
def test_comments_show_public_names_only_and_never_hidden_content(call, client):
    idea = IdeaFactory(call=call)
    named = UserFactory(first_name="Real", last_name="Surname")
    Profile.objects.update_or_create(user=named, defaults={"display_name": "Green Fan"})
    hidden_author = UserFactory()
    Profile.objects.update_or_create(user=hidden_author, defaults={"display_name": "Shy Person"})
    CommentFactory(idea=idea, author=named, body="Signed")
    CommentFactory(idea=idea, author=hidden_author, body="Unsigned", anonymous=True)
    CommentFactory(idea=idea, body="Removed one", visibility=Visibility.HIDDEN)
    CommentFactory(idea=IdeaFactory(call=call, visibility=Visibility.PENDING), body="On a pending idea")
    rows = csv_rows(client, call_url(call, "comments", "csv"))
    assert sorted((r["body"], r["author"]) for r in rows) == [("Signed", "Green Fan"), ("Unsigned", "A participant")]
    text = body_of(client.get(call_url(call, "comments", "json")))
    for secret in ("Shy Person", "Real", "Surname", named.email, "Removed one", "On a pending idea"):
        assert secret not in text


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["ideas", "comments"])
def test_formula_cells_are_neutralised(call, client, kind):
    idea = IdeaFactory(call=call, title="=HYPERLINK(\"http://evil\")", summary="+SUM(1,2)")
    CommentFactory(idea=idea, body="@SUM(A1)")
    [row] = csv_rows(client, call_url(call, kind, "csv"))
    if kind == "ideas":
        assert (row["title"], row["summary"]) == ("'=HYPERLINK(\"http://evil\")", "'+SUM(1,2)")
    else:
        assert row["body"] == "'@SUM(A1)"


@pytest.mark.django_db
def test_metric_series_one_line_per_point(imported, client):
    mission, call = imported
    [row] = csv_rows(client, call_url(call, "metrics", "csv"))
    assert (row["metric"], row["value"], row["source"], row["commentary"]) == ("Jobs", "1.75", "ONS", "On track, just.")


@pytest.mark.django_db
def test_participation_download_suppresses_small_counts(call, client):
    IdeaFactory.create_batch(2, call=call)
    rows = csv_rows(client, call_url(call, "participation", "csv"))
    sections = {r["section"]: r for r in rows}
    assert sections["totals"]["ideas"] == "suppressed"  # it would give the individuals' 2 back
    assert sections["individuals"]["ideas"] == "suppressed"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["ideas", "comments", "tallies"])
def test_downloads_take_the_same_queries_at_one_and_many_rows(call, client, kind):
    def add(n):
        for _ in range(n):
            idea = IdeaFactory(call=call)
            idea.tags.add("air")
            CommentFactory(idea=idea)

    add(1)
    url = call_url(call, kind, "csv")
    body_of(client.get(url))
    with CaptureQueriesContext(connection) as one:
        assert len(csv_rows(client, url)) == 1
    add(40)
    with CaptureQueriesContext(connection) as many:
        assert len(csv_rows(client, url)) == 41
    assert len(many.captured_queries) == len(one.captured_queries)


@pytest.mark.django_db
def test_unknown_scope_or_kind_is_not_found(call, client):
    mission = call.get_parent()
    assert client.get(f"/missions/{mission.slug}/data/votes.csv").status_code == 404
    assert client.get(f"/missions/{mission.slug}/data/ideas.xlsx").status_code == 404
    assert client.get("/missions/no-such-mission/data/ideas.csv").status_code == 404
    call.unpublish()
    assert client.get(call_url(call, "ideas", "csv")).status_code == 404


@pytest.mark.django_db
def test_the_call_and_mission_pages_link_to_the_downloads(call, client):
    mission = call.get_parent()
    page = client.get(call.url).content.decode()
    for kind in KINDS:
        assert f'href="{call_url(call, kind, "csv")}"' in page and f'href="{call_url(call, kind, "json")}"' in page
    assert f'href="{call.url}feed/updates/"' in page
    page = client.get(mission.url).content.decode()
    for kind in KINDS:
        assert f'href="{mission_url(mission, kind, "csv")}"' in page
