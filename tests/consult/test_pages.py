"""Missions and calls as pages: stable URLs, the metric limit, phase display."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consult.models import MetricPoint, MissionPage, OutcomeMetric

from ..factories import CallFactory, MissionFactory


def metric(n):
    return OutcomeMetric(
        name=f"Metric {n}", unit="%", baseline=Decimal("1"), target=Decimal("2"),
        target_date=timezone.now().date(), points=[MetricPoint(date=timezone.now().date(), value=Decimal("1.5"), source="ONS")],
    )


@pytest.mark.django_db
def test_mission_and_call_urls_are_stable(call, client):
    mission = call.get_parent()
    assert mission.url == f"/missions/{mission.slug}/"
    assert call.url == f"/missions/{mission.slug}/calls/{call.slug}/"
    assert client.get(call.url).status_code == 200
    # The call is not reachable without the calls/ segment.
    assert client.get(f"/missions/{mission.slug}/{call.slug}/").status_code == 404
    assert client.get(f"/missions/{mission.slug}/calls/").status_code == 404


@pytest.mark.django_db
def test_more_than_five_metrics_is_refused(site):
    page = MissionPage(title="Too many", slug="too-many", goal="g", metrics=[metric(n) for n in range(6)])
    with pytest.raises(ValidationError) as exc:
        page.clean()
    assert "at most 5 headline outcome metrics" in str(exc.value)


@pytest.mark.django_db
def test_five_metrics_are_accepted_and_shown_with_chart_and_table(site, client):
    from tests.factories import missions_index

    index = missions_index()
    page = MissionPage(title="Five", slug="five", goal="A goal", metrics=[metric(n) for n in range(5)])
    page.clean()
    index.add_child(instance=page)
    page.save_revision().publish()
    html = client.get("/missions/five/").content.decode()
    assert html.count('class="mc-chart"') == 5
    assert html.count("<caption") == 5
    assert "Metric 4" in html


@pytest.mark.django_db
def test_admin_form_refuses_a_sixth_metric_with_a_clear_message(admin_client, site):
    from wagtail.test.utils.form_data import rich_text

    from consult.models import MissionIndexPage

    index = MissionIndexPage.objects.get()
    data = {
        "title": "Form mission", "slug": "form-mission", "goal": "g", "what_we_know": rich_text("<p>We know some things.</p>"),
        "owner_name": "", "owner_role": "",
    }
    for prefix in ("learning_questions", "team_members", "pathway_versions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update({"metrics-TOTAL_FORMS": "6", "metrics-INITIAL_FORMS": "0", "metrics-MIN_NUM_FORMS": "0", "metrics-MAX_NUM_FORMS": "1000"})
    for i in range(6):
        data.update({
            f"metrics-{i}-name": f"M{i}", f"metrics-{i}-unit": "%", f"metrics-{i}-direction": "up",
            f"metrics-{i}-baseline": "1", f"metrics-{i}-target": "2", f"metrics-{i}-target_date": "2030-01-01",
            f"metrics-{i}-ORDER": str(i + 1), f"metrics-{i}-DELETE": "", f"metrics-{i}-id": "",
            f"metrics-{i}-points-TOTAL_FORMS": "0", f"metrics-{i}-points-INITIAL_FORMS": "0",
            f"metrics-{i}-points-MIN_NUM_FORMS": "0", f"metrics-{i}-points-MAX_NUM_FORMS": "1000",
        })
    response = admin_client.post(f"/admin/pages/add/consult/missionpage/{index.pk}/", data)
    assert not MissionPage.objects.filter(slug="form-mission").exists()
    assert "at most 5" in response.content.decode()


@pytest.mark.django_db
def test_call_dates_must_follow_each_other(mission):
    call = CallFactory.build(parent=None)
    call.review_closes = call.submission_closes - timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        call.clean()
    assert "review_closes" in exc.value.message_dict


@pytest.mark.django_db
def test_mission_page_lists_calls_with_phase_and_time_left(call, client):
    html = client.get(call.get_parent().url).content.decode()
    assert call.title in html
    assert "Open for ideas" in html
    assert "closes in 4 weeks, on " in html  # the factory's call closes in 29 days


@pytest.mark.django_db
def test_home_lists_missions(site, client):
    MissionFactory(title="Clean energy superpower")
    html = client.get("/").content.decode()
    assert "Clean energy superpower" in html
    assert "/static/css/app.css" in html


@pytest.mark.django_db
def test_mission_page_lists_calls_open_now_before_finished_ones(mission, client):
    now = timezone.now()
    finished = CallFactory(parent=mission, title="Finished call", submission_opens=now - timedelta(days=400))
    upcoming = CallFactory(parent=mission, title="Upcoming call", submission_opens=now + timedelta(days=5))
    older_open = CallFactory(parent=mission, title="Older open call", submission_opens=now - timedelta(days=20))
    newer_open = CallFactory(parent=mission, title="Newer open call", submission_opens=now - timedelta(days=2))
    body = client.get(mission.url).content.decode()
    positions = [body.index(c.title) for c in (newer_open, older_open, upcoming, finished)]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_home_shows_calls_open_now_with_their_mission_in_fixed_queries(site, client, django_assert_max_num_queries):
    now = timezone.now()
    energy = MissionFactory(title="Clean energy superpower")
    streets = MissionFactory(title="Safer streets")
    closing = CallFactory(parent=energy, title="Closing soon", submission_opens=now - timedelta(days=29))
    later = CallFactory(parent=streets, title="Open for longer", submission_opens=now - timedelta(days=1))
    CallFactory(parent=streets, title="Not open yet", submission_opens=now + timedelta(days=3))
    CallFactory(parent=energy, title="Long finished", submission_opens=now - timedelta(days=400))
    for n in range(4):
        CallFactory(parent=streets, title=f"Another open call {n}", submission_opens=now - timedelta(days=2))
    client.get("/")  # warm Wagtail's site cache
    with django_assert_max_num_queries(7):  # Wagtail serving 5, ours 2, for 6 calls
        html = client.get("/").content.decode()
    section = html.split('id="open-calls"', 1)[1].split("<h2", 1)[0]
    assert section.index("Closing soon") < section.index("Open for longer")
    assert "Not open yet" not in section and "Long finished" not in section
    assert "Clean energy superpower" in section and "Safer streets" in section
    assert closing.url in section and later.url in section
