"""UK GDPR: a person downloads everything held about them, and deletes
their account; deletion removes personal data and keeps every count exact."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command

from consult.models import ChallengeCallPage
from ideas.models import ApiToken, Comment, Follow, Idea, Vote, Visibility
from ideas.services import comments, follows, submissions, tokens, votes
from moderation import services as moderation
from moderation.models import Flag, ModerationAction
from notifications import services as notification_services
from notifications.models import Notification, NotificationSetting
from people import services as people_services
from people.models import Invitation, Membership, Profile

from ..factories import IdeaFactory, OrganisationFactory, UserFactory

GOOD = {"title": "Community heat networks", "summary": "Share heat between homes.", "body": "Use waste heat."}


@pytest.fixture
def alex(call, moderator):
    """A person who has done a bit of everything."""
    alex = UserFactory(email="alex@example.org", username="alex@example.org", standing=True)
    Profile.objects.filter(user=alex).update(display_name="Alex Citizen")
    org = OrganisationFactory(name="Kestrel Solar", admin=alex, members=[UserFactory()])
    idea = submissions.submit_idea(alex, call, **GOOD, organisation_id=org.pk)
    other = IdeaFactory(call=call, title="Someone else's idea")
    reply_to = comments.add_comment(UserFactory(), other, "First!")
    comments.add_comment(alex, other, "I agree with this.", parent=reply_to)
    comments.add_comment(UserFactory(), other, "A reply to Alex.", parent=Comment.objects.get(body="I agree with this."))
    votes.cast_vote(alex, other, "support")
    votes.cast_vote(UserFactory(), idea, "support")
    follows.follow(alex, call=call)
    comments.support_comment(alex, reply_to)
    tokens.create_api_token(alex, "my script")
    people_services.invite(alex, org, "sam@example.org")
    wren = OrganisationFactory(name="Wren Housing")
    _invitation, token = people_services.invite(wren.memberships.get().user, wren, "alex@example.org")
    people_services.accept_invitation(alex, token)
    notification_services.update_settings(alex.pk, {"reply": "daily"})
    moderation.flag(alex, other, "spam", "Looks like an advert from Acme.")
    moderation.hide_idea(moderator, idea, "off-topic")
    moderation.restore_idea(moderator, idea)
    return alex


def _download(client, user):
    client.force_login(user)
    response = client.get("/accounts/data/download.json")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="mission-commons-my-data-')
    return json.loads(b"".join(response.streaming_content))


@pytest.mark.django_db
def test_the_download_holds_everything_about_the_person_and_nothing_about_others(client, alex):
    data = _download(client, alex)
    assert data["about"]["account_id"] == alex.pk
    assert data["profile"][0]["display_name"] == "Alex Citizen"
    assert data["profile"][0]["email_addresses"] == [{"email": "alex@example.org", "verified": True, "primary": True}]
    assert [(o["organisation"], o["role"]) for o in data["organisations"]] == [("Kestrel Solar", "admin"),
                                                                               ("Wren Housing", "member")]
    assert [i["title"] for i in data["ideas"]] == ["Community heat networks"]
    assert [c["body"] for c in data["comments"]] == ["I agree with this."]
    assert data["votes"] == [{"idea": Idea.objects.get(title="Someone else's idea").pk, "vote": "support"}]
    assert len(data["comment_supports"]) == 1
    assert sorted(f["follows"] for f in data["follows"]) == ["call", "idea"]  # an author follows their idea
    assert [t["name"] for t in data["api_tokens"]] == ["my script"]
    assert [(i["organisation"], i["email"]) for i in data["invitations_sent"]] == [("Kestrel Solar", "sam@example.org")]
    assert [(i["organisation"], i["email"], bool(i["accepted_at"])) for i in data["invitations_received"]] == [
        ("Wren Housing", "alex@example.org", True)]
    assert [f["text"] for f in data["flags"]] == ["Looks like an advert from Acme."]
    # Hiding and restoring her idea told her twice; her settings are listed too.
    assert len(data["notifications"]) == Notification.objects.filter(recipient=alex).count() > 0
    assert all(n["link"] for n in data["notifications"])
    assert {s["kind"] for s in data["notification_settings"]} == {"reply"}
    her_words = json.dumps({k: data[k] for k in ("ideas", "comments", "profile", "votes")})
    assert "First!" not in her_words and "A reply to Alex." not in her_words  # other people's words
    text = json.dumps(data)
    assert "key_hash" not in text
    client.logout()
    assert client.get("/accounts/data/download.json").status_code == 302


def _check_counters():
    call_command("repair_counters", "--check")  # exits 1 if any counter drifted


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("remove", [False, True])
def test_deleting_an_account(client, alex, call, remove):
    idea = Idea.objects.get(author=alex)
    other = Idea.objects.get(title="Someone else's idea")
    tallies = {i.pk: (i.support_count, i.comment_count) for i in Idea.objects.all()}
    call_count = ChallengeCallPage.objects.get(pk=call.pk).idea_count
    audit = ModerationAction.objects.filter(subject=alex).count()
    client.force_login(alex)
    refused = client.post("/accounts/delete/", {"contributions": "keep"})
    assert refused.status_code == 400 and "Confirm that you want to delete your account" in refused.content.decode()
    assert get_user_model().objects.get(pk=alex.pk).is_active

    response = client.post("/accounts/delete/", {"contributions": "remove" if remove else "keep", "confirm": "on"})
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 302  # signed out
    gone = get_user_model().objects.get(pk=alex.pk)
    assert not gone.is_active and not gone.has_usable_password()
    assert (gone.email, gone.first_name, gone.last_name) == ("", "", "")
    assert "alex" not in gone.username
    assert not EmailAddress.objects.filter(email__iexact="alex@example.org").exists()
    assert not Membership.objects.filter(user=alex).exists()
    # The invitation she accepted (her address, her account) is gone; the one
    # she sent stays with the organisation, no longer naming her.
    assert not Invitation.objects.filter(email__iexact="alex@example.org").exists()
    assert not Invitation.objects.filter(accepted_by=alex).exists()
    assert list(Invitation.objects.values_list("email", "invited_by")) == [("sam@example.org", None)]
    assert Membership.objects.filter(organisation__name="Kestrel Solar", is_admin=True).count() == 1  # a successor
    assert not Follow.objects.filter(user=alex).exists() and not ApiToken.objects.filter(user=alex).exists()
    assert Flag.objects.get(user=alex).text == ""
    assert ModerationAction.objects.filter(subject=alex).count() == audit  # the audit keeps its entries
    assert Profile.objects.get(user=alex).deleted_at is not None
    assert not Notification.objects.filter(recipient=alex).exists()
    assert not NotificationSetting.objects.filter(user=alex).exists()

    # Votes still count; every counter matches its rows.
    assert Vote.objects.filter(user=alex).count() == 1
    _check_counters()
    other.refresh_from_db()
    assert other.support_count == tallies[other.pk][0]
    page = client.get(other.get_absolute_url()).content.decode()
    assert "Alex Citizen" not in page
    if remove:
        idea.refresh_from_db()
        assert (idea.visibility, idea.body, idea.title) == (Visibility.HIDDEN, "", "Withdrawn idea")
        assert ChallengeCallPage.objects.get(pk=call.pk).idea_count == call_count - 1
        assert other.comment_count == tallies[other.pk][1] - 1
        assert "I agree with this." not in page and "Comment deleted" in page  # it had a reply
        assert client.get(idea.get_absolute_url()).status_code == 410
    else:
        assert ChallengeCallPage.objects.get(pk=call.pk).idea_count == call_count
        assert other.comment_count == tallies[other.pk][1]
        assert "I agree with this." in page and "Deleted account" in page
        assert "Deleted account" in client.get(idea.get_absolute_url()).content.decode()
    # The email can make a new account.
    response = client.post("/accounts/signup/", {"display_name": "Alex Again", "email": "alex@example.org",
                                                 "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"})
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="alex@example.org").exclude(pk=alex.pk).exists()


@pytest.mark.django_db
def test_moderation_log_keeps_meaning_without_the_name(client, alex, moderator, mission):
    from people import data_rights

    data_rights.delete_account(alex)
    client.force_login(moderator)
    idea = Idea.objects.get(author=alex)
    log = client.get(f"/moderation/{mission.slug}/log/").content.decode()
    assert log.count(f"Idea {idea.pk}") == 2  # hidden, then restored: the entries stay
    item = client.get(f"/moderation/{mission.slug}/items/idea/{idea.pk}/").content.decode()
    assert "By Deleted account" in item
    for html in (log, item):
        assert "Alex Citizen" not in html and "alex@example.org" not in html


@pytest.mark.django_db
def test_invitations_to_an_address_not_confirmed_are_not_the_accounts(client):
    """Anyone can type an address into their account: the invitations sent
    to it are its owner's, neither shown in this account's download nor
    erased with it."""
    org = OrganisationFactory(name="Wren Housing")
    people_services.invite(org.memberships.get().user, org, "sam@example.org")
    claimer = UserFactory(email="sam@example.org", username="claimer")
    EmailAddress.objects.create(user=claimer, email="sam@example.org", verified=False, primary=True)
    assert _download(client, claimer)["invitations_received"] == []
    client.post("/accounts/delete/", {"contributions": "keep", "confirm": "on"})
    assert not get_user_model().objects.get(pk=claimer.pk).is_active
    assert list(Invitation.objects.values_list("email", flat=True)) == ["sam@example.org"]
