"""Taking an idea forward into a pilot (issue #18, item 2 and 4): the idea
names its pilot, its page and card show it, and its people are told."""

import pytest

from inputs.refusals import Refused
from ideas.models import Follow, IdeaStatus, Visibility
from ideas.services import submissions
from notifications.models import Notification
from pilots import services
from pilots.models import PilotIdea

from ..factories import IdeaFactory, MembershipFactory, MissionFactory, PilotFactory


@pytest.fixture
def idea(call):
    idea = IdeaFactory(call=call)
    Follow.objects.create(user=idea.author, idea=idea)  # as submit_idea does
    return idea


@pytest.fixture
def pilot(mission):
    return PilotFactory(parent=mission, title="Named caseworkers in Leeds")


@pytest.mark.django_db
def test_the_team_takes_an_idea_forward_and_its_author_and_followers_are_told(idea, pilot, team_member, other_user):
    Follow.objects.create(user=other_user, idea=idea)
    link = services.take_forward(team_member, idea, pilot.pk, "It fits the Leeds pilot.")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.TAKEN_FORWARD
    assert link.pilot_id == pilot.pk and link.linked_by == team_member and link.note == "It fits the Leeds pilot."
    told = Notification.objects.filter(title__contains="Named caseworkers in Leeds")
    assert set(told.values_list("recipient_id", flat=True)) == {idea.author_id, other_user.pk}
    assert not told.filter(recipient=team_member).exists()
    assert told.first().excerpt == "It fits the Leeds pilot."


@pytest.mark.django_db
def test_an_author_who_stopped_following_still_hears_what_became_of_the_idea(idea, pilot, team_member):
    Follow.objects.filter(user=idea.author).delete()
    services.take_forward(team_member, idea, pilot.pk)
    assert Notification.objects.filter(recipient=idea.author, title__contains="Named caseworkers").count() == 1


@pytest.mark.django_db
def test_a_second_pilot_tells_them_again_once(idea, pilot, team_member, mission):
    second = PilotFactory(parent=mission, title="Named caseworkers in Hull")
    services.take_forward(team_member, idea, pilot.pk)
    services.take_forward(team_member, idea, second.pk)
    assert Notification.objects.filter(recipient=idea.author, title__contains="Hull").count() == 1
    assert PilotIdea.objects.filter(idea=idea).count() == 2


@pytest.mark.django_db
def test_only_the_missions_team_may_take_an_idea_forward(idea, pilot, user):
    with pytest.raises(Refused) as refused:
        services.take_forward(user, idea, pilot.pk)
    assert refused.value.status == 403 and "team" in refused.value.message
    other_team = MembershipFactory(mission=MissionFactory(), role="team").user
    with pytest.raises(Refused):
        services.take_forward(other_team, idea, pilot.pk)
    assert not PilotIdea.objects.exists()


@pytest.mark.django_db
def test_bad_choices_store_nothing(idea, pilot, team_member, mission, site):
    elsewhere = PilotFactory(parent=MissionFactory())
    # "²" is a digit to str.isdigit() but not to int(); 30 digits overflow a key.
    for pilot_id in (elsewhere.pk, "abc", "", None, 10**9, "²", "9" * 30, "-1", " 1"):
        with pytest.raises(Refused) as refused:
            services.take_forward(team_member, idea, pilot_id)
        assert refused.value.field == "pilot" and "this mission's pilots" in refused.value.message
    draft = PilotFactory(parent=mission)
    draft.unpublish()
    with pytest.raises(Refused) as refused:
        services.take_forward(team_member, idea, draft.pk)
    assert refused.value.status == 409 and "not published" in refused.value.message
    services.take_forward(team_member, idea, pilot.pk)
    with pytest.raises(Refused) as refused:
        services.take_forward(team_member, idea, pilot.pk)
    assert refused.value.status == 409 and "already taken forward" in refused.value.message
    with pytest.raises(Refused) as refused:
        services.take_forward(team_member, idea, pilot.pk, "x" * 4001)
    assert refused.value.field == "note"
    assert PilotIdea.objects.count() == 1


@pytest.mark.django_db
def test_a_hidden_idea_cannot_be_taken_forward(call, pilot, team_member):
    hidden = IdeaFactory(call=call, visibility=Visibility.HIDDEN)
    with pytest.raises(Refused) as refused:
        services.take_forward(team_member, hidden, pilot.pk)
    assert refused.value.status == 409
    assert not PilotIdea.objects.exists()


