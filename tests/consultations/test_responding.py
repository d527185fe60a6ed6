"""Answering a consultation as GOV.UK services ask (issue #29, items 2 and
8): who is answering, one question per page with the right component,
routing, check answers, sending, the receipt; save and come back by an
emailed link; without an account, counted once the emailed link is
followed; and each bad input refused with a clear message, nothing stored."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import Response, ResponseAnswer
from consultations.services import responses

from ..factories import MissionFactory, OrganisationFactory, UserFactory
from .factories import ConsultationFactory

AGREE, WHY, EXEMPT, WHICH, SECTOR, RANK, STAFF = "b1", "b2", "b3", "b4", "b6", "b7", "b8"


@pytest.fixture
def consultation(site):
    return ConsultationFactory(parent=MissionFactory(), title="Net zero target", slug="net-zero-target")


@pytest.fixture
def person(db):
    return UserFactory(email="ada@example.org", username="ada@example.org")


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(consultation, rest=""):
    return consultation.url + "respond/" + rest


def started(client, consultation, organisation="", publish="anonymous"):
    return client.post(url(consultation), {"organisation": organisation, "publish": publish})


def stored(response):
    return dict(ResponseAnswer.objects.filter(response=response).values_list("question", "value"))


def answer_all(client, consultation, *, exempt="Yes"):
    """Each type answered through its page; returns the pages' redirects."""
    steps = [
        (AGREE, {"answer": "Agree"}),
        (WHY, {"answer": "It is ambitious but reachable."}),
        (EXEMPT, {"answer": exempt, "why": "They lack the staff."}),
    ]
    if exempt == "Yes":
        steps.append((WHICH, {"answer": ["Micro", "Small"]}))
    steps += [(SECTOR, {"answer": "Energy"}), (RANK, {"answer": ["Fairness", "Cost", "Speed"]}),
              (STAFF, {"answer": "1,200"})]
    return [(question, client.post(url(consultation, f"{question}/"), data)["Location"]) for question, data in steps]


@pytest.mark.django_db
def test_a_person_answers_every_type_checks_and_sends_and_gets_a_receipt(consultation, person, commit):
    client = client_for(person)
    page = client.get(consultation.url).content.decode()
    assert "Start now" in page and "data-consultation-dates" in page
    organisation = OrganisationFactory(name="Harbour Energy Ltd", admin=person)
    form = client.get(url(consultation)).content.decode()
    assert "On behalf of Harbour Energy Ltd" in form and "Why we ask" in form and "Publish it without a name" in form
    first = started(client, consultation, organisation=organisation.pk, publish="name")
    assert first["Location"] == url(consultation, f"{AGREE}/")
    assert "Continue your response" in client.get(consultation.url).content.decode()

    # Each page has its component, the section as caption.
    agree = client.get(url(consultation, f"{AGREE}/")).content.decode()
    assert 'type="radio"' in agree and "Strongly disagree" in agree and "About the target" in agree
    assert "Save and come back later" in agree
    why = client.get(url(consultation, f"{WHY}/")).content.decode()
    assert "govuk-textarea" in why and "You can enter up to 50 words" in why and "(optional)" in why
    exempt = client.get(url(consultation, f"{EXEMPT}/")).content.decode()
    assert 'name="why"' in exempt and "govuk-radios__conditional--hidden" not in exempt
    rank = client.get(url(consultation, f"{RANK}/")).content.decode()
    assert rank.count("<select") == 3 and "1st" in rank and "2nd" in rank and "3rd" in rank

    redirects = dict(answer_all(client, consultation))
    # Routing: "Yes" asks which firms; then the next section; the last goes to check.
    assert redirects[EXEMPT] == url(consultation, f"{WHICH}/")
    assert redirects[WHICH] == url(consultation, f"{SECTOR}/")
    assert redirects[STAFF] == url(consultation, "check/")
    response = Response.objects.get(consultation=consultation, respondent=person)
    assert stored(response) == {AGREE: "Agree", WHY: "It is ambitious but reachable.",
                                EXEMPT: {"answer": "Yes", "why": "They lack the staff."}, WHICH: ["Micro", "Small"],
                                SECTOR: "Energy", RANK: ["Fairness", "Cost", "Speed"], STAFF: 1200}
    which = client.get(url(consultation, f"{WHICH}/")).content.decode()
    assert 'type="checkbox"' in which and "checked" in which

    check = client.get(url(consultation, "check/")).content.decode()
    assert "Which firms should be exempt?" in check and "On behalf of Harbour Energy Ltd" in check
    assert "1st: Fairness" in check and "1,200" in check and "Change" in check
    with commit():
        sent = client.post(url(consultation, "check/"))
    assert sent["Location"] == url(consultation, "done/")
    response.refresh_from_db()
    assert response.status == Response.SUBMITTED and response.submitted_at is not None
    done = client.get(url(consultation, "done/")).content.decode()
    assert "Response sent" in done and response.reference in done
    receipt = mail.outbox[-1]
    assert receipt.to == ["ada@example.org"] and response.reference in receipt.body
    assert "Which firms should be exempt?" in receipt.body and "Micro" in receipt.body
    assert "Yes: They lack the staff." in receipt.body and "On behalf of: Harbour Energy Ltd" in receipt.body


