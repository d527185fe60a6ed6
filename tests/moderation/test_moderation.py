import csv
import io

import pytest

from consult.models import ChallengeCallPage
from ideas.services import comments, submissions, votes
from moderation import services as moderation
from inputs.refusals import Refused
from ideas.models import Idea, Visibility
from moderation.models import AuditImmutable, Flag, ModerationAction
from moderation.services import about

from ..factories import CallFactory, CommentFactory, IdeaFactory, MembershipFactory, MissionFactory, UserFactory
from ..tables import assert_wide_tables_scroll


@pytest.mark.django_db
def test_flag_once_with_a_reason_and_not_your_own(call, user):
    idea = IdeaFactory(call=call)
    moderation.flag(user, idea, "spam")
    with pytest.raises(Refused) as exc:
        moderation.flag(user, idea, "abuse")
    assert exc.value.code == "already_flagged"
    with pytest.raises(Refused) as exc:
        moderation.flag(idea.author, idea, "spam")
    assert exc.value.code == "own_content"
    with pytest.raises(Refused) as exc:
        moderation.flag(UserFactory(), idea, "other")
    assert exc.value.field == "text"
    with pytest.raises(Refused) as exc:
        moderation.flag(UserFactory(), idea, "because")
    assert exc.value.field == "reason"
    assert Flag.objects.count() == 1


