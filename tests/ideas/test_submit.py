from datetime import timedelta

import pytest
from django.utils import timezone

from consult.models import ChallengeCallPage, Sector
from ideas.services import follows, submissions
from moderation import services as moderation
from inputs.refusals import Refused
from ideas.models import Idea, IdeaRevision, Visibility

from ..factories import CallFactory, IdeaFactory, OrganisationFactory, UserFactory

GOOD = {"title": "Community heat networks", "summary": "Share heat between homes.", "body": "Use **waste heat**."}


@pytest.mark.django_db
def test_submit_publishes_in_post_moderation_and_counts(call, user):
    idea = submissions.submit_idea(user, call, **GOOD, tags="Heat, homes ,heat")
    assert idea.visibility == Visibility.PUBLISHED
    assert idea.body_html == "<p>Use <strong>waste heat</strong>.</p>"
    assert sorted(t.name for t in idea.tags.all()) == ["heat", "homes"]
    call.refresh_from_db()
    assert call.idea_count == 1
    assert IdeaRevision.objects.filter(idea=idea).count() == 1


@pytest.mark.django_db
def test_pre_moderation_keeps_idea_pending_and_uncounted(mission, user):
    call = CallFactory(parent=mission, moderation_mode=ChallengeCallPage.MODERATION_PRE)
    idea = submissions.submit_idea(user, call, **GOOD)
    assert idea.visibility == Visibility.PENDING
    call.refresh_from_db()
    assert call.idea_count == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "", "Enter a title."),
        ("title", "x" * 151, "A title must be 150 characters or fewer (it is 151)."),
        ("summary", "   ", "Enter a summary."),
        ("summary", "y" * 501, "A summary must be 500 characters or fewer (it is 501)."),
        ("body", "", "Enter a description of your idea."),
    ],
)
def test_bad_fields_are_refused_with_a_specific_message(call, user, field, value, message):
    with pytest.raises(Refused) as exc:
        submissions.submit_idea(user, call, **{**GOOD, field: value})
    assert exc.value.message == message
    assert exc.value.field == field
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_closed_call_refuses_with_the_closing_time(mission, user):
    now = timezone.now()
    call = CallFactory(
        parent=mission,
        submission_opens=now - timedelta(days=10),
        submission_closes=now - timedelta(days=1),
        review_closes=now + timedelta(days=10),
        shortlist_closes=now + timedelta(days=20),
    )
    with pytest.raises(Refused) as exc:
        submissions.submit_idea(user, call, **GOOD)
    assert exc.value.code == "phase_closed"
    assert "closed on" in exc.value.message
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_site_admins_are_bound_by_the_clock_too(mission, admin_user):
    now = timezone.now()
    call = CallFactory(parent=mission, submission_opens=now + timedelta(days=1))
    with pytest.raises(Refused) as exc:
        submissions.submit_idea(admin_user, call, **GOOD)
    assert "open on" in exc.value.message


@pytest.mark.django_db
def test_organisation_only_call_needs_an_organisation(mission, user):
    call = CallFactory(parent=mission, eligibility="organisations")
    with pytest.raises(Refused) as exc:
        submissions.submit_idea(user, call, **GOOD)
    assert exc.value.field == "organisation"
    assert "not a member of any organisation yet" in exc.value.message
    OrganisationFactory(members=[user])
    with pytest.raises(Refused) as exc:
        submissions.submit_idea(user, call, **GOOD)
    assert exc.value.message == "This call is open to organisations only: choose the organisation you submit for."
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_only_members_submit_on_behalf_of_an_organisation(call, user):
    stranger_org = OrganisationFactory(name="Acme Power")
    with pytest.raises(Refused) as exc:
        submissions.submit_idea(user, call, **GOOD, organisation_id=stranger_org.pk)
    assert (exc.value.field, exc.value.status, exc.value.code) == ("organisation", 403, "not_member")
    assert not Idea.objects.exists()
    mine = OrganisationFactory(name="Northmoor Heat Co-op", members=[user], type="community")
    idea = submissions.submit_idea(user, call, **GOOD, organisation_id=mine.pk)
    assert (idea.on_behalf_of, idea.organisation) == (mine, "Northmoor Heat Co-op")
    assert idea.organisation_sector.slug == "community-group"  # the call's sectors read the organisation's type


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["abc", "99999999", "-1", "1e3", 2**70])
def test_a_made_up_organisation_is_refused(call, user, raw):
    with pytest.raises(Refused) as exc:
        submissions.submit_idea(user, call, **GOOD, organisation_id=raw)
    assert (exc.value.field, exc.value.code) == ("organisation", "invalid_choice")


@pytest.mark.django_db
def test_a_call_for_individuals_refuses_an_organisation(mission, user):
    call = CallFactory(parent=mission, eligibility="citizens")
    org = OrganisationFactory(members=[user])
    with pytest.raises(Refused) as exc:
        submissions.submit_idea(user, call, **GOOD, organisation_id=org.pk)
    assert exc.value.code == "ineligible"


