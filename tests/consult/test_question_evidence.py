"""A learning question moves from open to being explored to answered only
with its evidence cited (issue #18, items 2 and 6), checked in the admin
form that the mission team uses."""

import pytest
from wagtail.test.utils.form_data import rich_text

from consult.models import LearningQuestion, MissionPage

from ..factories import CallFactory, PilotFactory

EMPTY = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


def _formset(prefix, count):
    return {f"{prefix}-{k}": (str(count) if k == "TOTAL_FORMS" else v) for k, v in EMPTY.items()}


def _mission_form(mission, status, answer="", evidence=()):
    data = {"title": mission.title, "slug": mission.slug, "goal": mission.goal,
            "what_we_know": rich_text("<p>Known.</p>"), "owner_name": "", "owner_role": "",
            "action-publish": "action-publish"}
    for prefix in ("team_members", "metrics", "pathway_versions"):
        data.update(_formset(prefix, 0))
    data.update(_formset("learning_questions", 1))
    q = "learning_questions-0"
    data.update({f"{q}-question": "Do named caseworkers reduce missed appointments?", f"{q}-status": status,
                 f"{q}-answer": answer, f"{q}-id": "", f"{q}-ORDER": "1", f"{q}-DELETE": ""})
    data.update(_formset(f"{q}-evidence", len(evidence)))
    for i, (page, note) in enumerate(evidence):
        data.update({f"{q}-evidence-{i}-page": str(page.pk), f"{q}-evidence-{i}-note": note,
                     f"{q}-evidence-{i}-id": "", f"{q}-evidence-{i}-ORDER": str(i + 1),
                     f"{q}-evidence-{i}-DELETE": ""})
    return data


@pytest.mark.django_db
def test_an_answered_question_without_evidence_is_refused_saying_what_is_missing(admin_client, mission):
    response = admin_client.post(f"/admin/pages/{mission.pk}/edit/", _mission_form(mission, "answered"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "A question marked answered needs the evidence" in body and "the answer: say what was learned" in body
    assert not LearningQuestion.objects.exists()


@pytest.mark.django_db
def test_being_explored_needs_evidence_too(admin_client, mission):
    response = admin_client.post(f"/admin/pages/{mission.pk}/edit/", _mission_form(mission, "exploring"))
    assert "A question marked being explored needs the evidence" in response.content.decode()
    assert not LearningQuestion.objects.exists()


@pytest.mark.django_db
def test_with_a_pilot_and_a_call_cited_it_is_answered_and_its_page_lists_the_evidence(admin_client, mission, client):
    pilot = PilotFactory(parent=mission, title="Caseworkers in Leeds")
    call = CallFactory(parent=mission, title="Ideas for families")
    data = _mission_form(mission, "answered", answer="Yes, by a third.",
                         evidence=[(pilot, "Missed appointments fell from 30% to 20%."),
                                   (call, "Families asked for one contact.")])
    response = admin_client.post(f"/admin/pages/{mission.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = LearningQuestion.objects.get()
    assert question.status == "answered" and question.evidence.count() == 2
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "Missed appointments fell from 30% to 20%." in body and f'href="{pilot.url}"' in body
    assert "Families asked for one contact." in body and f'href="{call.url}"' in body


@pytest.mark.django_db
def test_an_open_question_needs_nothing(admin_client, mission):
    response = admin_client.post(f"/admin/pages/{mission.pk}/edit/", _mission_form(mission, "open"))
    assert response.status_code == 302
    assert MissionPage.objects.get(pk=mission.pk).learning_questions.count() == 1
