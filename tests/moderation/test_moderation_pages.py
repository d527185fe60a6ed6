"""Moderators' pages work with automatic entries, the index of queues, no
default decision, labels not codes, the author told in the moderator's words,
`next` kept on the site; and the admin answers 403 instead of a redirect loop."""

import pytest
from django.conf import settings as django_settings

from ideas.services import submissions
from moderation import services as moderation
from inputs.refusals import Refused
from ideas.models import Visibility
from moderation.models import ModerationAction
from moderation.services import about

from ..factories import CallFactory, IdeaFactory, MembershipFactory, MissionFactory, UserFactory


@pytest.fixture
def system_entries(call, settings):
    """Automatic holds: by flags of standing, and by screening."""
    settings.BLOCKED_TERMS = ["casino"]
    flagged = IdeaFactory(call=call, title="Flagged to a hold")
    for _ in range(3):
        moderation.flag(UserFactory(standing=True), flagged, "personal_data")
    screened = submissions.submit_idea(UserFactory(), call, title="Casino", summary="casino", body="casino night")
    assert ModerationAction.objects.filter(kind="hold", moderator=None).count() == 2
    return flagged, screened


@pytest.mark.django_db
def test_every_moderation_page_renders_with_system_entries(call, moderator, client, system_entries):
    flagged, screened = system_entries
    mission = call.get_parent()
    client.force_login(moderator)
    log = client.get(f"/moderation/{mission.slug}/log/")
    assert log.status_code == 200
    html = log.content.decode()
    assert "Automatic" in html and "Personal data" in html and "personal_data" not in html
    for url in (f"/moderation/{mission.slug}/", f"/moderation/{mission.slug}/items/idea/{flagged.pk}/",
                f"/moderation/{mission.slug}/items/idea/{screened.pk}/", "/moderation/",
                f"/transparency/{mission.slug}/", f"/transparency/{mission.slug}.csv", f"/transparency/{mission.slug}.json"):
        assert client.get(url).status_code == 200, url
    item = client.get(f"/moderation/{mission.slug}/items/idea/{flagged.pk}/").content.decode()
    assert "automatically" in item
    report = client.get(f"/transparency/{mission.slug}/").content.decode()
    assert "Personal data" in report and "personal_data" not in report


@pytest.mark.django_db
def test_moderation_index_lists_only_my_queues_and_the_header_links_it(call, moderator, client):
    mine = call.get_parent()
    other = MissionFactory(title="Someone else's mission")
    IdeaFactory(call=call, visibility=Visibility.HELD)
    IdeaFactory(call=CallFactory(parent=other), visibility=Visibility.HELD)
    client.force_login(moderator)
    html = client.get("/moderation/").content.decode()
    assert f"/moderation/{mine.slug}/" in html and other.title not in html
    assert 'href="/moderation/"' in client.get("/").content.decode()

    participant = UserFactory()
    client.force_login(participant)
    assert client.get("/moderation/").status_code == 403
    assert 'href="/moderation/"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_bulk_action_has_no_default_decision(call, moderator, client):
    mission = call.get_parent()
    held = IdeaFactory(call=call, visibility=Visibility.HELD)
    client.force_login(moderator)
    queue = client.get(f"/moderation/{mission.slug}/").content.decode()
    assert '<option value="" selected>Choose a decision</option>' in queue
    response = client.post(f"/moderation/{mission.slug}/act/", {"items": [f"idea:{held.pk}"]}, follow=True)
    assert "Choose a decision" in response.content.decode()
    held.refresh_from_db()
    assert held.visibility == Visibility.HELD
    assert not ModerationAction.objects.filter(**about(held)).exists()


@pytest.mark.django_db
def test_a_free_text_reason_needs_a_reason_code(call, moderator):
    idea = IdeaFactory(call=call)
    with pytest.raises(Refused) as exc:
        moderation.moderate(moderator, idea, "hide", reason_text="Rude to another participant")
    assert exc.value.field == "reason"
    idea.refresh_from_db()
    assert idea.visibility == Visibility.PUBLISHED


