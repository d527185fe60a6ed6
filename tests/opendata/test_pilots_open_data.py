"""Pilots as open data (issue #18, item 5): /api/v1/pilots, /pilots/{id} and
/ledger ("you said, we did"), the pilots, results and ledger downloads, and
the Atom feed of a mission's pilot results, with the visibility of
everything else: only live pilots of public missions, only public ideas,
fixed queries per page, every CSV cell neutralised."""

import csv
import io
import json
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from consult.models import LearningQuestion
from ideas.models import IdeaStatus, Visibility
from pilots.models import PilotIdea, PilotPage

from ..factories import CallFactory, IdeaFactory, MissionFactory, PilotFactory
from .test_api import mission_with_data

ATOM = "{http://www.w3.org/2005/Atom}"


def link(pilot, *ideas):
    for idea in ideas:
        PilotIdea.objects.create(pilot=pilot, idea=idea)


def cite(pilot, *calls, questions=()):
    """Publish a revision citing calls and learning questions (parental
    many-to-many: saved with the page)."""
    pilot = PilotPage.objects.get(pk=pilot.pk)
    pilot.calls.add(*calls)
    pilot.learning_questions.add(*questions)
    pilot.save_revision().publish()
    return PilotPage.objects.get(pk=pilot.pk)


def body_of(response):
    assert response.status_code == 200, response
    assert response.streaming is True
    return b"".join(response.streaming_content).decode()


def csv_rows(client, url):
    return list(csv.DictReader(io.StringIO(body_of(client.get(url)))))


@pytest.fixture
def world(site):
    """A mission with a headline metric, a learning question and a call; a
    concluded pilot measured by the metric, citing the call, with two
    results and two ideas (one hidden since)."""
    mission = mission_with_data("Warm homes")
    call = mission.get_children().specific().get()
    metric = mission.metrics.get()
    question = LearningQuestion.objects.get(page=mission)
    shown = IdeaFactory(call=call, title="Lend heat pumps", status=IdeaStatus.TAKEN_FORWARD)
    hidden = IdeaFactory(call=call, title="Hidden idea", status=IdeaStatus.TAKEN_FORWARD,
                         visibility=Visibility.HIDDEN)
    pilot = PilotFactory(parent=mission, title="Heat pump library", slug="heat-pump-library", metric=metric,
                         measure_name="", measure_unit="", status="concluded", lesson="People kept them.",
                         decision="scale", decision_reason="Bills fell by a fifth.",
                         results=[(date(2026, 3, 1), 2, "First month"), (date(2026, 4, 1), 2.5, "Second")])
    pilot = cite(pilot, call, questions=[question])
    link(pilot, shown, hidden)
    return {"mission": mission, "call": call, "metric": metric, "question": question, "pilot": pilot,
            "shown": shown, "hidden": hidden}


# --- the read API ------------------------------------------------------------


@pytest.mark.django_db
def test_a_pilot_carries_its_hypothesis_measure_links_results_and_lesson(world, client):
    pilot, mission = world["pilot"], world["mission"]
    body = client.get("/api/v1/pilots").json()
    assert (body["count"], body["pages"]) == (1, 1)
    [row] = body["results"]
    assert row == client.get(f"/api/v1/pilots/{pilot.pk}").json()
    assert (row["id"], row["mission"], row["title"], row["url"]) == (
        pilot.pk, mission.pk, "Heat pump library", f"/missions/{mission.slug}/pilots/heat-pump-library/")
    assert row["hypothesis"]["change"] == "a named caseworker for each family"
    assert row["hypothesis"]["sentence"].startswith("We believe a named caseworker for each family will lead to")
    assert row["hypothesis"]["sentence"].endswith("measured by Jobs.")
    assert row["measure"] == {"name": "Jobs", "unit": "%", "baseline": 1.5, "target": 3.0,
                              "metric": world["metric"].pk}
    assert row["learning_questions"] == [world["question"].pk]
    assert row["calls"] == [world["call"].pk]
    assert row["ideas"] == [world["shown"].pk]  # the hidden idea is not named
    assert (row["status"], row["lesson"], row["decision"], row["decision_reason"]) == (
        "concluded", "People kept them.", "scale", "Bills fell by a fifth.")
    assert row["location"] == "Leeds" and row["starts_on"] and row["ends_on"]
    assert row["first_published_at"] and row["last_published_at"]
    assert row["results"] == [
        {"date": "2026-03-01", "value": 2.0, "commentary": "First month", "source": ""},
        {"date": "2026-04-01", "value": 2.5, "commentary": "Second", "source": ""}]


