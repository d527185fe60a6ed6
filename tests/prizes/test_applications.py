"""Applying to a prize: a draft of the open stage's answers saved and come
back to, word limits refused with the question named, check your answers,
submit, confirmation; the clock refuses before and after the stage; on
behalf of an organisation only one's own."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from inputs.refusals import Refused
from people.models import Membership
from prizes.models import Answer, Application
from prizes.services import applications

from ..factories import CallFactory, MissionFactory, OrganisationFactory, UserFactory
from .factories import PrizeFactory, stage_blocks


@pytest.fixture
def prize(site):
    return PrizeFactory(parent=MissionFactory())


def questions(prize):
    (first, _final) = prize.stages()
    return [q.id for q in first.questions]


@pytest.mark.django_db
def test_a_draft_is_kept_then_submitted_through_check_your_answers(prize):
    q1, q2 = questions(prize)
    person = UserFactory()
    browser = Client()
    browser.force_login(person)
    page = browser.get(prize.url)
    assert "Start your application" in page.content.decode()
    form = browser.get(prize.url + "apply/")
    assert form.status_code == 200 and "1. What is your innovation?" in form.content.decode()
    assert "Up to 300 words." in form.content.decode()

    saved = browser.post(prize.url + "apply/", {f"q_{q1}": "Tidal kites for harbours", "action": "save"})
    assert saved.status_code == 200 and "Your answers are saved" in saved.content.decode()
    application = Application.objects.get(prize=prize, applicant=person)
    assert application.status == Application.DRAFT
    # Come back later: the answer is there.
    assert "Tidal kites for harbours" in browser.get(prize.url + "apply/").content.decode()
    assert "Continue your application" in browser.get(prize.url).content.decode()

    # Check your answers shows what is missing, and refuses to submit it.
    check = browser.post(prize.url + "apply/", {f"q_{q1}": "Tidal kites for harbours", "action": "continue"})
    assert check.status_code == 302 and check["Location"].endswith("/apply/check/")
    refused = browser.post(prize.url + "apply/check/")
    assert refused.status_code == 400 and "Question 2: answer “Who will use it?”" in refused.content.decode()
    application.refresh_from_db()
    assert application.status == Application.DRAFT

    browser.post(prize.url + "apply/", {f"q_{q1}": "Tidal kites for harbours", f"q_{q2}": "Ports", "action": "continue"})
    summary = browser.get(prize.url + "apply/check/").content.decode()
    assert "Check your answers before you submit them" in summary and "Ports" in summary
    done = browser.post(prize.url + "apply/check/")
    assert done.status_code == 302 and done["Location"].endswith("/apply/done/")
    confirmation = browser.get(done["Location"]).content.decode()
    application.refresh_from_db()
    assert application.status == Application.SUBMITTED and f"P{prize.pk}-{application.pk}" in confirmation
    # Submitted answers no longer change.
    again = browser.post(prize.url + "apply/", {f"q_{q1}": "Something else", f"q_{q2}": "x", "action": "save"})
    assert again.status_code == 400 and "can no longer change" in again.content.decode()
    assert Answer.objects.get(application=application, question=q1).text == "Tidal kites for harbours"


@pytest.mark.django_db
def test_an_answer_over_its_word_limit_is_refused_naming_the_question_and_nothing_is_stored(prize):
    q1, _q2 = questions(prize)
    person = UserFactory()
    with pytest.raises(applications.AnswersRefused) as refused:
        applications.save_draft(person, prize, {q1: "word " * 301})
    assert refused.value.errors == {q1: "Question 1: use 300 words or fewer (you have 301)."}
    assert not Application.objects.exists()
    browser = Client()
    browser.force_login(person)
    page = browser.post(prize.url + "apply/", {f"q_{q1}": "word " * 301, "action": "save"})
    assert page.status_code == 400 and "use 300 words or fewer (you have 301)" in page.content.decode()
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_the_clock_refuses_before_the_stage_opens_and_after_it_closes(prize):
    person = UserFactory()
    later = stage_blocks(now=timezone.now() + timedelta(days=3))
    prize.prize_stages = later
    prize.save_revision().publish()
    prize.refresh_from_db()
    with pytest.raises(Refused) as refused:
        applications.save_draft(person, prize, {})
    assert refused.value.status == 409 and refused.value.message.startswith("Applications open with Open on ")
    browser = Client()
    browser.force_login(person)
    page = browser.get(prize.url + "apply/")
    assert page.status_code == 409 and "Applications open with Open" in page.content.decode()
    # A draft whose stage has closed cannot be submitted: the late submission is refused.
    earlier = stage_blocks(now=timezone.now() - timedelta(days=31))
    prize.prize_stages = earlier
    prize.save_revision().publish()
    prize.refresh_from_db()
    with pytest.raises(Refused) as refused:
        applications.submit(person, prize)
    assert refused.value.code == "stage_closed"
    assert not Application.objects.filter(status=Application.SUBMITTED).exists()


@pytest.mark.django_db
def test_on_behalf_of_an_organisation_only_ones_own(prize):
    q1, q2 = questions(prize)
    person, theirs, other = UserFactory(), OrganisationFactory(name="Harbour Kites Ltd"), OrganisationFactory()
    Membership.objects.create(user=person, organisation=theirs)
    with pytest.raises(Refused) as refused:
        applications.save_draft(person, prize, {q1: "x"}, organisation_id=other.pk)
    assert refused.value.field == "organisation" and not Application.objects.exists()
    applications.save_draft(person, prize, {q1: "x", q2: "y"}, organisation_id=theirs.pk)
    browser = Client()
    browser.force_login(person)
    assert "On behalf of Harbour Kites Ltd" in browser.get(prize.url + "apply/check/").content.decode()
    assert applications.submit(person, prize).organisation_id == theirs.pk


@pytest.mark.django_db
def test_signed_out_people_are_asked_to_sign_in_and_plain_calls_have_no_application(prize, site):
    assert "Start your application" in Client().get(prize.url).content.decode()
    answer = Client().get(prize.url + "apply/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/?next=")
    plain = CallFactory()
    assert Client().get(plain.url + "apply/").status_code == 404
