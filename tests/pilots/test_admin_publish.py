"""Pilots in the Wagtail admin (issue #18, items 1 and 6): a draft may be
incomplete, a published pilot has its hypothesis and measure, unusual
results ask for confirmation, every change is a revision, nothing is
deleted."""

from datetime import date

import pytest

from consult.models import OutcomeMetric
from pilots.models import PilotPage
from pilots.wagtail_hooks import NEVER_DELETED

from ..factories import MissionFactory, PilotFactory


def _form(**fields):
    data = {
        "title": "Named caseworkers", "slug": "named-caseworkers", "summary": "One caseworker per family",
        "change": "a named caseworker for each family", "outcome": "fewer missed appointments",
        "people": "families with young children", "metric": "", "measure_name": "Missed appointments",
        "measure_unit": "%", "measure_baseline": "30", "measure_target": "15", "range_low": "", "range_high": "",
        "location": "Leeds", "starts_on": "2026-01-05", "ends_on": "2026-06-30", "status": "running",
        "lesson": "", "decision": "", "decision_reason": "",
        "results-TOTAL_FORMS": "0", "results-INITIAL_FORMS": "0", "results-MIN_NUM_FORMS": "0",
        "results-MAX_NUM_FORMS": "1000",
    }
    results = fields.pop("results", [])
    data.update(fields)
    data["results-TOTAL_FORMS"] = str(len(results))
    for i, (day, value) in enumerate(results):
        data.update({f"results-{i}-date": day, f"results-{i}-value": value, f"results-{i}-commentary": "",
                     f"results-{i}-source": "", f"results-{i}-id": "", f"results-{i}-ORDER": str(i + 1),
                     f"results-{i}-DELETE": ""})
    return data


def _add(client, mission, publish=True, **fields):
    data = _form(**fields)
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(f"/admin/pages/add/pilots/pilotpage/{mission.pk}/", data)


@pytest.mark.django_db
def test_a_complete_pilot_is_published_at_its_address(admin_client, mission, client):
    response = _add(admin_client, mission)
    assert response.status_code == 302, response.content.decode()[:2000]
    pilot = PilotPage.objects.get(slug="named-caseworkers")
    assert pilot.live and pilot.url == f"/missions/{mission.slug}/pilots/named-caseworkers/"
    assert client.get(pilot.url).status_code == 200
    assert client.get(f"/missions/{mission.slug}/calls/named-caseworkers/").status_code == 404


@pytest.mark.django_db
def test_a_pilot_without_hypothesis_or_measure_cannot_be_published_but_saves_as_a_draft(admin_client, mission):
    response = _add(admin_client, mission, change="", people="", measure_name="")
    body = response.content.decode()
    assert response.status_code == 200
    assert not PilotPage.objects.filter(slug="named-caseworkers").exists()
    assert "A pilot needs its hypothesis before it is published" in body
    assert "A pilot needs a measure before it is published" in body
    draft = _add(admin_client, mission, publish=False, change="", people="", measure_name="")
    assert draft.status_code == 302
    saved = PilotPage.objects.get(slug="named-caseworkers")
    assert not saved.live


@pytest.mark.django_db
def test_a_headline_metric_of_this_mission_is_a_measure_but_not_another_missions(admin_client, mission):
    metric = OutcomeMetric.objects.create(page=mission, name="Employment rate", unit="%", baseline=70, target=75,
                                          target_date=date(2030, 1, 1))
    foreign = OutcomeMetric.objects.create(page=MissionFactory(), name="Other", unit="%", baseline=1, target=2,
                                           target_date=date(2030, 1, 1))
    refused = _add(admin_client, mission, metric=str(foreign.pk), measure_name="", measure_unit="",
                   measure_baseline="", measure_target="")
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    accepted = _add(admin_client, mission, metric=str(metric.pk), measure_name="", measure_unit="",
                    measure_baseline="", measure_target="")
    assert accepted.status_code == 302
    pilot = PilotPage.objects.get(slug="named-caseworkers")
    assert pilot.measure_label == "Employment rate" and pilot.target == 75