@pytest.mark.django_db
def test_routing_skips_a_question_and_removes_its_answer_when_the_route_changes(consultation, person):
    client = client_for(person)
    started(client, consultation)
    redirects = dict(answer_all(client, consultation))
    response = Response.objects.get(respondent=person)
    assert WHICH in stored(response)
    changed = client.post(url(consultation, f"{EXEMPT}/?change=1"), {"answer": "No", "why": ""})
    assert changed["Location"] == url(consultation, "check/")
    assert WHICH not in stored(response)
    check = client.get(url(consultation, "check/")).content.decode()
    assert "Which firms should be exempt?" not in check and "Should small firms be exempt?" in check
    assert client.get(url(consultation, f"{WHICH}/"))["Location"] == url(consultation, "check/")
    # Answering "No" first goes straight past the routed question.
    other = client_for(UserFactory())
    started(other, consultation)
    assert dict(answer_all(other, consultation, exempt="No"))[EXEMPT] == url(consultation, f"{SECTOR}/")
    assert redirects[EXEMPT] != url(consultation, f"{SECTOR}/")


@pytest.mark.django_db
@pytest.mark.parametrize("question, data, message", [
    (WHY, {"answer": "word " * 51}, "Your answer must be 50 words or fewer: it has 51."),
    (SECTOR, {"answer": "Farming"}, "Choose one of the answers given."),
    (WHICH, {"answer": ["Micro", "Enormous"]}, "Choose from the answers given."),
    (RANK, {"answer": ["Cost", "Cost", "Speed"]}, "Put every choice in an order, each once."),
    (STAFF, {"answer": "lots"}, "Enter a whole number, like 12."),
    (AGREE, {}, "Choose an answer."),
])
def test_a_bad_answer_is_refused_with_its_message_and_nothing_is_stored(consultation, person, question, data,
                                                                       message):
    client = client_for(person)
    started(client, consultation)
    client.post(url(consultation, f"{EXEMPT}/"), {"answer": "Yes", "why": ""})
    response = Response.objects.get(respondent=person)
    before = stored(response)
    page = client.post(url(consultation, f"{question}/"), data)
    assert page.status_code == 400
    html = page.content.decode()
    assert "There is a problem" in html and message in html and 'href="#answer"' in html
    assert 'id="answer-error"' in html
    assert stored(response) == before


@pytest.mark.django_db
def test_no_response_after_closing_and_none_before_opening(consultation, person):
    client = client_for(person)
    started(client, consultation)
    response = Response.objects.get(respondent=person)
    consultation.closes = timezone.now() - timedelta(minutes=1)
    consultation.opens = timezone.now() - timedelta(days=2)
    consultation.save()
    page = client.post(url(consultation, f"{AGREE}/"), {"answer": "Agree"})
    assert page.status_code == 409 and "closed on" in page.content.decode()
    assert client.post(url(consultation, "check/")).status_code == 409
    assert stored(response) == {} and Response.objects.get(pk=response.pk).status == Response.DRAFT
    assert "Start now" not in client.get(consultation.url).content.decode()
    later = ConsultationFactory(parent=MissionFactory(), opens=timezone.now() + timedelta(days=3))
    refused = client.get(url(later))
    assert refused.status_code == 409 and "opens on" in refused.content.decode()


@pytest.mark.django_db
def test_a_signed_out_person_is_asked_to_sign_in_unless_the_team_allows_it(consultation):
    assert "/accounts/login/" in Client().get(url(consultation))["Location"]
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_on_behalf_of_an_organisation_one_does_not_belong_to_is_refused(consultation, person):
    someone_elses = OrganisationFactory(name="Not Mine Ltd")
    client = client_for(person)
    page = started(client, consultation, organisation=someone_elses.pk)
    assert page.status_code == 400
    assert "Choose an organisation you belong to, or answer as yourself." in page.content.decode()
    assert not Response.objects.filter(organisation=someone_elses).exists()
    response = Response.objects.get(respondent=person)
    with pytest.raises(responses.Refused):
        responses.set_respondent(response, someone_elses.pk, "name")
    assert Response.objects.get(pk=response.pk).organisation_id is None


@pytest.mark.django_db
def test_the_same_person_responding_twice_is_told_and_may_change_the_first(consultation, person, commit):
    client = client_for(person)
    started(client, consultation)
    answer_all(client, consultation)
    with commit():
        client.post(url(consultation, "check/"))
    again = client.get(url(consultation)).content.decode()
    assert "You have already responded: you can change your response while the consultation is open." in again
    assert "Check and change your response" in again
    assert "check and change your response" in client.get(consultation.url).content.decode()
    started(client, consultation)
    assert Response.objects.filter(consultation=consultation, respondent=person).count() == 1
    assert responses.start(person, consultation).status == Response.SUBMITTED
    # Changing an answer makes it a draft again, counted once it is sent again.
    client.post(url(consultation, f"{AGREE}/?change=1"), {"answer": "Disagree"})
    response = Response.objects.get(respondent=person)
    assert response.status == Response.DRAFT and stored(response)[AGREE] == "Disagree"
    with commit():
        client.post(url(consultation, "check/"))
    assert Response.objects.get(pk=response.pk).status == Response.SUBMITTED


