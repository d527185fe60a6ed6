"""Issue #15 item 3: the mission's team and moderators mark a statement as
one about the participant from the idea page (and unmark it); anyone else is
refused with a 403, and the page tags such statements."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from consult.models import ChallengeCallPage
from ideas.models import Idea

from ..factories import CallFactory, IdeaFactory

FORM = "data-about-participant-form"
TAG = "About the participant</strong>"


@pytest.fixture
def statement(mission):
    call = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE)
    return IdeaFactory(call=call, title="I am under 25", consensus=0.4)


def url(idea):
    return reverse("idea_about_participant", args=[idea.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["team_member", "moderator", "admin_user"])
def test_staff_mark_and_unmark_from_the_idea_page(statement, client, request, who):
    client.force_login(request.getfixturevalue(who))
    page = client.get(statement.get_absolute_url()).content.decode()
    assert FORM in page and "Mark as about the participant" in page and TAG not in page

    response = client.post(url(statement), {"value": "1"})
    assert response.status_code == 302 and response.url == statement.get_absolute_url()
    statement.refresh_from_db()
    assert statement.about_participant is True and statement.consensus is None
    assert any("statement about the participant" in str(m) for m in get_messages(response.wsgi_request))
    page = client.get(statement.get_absolute_url()).content.decode()
    assert TAG in page and "Count it as an opinion again" in page

    response = client.post(url(statement), {"value": "0"})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.about_participant is False
    assert TAG not in client.get(statement.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_others_see_no_form_and_are_refused_with_403(statement, user, client):
    client.force_login(user)
    assert FORM not in client.get(statement.get_absolute_url()).content.decode()
    response = client.post(url(statement), {"value": "1"})
    assert response.status_code == 403
    assert "Only the mission's team and moderators" in response.content.decode()
    response = client.post(url(statement), {"value": "1"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert Idea.objects.get(pk=statement.pk).about_participant is False


@pytest.mark.django_db
def test_signed_out_posts_go_to_sign_in_and_gets_are_refused(statement, team_member, client):
    response = client.post(url(statement), {"value": "1"})
    assert response.status_code == 302 and "login" in response.url
    client.force_login(team_member)
    assert client.get(url(statement)).status_code == 405
    assert Idea.objects.get(pk=statement.pk).about_participant is False


@pytest.mark.django_db
def test_the_form_needs_its_csrf_token(statement, team_member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(team_member)
    assert client.post(url(statement), {"value": "1"}).status_code == 403
    assert Idea.objects.get(pk=statement.pk).about_participant is False
    page = client.get(statement.get_absolute_url()).content.decode()
    form = page[page.index(FORM):]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert client.post(url(statement), {"value": "1", "csrfmiddlewaretoken": token}).status_code == 302
    assert Idea.objects.get(pk=statement.pk).about_participant is True


@pytest.mark.django_db
def test_the_tag_shows_to_everyone_and_on_the_call_page(statement, client):
    Idea.objects.filter(pk=statement.pk).update(about_participant=True)
    assert TAG in client.get(statement.get_absolute_url()).content.decode()
    assert TAG in client.get(statement.call.url).content.decode()


@pytest.mark.django_db
def test_staff_idea_page_stays_in_budget(statement, team_member, client, django_assert_max_num_queries):
    client.force_login(team_member)
    client.get(statement.get_absolute_url())
    with django_assert_max_num_queries(20):  # the idea page's budget (tests/ideas/test_queries.py)
        assert client.get(statement.get_absolute_url()).status_code == 200
