"""The team's queue holds what needs an answer (#26 item 6): a statement
about the participant (a Pol.is conversation's demographic questions) and
the ideas of a closed imported call are not "awaiting your response", in
the admin's list, its dashboard panel or the counts of "you said, we did"
(one rule: pilots/selectors.py `answer_expected`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.models import Idea, PolisImport
from ideas.services.submissions import respond_to_idea
from pilots import ledger
from pilots.admin_views import AwaitingPanel
from pilots.selectors import ledger as ledger_data, unanswered_ideas
from tests.factories import CallFactory, IdeaFactory, MembershipFactory

pytestmark = pytest.mark.django_db
URL = "/admin/ideas-awaiting-response/"


@pytest.fixture
def team_member(mission, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # roles reach Wagtail's groups on commit
        return MembershipFactory(mission=mission, role="team").user


def _imported(mission, *, closed):
    opens = timezone.now() - timedelta(days=400 if closed else 1)
    call = CallFactory(parent=mission, submission_opens=opens, voting_mode="agree")
    PolisImport.objects.create(call=call, conversation_url="https://pol.is/example")
    return call


@pytest.fixture
def queue(mission, call):
    waiting = IdeaFactory(call=call, title="A real idea waiting")
    about = IdeaFactory(call=call, title="I am under 25", about_participant=True)
    closed = _imported(mission, closed=True)
    imported = IdeaFactory(call=closed, title="Imported statement")
    imported_about = IdeaFactory(call=closed, title="Imported demographic", about_participant=True)
    still_open = IdeaFactory(call=_imported(mission, closed=False), title="Statement of an open import")
    return {"waiting": waiting, "about": about, "imported": imported, "imported_about": imported_about,
            "open": still_open}


def test_the_list_and_the_panel_leave_out_what_needs_no_answer(client, team_member, mission, queue):
    assert {i.pk for i in unanswered_ideas([mission])} == {queue["waiting"].pk, queue["open"].pk}
    client.force_login(team_member)
    html = client.get(URL).content.decode()
    assert "2 ideas await a response" in html
    for title in ("I am under 25", "Imported statement", "Imported demographic"):
        assert title not in html
    panel = AwaitingPanel(team_member, [mission]).get_context_data()
    assert panel["total"] == 2
    assert {row["idea"].pk for row in panel["rows"]} == {queue["waiting"].pk, queue["open"].pk}


def test_the_ledger_counts_them_neither_awaiting_nor_responded(mission, queue):
    data = ledger_data(mission)
    assert data["awaiting"] == 2
    assert data["counts"]["received"] == 5
    assert data["counts"]["responded"] == 0
    outcomes = {e["idea"].pk: e["outcome"] for e in data["entries"]}
    assert outcomes[queue["waiting"].pk] == outcomes[queue["open"].pk] == ledger.AWAITING
    for key in ("about", "imported", "imported_about"):
        assert outcomes[queue[key].pk] == ledger.NO_RESPONSE_EXPECTED
    filtered = ledger_data(mission, outcome=ledger.NO_RESPONSE_EXPECTED)
    assert {e["idea"].pk for e in filtered["entries"]} == {queue[k].pk for k in ("about", "imported", "imported_about")}
    awaiting = ledger_data(mission, outcome=ledger.AWAITING)
    assert {e["idea"].pk for e in awaiting["entries"]} == {queue["waiting"].pk, queue["open"].pk}


def test_an_answered_statement_counts_as_responded(mission, team_member, queue):
    respond_to_idea(team_member, Idea.objects.get(pk=queue["imported"].pk), "We read the whole conversation.")
    data = ledger_data(mission)
    assert data["counts"]["responded"] == 1
    assert data["awaiting"] == 2
    outcomes = {e["idea"].pk: e["outcome"] for e in data["entries"]}
    assert outcomes[queue["imported"].pk] == ledger.RESPONDED


def test_the_public_ledger_says_why_no_response_is_expected(client, mission, queue):
    html = client.get(f"/missions/{mission.slug}/you-said-we-did/").content.decode()
    assert "No response expected" in html
    assert "A statement about who took part, not an idea to answer." in html


def test_open_data_gives_them_the_same_outcome(client, mission, queue):
    rows = {r["idea"]: r for r in client.get("/api/v1/ledger", {"mission": mission.pk}).json()["results"]}
    assert rows[queue["waiting"].pk]["outcome"] == ledger.AWAITING
    for key in ("about", "imported", "imported_about"):
        assert rows[queue[key].pk]["outcome"] == ledger.NO_RESPONSE_EXPECTED
