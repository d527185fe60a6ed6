"""An idea's status and what became of it agree (#26 item 5): an idea taken
forward into a pilot keeps the status "taken forward" (the team's status
form says so before anyone chooses, and a change is refused with the
reason), and the idea page, its card on the call page and "you said, we
did" tell the same story by one rule (pilots/ledger.py `outcome`, given to
ideas through ideas/fate.py)."""

import importlib
import re

import pytest
from django.apps import apps

from inputs.refusals import Refused
from ideas.models import Idea, IdeaStatus
from ideas.services import submissions
from pilots import ledger, services
from pilots.selectors import ledger as ledger_data
from tests.factories import IdeaFactory, PilotFactory

pytestmark = pytest.mark.django_db

STATUSES = ["not_selected", "submitted", "under_review", "shortlisted", "selected", "merged"]


@pytest.fixture
def pilot(mission):
    return PilotFactory(parent=mission, title="Evening hours in Leeds", status="planned")


@pytest.fixture
def idea(call, pilot, team_member):
    idea = IdeaFactory(call=call, title="Open the hub in the evening")
    services.take_forward(team_member, idea, pilot.pk, "Worth a try")
    return Idea.objects.get(pk=idea.pk)


def _stories(client, mission, idea):
    """What the idea page, its card and the ledger say became of the idea."""
    page = client.get(idea.get_absolute_url()).content.decode()
    on_page = re.search(r'data-fate="([a-z_]+)"', page)
    call_page = client.get(idea.call.url).content.decode()
    card = call_page[call_page.index(f'data-idea-card="{idea.pk}"'):].split("</li>")[0]
    on_card = re.search(r'data-card-fate="([a-z_]+)"', card)
    entries = {e["idea"].pk: e for e in ledger_data(mission)["entries"]}
    return {"page": on_page and on_page.group(1), "card": on_card and on_card.group(1),
            "ledger": entries[idea.pk]["outcome"]}, page, card


def _publish(pilot, status, decision=""):
    pilot.status, pilot.decision = status, decision
    if status in ("concluded", "stopped"):
        pilot.lesson, pilot.decision_reason = "Evening opening doubled the visits.", "It worked."
    pilot.save_revision().publish()


def test_the_status_form_warns_that_the_idea_is_in_a_pilot(client, team_member, idea, pilot):
    client.force_login(team_member)
    page = client.get(idea.get_absolute_url()).content.decode()
    warning = page[page.index("data-in-pilot-warning"):].split("</div>")[0]
    assert "govuk-warning-text" in page
    assert "This idea is in the pilot “Evening hours in Leeds”, so its status stays “Taken forward”" in warning
    assert f'action="/ideas/{idea.pk}/status/"' not in page  # no choice it would refuse


def test_an_idea_in_no_pilot_has_the_status_form_and_no_warning(client, team_member, call):
    other = IdeaFactory(call=call)
    client.force_login(team_member)
    page = client.get(other.get_absolute_url()).content.decode()
    assert f'action="/ideas/{other.pk}/status/"' in page and "data-in-pilot-warning" not in page


@pytest.mark.parametrize("status", STATUSES)
def test_changing_the_status_of_an_idea_in_a_pilot_is_refused_with_the_reason(client, team_member, call, idea,
                                                                               status):
    into = IdeaFactory(call=call) if status == "merged" else None
    with pytest.raises(Refused) as refused:
        submissions.set_idea_status(team_member, idea, status, merged_into=into)
    assert refused.value.status == 409 and refused.value.field == "status"
    assert "“Evening hours in Leeds”" in refused.value.message
    client.force_login(team_member)
    data = {"status": status, "merged_into": str(into.pk) if into else ""}
    answer = client.post(f"/ideas/{idea.pk}/status/", data, HTTP_ACCEPT="application/json")
    assert answer.status_code == 409 and "stays “Taken forward”" in answer.json()["error"]["message"]
    shown = client.post(f"/ideas/{idea.pk}/status/", data, follow=True).content.decode()
    assert "so its status stays “Taken forward”" in shown
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.TAKEN_FORWARD and idea.merged_into_id is None


@pytest.mark.parametrize("status, decision, expected", [
    ("planned", "", ledger.TAKEN_FORWARD),
    ("running", "", ledger.PILOTED),
    ("concluded", "scale", ledger.SCALED),
    ("stopped", "stop", ledger.PILOTED),
])
def test_the_idea_page_its_card_and_the_ledger_tell_the_same_story(client, mission, team_member, idea, pilot,
                                                                    status, decision, expected):
    if status != "planned":
        _publish(pilot, status, decision)
    for attempt in ("not_selected", "under_review"):  # the team tries; the story does not split
        with pytest.raises(Refused):
            submissions.set_idea_status(team_member, Idea.objects.get(pk=idea.pk), attempt)
    stories, page, card = _stories(client, mission, idea)
    assert stories == {"page": expected, "card": expected, "ledger": expected}
    label = ledger.LABELS[expected]
    assert f"data-fate-label>{label}</strong>" in page
    assert f"<strong>{label}</strong>: " in card
    assert 'href="' + pilot.url + '"' in page and 'href="' + pilot.url + '"' in card


def test_an_idea_whose_status_was_changed_by_hand_earlier_is_made_consistent(client, mission, idea, pilot):
    # As the status form could before: the idea in a pilot, its status "not selected".
    Idea.objects.filter(pk=idea.pk).update(status="not_selected")
    migration = importlib.import_module("pilots.migrations.0002_ideas_in_pilots_taken_forward")
    migration.forwards(apps, None)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.TAKEN_FORWARD
    stories, _, _ = _stories(client, mission, idea)
    assert stories == {"page": ledger.TAKEN_FORWARD, "card": ledger.TAKEN_FORWARD, "ledger": ledger.TAKEN_FORWARD}
