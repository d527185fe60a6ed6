"""Mission teams edit their own mission in the Wagtail admin, and no other."""

import pytest

from consult.models import MissionMembership

from ..factories import CallFactory, MembershipFactory, MissionFactory


@pytest.mark.django_db
def test_team_member_edits_own_mission_and_its_calls_only(site, client, django_capture_on_commit_callbacks):
    mission_a, mission_b = MissionFactory(), MissionFactory()
    call_a, call_b = CallFactory(parent=mission_a), CallFactory(parent=mission_b)
    with django_capture_on_commit_callbacks(execute=True):
        member = MembershipFactory(mission=mission_a, role=MissionMembership.ROLE_TEAM).user
    client.force_login(member)
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{mission_a.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{call_a.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{mission_b.pk}/edit/").status_code in (302, 403)
    assert client.get(f"/admin/pages/{call_b.pk}/edit/").status_code in (302, 403)


@pytest.mark.django_db
def test_removing_the_role_removes_admin_access(site, client, django_capture_on_commit_callbacks):
    mission = MissionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        membership = MembershipFactory(mission=mission, role=MissionMembership.ROLE_TEAM)
    user = membership.user
    with django_capture_on_commit_callbacks(execute=True):
        membership.delete()
    client.force_login(user)
    assert client.get(f"/admin/pages/{mission.pk}/edit/").status_code in (302, 403)
    assert client.get("/admin/").status_code in (302, 403)


@pytest.mark.django_db
def test_moderators_get_no_page_editing(site, client, django_capture_on_commit_callbacks):
    mission = MissionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        moderator = MembershipFactory(mission=mission, role=MissionMembership.ROLE_MODERATOR).user
    client.force_login(moderator)
    assert client.get(f"/admin/pages/{mission.pk}/edit/").status_code in (302, 403)