@pytest.mark.django_db
def test_pilots_filter_by_mission_call_status_and_updated_since(world, client):
    other = MissionFactory()
    planned = PilotFactory(parent=other, status="planned")
    uncited = PilotFactory(parent=world["mission"], title="No call")
    PilotPage.objects.filter(pk=uncited.pk).update(last_published_at=timezone.now() - timedelta(days=10))

    def ids(**query):
        response = client.get("/api/v1/pilots", query)
        assert response.status_code == 200, response.content
        return sorted(r["id"] for r in response.json()["results"])

    assert ids() == sorted([world["pilot"].pk, planned.pk, uncited.pk])
    assert ids(mission=world["mission"].pk) == sorted([world["pilot"].pk, uncited.pk])
    assert ids(call=world["call"].pk) == [world["pilot"].pk]
    assert ids(status="planned") == [planned.pk]
    assert ids(mission=other.pk, status="concluded") == []
    assert ids(updated_since=(timezone.now() - timedelta(days=1)).date().isoformat()) == sorted(
        [world["pilot"].pk, planned.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("url, query, field", [
    ("/api/v1/pilots", {"colour": "green"}, "colour"),
    ("/api/v1/pilots", {"status": "shortlisted"}, "status"),
    ("/api/v1/pilots", {"mission": "warm-homes"}, "mission"),
    ("/api/v1/pilots", {"updated_since": "last week"}, "updated_since"),
    ("/api/v1/pilots/1", {"sort": "newest"}, "sort"),
    ("/api/v1/ledger", {"status": "submitted"}, "status"),
    ("/api/v1/ledger", {"call": "x"}, "call"),
])
def test_unknown_or_malformed_parameters_are_a_400_naming_them(site, client, url, query, field):
    response = client.get(url, query)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["field"] == field and field in error["message"]


@pytest.mark.django_db
def test_unknown_mission_or_pilot_is_a_404(site, client):
    response = client.get("/api/v1/pilots", {"mission": 987654})
    assert response.status_code == 404 and response.json()["error"]["field"] == "mission"
    assert client.get("/api/v1/ledger", {"call": 987654}).json()["error"]["field"] == "call"
    response = client.get("/api/v1/pilots/987654")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_unpublished_restricted_or_orphaned_pilots_appear_nowhere(world, client):
    mission = world["mission"]
    draft = PilotFactory(parent=mission, title="Draft pilot")
    draft.unpublish()
    private_mission = MissionFactory()
    restricted = PilotFactory(parent=private_mission, title="Behind a password",
                              results=[(date(2026, 3, 1), 5, "Secret result")])
    PageViewRestriction.objects.create(page=private_mission, restriction_type="password", password="x")
    draft_mission = MissionFactory()
    orphan = PilotFactory(parent=draft_mission, title="Mission in draft")
    draft_mission.unpublish()
    idea = IdeaFactory(call=world["call"], title="Fed a draft pilot", status=IdeaStatus.TAKEN_FORWARD)
    link(draft, idea)

    assert [r["id"] for r in client.get("/api/v1/pilots").json()["results"]] == [world["pilot"].pk]
    for pilot in (draft, restricted, orphan):
        assert client.get(f"/api/v1/pilots/{pilot.pk}").status_code == 404
    ledger = {r["idea"]: r for r in client.get("/api/v1/ledger").json()["results"]}
    # Taken forward into a pilot nobody can see yet: the outcome, but no name.
    assert (ledger[idea.pk]["outcome"], ledger[idea.pk]["pilots"]) == ("taken_forward", [])
    text = json.dumps(client.get("/api/v1/ledger").json())
    assert "Draft pilot" not in text
    assert client.get(f"/missions/{private_mission.slug}/pilots/feed/").status_code == 404
    assert client.get(f"/missions/{draft_mission.slug}/pilots/feed/").status_code == 404


@pytest.mark.django_db
def test_the_ledger_says_what_became_of_each_public_idea(world, client, team_member):
    call = world["call"]
    now = timezone.now()
    answered = IdeaFactory(call=call, title="Answered", response="We **like** it.",
                           response_html="<p>We <strong>like</strong> it &amp; more.</p>", response_at=now)
    declined = IdeaFactory(call=call, title="Declined", status=IdeaStatus.NOT_SELECTED,
                           response="Too costly.", response_at=now)
    waiting = IdeaFactory(call=call, title="Waiting")
    other_call = CallFactory(parent=world["mission"])
    elsewhere = IdeaFactory(call=other_call, title="Elsewhere")

    body = client.get("/api/v1/ledger", {"call": call.pk}).json()
    rows = {r["idea"]: r for r in body["results"]}
    assert world["hidden"].pk not in rows and elsewhere.pk not in rows
    assert body["count"] == 4
    scaled = rows[world["shown"].pk]
    assert (scaled["outcome"], scaled["outcome_label"]) == ("scaled", "Piloted and scaled up")
    assert scaled["pilots"] == [{"id": world["pilot"].pk, "title": "Heat pump library",
                                 "url": world["pilot"].url, "status": "concluded"}]
    assert (rows[answered.pk]["outcome"], rows[answered.pk]["response"]) == ("responded", "We like it & more.")
    assert rows[answered.pk]["responded_at"]
    assert (rows[declined.pk]["outcome"], rows[declined.pk]["response"]) == ("not_taken_forward", "Too costly.")
    assert (rows[waiting.pk]["outcome"], rows[waiting.pk]["responded_at"]) == ("awaiting", None)
    whole = client.get("/api/v1/ledger", {"mission": world["mission"].pk}).json()
    assert whole["count"] == 5 and elsewhere.pk in {r["idea"] for r in whole["results"]}


def _grow(world, n):
    mission, call = world["mission"], world["call"]
    for i in range(n):
        pilot = PilotFactory(parent=mission, results=[(date(2026, 3, 1), i, "r")])
        pilot = cite(pilot, call, questions=[world["question"]])
        link(pilot, IdeaFactory(call=call, status=IdeaStatus.TAKEN_FORWARD))


@pytest.mark.django_db
def test_pilots_and_ledger_take_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    mission = world["mission"]
    urls = [("/api/v1/pilots", {}), ("/api/v1/pilots", {"mission": mission.pk}),
            ("/api/v1/pilots", {"call": world["call"].pk}), (f"/api/v1/pilots/{world['pilot'].pk}", {}),
            ("/api/v1/ledger", {}), ("/api/v1/ledger", {"mission": mission.pk})]

    def queries(url, query):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, query)
            assert response.status_code == 200, response.content
        return len(captured.captured_queries), response.json()

    for url, query in urls:
        client.get(url, query)  # warm Wagtail's site cache
    at_one = {(url, str(query)): queries(url, query)[0] for url, query in urls}
    _grow(world, 20)
    for url, query in urls:
        budget = at_one[(url, str(query))]
        with django_assert_max_num_queries(budget):
            body = client.get(url, query).json()
        if "results" in body and "count" in body:
            assert body["count"] >= 21, url
    assert max(at_one.values()) <= 12


# --- downloads -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["pilots", "results", "ledger"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_pilot_downloads_stream_for_a_mission_and_a_call(world, client, kind, fmt):
    mission, call = world["mission"], world["call"]
    for url in (f"/missions/{mission.slug}/data/{kind}.{fmt}", f"{call.url}data/{kind}.{fmt}"):
        response = client.get(url)
        assert f"{kind}-{mission.slug}" in response["Content-Disposition"]
        text = body_of(response)
        if fmt == "json":
            doc = json.loads(text)
            assert doc["kind"] == kind and doc["mission"] == mission.pk and doc["results"], url
        else:
            assert list(csv.reader(io.StringIO(text)))[1:], url


@pytest.mark.django_db
def test_pilot_csv_columns(world, client):
    mission, pilot = world["mission"], world["pilot"]
    [row] = csv_rows(client, f"/missions/{mission.slug}/data/pilots.csv")
    assert row["url"] == f"http://testserver/missions/{mission.slug}/pilots/heat-pump-library/"
    assert (row["id"], row["mission"], row["measure"], row["unit"], row["baseline"], row["target"]) == (
        str(pilot.pk), str(mission.pk), "Jobs", "%", "1.5", "3.0")
    assert (row["metric"], row["calls"], row["ideas"], row["results"]) == (
        str(world["metric"].pk), str(world["call"].pk), str(world["shown"].pk), "2")
    assert row["hypothesis"].startswith("We believe") and row["lesson"] == "People kept them."
    results = csv_rows(client, f"/missions/{mission.slug}/data/results.csv")
    assert [(r["pilot"], r["pilot_title"], r["measure"], r["unit"], r["date"], r["value"], r["commentary"])
            for r in results] == [
        (str(pilot.pk), "Heat pump library", "Jobs", "%", "2026-03-01", "2.0", "First month"),
        (str(pilot.pk), "Heat pump library", "Jobs", "%", "2026-04-01", "2.5", "Second")]
    ledger = csv_rows(client, f"{world['call'].url}data/ledger.csv")
    [shown] = [r for r in ledger if r["idea"] == str(world["shown"].pk)]
    assert (shown["outcome"], shown["outcome_label"], shown["pilots"], shown["pilot_titles"]) == (
        "scaled", "Piloted and scaled up", str(pilot.pk), "Heat pump library")
    assert str(world["hidden"].pk) not in {r["idea"] for r in ledger}


@pytest.mark.django_db
def test_pilot_csv_cells_are_neutralised(site, client):
    mission = MissionFactory()
    call = CallFactory(parent=mission)
    pilot = PilotFactory(parent=mission, title="=HYPERLINK(\"http://evil\")", lesson="+SUM(1,2)",
                         results=[(date(2026, 3, 1), -3, "@SUM(A1)")])
    link(pilot, IdeaFactory(call=call, title="-2+3", response="=1+1", response_at=timezone.now()))
    [row] = csv_rows(client, f"/missions/{mission.slug}/data/pilots.csv")
    assert (row["title"], row["lesson"]) == ("'=HYPERLINK(\"http://evil\")", "'+SUM(1,2)")
    [result] = csv_rows(client, f"/missions/{mission.slug}/data/results.csv")
    assert (result["pilot_title"], result["commentary"], result["value"]) == (
        "'=HYPERLINK(\"http://evil\")", "'@SUM(A1)", "-3.0")  # a number stays a number
    [line] = csv_rows(client, f"/missions/{mission.slug}/data/ledger.csv")
    assert (line["title"], line["response"], line["pilot_titles"]) == ("'-2+3", "'=1+1", "'=HYPERLINK(\"http://evil\")")


@pytest.mark.django_db
def test_pilot_downloads_take_the_same_queries_at_one_and_many(world, client):
    mission = world["mission"]
    urls = [f"/missions/{mission.slug}/data/{kind}.csv" for kind in ("pilots", "results", "ledger")]

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            body_of(client.get(url))
        return len(captured.captured_queries)

    for url in urls:
        queries(url)
    at_one = [queries(url) for url in urls]
    _grow(world, 20)
    assert [queries(url) for url in urls] == at_one
    assert len(csv_rows(client, urls[0])) == 21


# --- the Atom feed ------------------------------------------------------------


@pytest.mark.django_db
def test_the_results_feed_has_an_entry_per_result_and_conclusion(world, client):
    mission, pilot = world["mission"], world["pilot"]
    running = PilotFactory(parent=mission, title="Street pilot", results=[(date(2026, 5, 1), 7, "Newest")])
    PilotFactory(parent=MissionFactory(), title="Other mission's", results=[(date(2026, 6, 1), 1, "No")])
    draft = PilotFactory(parent=mission, title="Draft", results=[(date(2026, 6, 1), 1, "Unpublished")])
    draft.unpublish()

    response = client.get(f"/missions/{mission.slug}/pilots/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # well-formed XML
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    # The conclusion (announced now) first, then results newest first.
    assert titles == ["Heat pump library: concluded, decision: scale it up", "Street pilot: Missed appointments 7 %",
                      "Heat pump library: Jobs 2.5 %", "Heat pump library: Jobs 2 %"]
    assert "People kept them." in entries[0].findtext(f"{ATOM}summary")
    assert "Newest" in entries[1].findtext(f"{ATOM}summary")
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links[0].endswith(pilot.url) and links[0].startswith("http://")
    assert links[1].endswith(running.url)
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 4
    assert client.get("/missions/no-such-mission/pilots/feed/").status_code == 404


@pytest.mark.django_db
def test_the_results_feed_takes_the_same_queries_at_one_and_many(world, client):
    url = f"/missions/{world['mission'].slug}/pilots/feed/"

    def entries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        root = ElementTree.fromstring(response.content)
        return len(root.findall(f"{ATOM}entry")), len(captured.captured_queries)

    entries()
    count, at_one = entries()
    assert count == 3  # two results and the conclusion
    _grow(world, 20)
    assert entries() == (23, at_one)


@pytest.mark.django_db
def test_the_call_page_links_to_its_pilot_downloads(world, client):
    call = world["call"]
    page = client.get(call.url).content.decode()
    for kind in ("pilots", "results", "ledger"):
        assert f'href="{call.url}data/{kind}.csv"' in page and f'href="{call.url}data/{kind}.json"' in page
