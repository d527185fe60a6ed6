"""/missions/<slug>/pilots/: a mission's live pilots grouped by status, each
with its hypothesis and latest result, 50 to a page; and the mission page's
"Pilots: what we are testing" section."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilots.models import PilotStatus
from tests.factories import MissionFactory, PilotFactory

pytestmark = pytest.mark.django_db


def list_url(mission):
    return f"{mission.url}pilots/"


def test_live_pilots_grouped_by_status_with_hypothesis_and_latest_result(mission, client):
    PilotFactory(parent=mission, title="Caseworkers", status=PilotStatus.RUNNING,
                 results=[(date(2026, 2, 1), Decimal("28"), ""), (date(2026, 3, 1), Decimal("22.5"), "")])
    PilotFactory(parent=mission, title="Evening clinics", status=PilotStatus.PLANNED)
    PilotFactory(parent=mission, title="Text reminders", status=PilotStatus.STOPPED, lesson="Nobody read them.")
    draft = PilotFactory(parent=mission, title="Not yet public")
    draft.unpublish()
    PilotFactory(parent=MissionFactory(), title="Another mission's pilot")

    response = client.get(list_url(mission))
    assert response.status_code == 200
    html = response.content.decode()
    headings = re.findall(r'<h2 class="govuk-heading-l" id="status-(\w+)">', html)
    assert headings == ["running", "planned", "stopped"]
    running = html[html.index('id="status-running"'):html.index('id="status-planned"')]
    assert "Caseworkers" in running and "Latest result: <strong>22.5%</strong> on 1 March 2026" in running
    assert "We believe a named caseworker for each family will lead to fewer missed appointments" in running
    assert "Evening clinics" in html[html.index('id="status-planned"'):html.index('id="status-stopped"')]
    assert "Text reminders" in html[html.index('id="status-stopped"'):]
    assert "Not yet public" not in html and "Another mission's pilot" not in html


def test_unknown_mission_is_404(site, client):
    assert client.get("/missions/no-such-mission/pilots/").status_code == 404


def test_a_mission_without_pilots_says_so(mission, client):
    assert "This mission has no published pilots yet." in client.get(list_url(mission)).content.decode()


def test_more_than_fifty_pilots_are_paginated(mission, client):
    for n in range(51):
        PilotFactory(parent=mission, title=f"Pilot number {n}")
    first = client.get(list_url(mission)).content.decode()
    second = client.get(list_url(mission) + "?page=2").content.decode()
    assert first.count("data-pilot=") == 50 and second.count("data-pilot=") == 1
    assert 'rel="next"' in first and "Page 1 of 2" in first


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_runs_a_fixed_number_of_queries(mission, client, django_assert_max_num_queries):
    PilotFactory(parent=mission, results=[(date(2026, 2, 1), Decimal("28"), "")])
    client.get(list_url(mission))
    one = queries(client, list_url(mission))
    for n in range(8):
        PilotFactory(parent=mission, status=[s for s in PilotStatus][n % 4],
                     results=[(date(2026, 2, d), Decimal(d), "") for d in range(1, 4)])
    with django_assert_max_num_queries(one):
        assert client.get(list_url(mission)).content.decode().count("data-pilot=") == 9


def test_team_written_titles_are_escaped(mission, client):
    PilotFactory(parent=mission, title="<script>alert(1)</script>", change="<img src=x onerror=alert(2)>")
    html = client.get(list_url(mission)).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# The mission page's section ----------------------------------------------------


def test_mission_page_lists_its_pilots_with_latest_result_and_links_to_the_list(mission, client):
    pilot = PilotFactory(parent=mission, title="Caseworkers",
                         results=[(date(2026, 2, 1), Decimal("28"), ""), (date(2026, 3, 1), Decimal("25"), "")])
    html = client.get(mission.url).content.decode()
    section = html[html.index('id="pilots"'):html.index('id="metrics"')]
    assert f'href="{pilot.url}">Caseworkers</a>' in section
    assert 'data-pilot-status="running"' in section
    assert "Latest result: <strong>25%</strong> on 1 March 2026" in section
    assert f'href="{list_url(mission)}"' in section


def test_mission_page_queries_stay_fixed_with_more_pilots(mission, client, django_assert_max_num_queries):
    PilotFactory(parent=mission, results=[(date(2026, 2, 1), Decimal("28"), "")])
    client.get(mission.url)
    one = queries(client, mission.url)
    for _ in range(5):
        PilotFactory(parent=mission, results=[(date(2026, 2, 1), Decimal("28"), ""), (date(2026, 3, 1), Decimal("1"), "")])
    with django_assert_max_num_queries(one):
        assert client.get(mission.url).content.decode().count("data-pilot=") == 6