@pytest.mark.django_db
def test_the_plain_status_form_cannot_claim_taken_forward_without_a_pilot(idea, team_member, client):
    with pytest.raises(Refused) as refused:
        submissions.set_idea_status(team_member, idea, IdeaStatus.TAKEN_FORWARD)
    assert "choose the pilot" in refused.value.message
    client.force_login(team_member)
    response = client.post(f"/ideas/{idea.pk}/status/", {"status": "taken_forward"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "pilot" in response.json()["error"]["message"]
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    page = client.get(idea.get_absolute_url()).content.decode()
    assert '<option value="taken_forward"' not in page  # set by naming the pilot instead


@pytest.mark.django_db
def test_the_team_form_on_the_idea_page_takes_it_forward(idea, pilot, team_member, client):
    client.force_login(team_member)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Take forward into a pilot" in page and f'<option value="{pilot.pk}">' in page
    response = client.post(f"/ideas/{idea.pk}/take-forward/", {"pilot": str(pilot.pk), "note": "Fits"})
    assert response.status_code == 302
    assert PilotIdea.objects.filter(idea=idea, pilot=pilot).exists()
    for value in ("nope", "²", "9" * 30, "1\x00"):
        bad = client.post(f"/ideas/{idea.pk}/take-forward/", {"pilot": value}, HTTP_ACCEPT="application/json")
        assert bad.status_code == 400 and bad.json()["error"]["field"] == "pilot"


@pytest.mark.django_db
def test_strangers_see_no_form_and_are_refused(idea, pilot, user, client):
    client.force_login(user)
    assert "Take forward into a pilot" not in client.get(idea.get_absolute_url()).content.decode()
    response = client.post(f"/ideas/{idea.pk}/take-forward/", {"pilot": str(pilot.pk)}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert not PilotIdea.objects.exists()


@pytest.mark.django_db
def test_the_idea_page_and_its_card_name_the_pilot(idea, pilot, team_member, client):
    services.take_forward(team_member, idea, pilot.pk)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "What became of this idea" in page
    assert f'href="{pilot.url}">Named caseworkers in Leeds</a> (running)' in page
    call_page = client.get(idea.call.url).content.decode()
    assert 'data-card-fate="piloted"><strong>Piloted</strong>: ' in call_page and f'href="{pilot.url}"' in call_page
    assert "data-pilot-lesson" not in page  # running: nothing learned yet


@pytest.mark.django_db
def test_the_idea_page_says_what_its_ended_pilot_learned_and_decided(idea, pilot, team_member, client):
    services.take_forward(team_member, idea, pilot.pk)
    pilot.status, pilot.decision = "stopped", "stop"
    pilot.lesson = "Families did not <b>want</b> a named caseworker; they wanted evening hours."
    pilot.decision_reason = "No change in missed appointments."
    pilot.save_revision().publish()
    page = client.get(idea.get_absolute_url()).content.decode()
    block = page[page.index(f'data-pilot-lesson="{pilot.pk}"'):]
    assert "What the pilot “Named caseworkers in Leeds” learned</strong>. Decision: stop." in block
    assert "Families did not &lt;b&gt;want&lt;/b&gt; a named caseworker" in block  # escaped
    assert f'href="{pilot.url}#lesson">Read the lesson and the results' in block


@pytest.mark.django_db
def test_the_call_page_costs_one_query_more_only_with_ideas_taken_forward(call, pilot, team_member, client,
                                                                          django_assert_num_queries):
    ideas = [IdeaFactory(call=call) for _ in range(3)]
    client.get(call.url)  # warm caches (site, locale)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(call.url)
    services.take_forward(team_member, ideas[0], pilot.pk)
    services.take_forward(team_member, ideas[1], pilot.pk)
    with CaptureQueriesContext(connection) as after:
        body = client.get(call.url).content.decode()
    assert body.count(f'href="{pilot.url}"') == 2
    assert len(after.captured_queries) == len(before.captured_queries) + 1


@pytest.mark.django_db
def test_a_published_pilot_is_found_by_its_hypothesis_and_lesson(mission, commit, client):
    with commit():
        PilotFactory(parent=mission, title="Warm homes", change="free loft insulation for renters",
                     lesson="Landlords signed up slowly.")
    body = client.get("/search/?q=insulation").content.decode()
    assert "Warm homes" in body and "Pilot" in body
    assert "Warm homes" in client.get("/search/?q=landlords").content.decode()
