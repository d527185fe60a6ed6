"""Marking an idea as a statement about the participant (ideas/services/
statements.py): the mission's team, moderators and site admins may, in any
phase; others are refused with the reason; it takes the idea out of the
consensus at once."""

import pytest
from django.contrib.auth.models import AnonymousUser

from inputs.refusals import Refused
from ideas.services import statements

from ..factories import IdeaFactory, MembershipFactory, MissionFactory, UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["team", "moderator", "admin"])
def test_staff_mark_and_unmark(call, role, huey_queue, django_capture_on_commit_callbacks):
    staff = (UserFactory(is_superuser=True, is_staff=True) if role == "admin"
             else MembershipFactory(mission=call.get_parent().specific, role=role).user)
    idea = IdeaFactory(call=call, consensus=0.4)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        statements.mark_about_participant(staff, idea, True)
    idea.refresh_from_db()
    assert idea.about_participant is True and idea.consensus is None
    assert len(callbacks) >= 1
    statements.mark_about_participant(staff, idea, False)
    idea.refresh_from_db()
    assert idea.about_participant is False


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status", "code"), [
    ("anonymous", 401, "not_authenticated"), ("participant", 403, "forbidden"), ("author", 403, "forbidden"),
    ("other_team", 403, "forbidden"),
])
def test_others_are_refused_with_the_reason(call, who, status, code):
    idea = IdeaFactory(call=call)
    user = {
        "anonymous": AnonymousUser(), "participant": UserFactory(), "author": idea.author,
        "other_team": MembershipFactory(mission=MissionFactory(), role="team").user,
    }[who]
    with pytest.raises(Refused) as caught:
        statements.mark_about_participant(user, idea, True)
    assert (caught.value.status, caught.value.code) == (status, code)
    if status == 403:
        assert "team and moderators" in caught.value.message
    idea.refresh_from_db()
    assert idea.about_participant is False