@pytest.mark.django_db
def test_public_notice_uses_the_label_and_the_author_gets_the_moderators_words(
        call, moderator, client, mailoutbox, django_capture_on_commit_callbacks):
    idea = IdeaFactory(call=call, title="Has a phone number")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(moderator, idea, "hide", reason="personal_data",
                            reason_text="Please remove the phone number of your neighbour.")
    page = client.get(idea.get_absolute_url())
    assert page.status_code == 410
    assert "Removed by a moderator: personal data" in page.content.decode()
    assert "personal_data" not in page.content.decode()
    email = [m for m in mailoutbox if idea.author.email in m.to][-1]
    assert "Please remove the phone number of your neighbour." in email.body
    assert "ask for a review" in email.body


@pytest.mark.django_db
def test_next_only_redirects_within_the_site(call, moderator, client):
    mission = call.get_parent()
    held = IdeaFactory(call=call, visibility=Visibility.HELD)
    client.force_login(moderator)
    for evil in ("https://evil.example/phish", "//evil.example/", "/\\evil.example"):
        response = client.post(f"/moderation/{mission.slug}/act/",
                               {"items": [f"idea:{held.pk}"], "action": "approve", "next": evil})
        assert response.status_code == 302
        assert response["Location"] == f"/moderation/{mission.slug}/", evil
    response = client.post(f"/moderation/{mission.slug}/act/",
                           {"items": [f"idea:{held.pk}"], "action": "hide", "reason": "spam",
                            "next": f"/moderation/{mission.slug}/?state=held"})
    assert response["Location"] == f"/moderation/{mission.slug}/?state=held"
    response = client.post(f"/moderation/{mission.slug}/suspend/",
                           {"user": held.author.pk, "days": 3, "reason": "Spam", "next": "https://evil.example/"})
    assert response["Location"] == f"/moderation/{mission.slug}/"


@pytest.mark.django_db
def test_queue_events_name_the_moderator_so_their_own_page_stays_quiet(call, moderator, monkeypatch,
                                                                       django_capture_on_commit_callbacks):
    from live import events

    sent = []
    monkeypatch.setattr(events, "publish", lambda topic, event, data: sent.append((topic, event, data)))
    idea = IdeaFactory(call=call, visibility=Visibility.HELD)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(moderator, idea, "approve")
    updates = [data for topic, event, data in sent if event == "queue.updated"]
    assert updates and updates[0]["by"] == moderator.pk


@pytest.mark.django_db
def test_admin_is_403_not_a_redirect_loop_for_people_without_access(client, mission, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        team_member = MembershipFactory(mission=mission, role="team").user  # joins the mission's Wagtail group
    participant = UserFactory()
    client.force_login(participant)
    response = client.get("/admin/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot use the admin" in html and "mission team" in html
    assert client.get("/admin/pages/").status_code == 403
    assert 'href="/admin/"' not in client.get("/").content.decode()

    client.force_login(team_member)
    assert client.get("/admin/").status_code == 200
    assert 'href="/admin/"' in client.get("/").content.decode()

    client.logout()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(django_settings.LOGIN_URL)


@pytest.mark.django_db
def test_hostile_item_keys_and_people_are_4xx_not_500(call, moderator, client):
    mission = call.get_parent()
    held = IdeaFactory(call=call, visibility=Visibility.HELD)
    client.force_login(moderator)
    for key in ("idea:²", "idea:" + "9" * 40, "comment:-1", "nonsense", "idea:"):
        response = client.post(f"/moderation/{mission.slug}/act/", {"items": [key], "action": "approve"}, follow=True)
        assert response.status_code == 200, key
        assert "is no longer in this mission" in response.content.decode(), key
    for user_id in ("abc", "²", "9" * 40, ""):
        response = client.post(f"/moderation/{mission.slug}/suspend/", {"user": user_id, "days": 3, "reason": "x"})
        assert response.status_code == 404, user_id
    assert client.get(f"/moderation/{mission.slug}/items/idea/{'9' * 30}/").status_code == 404
    held.refresh_from_db()
    assert held.visibility == Visibility.HELD
