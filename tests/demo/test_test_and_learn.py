"""The demo shows issue #18's test-and-learn loop: pilots under missions,
tested ideas taken forward into them, the team's responses, and every
learning question being explored or answered citing its evidence, on the
published pages; loading again creates nothing."""

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.test.utils import override_settings
from django.utils.html import escape
from wagtail.models import Revision

from consult.models import (
    ChallengeCallPage,
    MissionPage,
    PathwayCitation,
    PathwayVersion,
    QuestionEvidence,
)
from consult.questions import missing_for_status
from demo.loader import load_demo, read_missions
from ideas.models import Idea, IdeaStatus
from live import events
from notifications.models import Notification
from pilots import selectors as pilot_selectors
from pilots.page_context import pilot_history
from pilots.models import PilotIdea, PilotPage, PilotResult
from pilots.validation import publish_problems, unusual_results

TODAY = date(2026, 11, 30)  # any day: the pilots' dates are relative to it


def pilots_of(mission):
    return mission.get("pilots", [])


def test_the_demo_pilots_are_publishable_and_their_results_plausible():
    missions = read_missions()
    assert sum(1 for m in missions if pilots_of(m)) >= 3
    pilots = [p for m in missions for p in pilots_of(m)]
    statuses = {(p["status"], p.get("decision", "")) for p in pilots}
    assert ("running", "") in statuses and ("concluded", "scale") in statuses and ("stopped", "stop") in statuses
    for mission in missions:
        slugs = {p["slug"] for p in pilots_of(mission)}
        assert len(slugs) == len(pilots_of(mission)), mission["slug"]
        for p in pilots_of(mission):
            measure = p.get("measure") or {}
            assert ("metric" in p) != bool(measure), f"{p['slug']}: a headline metric or its own measure"
            if "metric" in p:
                metric = mission["metrics"][p["metric"]]
                unit, low, high = metric["unit"], None, None
            else:
                unit, low, high = measure["unit"], None, None
            starts, ends = TODAY + timedelta(days=p["starts_on"]), TODAY + timedelta(days=p["ends_on"])
            assert publish_problems(
                change=p["change"], outcome=p["outcome"], people=p["people"], has_metric="metric" in p,
                measure_name=measure.get("name"), measure_unit=measure.get("unit"),
                measure_baseline=measure.get("baseline"), measure_target=measure.get("target"),
                status=p["status"], starts_on=starts, ends_on=ends, lesson=p.get("lesson", ""),
                decision=p.get("decision", ""), decision_reason=p.get("decision_reason", ""),
            ) == {}, p["slug"]
            results = [(starts + timedelta(days=r["day"]), Decimal(r["value"])) for r in p["results"]]
            assert results and all(r["commentary"].strip() for r in p["results"]), f"{p['slug']}: results say why"
            assert unusual_results(results, unit=unit, low=low, high=high, starts_on=starts, ends_on=ends) == []
            assert all(d <= TODAY for d, _ in results), f"{p['slug']}: no result from the future"
            assert (p["status"] == "running") == (starts <= TODAY < ends), f"{p['slug']}: status fits its dates"
            assert all(0 <= i < len(mission["learning_questions"]) for i in p["questions"]) and p["questions"]
            if p.get("idea") is not None:
                assert 0 <= p["idea"] < len(mission["ideas"]) and p.get("note")
            assert "!" not in " ".join(str(v) for v in p.values()), "GOV.UK style: no exclamation marks"


def test_every_question_being_explored_or_answered_cites_evidence_the_loader_can_find():
    for mission in read_missions():
        pilot_slugs = {p["slug"] for p in pilots_of(mission)}
        for question in mission["learning_questions"]:
            cited = question.get("evidence", [])
            if question["status"] in ("exploring", "answered"):
                assert cited, question["question"]
            for item in cited:
                assert item["cite"] == "call" or item["cite"] in pilot_slugs, item
                assert item["note"].strip()
        for version in mission["pathway_versions"]:
            for item in version.get("citations", []):
                assert item["cite"] in pilot_slugs, item
        for idea in mission["ideas"]:
            assert idea.get("status", "not_selected") in {"not_selected", "shortlisted", "under_review", "selected"}
            if idea.get("status") == "not_selected":
                assert idea.get("response"), "an idea not taken forward says why"


def demo_counts():
    return (PilotPage.objects.count(), PilotResult.objects.count(), PilotIdea.objects.count(),
            QuestionEvidence.objects.count(), PathwayVersion.objects.count(), PathwayCitation.objects.count(),
            Revision.objects.count(), Idea.objects.exclude(response="").count())


