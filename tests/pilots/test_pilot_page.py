"""A pilot's public page (issue #18): the hypothesis, where and when, the
measure, the results as a chart and a table, the lesson and the decision,
what it addresses and came from, and its history of published changes."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consult.models import LearningQuestion, OutcomeMetric
from ideas.models import Visibility
from pilots.models import PilotIdea, PilotPage, PilotResult, PilotStatus
from tests.factories import CallFactory, IdeaFactory, PilotFactory
from tests.tables import assert_wide_tables_scroll

pytestmark = pytest.mark.django_db

START = date(2026, 1, 5)


def pilot_with(mission, n_results=1, n_ideas=1, n_revisions=1, **fields):
    call = CallFactory(parent=mission, title="Family services")
    q = LearningQuestion.objects.create(page=mission, question="Does a named caseworker help?")
    results = [(START + timedelta(days=7 * i), Decimal(30 - i), f"Week {i}") for i in range(n_results)]
    pilot = PilotFactory(parent=mission, starts_on=START, ends_on=START + timedelta(days=365), results=results,
                         learning_questions=[q], calls=[call], **fields)
    for i in range(n_ideas):
        PilotIdea.objects.create(pilot=pilot, idea=IdeaFactory(call=call, title=f"Public idea {i}"))
    for i in range(n_revisions - 1):
        pilot.summary = f"Revision {i}"
        pilot.save_revision().publish()
    pilot.refresh_from_db()
    return pilot, q, call


def get(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_states_the_hypothesis_where_when_and_measure(mission, client):
    pilot, _, _ = pilot_with(mission)
    html = get(client, pilot)
    inset = re.search(r'<div class="govuk-inset-text mc-hypothesis">(.*?)</div>', html, re.S).group(1)
    assert inset.strip() == ("We believe a named caseworker for each family will lead to fewer missed appointments "
                             "for families with children under five, measured by missed appointments.")
    assert "5 January 2026" in html and "5 January 2027" in html and "Leeds" in html
    measure = html[html.index('id="measure"'):html.index('id="results"')]
    assert "Missed appointments" in measure and "30%" in measure and "15%" in measure


def test_breadcrumbs_lead_back_through_the_mission_and_its_pilots(mission, client):
    pilot, _, _ = pilot_with(mission)
    crumbs = get(client, pilot).split('class="govuk-breadcrumbs__list"')[1].split("</ol>")[0]
    assert [m for m in re.findall(r'href="([^"]+)"', crumbs)] == ["/", "/missions/", mission.url,
                                                                  f"{mission.url}pilots/"]
    assert f">{mission.title}<" in crumbs and ">Pilots<" in crumbs


@pytest.mark.parametrize("status, colour", [("planned", "grey"), ("running", "blue"), ("concluded", "green"),
                                            ("stopped", "red")])
def test_status_tag_colour(mission, client, status, colour):
    pilot, _, _ = pilot_with(mission, status=status, lesson="Learned something", decision="adapt")
    assert f'govuk-tag--{colour} mc-pilot-status" data-pilot-status="{status}"' in get(client, pilot)


def test_results_are_a_chart_with_a_table_as_its_text_alternative(mission, client):
    pilot, _, _ = pilot_with(mission, n_results=3)
    PilotResult.objects.filter(page=pilot).update(source="Council records")
    html = get(client, pilot)
    assert '<svg' in html and f'id="pilot-chart-{pilot.pk}-title"' in html
    assert_wide_tables_scroll(html)
    table = html[html.index("data-pilot-results"):html.index("</table>", html.index("data-pilot-results"))]
    rows = re.findall(r'<tr class="govuk-table__row">\s*<th scope="row"[^>]*>([^<]+)</th>\s*'
                      r'<td[^>]*>([^<]+)</td>\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>', table)
    assert rows == [("5 January 2026", "30%", "Week 0", "Council records"),
                    ("12 January 2026", "29%", "Week 1", "Council records"),
                    ("19 January 2026", "28%", "Week 2", "Council records")]


def test_without_results_there_is_no_chart(mission, client):
    pilot, _, _ = pilot_with(mission, n_results=0)
    html = get(client, pilot)
    assert "<svg" not in html and "No results have been published yet." in html


def test_a_headline_metric_gives_the_measure_its_name_unit_baseline_and_target(mission, client):
    metric = OutcomeMetric.objects.create(page=mission, name="Children seen on time", unit="%",
                                          baseline=Decimal("41"), target=Decimal("60"), target_date=date(2030, 1, 1))
    pilot, _, _ = pilot_with(mission, metric=metric, measure_name="", measure_unit="")
    measure = get(client, pilot).split('id="measure"')[1].split('id="results"')[0]
    assert "Children seen on time" in measure and "41%" in measure and "60%" in measure
    assert "headline metrics" in measure


@pytest.mark.parametrize("status, heading", [("stopped", "This pilot stopped"),
                                             ("concluded", "This pilot has concluded")])
def test_an_ended_pilot_shows_its_lesson_and_decision_first(mission, client, status, heading):
    pilot, _, _ = pilot_with(mission, status=status, lesson="Families wanted evening slots, not a caseworker.",
                             decision="stop", decision_reason="No change after six months.")
    html = get(client, pilot)
    banner = html[html.index("govuk-notification-banner"):html.index('id="hypothesis"')]
    assert heading in banner
    assert "Families wanted evening slots, not a caseworker." in banner
    assert "What we decided: Stop" in banner and "No change after six months." in banner


def test_links_to_the_questions_calls_and_public_ideas_it_came_from(mission, client):
    pilot, q, call = pilot_with(mission, n_ideas=2)
    hidden = IdeaFactory(call=call, title="A hidden idea", visibility=Visibility.HIDDEN)
    PilotIdea.objects.create(pilot=pilot, idea=hidden)
    html = get(client, pilot)
    assert f'href="{mission.url}questions/{q.pk}/">Does a named caseworker help?</a>' in html
    assert f'href="{call.url}">Family services</a>' in html
    assert ">Public idea 0</a>" in html and ">Public idea 1</a>" in html
    assert "A hidden idea" not in html


def test_history_lists_each_published_revision_and_status_changes(mission, client):
    pilot, _, _ = pilot_with(mission, status=PilotStatus.PLANNED)
    pilot.status = PilotStatus.RUNNING
    pilot.save_revision().publish()
    pilot.summary = "Same status, new words"
    pilot.save_revision().publish()
    pilot.save_revision()  # a draft is not history yet
    pilot.status = PilotStatus.STOPPED
    pilot.lesson = "It did not work here."
    pilot.save_revision().publish()
    html = get(client, pilot)
    history = html[html.index('id="history"'):]
    items = re.findall(r"<li>(.*?)</li>", history, re.S)
    assert len(items) == 4
    assert "First published as planned, with 1 result." in items[0]
    assert "Status changed from planned to running." in items[1]
    assert "The summary revised." in items[2] and "status changed" not in items[2].lower()
    assert "Status changed from running to stopped; the lesson added." in items[3]


def test_history_says_which_results_were_added_and_corrected(mission, client):
    pilot, _, _ = pilot_with(mission, status=PilotStatus.RUNNING, n_results=0)
    pilot.results = [PilotResult(date=date(2026, 4, 29), value=Decimal("15"), commentary="Early")]
    pilot.save_revision().publish()
    pilot = PilotPage.objects.get(pk=pilot.pk)
    pilot.results = [PilotResult(date=date(2026, 4, 29), value=Decimal("12.5"), commentary="Early")]
    pilot.save_revision().publish()
    pilot = PilotPage.objects.get(pk=pilot.pk)
    pilot.save_revision().publish()
    html = get(client, pilot)
    items = re.findall(r"<li>(.*?)</li>", html[html.index('id="history"'):], re.S)
    unit = pilot.unit
    assert f"A result for 29 April 2026 added: 15{'' if unit == '%' else ' '}{unit}." in items[-3]
    assert "The result for 29 April 2026 corrected from 15" in items[-2] and "to 12.5" in items[-2]
    assert "Republished with no change to what this page shows." in items[-1]


def test_history_reads_the_revisions_in_one_query_however_many(mission, client, django_assert_num_queries):
    from pilots.page_context import pilot_history

    pilot, _, _ = pilot_with(mission, status=PilotStatus.RUNNING)
    for n in range(5):
        pilot.summary = f"Version {n}"
        pilot.save_revision().publish()
    with django_assert_num_queries(1):
        entries = pilot_history(pilot)["entries"]
    assert len(entries) >= 6 and all(e["text"] for e in entries)


def test_team_written_text_is_escaped(mission, client):
    pilot, _, _ = pilot_with(mission, title="<script>alert('t')</script>", status="stopped",
                             lesson="<script>alert('l')</script>", change="<b>bold</b> change")
    html = get(client, pilot)
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;l&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; change" in html


def page_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_fixed_number_of_queries_whatever_the_results_ideas_and_revisions(site, client, django_assert_max_num_queries):
    from tests.factories import MissionFactory

    small, _, _ = pilot_with(MissionFactory())
    big, _, _ = pilot_with(MissionFactory(), n_results=10, n_ideas=10, n_revisions=10)
    client.get(small.url)  # warm Wagtail's per-process caches
    one = page_queries(client, small.url)
    with django_assert_max_num_queries(one):
        html = get(client, big)
    assert html.count("Week ") >= 10 and html.count(">Public idea ") == 10
    assert len(re.findall(r"<li><time", html)) == 10


def test_an_unsaved_draft_previews_with_its_results_in_memory(mission):
    """The team previews a change in the admin before publishing it."""
    pilot, _, _ = pilot_with(mission)
    pilot.title = "A changed title"
    pilot.results.add(PilotResult(date=START + timedelta(days=60), value=Decimal("12"), commentary="Not yet saved"))
    response = pilot.make_preview_request()
    html = response.rendered_content if hasattr(response, "rendered_content") else response.content.decode()
    assert response.status_code == 200
    assert "A changed title" in html and "Not yet saved" in html and "12%" in html
