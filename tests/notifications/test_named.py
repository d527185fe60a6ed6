"""Every notification about an idea or a comment names the idea, in the
in-site list and in the email's subject: "Your comment on “Warm lofts” is
held for review", not "Your comment is held for review"."""

import pytest

from ideas.models import Follow
from moderation import services as moderation
from notifications.models import Notification
from pilots import services as pilots

from ..factories import CommentFactory, IdeaFactory, PilotFactory, UserFactory


@pytest.mark.django_db
def test_a_moderation_decision_names_the_idea(call, moderator, client, commit):
    idea = IdeaFactory(call=call, title="Warm lofts for renters")
    with commit():
        moderation.hide_idea(moderator, idea, "off_topic")
    told = Notification.objects.get(recipient=idea.author)
    assert told.title.startswith("Your idea “Warm lofts for renters” was removed by a moderator")
    client.force_login(idea.author)
    assert "Your idea “Warm lofts for renters” was removed" in client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_a_held_comment_names_its_idea_in_the_list_and_the_email(call, mailoutbox, commit):
    call.flag_threshold = 1
    call.save()
    comment = CommentFactory(idea=IdeaFactory(call=call, title="Warm lofts for renters"))
    with commit():
        moderation.flag(UserFactory(standing=True), comment, "spam")
    told = Notification.objects.get(recipient=comment.author)
    assert told.title == "Your comment on “Warm lofts for renters” is held for review"
    assert any("Your comment on “Warm lofts for renters” is held for review" in m.subject for m in mailoutbox)


@pytest.mark.django_db
def test_an_idea_taken_forward_again_names_the_idea(call, mission, team_member):
    idea = IdeaFactory(call=call, title="Warm lofts for renters")
    Follow.objects.create(user=idea.author, idea=idea)
    pilots.take_forward(team_member, idea, PilotFactory(parent=mission, title="Lofts in Leeds").pk)
    pilots.take_forward(team_member, idea, PilotFactory(parent=mission, title="Lofts in Hull").pk)
    told = Notification.objects.get(recipient=idea.author, title__contains="Hull")
    assert "Warm lofts for renters" in told.title