@pytest.mark.django_db
def test_a_draft_resumed_after_the_questions_changed_is_checked_again(consultation, person, commit):
    client = client_for(person)
    started(client, consultation)
    answer_all(client, consultation)
    blocks = consultation.questions.raw_data
    for block in blocks:
        if block["id"] == SECTOR:
            block["value"]["options"] = ["Energy", "Transport", "Other", "Public sector"]
    consultation.questions = list(blocks)
    consultation.save()
    page = client.post(url(consultation, "check/"))
    assert page.status_code == 409
    assert "The questions changed since you saved your draft" in page.content.decode()
    response = Response.objects.get(respondent=person)
    assert response.status == Response.DRAFT
    with commit():
        assert client.post(url(consultation, "check/"))["Location"] == url(consultation, "done/")


@pytest.mark.django_db
def test_save_and_come_back_later_emails_a_link_that_resumes(consultation, person, commit):
    client = client_for(person)
    started(client, consultation)
    with commit():
        saved = client.post(url(consultation, f"{AGREE}/"), {"answer": "Agree", "action": "save"})
    assert saved.status_code == 200 and "Your answers are saved" in saved.content.decode()
    response = Response.objects.get(respondent=person)
    assert stored(response) == {AGREE: "Agree"}
    link = re.search(r"http\S+/respond/resume/\S+/", mail.outbox[-1].body).group(0)
    assert mail.outbox[-1].to == ["ada@example.org"]
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path)["Location"] == url(consultation, f"{WHY}/")
    assert client.get(url(consultation, f"resume/{response.pk}-wrong-token/")).status_code == 404
    assert client.get(url(consultation, "resume/nonsense/")).status_code == 404
    assert client_for(UserFactory()).get("/" + path).status_code == 404
    # Signed in, the consultation page offers to continue.
    assert "Continue your response" in client.get(consultation.url).content.decode()


@pytest.mark.django_db
def test_a_link_for_a_sent_response_or_a_closed_consultation_says_so(consultation, person, commit):
    client = client_for(person)
    started(client, consultation)
    answer_all(client, consultation)
    with commit():
        client.post(url(consultation, "check/"))
    response = Response.objects.get(respondent=person)
    token = responses.link_token(response)
    page = client.get(url(consultation, f"resume/{token}/"))
    assert "You have already responded" in page.content.decode()
    consultation.closes = timezone.now() - timedelta(minutes=1)
    consultation.save()
    closed = client.get(url(consultation, f"resume/{token}/"))
    assert closed.status_code == 409 and "closed on" in closed.content.decode()


@pytest.mark.django_db
def test_without_an_account_a_response_counts_once_its_emailed_link_is_followed(consultation, commit):
    consultation.allow_without_account = True
    consultation.save()
    client = Client()
    first = client.post(url(consultation), {"email": "bob@example.org", "publish": "none"})
    assert first["Location"] == url(consultation, f"{AGREE}/")
    answer_all(client, consultation)
    with commit():
        assert client.post(url(consultation, "check/"))["Location"] == url(consultation, "done/")
    response = Response.objects.get(email="bob@example.org")
    assert response.status == Response.UNCONFIRMED
    assert "Confirm your email address" in client.get(url(consultation, "done/")).content.decode()
    email = mail.outbox[-1]
    assert email.to == ["bob@example.org"] and "Which firms should be exempt?" in email.body
    link = re.search(r"http\S+/respond/confirm/\S+/", email.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    other = Client()
    assert "Confirm my response" in other.get(path).content.decode()   # a visit alone does not count it
    assert Response.objects.get(pk=response.pk).status == Response.UNCONFIRMED
    assert other.post(path)["Location"] == url(consultation, "done/")
    assert Response.objects.get(pk=response.pk).status == Response.SUBMITTED
    assert other.post(url(consultation, f"confirm/{response.pk}-wrong/")).status_code == 404


@pytest.mark.django_db
def test_without_an_account_a_bad_email_is_refused_and_nothing_stored(consultation):
    consultation.allow_without_account = True
    consultation.save()
    page = Client().post(url(consultation), {"email": "not an address", "publish": "none"})
    assert page.status_code == 400 and "Enter an email address in the correct format" in page.content.decode()
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_the_question_page_makes_the_same_queries_however_many_answers(consultation, person):
    client = client_for(person)
    started(client, consultation)
    client.post(url(consultation, f"{AGREE}/"), {"answer": "Agree"})
    client.get(url(consultation, f"{SECTOR}/"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(consultation, f"{SECTOR}/")).status_code == 200
    answer_all(client, consultation)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(consultation, f"{SECTOR}/")).status_code == 200
    assert len(many) == len(few)