@pytest.mark.django_db
def test_results_out_of_range_or_outside_the_dates_ask_for_confirmation(admin_client, mission):
    response = _add(admin_client, mission, results=[("2026-03-03", "140"), ("2025-12-01", "20")])
    body = response.content.decode()
    assert not PilotPage.objects.filter(slug="named-caseworkers").exists()
    assert "The result of 140% on 3 March 2026 is above the measure&#x27;s range" in body
    assert "is before the pilot starts (5 January 2026)" in body
    assert "These results are right" in body
    confirmed = _add(admin_client, mission, results=[("2026-03-03", "140"), ("2025-12-01", "20")],
                     confirm_results="on")
    assert confirmed.status_code == 302
    assert PilotPage.objects.get(slug="named-caseworkers").results.count() == 2


@pytest.mark.django_db
def test_an_ended_pilot_is_published_only_with_its_lesson_and_decision(admin_client, mission):
    response = _add(admin_client, mission, status="stopped")
    body = response.content.decode()
    assert "published with its lesson" in body and "Say what was decided" in body
    assert _add(admin_client, mission, status="stopped", lesson="Families did not answer calls from a new number.",
                decision="stop", decision_reason="No change after 3 months.").status_code == 302
    assert PilotPage.objects.get(slug="named-caseworkers").live


@pytest.mark.django_db
def test_the_slug_feed_is_kept_for_the_results_feed(admin_client, mission):
    response = _add(admin_client, mission, slug="feed")
    assert response.status_code == 200 and "taken by the pilots" in response.content.decode()


@pytest.mark.django_db
def test_every_change_is_a_revision(admin_client, mission):
    pilot = PilotFactory(parent=mission)
    data = _form(title=pilot.title, slug=pilot.slug, status="stopped", lesson="It did not work.", decision="stop",
                 decision_reason="No effect.")
    data["action-publish"] = "action-publish"
    response = admin_client.post(f"/admin/pages/{pilot.pk}/edit/", data)
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert pilot.status == "stopped" and pilot.revisions.count() == 2
    first = pilot.revisions.order_by("created_at").first().as_object()
    assert first.status == "running"


@pytest.mark.django_db
def test_nobody_deletes_a_pilot_not_even_a_site_admin(admin_client, mission):
    pilot = PilotFactory(parent=mission)
    response = admin_client.post(f"/admin/pages/{pilot.pk}/delete/", follow=True)
    assert PilotPage.objects.filter(pk=pilot.pk).exists()
    assert NEVER_DELETED.split(",")[0] in response.content.decode().replace("&#x27;", "'")
    # Nor the mission that holds it (which would take the pilot with it).
    admin_client.post(f"/admin/pages/{mission.pk}/delete/")
    assert PilotPage.objects.filter(pk=pilot.pk).exists()


@pytest.mark.django_db
def test_the_mission_team_can_add_and_publish_a_pilot(client, mission, team_member):
    from consult.roles import sync_user

    sync_user(team_member, mission)  # what the membership's on-commit hook does
    client.force_login(team_member)
    response = _add(client, mission)
    assert response.status_code == 302
    assert PilotPage.objects.get(slug="named-caseworkers").live


@pytest.mark.django_db
def test_a_published_pilot_stays_published(admin_client, mission, client):
    from pilots.wagtail_hooks import NEVER_UNPUBLISHED

    pilot = PilotFactory(parent=mission)
    response = admin_client.post(f"/admin/pages/{pilot.pk}/unpublish/", follow=True)
    pilot.refresh_from_db()
    assert pilot.live
    assert NEVER_UNPUBLISHED.split(",")[0] in response.content.decode().replace("&#x27;", "'")
    assert client.get(pilot.url).status_code == 200