@pytest.mark.django_db
def test_sector_outside_the_call_is_refused(mission, user):
    call = CallFactory(parent=mission)
    call.sectors.set([Sector.objects.get(slug="charity")])
    call.save()
    business = OrganisationFactory(members=[user], type="business")
    with pytest.raises(Refused) as exc:
        submissions.submit_idea(user, call, **GOOD, organisation_id=business.pk)
    assert exc.value.field == "organisation"
    assert "Business" in exc.value.message
    charity = OrganisationFactory(members=[user], type="charity")
    assert submissions.submit_idea(user, call, **GOOD, organisation_id=charity.pk).on_behalf_of == charity


@pytest.mark.django_db
def test_anonymous_only_where_the_call_allows(mission, user):
    call = CallFactory(parent=mission)
    with pytest.raises(Refused) as exc:
        submissions.submit_idea(user, call, **GOOD, anonymous=True)
    assert exc.value.field == "anonymous"
    call.allow_anonymous = True
    call.save()
    assert submissions.submit_idea(user, call, **GOOD, anonymous=True).anonymous is True


@pytest.mark.django_db
def test_learning_questions_from_another_mission_are_refused(call, user, site):
    from consult.models import LearningQuestion

    from ..factories import MissionFactory

    other = MissionFactory()
    question = LearningQuestion.objects.create(page=other, question="Elsewhere?")
    with pytest.raises(Refused) as exc:
        submissions.submit_idea(user, call, **GOOD, learning_questions=[question.pk])
    assert exc.value.field == "learning_questions"


