"""The "you said, we did" pages of a mission and of a call (issue #18 item 3):
the counts at the top, every public idea with what became of it and why,
the median time to a response, the filter, pagination and bad input."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas.models import Idea
from ideas.services.submissions import respond_to_idea, set_idea_status
from pilots import ledger
from pilots.selectors import ledger as ledger_data
from pilots.services import take_forward
from tests.factories import CallFactory, IdeaFactory, MissionFactory, PilotFactory
from tests.tables import assert_wide_tables_scroll

pytestmark = pytest.mark.django_db


def _waited(idea, days_to_response, created_days_ago=200):
    """Give an idea a fixed age and time to its response."""
    created = timezone.now() - timedelta(days=created_days_ago)
    Idea.objects.filter(pk=idea.pk).update(created_at=created, response_at=created + timedelta(days=days_to_response))


@pytest.fixture
def mix(mission, call, team_member):
    """One idea of each outcome in `call`, plus ideas that must not count."""
    planned = PilotFactory(parent=mission, title="Planned pilot", status="planned")
    running = PilotFactory(parent=mission, title="Running pilot", status="running")
    scaled = PilotFactory(parent=mission, title="Scaled pilot", status="concluded", decision="scale",
                          lesson="It worked.", decision_reason="Fewer missed appointments.")
    ideas = {key: IdeaFactory(call=call, title=f"Idea {key}") for key in (
        "responded", "not_selected", "merged", "taken_forward", "piloted", "scaled", "no_response_expected",
        "awaiting")}
    # A statement about the participant asks nothing of the team.
    Idea.objects.filter(pk=ideas["no_response_expected"].pk).update(about_participant=True)
    respond_to_idea(team_member, ideas["responded"], "Thank you, we are *looking* at this.")
    respond_to_idea(team_member, ideas["not_selected"], "It costs more than the budget allows.")
    set_idea_status(team_member, ideas["not_selected"], "not_selected")
    set_idea_status(team_member, ideas["merged"], "merged", merged_into=ideas["responded"])
    take_forward(team_member, ideas["taken_forward"], planned.pk, "Worth a try")
    respond_to_idea(team_member, ideas["taken_forward"], "We will try this.")
    take_forward(team_member, ideas["piloted"], running.pk)
    take_forward(team_member, ideas["scaled"], scaled.pk)
    # Days from idea to written response: 2, 10 and 4 (median 4).
    _waited(ideas["responded"], 2)
    _waited(ideas["not_selected"], 10)
    _waited(ideas["taken_forward"], 4)
    hidden = IdeaFactory(call=call, title="Hidden idea", visibility="hidden")
    respond_to_idea(team_member, hidden, "Hidden response")
    _waited(hidden, 100)
    other_call = CallFactory(parent=mission)
    elsewhere = IdeaFactory(call=other_call, title="Idea in another call")
    IdeaFactory(call=CallFactory(parent=MissionFactory()), title="Idea in another mission")
    return {"ideas": ideas, "hidden": hidden, "elsewhere": elsewhere, "pilots": (planned, running, scaled)}


def _counts(response):
    return response.context["counts"]


def test_call_page_counts_and_lists_every_public_idea(client, call, mix):
    response = client.get(call.url + "you-said-we-did/")
    assert response.status_code == 200
    assert _counts(response) == {"received": 8, "responded": 6, "taken_forward": 3, "piloted": 2, "scaled": 1}
    listed = {e["idea"].pk: e["outcome"] for e in response.context["entries"]}
    assert listed == {idea.pk: key if key != "not_selected" else ledger.NOT_TAKEN_FORWARD
                      for key, idea in mix["ideas"].items()}
    html = response.content.decode()
    assert "Hidden idea" not in html and "Hidden response" not in html
    assert "Idea in another call" not in html
    assert_wide_tables_scroll(html)
    assert '<dd class="govuk-summary-list__value" data-count="received">8</dd>' in html
    assert '<dd class="govuk-summary-list__value" data-median>4 days</dd>' in html
    # The reason, rendered from the response's sanitised HTML.
    assert "It costs more than the budget allows." in html
    assert "<em>looking</em>" in html
    # The pilots, linked, with their status and decision.
    planned, running, scaled = mix["pilots"]
    for pilot in (planned, running, scaled):
        assert f'href="{pilot.url}"' in html
    assert "Decision: scale it up." in html
    # The merged idea points at the idea that carries it on.
    merged_row = html.split(f'data-idea="{mix["ideas"]["merged"].pk}"')[1].split("</tr>")[0]
    assert f'href="/ideas/{mix["ideas"]["responded"].pk}/"' in merged_row


def test_mission_page_counts_all_its_calls(client, mission, mix):
    response = client.get(reverse("ledger_mission", args=[mission.slug]))
    assert response.status_code == 200
    assert _counts(response) == {"received": 9, "responded": 6, "taken_forward": 3, "piloted": 2, "scaled": 1}
    html = response.content.decode()
    assert "Idea in another call" in html
    assert "Idea in another mission" not in html and "Hidden idea" not in html


def test_order_newest_response_first_then_awaiting_newest(call, mission, mix):
    ideas = mix["ideas"]
    entries = ledger_data(mission, call=call)["entries"]
    order = [e["idea"].pk for e in entries]
    # Responses: responded (day 2), taken_forward (day 4), not_selected (day 10) of ideas made on the same day.
    assert order[:3] == [ideas["not_selected"].pk, ideas["taken_forward"].pk, ideas["responded"].pk]
    # Then the rest, newest idea first.
    rest = [ideas[k] for k in ("merged", "piloted", "scaled", "no_response_expected", "awaiting")]
    assert order[3:] == [i.pk for i in sorted(rest, key=lambda i: (i.created_at, i.pk), reverse=True)]


@pytest.mark.parametrize("key", list(ledger.LABELS))
def test_outcome_filter_agrees_with_outcome_rule(client, call, mission, mix, key):
    everything = {e["idea"].pk: e["outcome"] for e in ledger_data(mission, call=call)["entries"]}
    data = ledger_data(mission, call=call, outcome=key)
    assert {e["idea"].pk for e in data["entries"]} == {pk for pk, o in everything.items() if o == key}
    assert data["page_obj"].paginator.count == 1  # the mix has one idea of each outcome
    response = client.get(call.url + "you-said-we-did/", {"outcome": key})
    assert response.status_code == 200
    assert [e["outcome"] for e in response.context["entries"]] == [key]
    assert f'<option value="{key}" selected>' in response.content.decode()
    # The counts stay those of the whole call.
    assert _counts(response)["received"] == 8


def test_median_of_an_even_number_is_the_mean_of_the_middle_two(call, mission, team_member):
    for days in (1, 3, 8, 30):
        idea = IdeaFactory(call=call)
        respond_to_idea(team_member, idea, "Answered")
        _waited(idea, days)
    IdeaFactory(call=call)  # awaiting: not in the median
    assert ledger_data(mission, call=call)["median_days"] == 5.5


def test_no_responses_yet(client, call):
    IdeaFactory(call=call)
    response = client.get(call.url + "you-said-we-did/")
    assert response.context["median_text"] is None
    assert "No responses yet" in response.content.decode()
    assert _counts(response) == {"received": 1, "responded": 0, "taken_forward": 0, "piloted": 0, "scaled": 0}


def test_user_text_is_escaped(client, call, team_member):
    idea = IdeaFactory(call=call, title="<script>alert(1)</script>")
    respond_to_idea(team_member, idea, "<script>alert(2)</script> **fine**")
    html = client.get(call.url + "you-said-we-did/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(2)" not in html and "<strong>fine</strong>" in html


def test_merged_into_a_hidden_idea_is_not_linked(call, mission, team_member):
    target = IdeaFactory(call=call, title="Target")
    merged = IdeaFactory(call=call)
    set_idea_status(team_member, merged, "merged", merged_into=target)
    Idea.objects.filter(pk=target.pk).update(visibility="hidden")
    entry = next(e for e in ledger_data(mission, call=call)["entries"] if e["idea"].pk == merged.pk)
    assert entry["outcome"] == ledger.MERGED and entry["merged_into"] is None


def test_unpublished_pilot_is_not_listed_or_counted(call, mission, team_member):
    pilot = PilotFactory(parent=mission, status="running")
    idea = IdeaFactory(call=call)
    take_forward(team_member, idea, pilot.pk)
    pilot.unpublish()
    data = ledger_data(mission, call=call)
    # Still taken forward (its status says so), but the pilot is not shown.
    assert data["counts"]["taken_forward"] == 1 and data["counts"]["piloted"] == 0
    assert data["entries"][0]["outcome"] == ledger.TAKEN_FORWARD and data["entries"][0]["pilots"] == []


def _make_ideas(call, mission, team_member, n):
    pilot = PilotFactory(parent=mission, status="running")
    for i in range(n):
        idea = IdeaFactory(call=call)
        if i % 3 == 0:
            respond_to_idea(team_member, idea, f"Answer {i}")
        if i % 7 == 2:
            set_idea_status(team_member, idea, "not_selected")
        if i % 5 == 1:  # after its status: an idea in a pilot keeps "taken forward"
            take_forward(team_member, idea, pilot.pk)


@pytest.mark.parametrize("n", [1, 30])
def test_query_budget_whatever_the_number_of_ideas(client, call, mission, team_member, n,
                                                   django_assert_max_num_queries):
    _make_ideas(call, mission, team_member, n)
    client.get(call.url + "you-said-we-did/")  # the site's root paths cached, as on a running site
    with django_assert_max_num_queries(16):  # 11 of them Wagtail serving the call page
        response = client.get(call.url + "you-said-we-did/")
    assert len(response.context["entries"]) == n
    with django_assert_max_num_queries(12):
        response = client.get(reverse("ledger_mission", args=[mission.slug]), {"outcome": "piloted"})
    assert response.status_code == 200


def test_pagination(client, call, mission):
    for _ in range(53):
        IdeaFactory(call=call)
    first = client.get(call.url + "you-said-we-did/")
    assert len(first.context["entries"]) == 50
    assert 'class="govuk-pagination"' in first.content.decode()
    second = client.get(call.url + "you-said-we-did/", {"page": "2"})
    assert len(second.context["entries"]) == 3
    past_the_end = client.get(call.url + "you-said-we-did/", {"page": "99"})
    assert past_the_end.status_code == 200 and past_the_end.context["page_obj"].number == 2


@pytest.mark.parametrize("query", [{"page": "abc"}, {"page": "0"}, {"page": "-1"}, {"page": "²"},
                                   {"page": "9" * 40}, {"outcome": "nonsense"}, {"outcome": "\x00"}])
def test_bad_input_is_a_400_that_says_why(client, call, mission, query):
    IdeaFactory(call=call)
    for url in (call.url + "you-said-we-did/", reverse("ledger_mission", args=[mission.slug])):
        response = client.get(url, query)
        assert response.status_code == 400
        html = response.content.decode()
        assert "There is a problem" in html
        assert ("page number" in html) if "page" in query else ("Choose an outcome" in html)


def test_only_live_missions_and_calls(client, call, mission):
    IdeaFactory(call=call)
    url = call.url + "you-said-we-did/"
    assert client.get(url).status_code == 200
    call.unpublish()
    assert client.get(url).status_code == 404
    mission_url = reverse("ledger_mission", args=[mission.slug])
    assert client.get(mission_url).status_code == 200
    mission.unpublish()
    assert client.get(mission_url).status_code == 404
    assert client.get(reverse("ledger_mission", args=["no-such-mission"])).status_code == 404


def test_call_of_an_unpublished_mission_is_404(client, call, mission):
    url = call.url + "you-said-we-did/"
    mission.unpublish(set_expired=False)
    call.refresh_from_db()
    assert call.live  # unpublishing a page leaves its children live
    assert client.get(url).status_code == 404


def test_pages_link_to_the_ledgers(client, call, mission):
    assert reverse("ledger_mission", args=[mission.slug]) in client.get(mission.url).content.decode()
    assert call.url + "you-said-we-did/" in client.get(call.url).content.decode()


def test_breadcrumbs_lead_home_through_the_mission_and_the_call(client, mission, call):
    for url, trail in ((reverse("ledger_mission", args=[mission.slug]), ["Home", "Missions", mission.title]),
                       (call.url + "you-said-we-did/", ["Home", "Missions", mission.title, call.title])):
        html = client.get(url).content.decode()
        nav = html[html.index('class="govuk-breadcrumbs"'):html.index("</nav>", html.index('class="govuk-breadcrumbs"'))]
        assert [t.strip() for t in re.findall(r'govuk-breadcrumbs__link"[^>]*>([^<]*)<', nav)] == trail


def test_the_call_page_links_to_its_own_ledger(client, call):
    html = client.get(call.url).content.decode()
    assert f'href="{call.url}you-said-we-did/" data-ledger-link>You said, we did</a>' in html
