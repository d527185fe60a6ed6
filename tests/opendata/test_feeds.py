"""The call's Atom feed of status changes and team responses (beside the
feed of new ideas): one entry per event, public ideas only, the
attribution of imported data as the feed's rights."""

import pytest

from ideas.models import IdeaStatus, Visibility
from ideas.services import submissions


@pytest.mark.django_db
def test_status_changes_and_responses_each_get_an_entry(call, client, team_member):
    from ..factories import IdeaFactory

    shortlisted = IdeaFactory(call=call, title="Bus pass pooling")
    answered = IdeaFactory(call=call, title="Night trams")
    untouched = IdeaFactory(call=call, title="Nothing happened")
    hidden = IdeaFactory(call=call, title="Removed idea", status=IdeaStatus.SELECTED, visibility=Visibility.HIDDEN)
    submissions.set_idea_status(team_member, shortlisted, IdeaStatus.SHORTLISTED)
    submissions.respond_to_idea(team_member, answered, "We will trial this in the spring.")
    call.data_attribution = "Pol.is, CC BY 4.0"
    call.save_revision().publish()

    response = client.get(call.url + "feed/updates/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "Bus pass pooling: shortlisted" in feed
    assert "Night trams: the mission team responded" in feed and "We will trial this in the spring." in feed
    assert untouched.title not in feed and hidden.title not in feed
    assert feed.count("<entry>") == 2
    assert "<rights>Pol.is, CC BY 4.0</rights>" in feed
    # Each event its own id, so a reader shows a later change as new.
    assert f"/ideas/{shortlisted.pk}/#status-shortlisted" in feed


@pytest.mark.django_db
def test_the_new_ideas_feed_is_unchanged(call, client):
    from ..factories import IdeaFactory

    IdeaFactory(call=call, title="Fresh idea")
    assert "Fresh idea" in client.get(call.url + "feed/").content.decode()