@pytest.mark.django_db
def test_submit_page_shows_similar_ideas_before_saving(call, client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # search indexes after the commit
        IdeaFactory(call=call, title="Community heat networks for terraced streets", summary="Shared heat pumps")
    client.force_login(user)
    url = call.url + "submit/"
    response = client.post(url, {**GOOD})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Similar ideas" in html and "Community heat networks for terraced streets" in html
    assert Idea.objects.count() == 1  # nothing saved yet
    response = client.post(url, {**GOOD, "confirm": "1"})
    assert response.status_code == 302
    idea = Idea.objects.latest("pk")
    assert response["Location"] == f"/ideas/{idea.pk}/"


@pytest.mark.django_db
def test_submit_form_shows_errors_and_keeps_input(call, client, user):
    client.force_login(user)
    response = client.post(call.url + "submit/", {**GOOD, "title": "x" * 151})
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Ensure this value has at most 150 characters" in html
    assert "Share heat between homes." in html
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_signed_out_visitor_is_sent_to_sign_in(call, client):
    response = client.get(call.url + "submit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_author_edits_until_review_and_revisions_are_kept(call, user, client):
    idea = submissions.submit_idea(user, call, **GOOD)
    submissions.edit_idea(user, idea, title="Better title", summary="s", body="b")
    assert IdeaRevision.objects.filter(idea=idea).count() == 2
    other = UserFactory()
    client.force_login(other)
    assert client.get(f"/ideas/{idea.pk}/edit/").status_code == 403
    assert client.post(f"/ideas/{idea.pk}/edit/", {"title": "Hijack", "summary": "s", "body": "b"}).status_code == 403
    idea.refresh_from_db()
    assert idea.title == "Better title"


@pytest.mark.django_db
def test_edit_after_approval_goes_back_to_the_queue_in_pre_moderation(mission, user, moderator):
    call = CallFactory(parent=mission, moderation_mode=ChallengeCallPage.MODERATION_PRE)
    idea = submissions.submit_idea(user, call, **GOOD)
    moderation.approve_idea(moderator, idea)
    call.refresh_from_db()
    assert call.idea_count == 1
    idea = submissions.edit_idea(user, idea, title="Changed", summary="s", body="b")
    assert idea.visibility == Visibility.PENDING
    call.refresh_from_db()
    assert call.idea_count == 0


@pytest.mark.django_db
def test_edit_is_refused_once_review_starts(mission, user):
    now = timezone.now()
    call = CallFactory(parent=mission)
    idea = submissions.submit_idea(user, call, **GOOD)
    ChallengeCallPage.objects.filter(pk=call.pk).update(
        submission_opens=now - timedelta(days=5), submission_closes=now - timedelta(seconds=1)
    )
    idea = Idea.objects.get(pk=idea.pk)
    with pytest.raises(Refused) as exc:
        submissions.edit_idea(user, idea, title="Late", summary="s", body="b")
    assert "Editing for this call closed" in exc.value.message


@pytest.mark.django_db
def test_unknown_idea_is_404(client, site):
    assert client.get("/ideas/999999/").status_code == 404


@pytest.mark.django_db
def test_pending_idea_is_404_to_others_and_visible_to_its_author(mission, user, client):
    call = CallFactory(parent=mission, moderation_mode=ChallengeCallPage.MODERATION_PRE)
    idea = submissions.submit_idea(user, call, **GOOD)
    assert client.get(f"/ideas/{idea.pk}/").status_code == 404
    client.force_login(user)
    response = client.get(f"/ideas/{idea.pk}/")
    assert response.status_code == 200
    assert "Awaiting moderation" in response.content.decode()


@pytest.mark.django_db
def test_moderators_see_revisions_with_a_diff_and_participants_do_not(call, user, moderator, client):
    idea = submissions.submit_idea(user, call, **GOOD)
    submissions.edit_idea(user, idea, title="Community heat networks v2", summary=GOOD["summary"], body=GOOD["body"])
    client.force_login(user)
    assert client.get(f"/ideas/{idea.pk}/history/").status_code == 403
    client.force_login(moderator)
    html = client.get(f"/ideas/{idea.pk}/history/").content.decode()
    assert "-Community heat networks" in html and "+Community heat networks v2" in html


@pytest.mark.django_db
def test_call_followers_hear_of_new_ideas(call, user, other_user, mailoutbox, django_capture_on_commit_callbacks):
    """Recorded in the follower's notifications; emailed at once only if they chose so
    (activity on things one follows waits for the daily digest by default)."""
    from notifications.models import Notification
    from notifications.services import update_settings

    follows.follow(other_user, call=call)
    with django_capture_on_commit_callbacks(execute=True):
        submissions.submit_idea(user, call, **GOOD)
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.digest_pending) == (other_user, "followed", True)
    assert "New idea" in note.title and mailoutbox == []

    update_settings(other_user.pk, {"followed": "immediate"})
    with django_capture_on_commit_callbacks(execute=True):
        submissions.submit_idea(user, call, **{**GOOD, "title": "Another idea", "body": "Something else entirely."})
    assert [m.to for m in mailoutbox] == [[other_user.email]]
    assert "New idea" in mailoutbox[0].subject


@pytest.mark.django_db
def test_without_a_name_and_for_an_organisation_is_refused_everywhere(mission, user, client):
    """An organisation's page lists its ideas beside its members: an idea by
    "A participant" for an organisation of one member named its author."""
    from ideas.organisations import ANONYMOUS_FOR_ORGANISATION

    from .test_api import bearer

    call = CallFactory(parent=mission, allow_anonymous=True)
    org = OrganisationFactory(admin=user)
    with pytest.raises(Refused) as exc:
        submissions.submit_idea(user, call, **GOOD, organisation_id=org.pk, anonymous=True)
    assert (exc.value.field, exc.value.code) == ("anonymous", "anonymous_for_organisation")

    api = client.post(f"/api/v1/calls/{call.pk}/ideas", {**GOOD, "organisation_id": org.pk, "anonymous": True},
                      content_type="application/json", **bearer(user))
    assert api.status_code == 400
    assert api.json()["error"] == {"code": "anonymous_for_organisation", "message": ANONYMOUS_FOR_ORGANISATION,
                                   "field": "anonymous"}

    client.force_login(user)
    form = client.get(call.url + "submit/").content.decode()
    assert "only when you submit as yourself" in form
    page = client.post(call.url + "submit/", {**GOOD, "organisation_id": str(org.pk), "anonymous": "on",
                                              "confirm": "1"})
    assert page.status_code == 400
    assert "You cannot post without your name on behalf of an organisation" in page.content.decode()
    assert not Idea.objects.exists()
    # Each alone is fine.
    assert submissions.submit_idea(user, call, **GOOD, organisation_id=org.pk).on_behalf_of == org
    assert submissions.submit_idea(user, call, **{**GOOD, "body": "Other."}, anonymous=True).anonymous


@pytest.mark.django_db
def test_an_organisations_only_call_offers_no_posting_without_a_name(mission, user, client):
    call = CallFactory(parent=mission, allow_anonymous=True, eligibility="organisations")
    OrganisationFactory(admin=user)
    client.force_login(user)
    assert 'name="anonymous"' not in client.get(call.url + "submit/").content.decode()


@pytest.mark.django_db
def test_ideas_stored_without_a_name_and_for_an_organisation_lose_the_organisation(mission, user):
    import importlib

    from django.apps import apps as django_apps

    call = CallFactory(parent=mission, allow_anonymous=True)
    org = OrganisationFactory(admin=user)
    both = IdeaFactory(call=call, author=user, anonymous=True, on_behalf_of=org, organisation=org.name)
    named = IdeaFactory(call=call, author=user, on_behalf_of=org, organisation=org.name)
    importlib.import_module("ideas.migrations.0010_anonymous_ideas_for_no_organisation").forwards(django_apps, None)
    both.refresh_from_db()
    named.refresh_from_db()
    assert (both.anonymous, both.on_behalf_of, both.organisation) == (True, None, "")
    assert (named.on_behalf_of, named.organisation) == (org, org.name)
