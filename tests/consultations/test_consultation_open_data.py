"""A consultation's open data (issue #29 item 6): the read API's
consultations, questions, suppressed results, government response and
published responses (50 a page, 400 on an unknown parameter, 404 for a
consultation the public cannot see), and the team's full export: every
response, one row per response and one column per question, streamed and
safe to open in a spreadsheet, for the team only."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from consultations.models import ConsultationPage, Response
from consultations.services import publishing
from wagtail.models import PageViewRestriction

from ..factories import UserFactory
from .test_published_response import AGREE, WHY, respond, world  # noqa: F401


@pytest.mark.django_db
def test_the_api_lists_questions_results_and_the_response(world):  # noqa: F811
    c = world.consultation
    for n in range(3):
        respond(c, {AGREE: "Agree", WHY: f"Reason {n}"})
    api = Client()
    listed = api.get("/api/v1/consultations").json()
    assert [r["id"] for r in listed["results"]] == [c.pk] and listed["results"][0]["response_published_at"] is None
    questions = api.get(f"/api/v1/consultations/{c.pk}/questions").json()["questions"]
    assert [q["id"] for q in questions][:2] == [AGREE, WHY]
    results = api.get(f"/api/v1/consultations/{c.pk}/results").json()
    agree = next(q for q in results["questions"] if q["id"] == AGREE)
    assert agree["options"]["Agree"] is None and agree["texts"]["Agree"] == "fewer than 5"
    assert api.get(f"/api/v1/consultations/{c.pk}/response").status_code == 404
    publishing.save_response(world.team, c, "Thanks.", {AGREE: ("Most agreed.", "We will do it.")}, publish=True)
    response = api.get(f"/api/v1/consultations/{c.pk}/response").json()
    assert next(q for q in response["questions"] if q["id"] == AGREE)["decision"] == "We will do it."
    for path in ("", "/questions", "/results", "/response", "/responses"):
        url = "/api/v1/consultations" + (f"/{c.pk}{path}" if path else "")
        bad = api.get(url, {"colour": "green"})
        assert bad.status_code == 400 and bad.json()["error"]["field"] == "colour", url


@pytest.mark.django_db
def test_published_responses_come_50_a_page(world):  # noqa: F811
    c = world.consultation
    for n in range(51):
        r = respond(c, {WHY: f"Words {n}"}, Response.PUBLISH_ANONYMOUS)
        publishing.moderate_response(world.team, c, r.pk, "approve")
    first = Client().get(f"/api/v1/consultations/{c.pk}/responses").json()
    assert first["count"] == 51 and first["pages"] == 2 and len(first["results"]) == 50
    assert len(Client().get(f"/api/v1/consultations/{c.pk}/responses", {"page": 2}).json()["results"]) == 1
    assert Client().get(f"/api/v1/consultations/{c.pk}/responses", {"page": 3}).status_code == 404
    page = Client().get(c.url + "responses/?page=2").content.decode()
    assert page.count("data-response=") == 1


@pytest.mark.django_db
def test_a_consultation_the_public_cannot_see_is_a_404(world):  # noqa: F811
    c = world.consultation
    PageViewRestriction.objects.create(page=c, restriction_type=PageViewRestriction.LOGIN)
    for path in ("/questions", "/results", "/response", "/responses"):
        assert Client().get(f"/api/v1/consultations/{c.pk}{path}").status_code == 404, path
    assert Client().get("/api/v1/consultations").json()["count"] == 0
    ConsultationPage.objects.filter(pk=c.pk).update(live=False)
    assert Client().get(f"/api/v1/consultations/{c.pk}/results").status_code == 404


@pytest.mark.django_db
def test_the_export_streams_a_row_per_response_and_a_column_per_question(world):  # noqa: F811
    c = world.consultation
    respond(c, {AGREE: "Agree", WHY: "=HYPERLINK(\"http://evil\")"})
    respond(c, {AGREE: "Disagree", "b3": {"answer": "Yes", "why": "Costs."}, "b4": ["Micro", "Small"]})
    Response.objects.create(consultation=c, respondent=None, status=Response.DRAFT)
    answer = world.client().get(c.url + "export/")
    assert answer.status_code == 200 and isinstance(answer, StreamingHttpResponse)
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode())))
    questions = c.question_list()
    assert len(rows) == 3 and len(rows[0]) == 5 + len(questions)
    assert rows[0][5].startswith("Q1. ")
    assert rows[1][6] == "'=HYPERLINK(\"http://evil\")"
    assert rows[2][5] == "Disagree" and "Yes: Costs." in rows[2] and "Micro; Small" in rows[2]
    assert world.client(None).get(c.url + "export/").status_code == 200
    assert world.client(UserFactory()).get(c.url + "export/").status_code == 403
    assert Client().get(c.url + "export/").status_code == 302
