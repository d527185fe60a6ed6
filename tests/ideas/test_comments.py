from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.services import comments, submissions
from inputs.refusals import Refused
from ideas.models import Comment, Visibility

from ..factories import CommentFactory, IdeaFactory


@pytest.mark.django_db
def test_comment_is_sanitised_counted_and_threaded(call, user, other_user):
    idea = IdeaFactory(call=call)
    top = comments.add_comment(user, idea, "Hello <script>x()</script> **world**")
    assert "<script>" not in top.body_html and "<strong>world</strong>" in top.body_html
    reply = comments.add_comment(other_user, idea, "a reply", parent=top)
    deeper = comments.add_comment(user, idea, "reply to the reply", parent=reply)
    deepest = comments.add_comment(other_user, idea, "reply at level three", parent=deeper)
    assert (top.depth, reply.depth, deeper.depth, deepest.depth) == (0, 1, 2, 2)
    assert deepest.parent_id == reply.pk  # shown two levels deep
    assert {reply.thread_root_id, deeper.thread_root_id, deepest.thread_root_id} == {top.pk}
    idea.refresh_from_db()
    assert idea.comment_count == 4


@pytest.mark.django_db
def test_reply_to_a_hidden_comment_is_refused(call, user):
    idea = IdeaFactory(call=call)
    hidden = CommentFactory(idea=idea, visibility=Visibility.HIDDEN)
    with pytest.raises(Refused) as exc:
        comments.add_comment(user, idea, "hi", parent=hidden)
    assert exc.value.code == "gone"
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_empty_and_long_comments_are_refused(call, user):
    idea = IdeaFactory(call=call)
    with pytest.raises(Refused, match=r"Enter your comment\."):
        comments.add_comment(user, idea, "   ")
    with pytest.raises(Refused, match="5000 characters or fewer"):
        comments.add_comment(user, idea, "x" * 5001)
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_comment_editable_for_fifteen_minutes_only(call, user):
    comment = comments.add_comment(user, IdeaFactory(call=call), "first")
    comments.edit_comment(user, comment, "second")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    comment.refresh_from_db()
    with pytest.raises(Refused) as exc:
        comments.edit_comment(user, comment, "third")
    assert exc.value.code == "edit_window_closed"
    comment.refresh_from_db()
    assert comment.body == "second" and comment.edited_at is not None


@pytest.mark.django_db
def test_others_cannot_edit_or_delete(call, user, other_user):
    comment = comments.add_comment(user, IdeaFactory(call=call), "mine")
    with pytest.raises(Refused):
        comments.edit_comment(other_user, comment, "theirs")
    with pytest.raises(Refused):
        comments.delete_comment(other_user, comment)


@pytest.mark.django_db
def test_deleted_comment_with_replies_leaves_a_placeholder(call, user, other_user, client):
    idea = IdeaFactory(call=call)
    parent = comments.add_comment(user, idea, "parent text here")
    comments.add_comment(other_user, idea, "child text here", parent=parent)
    lonely = comments.add_comment(user, idea, "lonely text here")
    comments.delete_comment(user, parent)
    comments.delete_comment(user, lonely)
    html = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Comment deleted" in html
    assert "parent text here" not in html
    assert "child text here" in html
    assert "lonely text here" not in html
    assert html.count("Comment deleted") == 1
    idea.refresh_from_db()
    assert idea.comment_count == 1


@pytest.mark.django_db
def test_comments_can_be_supported_once(call, user, other_user):
    comment = comments.add_comment(user, IdeaFactory(call=call), "support me")
    comments.support_comment(other_user, comment)
    with pytest.raises(Refused) as exc:
        comments.support_comment(other_user, comment)
    assert exc.value.code == "already_supported"
    comment.refresh_from_db()
    assert comment.support_count == 1
    comments.unsupport_comment(other_user, comment)
    comment.refresh_from_db()
    assert comment.support_count == 0


@pytest.mark.django_db
def test_closed_comments_are_refused(mission, user):
    from ..factories import CallFactory

    call = CallFactory(parent=mission, comments_open=False)
    with pytest.raises(Refused):
        comments.add_comment(user, IdeaFactory(call=call), "hi")


@pytest.mark.django_db
def test_comment_form_without_javascript_and_with(call, user, client):
    idea = IdeaFactory(call=call)
    client.force_login(user)
    response = client.post(f"/ideas/{idea.pk}/comments/", {"body": "plain post"})
    assert response.status_code == 302 and "#comment-" in response["Location"]
    response = client.post(f"/ideas/{idea.pk}/comments/", {"body": "fetch post"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 201
    assert "fetch post" in response.json()["html"]
    response = client.post(f"/ideas/{idea.pk}/comments/", {"body": ""}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Enter your comment."
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_followers_are_emailed_about_replies_and_status(call, user, other_user, team_member, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        idea = submissions.submit_idea(user, call, title="Idea", summary="s", body="b")
    with django_capture_on_commit_callbacks(execute=True):
        comments.add_comment(other_user, idea, "nice")
    assert [m.to for m in mailoutbox] == [[user.email]]
    with django_capture_on_commit_callbacks(execute=True):
        submissions.set_idea_status(team_member, idea, "shortlisted")
    assert "Status changed to Shortlisted" in mailoutbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        submissions.respond_to_idea(team_member, idea, "We will **pilot** this.")
    idea.refresh_from_db()
    assert idea.response_html == "<p>We will <strong>pilot</strong> this.</p>"
    assert idea.response_by == team_member
    assert "responded" in mailoutbox[-1].subject


@pytest.mark.django_db
def test_merge_needs_another_idea_of_the_same_call(call, team_member):
    a, b = IdeaFactory(call=call), IdeaFactory(call=call)
    with pytest.raises(Refused):
        submissions.set_idea_status(team_member, a, "merged")
    with pytest.raises(Refused):
        submissions.set_idea_status(team_member, a, "merged", merged_into=a)
    submissions.set_idea_status(team_member, a, "merged", merged_into=b)
    a.refresh_from_db()
    assert a.merged_into == b


@pytest.mark.django_db
def test_participants_cannot_change_status(call, user):
    with pytest.raises(Refused) as exc:
        submissions.set_idea_status(user, IdeaFactory(call=call), "selected")
    assert exc.value.status == 403
