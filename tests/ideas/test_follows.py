"""Follow a mission, a call, a tag or an idea; new public ideas reach the
followers of their call, mission and tags (activity on things I follow),
each person once, never their author."""

import pytest
from django.db import IntegrityError
from taggit.models import Tag

from inputs.refusals import Refused
from ideas.models import Follow
from ideas.services import follows, submissions
from notifications.models import Kind, Notification

from ..factories import CallFactory, MissionFactory, UserFactory

GOOD = {"title": "Community heat networks", "summary": "Share heat between homes.", "body": "Use **waste heat**."}


def submit(capture, user, call, **fields):
    with capture(execute=True):
        return submissions.submit_idea(user, call, **{**GOOD, **fields})


def told(kind=Kind.FOLLOWED):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


@pytest.mark.django_db
def test_followers_of_the_mission_the_call_and_a_tag_each_hear_once(
        mission, call, user, django_capture_on_commit_callbacks):
    heat = Tag.objects.create(name="heat", slug="heat")
    by_mission, by_call, by_tag, by_all, stranger = (UserFactory() for _ in range(5))
    follows.follow(by_mission, mission=mission)
    follows.follow(by_call, call=call)
    follows.follow(by_tag, tag=heat)
    follows.follow(by_all, mission=mission)
    follows.follow(by_all, call=call)
    follows.follow(by_all, tag=heat)
    follows.follow(user, mission=mission)  # the author is never told of their own idea

    idea = submit(django_capture_on_commit_callbacks, user, call, tags="Heat, homes")
    assert told() == sorted(p.pk for p in (by_mission, by_call, by_tag, by_all))
    note = Notification.objects.filter(recipient=by_tag).get()
    assert note.title == f"New idea in “{call.title}”: {idea.title}"
    assert note.link == f"/ideas/{idea.pk}/" and note.excerpt == GOOD["summary"]
    assert stranger.pk not in told()


@pytest.mark.django_db
def test_other_missions_and_tags_do_not_hear(mission, call, user, django_capture_on_commit_callbacks):
    other_mission = MissionFactory()
    other_call = CallFactory(parent=other_mission)
    Tag.objects.create(name="solar", slug="solar")
    elsewhere = UserFactory()
    follows.follow(elsewhere, mission=other_mission)
    follows.follow(elsewhere, call=other_call)
    follows.follow(elsewhere, tag=Tag.objects.get(slug="solar"))
    submit(django_capture_on_commit_callbacks, user, call, tags="heat")
    assert told() == []


@pytest.mark.django_db
def test_followers_hear_of_a_pre_moderated_idea_once_it_is_approved_and_only_once(
        mission, user, moderator, django_capture_on_commit_callbacks):
    from consult.models import ChallengeCallPage
    from moderation import services as moderation

    pre = CallFactory(parent=mission, moderation_mode=ChallengeCallPage.MODERATION_PRE)
    follower = UserFactory()
    follows.follow(follower, mission=mission)
    idea = submit(django_capture_on_commit_callbacks, user, pre)
    assert told() == []  # awaiting moderation: nobody hears yet
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(moderator, idea, "approve")
    assert told() == [follower.pk]
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(moderator, idea, "hide", reason="spam")
        moderation.moderate(moderator, idea, "restore")
    assert told() == [follower.pk]  # public again: not told twice


@pytest.mark.django_db
def test_follow_and_unfollow_each_target_once(mission, call, user):
    tag = Tag.objects.create(name="heat", slug="heat")
    for target in ({"mission": mission}, {"call": call}, {"tag": tag}):
        follows.follow(user, **target)
        follows.follow(user, **target)  # twice is one follow
        assert Follow.objects.filter(user=user, **target).count() == 1
        assert follows.is_following(user, **target)
        follows.unfollow(user, **target)
        assert not follows.is_following(user, **target)
    with pytest.raises(Refused):
        follows.follow(user, mission=mission, tag=tag)
    with pytest.raises(Refused):
        follows.follow(user)


@pytest.mark.django_db
def test_the_database_keeps_one_target_per_follow(mission, call, user):
    with pytest.raises(IntegrityError):
        Follow.objects.create(user=user, mission=mission, call=call)


@pytest.mark.django_db
def test_signed_out_people_cannot_follow(mission):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Refused) as error:
        follows.follow(AnonymousUser(), mission=mission)
    assert error.value.status == 401


@pytest.mark.django_db
def test_the_mission_page_has_a_follow_button_that_works_without_javascript(mission, user, client):
    client.force_login(user)
    html = client.get(mission.url).content.decode()
    assert f'action="/ideas/follow/mission/{mission.pk}/"' in html and "Follow this mission" in html
    response = client.post(f"/ideas/follow/mission/{mission.pk}/", {"next": mission.url})
    assert response.status_code == 302 and response["Location"] == mission.url
    assert follows.is_following(user, mission=mission)
    html = client.get(mission.url).content.decode()
    assert "Stop following this mission" in html
    client.post(f"/ideas/follow/mission/{mission.pk}/", {"action": "remove", "next": mission.url})
    assert not follows.is_following(user, mission=mission)


@pytest.mark.django_db
def test_the_tag_listing_of_a_call_has_a_follow_button(call, user, client, django_capture_on_commit_callbacks):
    submit(django_capture_on_commit_callbacks, UserFactory(), call, tags="heat")
    client.force_login(user)
    html = client.get(f"{call.url}?tag=heat").content.decode()
    assert 'action="/ideas/follow/tag/heat/"' in html and "Follow the tag “heat”" in html
    assert "/ideas/follow/tag/" not in client.get(call.url).content.decode()  # no tag chosen: no button
    response = client.post("/ideas/follow/tag/heat/", {"next": f"{call.url}?tag=heat"})
    assert response.status_code == 302 and response["Location"] == f"{call.url}?tag=heat"
    assert follows.is_following(user, tag=Tag.objects.get(slug="heat"))
    assert client.post("/ideas/follow/tag/no-such-tag/").status_code == 404


@pytest.mark.django_db
def test_following_a_call_from_its_page_still_works(call, user, client):
    client.force_login(user)
    client.post(f"{call.url}follow/")
    assert follows.is_following(user, call=call)


@pytest.mark.django_db
def test_signed_out_follow_asks_to_sign_in(mission, client):
    response = client.post(f"/ideas/follow/mission/{mission.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Follow.objects.exists()
