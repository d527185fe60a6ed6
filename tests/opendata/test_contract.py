"""The contract: every open data endpoint in /api/schema is called, and each
answer (the data, and the 400 for an unknown parameter) is checked against
the schema the site publishes (jsonschema_rs, which schemathesis uses). Every endpoint documents
its parameters and answers with examples. A new open data endpoint is
picked up from the schema by its tag, so it cannot go untested."""

from datetime import date

import pytest
from jsonschema_rs import Draft202012Validator  # schemathesis' own validator

from ideas.services import votes
from ideas.models import IdeaStatus

from consultations.models import GovernmentResponse
from django.utils import timezone
from pilots.models import PilotIdea, PilotPage

from ..factories import CommentFactory, IdeaFactory, PilotFactory, UserFactory
from ..consultations.factories import ConsultationFactory
from .test_api import mission_with_data

TAG = "Open data"
OURS = {"/api/v1/missions", "/api/v1/calls", "/api/v1/calls/{call_id}/ideas", "/api/v1/ideas", "/api/v1/comments",
        "/api/v1/tallies", "/api/v1/metrics", "/api/v1/participation",
        "/api/v1/pilots", "/api/v1/pilots/{pilot_id}", "/api/v1/ledger", "/api/v1/prize-results",
        "/api/v1/consultations", "/api/v1/consultations/{consultation_id}/questions",
        "/api/v1/consultations/{consultation_id}/results", "/api/v1/consultations/{consultation_id}/response",
        "/api/v1/consultations/{consultation_id}/responses"}
# A status every status filter takes (pilots have their own statuses).
STATUS = {"/api/v1/pilots": "running"}


def operations(doc):
    return {path: op["get"] for path, op in doc["paths"].items() if TAG in op.get("get", {}).get("tags", [])}


def check(doc, op, status, body):
    schema = op["responses"][str(status)]["content"]["application/json"]["schema"]
    Draft202012Validator({**schema, "components": doc["components"]}).validate(body)


def component(doc, op, status=200):
    answers = op["responses"]
    ref = (answers.get(status) or answers[str(status)])["content"]["application/json"]["schema"]["$ref"]
    return doc["components"]["schemas"][ref.rsplit("/", 1)[1]]


def examples_of(doc, schema, seen=()):
    """Examples anywhere in the answer's schema (its rows carry them)."""
    if "examples" in schema:
        return True
    refs = [s["$ref"] for s in _walk(schema) if "$ref" in s]
    return any(examples_of(doc, doc["components"]["schemas"][r.rsplit("/", 1)[1]], seen + (r,))
               for r in refs if r not in seen)


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


@pytest.fixture
def world(site):
    mission = mission_with_data("Contract mission")
    call = mission.get_children().specific().get()
    call.data_attribution = "Pol.is, CC BY 4.0"
    call.save_revision().publish()
    idea = IdeaFactory(call=call, status=IdeaStatus.SHORTLISTED, response="We will try it.")
    idea.tags.add("air")
    votes.cast_vote(UserFactory(), idea, "agree")
    CommentFactory(idea=idea)
    CommentFactory(idea=idea, anonymous=True)
    pilot = PilotPage.objects.get(pk=PilotFactory(parent=mission, results=[(date(2026, 3, 1), 12, "Up")]).pk)
    pilot.calls.add(call)
    pilot.save_revision().publish()
    PilotIdea.objects.create(pilot=pilot, idea=idea)
    consultation = ConsultationFactory(parent=mission)
    GovernmentResponse.objects.create(consultation=consultation, published_at=timezone.now())
    return {"mission": mission.pk, "call": call.pk, "call_id": call.pk, "pilot_id": pilot.pk,
            "consultation_id": consultation.pk}


@pytest.mark.django_db
def test_every_open_data_endpoint_answers_as_the_schema_says(world, client):
    doc = client.get("/api/schema").json()
    ops = operations(doc)
    assert OURS <= set(ops), OURS - set(ops)
    for path, op in ops.items():
        url = (path.replace("{call_id}", str(world["call_id"])).replace("{pilot_id}", str(world["pilot_id"]))
               .replace("{consultation_id}", str(world["consultation_id"])))
        names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        # With no filter, then with every filter a real row fits.
        queries = [{}] if "participation" not in path else []
        queries.append({n: world[n] for n in names & {"mission", "call"}})
        if "status" in names:
            queries.append({"status": STATUS.get(path, "shortlisted"), "updated_since": "2000-01-01"})
        for query in queries:
            response = client.get(url, query)
            assert response.status_code == 200, (path, query, response.content)
            check(doc, op, 200, response.json())
        if path in OURS:
            response = client.get(url, {**queries[-1], "colour": "green"})
            assert response.status_code == 400, path
            assert response.json()["error"]["field"] == "colour"
            check(doc, op, 400, response.json())
        if "updated_since" in names:
            response = client.get(url, {"updated_since": "31/01/2026"})
            assert response.status_code == 400 and response.json()["error"]["field"] == "updated_since", path
            check(doc, op, 400, response.json())


@pytest.mark.django_db
def test_the_data_answers_carry_their_rows_and_attribution(world, client):
    """The contract run above is not vacuous: the lists hold the rows."""
    for path in ("/api/v1/ideas", "/api/v1/comments", "/api/v1/tallies"):
        rows = client.get(path, {"call": world["call"]}).json()["results"]
        assert rows and all(r["data_attribution"] == "Pol.is, CC BY 4.0" for r in rows), path
    assert client.get("/api/v1/metrics").json()["results"][0]["points"]
    [pilot] = client.get("/api/v1/pilots", {"call": world["call"], "status": "running"}).json()["results"]
    assert pilot["results"] and pilot["ideas"] and pilot["calls"] == [world["call"]]
    ledger = client.get("/api/v1/ledger", {"call": world["call"]}).json()["results"]
    assert ledger and all(r["data_attribution"] == "Pol.is, CC BY 4.0" for r in ledger)
    assert any(r["pilots"] and r["outcome"] == "piloted" for r in ledger)


def test_every_open_data_endpoint_is_documented_with_examples():
    from cms.urls import api

    doc = api.get_openapi_schema(path_prefix="/api/v1")
    for path, op in operations(doc).items():
        if path not in OURS:
            continue
        assert op.get("summary"), path
        assert examples_of(doc, component(doc, op)), path
        for param in op.get("parameters", []):
            if param["in"] == "query" and param["name"] in {"mission", "call", "status", "updated_since"}:
                assert param["schema"].get("examples") and param["schema"].get("description"), (path, param["name"])