@pytest.mark.django_db
def test_the_loaded_demo_shows_the_test_and_learn_loop_once(tmp_path, client):
    missions = read_missions()
    with override_settings(DEMO_ACCOUNTS_FILE=tmp_path / "accounts.json"), \
            mock.patch.object(events.tallies, "submit"):
        load_demo()
        counts = demo_counts()
        load_demo()
    assert demo_counts() == counts, "loading again created something"
    assert counts[0] == sum(len(pilots_of(m)) for m in missions)

    from django.contrib.auth import get_user_model

    team = get_user_model().objects.get(email="team@demo.missioncommons.localhost")
    for data in missions:
        mission = MissionPage.objects.get(slug=data["slug"])
        call = ChallengeCallPage.objects.child_of(mission).get(slug=data["call"]["slug"])
        ideas = {i.title: i for i in Idea.objects.filter(call=call)}
        for p in pilots_of(data):
            pilot = PilotPage.objects.child_of(mission).get(slug=p["slug"])
            assert pilot.live and not pilot.has_unpublished_changes, p["slug"]
            assert pilot.status == p["status"] and pilot.lesson == p.get("lesson", "")
            assert pilot.results.count() == len(p["results"])
            assert list(pilot.calls.all()) == [call]
            assert pilot.hypothesis.startswith("We believe ")
            if p.get("idea") is not None:
                idea = ideas[data["ideas"][p["idea"]]["title"]]
                assert idea.status == IdeaStatus.TAKEN_FORWARD
                link = PilotIdea.objects.get(pilot=pilot, idea=idea)
                assert link.linked_by == team and link.note == p["note"]
        for item in data["ideas"]:
            idea = ideas[item["title"]]
            if item.get("response"):
                assert idea.response == item["response"] and idea.response_by == team
            if item.get("status"):
                assert idea.status == item["status"]

        # The published page holds the evidence: the live revision is the latest, and has it.
        mission.refresh_from_db()
        assert not mission.has_unpublished_changes
        live = mission.live_revision.as_object()
        for question in live.learning_questions.all():
            evidence = list(question.evidence.all())
            assert missing_for_status(question.status, answer=question.answer, evidence=len(evidence)) == "", \
                question.question
            assert all("{" not in e.note for e in evidence)
        for question in mission.learning_questions.all():
            if question.status != "open":
                assert question.evidence.exists(), question.question

    stopped = PilotPage.objects.get(status="stopped")
    assert stopped.live and stopped.decision == "stop" and stopped.lesson and stopped.results.exists()
    # Published as it went: started, each result, stopped, each on its day, by the team.
    history = pilot_history(stopped)["entries"]
    results = list(stopped.results.all())
    assert len(history) == 1 + len(results) + 1
    assert [h["at"].date() for h in history] == [stopped.starts_on, *[r.date for r in results], stopped.ends_on]
    assert history[0]["text"] == "First published as running."
    assert all(h["text"].startswith(f"A result for {r.date.day} ") for h, r in zip(history[1:-1], results))
    assert history[-1]["text"].startswith("Status changed from running to stopped; the lesson and the decision added")
    assert {r.user for r in stopped.revisions.all()} == {team}
    # The author of the idea it tested heard of each step.
    author = stopped.idea_links.get().idea.author
    told = list(Notification.objects.filter(recipient=author, link=stopped.url).values_list("title", flat=True))
    assert any("has started" in t for t in told) and any("has stopped" in t for t in told)
    assert sum("New result" in t for t in told) == stopped.results.count()
    assert PilotPage.objects.filter(status="concluded", decision="scale").exists()
    assert PilotPage.objects.filter(status="running", results__isnull=False).exists()

    # What a reader sees: the call's count, the pilot's evidence, the pathway that cites it.
    growth = MissionPage.objects.get(slug="growth")
    question = growth.learning_questions.get(question__startswith="Which planning and consenting steps")
    notes = [e.note for e in question.evidence.all()]
    assert notes[0].startswith("This call has 2 ideas on this question")
    page = client.get(question.get_absolute_url()).content.decode()
    assert all(escape(n) in page for n in notes)
    tracker = PilotPage.objects.get(slug="planning-application-tracker")
    version = growth.pathway_versions.get(version="v4")
    assert [c.page_id for c in version.citations.all()] == [tracker.pk]
    assert "The evidence that changed it" in client.get(growth.url).content.decode()
    assert client.get(stopped.url).status_code == 200

    # "You said, we did" has a mix: scaled, piloted, not taken forward, responded, awaiting.
    outcomes = {e["outcome"] for m in MissionPage.objects.all()
                for e in pilot_selectors.ledger(m, per_page=100)["entries"]}
    assert {"scaled", "piloted", "not_taken_forward", "responded", "awaiting"} <= outcomes
