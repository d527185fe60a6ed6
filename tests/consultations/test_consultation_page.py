"""A consultation is a page under a mission: its summary, dates and
questions are public before anyone answers; the admin refuses questions
that route from nowhere and, once answered, changes that orphan answers."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import PageViewRestriction

from consult.models import mission_of
from consultations.models import Response, ResponseAnswer

from ..factories import MissionFactory
from .factories import ConsultationFactory


@pytest.mark.django_db
def test_the_page_shows_the_consultation_and_belongs_to_its_mission(site):
    mission = MissionFactory()
    consultation = ConsultationFactory(parent=mission)
    assert mission_of(consultation).pk == mission.pk
    html = Client().get(consultation.url).content.decode()
    assert "We propose a target for 2030" in html and "Which firms should be exempt?" in html
    assert consultation.is_open()


@pytest.mark.django_db
def test_answered_questions_cannot_be_removed_in_the_admin(site):
    consultation = ConsultationFactory(parent=MissionFactory())
    first = consultation.question_list()[0]
    response = Response.objects.create(consultation=consultation, status=Response.SUBMITTED)
    ResponseAnswer.objects.create(response=response, question=first.id, value="Agree")
    consultation.questions = [b for b in consultation.questions.raw_data if b["id"] != first.id]
    with pytest.raises(ValidationError) as refused:
        consultation.full_clean()
    assert "has answers: it cannot be removed" in str(refused.value)


@pytest.mark.django_db
def test_the_mission_page_lists_its_public_consultations_only(site):
    mission = MissionFactory()
    shown = ConsultationFactory(parent=mission, title="Harbour emissions target")
    hidden = ConsultationFactory(parent=mission, title="A restricted consultation")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    html = Client().get(mission.url).content.decode()
    assert f'data-consultation="{shown.pk}"' in html and "Harbour emissions target" in html
    assert "A restricted consultation" not in html