@pytest.mark.django_db
def test_threshold_holds_the_item_for_review(call, client, mailoutbox, django_capture_on_commit_callbacks):
    idea = IdeaFactory(call=call, title="Buy cheap watches")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            moderation.flag(UserFactory(standing=True), idea, "spam")
    idea.refresh_from_db()
    assert idea.visibility == Visibility.HELD
    call.refresh_from_db()
    assert call.idea_count == 0
    assert "Buy cheap watches" not in client.get(call.url).content.decode()
    assert client.get(idea.get_absolute_url()).status_code == 404
    hold = ModerationAction.objects.get(kind="hold")
    assert hold.moderator is None and hold.item == idea
    assert "held for review" in mailoutbox[-1].subject
    client.force_login(idea.author)
    assert "Held for review" in client.get(idea.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_threshold_is_per_call(mission):
    call = CallFactory(parent=mission, flag_threshold=1)
    idea = IdeaFactory(call=call)
    moderation.flag(UserFactory(standing=True), idea, "abuse")
    idea.refresh_from_db()
    assert idea.visibility == Visibility.HELD


@pytest.mark.django_db
def test_hide_and_restore_everywhere(call, moderator, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # search indexes after the commit
        idea = IdeaFactory(call=call, title="Zeppelin delivery network")
    assert client.get(f"/api/v1/ideas/{idea.pk}").status_code == 200
    moderation.hide_idea(moderator, idea, "off_topic")
    idea.refresh_from_db()
    assert idea.visibility == Visibility.HIDDEN and idea.moderation_reason == "off-topic"
    # page: the listing drops it, the idea page keeps only the reason
    assert "Zeppelin" not in client.get(call.url).content.decode()
    gone = client.get(idea.get_absolute_url())
    assert gone.status_code == 410
    assert "Removed by a moderator: off-topic" in gone.content.decode()
    assert "Zeppelin" not in gone.content.decode()
    # search, API, export, feed
    assert "Zeppelin" not in client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert client.get(f"/api/v1/ideas/{idea.pk}").status_code == 404
    assert "Zeppelin" not in b"".join(client.get(call.url + "export/").streaming_content).decode()
    assert "Zeppelin" not in client.get(call.url + "feed/").content.decode()
    call.refresh_from_db()
    assert call.idea_count == 0
    # restore brings it back everywhere (search after its commit)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.restore_idea(moderator, idea)
    assert "Zeppelin" in client.get(call.url).content.decode()
    assert client.get(f"/api/v1/ideas/{idea.pk}").status_code == 200
    assert "Zeppelin" in client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "Zeppelin" in b"".join(client.get(call.url + "export/").streaming_content).decode()
    assert "Zeppelin" in client.get(call.url + "feed/").content.decode()
    call.refresh_from_db()
    assert call.idea_count == 1


@pytest.mark.django_db
def test_hidden_comment_shows_the_public_reason_and_leaves_the_count(call, moderator, client):
    idea = IdeaFactory(call=call)
    comment = comments.add_comment(UserFactory(), idea, "Rude words here")
    moderation.moderate(moderator, comment, "hide", reason="abuse")
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Rude words here" not in html
    assert "Removed by a moderator: abuse" in html
    idea.refresh_from_db()
    assert idea.comment_count == 0
    moderation.moderate(moderator, comment, "restore")
    assert "Rude words here" in client.get(idea.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_pre_moderation_approve_and_reject(mission, moderator, user, mailoutbox, django_capture_on_commit_callbacks):
    call = CallFactory(parent=mission, moderation_mode=ChallengeCallPage.MODERATION_PRE)
    good = submissions.submit_idea(user, call, title="Good", summary="s", body="b")
    bad = submissions.submit_idea(user, call, title="Bad", summary="s", body="b2")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(moderator, good, "approve")
        moderation.moderate(moderator, bad, "reject", reason="spam")
    assert Idea.objects.get(pk=good.pk).visibility == Visibility.PUBLISHED
    assert Idea.objects.get(pk=bad.pk).visibility == Visibility.REJECTED
    call.refresh_from_db()
    assert call.idea_count == 1
    assert any("not approved" in m.subject for m in mailoutbox)
    with pytest.raises(Refused) as exc:
        moderation.moderate(moderator, Idea.objects.get(pk=bad.pk), "approve")
    assert exc.value.code == "wrong_state"


@pytest.mark.django_db
def test_decisions_need_a_reason_and_the_right_role(call, moderator, site):
    idea = IdeaFactory(call=call)
    with pytest.raises(Refused) as exc:
        moderation.moderate(moderator, idea, "hide")
    assert exc.value.field == "reason"
    elsewhere = MembershipFactory(mission=MissionFactory(), role="moderator").user
    with pytest.raises(Refused) as exc:
        moderation.moderate(elsewhere, idea, "hide", reason="spam")
    assert exc.value.status == 403
    with pytest.raises(Refused):
        moderation.moderate(UserFactory(), idea, "hide", reason="spam")
    assert Idea.objects.get(pk=idea.pk).visibility == Visibility.PUBLISHED


@pytest.mark.django_db
def test_audit_log_is_append_only_and_records_before_and_after(call, moderator):
    idea = IdeaFactory(call=call)
    entry = moderation.moderate(moderator, idea, "hide", reason="other", reason_text="Duplicate of idea 3")
    assert entry.before == {"visibility": "published", "reason": ""}
    assert entry.after == {"visibility": "hidden", "reason": "Duplicate of idea 3"}
    assert entry.moderator == moderator and entry.subject == idea.author
    entry.reason_text = "changed"
    with pytest.raises(AuditImmutable):
        entry.save()
    with pytest.raises(AuditImmutable):
        entry.delete()
    assert ModerationAction.objects.get(pk=entry.pk).reason_text == "Duplicate of idea 3"


@pytest.mark.django_db
def test_suspension_blocks_taking_part_with_a_clear_message(call, moderator, user):
    idea = IdeaFactory(call=call)
    moderation.suspend(moderator, call.get_parent().specific, user, 7, "Repeated spam")
    for action in (
        lambda: submissions.submit_idea(user, call, title="t", summary="s", body="b"),
        lambda: comments.add_comment(user, idea, "hello"),
        lambda: votes.cast_vote(user, idea),
    ):
        with pytest.raises(Refused) as exc:
            action()
        assert exc.value.code == "suspended" and "suspended from this mission's calls until" in exc.value.message
    with pytest.raises(Refused):
        moderation.flag(user, idea, "spam")
    assert ModerationAction.objects.filter(kind="suspend", subject=user).exists()
    # Another mission is not affected.
    other_call = CallFactory(parent=MissionFactory())
    submissions.submit_idea(user, other_call, title="t", summary="s", body="b")


@pytest.mark.django_db
def test_queue_log_and_item_pages_are_for_this_missions_moderators(call, moderator, client, site):
    mission = call.get_parent()
    held = IdeaFactory(call=call, title="Held idea", visibility=Visibility.HELD)
    flagged = IdeaFactory(call=call, title="Flagged idea")
    moderation.flag(UserFactory(), flagged, "personal_data", "Has a phone number")
    IdeaFactory(call=call, title="Quiet idea")
    for user in (UserFactory(), MembershipFactory(mission=MissionFactory(), role="moderator").user):
        client.force_login(user)
        assert client.get(f"/moderation/{mission.slug}/").status_code == 403
        assert client.get(f"/moderation/{mission.slug}/log/").status_code == 403
    client.force_login(moderator)
    html = client.get(f"/moderation/{mission.slug}/").content.decode()
    assert "Held idea" in html and "Flagged idea" in html and "Quiet idea" not in html
    assert "Has a phone number" in html
    assert_wide_tables_scroll(html)  # the queue scrolls in its own region at 320 px
    only_flagged = client.get(f"/moderation/{mission.slug}/", {"state": "flagged"}).content.decode()
    assert "Flagged idea" in only_flagged and "Held idea" not in only_flagged
    detail = client.get(f"/moderation/{mission.slug}/items/idea/{flagged.pk}/").content.decode()
    assert "Personal data" in detail and "Has a phone number" in detail
    # bulk: approve the held one, hide the flagged one
    response = client.post(f"/moderation/{mission.slug}/act/", {"items": [f"idea:{held.pk}"], "action": "approve"})
    assert response.status_code == 302
    client.post(f"/moderation/{mission.slug}/act/", {"items": [f"idea:{flagged.pk}"], "action": "hide", "reason": "personal_data"})
    assert Idea.objects.get(pk=held.pk).visibility == Visibility.PUBLISHED
    assert Idea.objects.get(pk=flagged.pk).visibility == Visibility.HIDDEN
    log = client.get(f"/moderation/{mission.slug}/log/").content.decode()
    assert "Approved" in log and "Hidden" in log
    assert_wide_tables_scroll(log)


@pytest.mark.django_db
def test_flag_form_works_without_javascript(call, client, user):
    idea = IdeaFactory(call=call)
    comment = CommentFactory(idea=idea)
    client.force_login(user)
    assert client.get(f"/ideas/{idea.pk}/flag/").status_code == 200
    bad = client.post(f"/ideas/{idea.pk}/flag/", {"reason": "other", "text": ""})
    assert bad.status_code == 400 and "Enter what is wrong" in bad.content.decode()
    ok = client.post(f"/ideas/comments/{comment.pk}/flag/", {"reason": "abuse"})
    assert ok.status_code == 302
    assert Flag.objects.filter(**about(comment), user=user).exists()


@pytest.mark.django_db
def test_transparency_report_counts_without_personal_data(call, moderator, client):
    idea = IdeaFactory(call=call)
    moderation.moderate(moderator, idea, "hide", reason="spam")
    moderation.moderate(moderator, idea, "restore")
    mission = call.get_parent()
    page = client.get(f"/transparency/{mission.slug}/").content.decode()
    assert "Hidden" in page and "Restored" in page
    assert_wide_tables_scroll(page)
    data = client.get(f"/transparency/{mission.slug}.json").json()
    assert {(r["action"], r["reason"], r["count"]) for r in data["rows"]} == {("hide", "spam", 1), ("restore", "unspecified", 1)}
    body = client.get(f"/transparency/{mission.slug}.csv").content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["month", "action", "reason", "count"] and len(rows) == 3
    assert moderator.email not in page + body + str(data) and idea.author.email not in page + body + str(data)
