"""Flags cannot be used to silence: only flaggers of standing count towards a
hold; a burst of flags from new accounts alerts the moderators instead. The
flag form shows only public items (no hidden text through it), and the person
whose flag holds an item is thanked, not sent to a 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.services import comments
from moderation import services as moderation
from ideas.models import Comment, Visibility
from moderation.models import Flag, ModerationAction
from moderation.services import about

from ..factories import CallFactory, IdeaFactory, UserFactory


@pytest.mark.django_db
def test_three_new_accounts_cannot_hide_an_idea(call, moderator, mailoutbox, django_capture_on_commit_callbacks):
    idea = IdeaFactory(call=call, title="Unpopular but fair")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            moderation.flag(UserFactory(), idea, "spam")
    idea.refresh_from_db()
    assert idea.visibility == Visibility.PUBLISHED
    assert not ModerationAction.objects.filter(kind="hold").exists()
    alerts = [m for m in mailoutbox if "coordinated flagging" in m.subject]
    assert len(alerts) == 1 and alerts[0].to == [moderator.email]
    assert f"/items/idea/{idea.pk}/" in alerts[0].body
    # A fourth new account does not alert again.
    with django_capture_on_commit_callbacks(execute=True):
        moderation.flag(UserFactory(), idea, "spam")
    assert len([m for m in mailoutbox if "coordinated flagging" in m.subject]) == 1


@pytest.mark.django_db
def test_flaggers_of_standing_hold_it(call):
    idea = IdeaFactory(call=call)
    for _ in range(2):
        moderation.flag(UserFactory(), idea, "spam")  # no standing: do not count
    for _ in range(2):
        moderation.flag(UserFactory(standing=True), idea, "spam")
    idea.refresh_from_db()
    assert idea.visibility == Visibility.PUBLISHED
    moderation.flag(UserFactory(standing=True), idea, "spam")
    idea.refresh_from_db()
    assert idea.visibility == Visibility.HELD


@pytest.mark.django_db
def test_what_gives_standing(call, settings):
    settings.FLAG_STANDING_DAYS = 7
    old = timezone.now() - timedelta(days=8)
    young = UserFactory()
    assert not moderation.has_standing(young)

    verified_but_new = UserFactory()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=verified_but_new, email=verified_but_new.email, verified=True, primary=True)
    assert not moderation.has_standing(verified_but_new)

    old_unverified = UserFactory()
    type(old_unverified).objects.filter(pk=old_unverified.pk).update(date_joined=old)
    assert not moderation.has_standing(old_unverified)

    assert moderation.has_standing(UserFactory(standing=True))

    participant = UserFactory()
    idea = IdeaFactory(call=call, author=UserFactory())
    comment = Comment.objects.create(idea=idea, author=participant, body="An accepted comment", body_html="")
    assert not moderation.has_standing(participant)  # too recent
    Comment.objects.filter(pk=comment.pk).update(created_at=old)
    assert moderation.has_standing(participant)
    Comment.objects.filter(pk=comment.pk).update(visibility=Visibility.HIDDEN)
    assert not moderation.has_standing(participant)  # a removed comment is not accepted participation


@pytest.mark.django_db
def test_flag_form_does_not_show_hidden_or_pending_comments(call, client, user):
    idea = IdeaFactory(call=call)
    author = UserFactory()
    for state in (Visibility.HIDDEN, Visibility.PENDING, Visibility.HELD, Visibility.REJECTED):
        secret = Comment.objects.create(idea=idea, author=author, body=f"Secret {state} text",
                                        body_html="", visibility=state)
        client.force_login(user)
        response = client.get(f"/ideas/comments/{secret.pk}/flag/")
        assert response.status_code == 404, state
        assert f"Secret {state} text" not in response.content.decode()
        assert client.post(f"/ideas/comments/{secret.pk}/flag/", {"reason": "spam"}).status_code == 404
    deleted = Comment.objects.create(idea=idea, author=author, body="", body_html="", is_deleted=True)
    assert client.get(f"/ideas/comments/{deleted.pk}/flag/").status_code == 404
    # A public comment on a hidden idea is not public either.
    hidden_idea = IdeaFactory(call=call, visibility=Visibility.HIDDEN)
    on_hidden = Comment.objects.create(idea=hidden_idea, author=author, body="On a hidden idea", body_html="")
    assert client.get(f"/ideas/comments/{on_hidden.pk}/flag/").status_code == 404
    assert client.get(f"/ideas/{hidden_idea.pk}/flag/").status_code == 404
    # A draft (unpublished) call's idea neither.
    draft = CallFactory(parent=call.get_parent())
    type(draft).objects.filter(pk=draft.pk).update(live=False)
    assert client.get(f"/ideas/{IdeaFactory(call=draft).pk}/flag/").status_code == 404
    public = Comment.objects.create(idea=idea, author=author, body="Public words", body_html="")
    assert "Public words" in client.get(f"/ideas/comments/{public.pk}/flag/").content.decode()


@pytest.mark.django_db
def test_the_flag_that_holds_an_item_gets_a_thank_you_page(mission, client):
    call = CallFactory(parent=mission, flag_threshold=1)
    idea = IdeaFactory(call=call, title="Flag me")
    flagger = UserFactory(standing=True)
    client.force_login(flagger)
    response = client.post(f"/ideas/{idea.pk}/flag/", {"reason": "abuse"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thank you for your report" in html and "held for review" in html
    assert call.url in html
    idea.refresh_from_db()
    assert idea.visibility == Visibility.HELD


@pytest.mark.django_db
def test_services_refuse_flag_of_a_comment_already_held(call):
    idea = IdeaFactory(call=call)
    comment = comments.add_comment(UserFactory(), idea, "Some words here")
    Comment.objects.filter(pk=comment.pk).update(visibility=Visibility.HELD)
    comment.refresh_from_db()
    with pytest.raises(Exception) as exc:
        moderation.flag(UserFactory(), comment, "spam")
    assert getattr(exc.value, "status", None) == 404


@pytest.mark.django_db
def test_a_third_report_from_new_accounts_through_the_form_alerts_and_does_not_fail(
    call, moderator, client, mailoutbox, django_capture_on_commit_callbacks
):
    """The form's person is Django's lazy request.user: the third flag from
    accounts without standing asked has_standing() of it and answered 500."""
    idea = IdeaFactory(call=call, title="Reported three times")
    for n in range(3):
        client.force_login(UserFactory())
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/ideas/{idea.pk}/flag/", {"reason": "spam"})
        assert response.status_code == 302, n
    idea.refresh_from_db()
    assert idea.visibility == Visibility.PUBLISHED
    assert Flag.objects.filter(**about(idea)).count() == 3
    assert len([m for m in mailoutbox if "coordinated flagging" in m.subject]) == 1
