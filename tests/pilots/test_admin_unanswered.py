"""The team sees its unanswered ideas first: "Ideas awaiting a response" in
the Wagtail admin lists the public ideas of the user's missions that nobody
has answered, oldest first, with how many there are."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.models import Idea
from ideas.services.submissions import respond_to_idea, set_idea_status
from pilots.services import take_forward
from tests.factories import CallFactory, IdeaFactory, MembershipFactory, MissionFactory, PilotFactory, UserFactory

URL = "/admin/ideas-awaiting-response/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def team_member(mission, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # roles reach Wagtail's groups on commit
        return MembershipFactory(mission=mission, role="team").user


def _aged(idea, days):
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=days))
    return idea


@pytest.fixture
def ideas(mission, call, team_member):
    old = _aged(IdeaFactory(call=call, title="Oldest waiting"), 20)
    new = _aged(IdeaFactory(call=call, title="Newest waiting"), 1)
    middle = _aged(IdeaFactory(call=CallFactory(parent=mission), title="Middle waiting"), 5)
    answered = IdeaFactory(call=call, title="Answered idea")
    respond_to_idea(team_member, answered, "Thanks")
    declined = IdeaFactory(call=call, title="Declined idea")
    set_idea_status(team_member, declined, "not_selected")
    merged = IdeaFactory(call=call, title="Merged idea")
    set_idea_status(team_member, merged, "merged", merged_into=old)
    forward = IdeaFactory(call=call, title="Forward idea")
    take_forward(team_member, forward, PilotFactory(parent=mission).pk)
    IdeaFactory(call=call, title="Hidden idea", visibility="hidden")
    IdeaFactory(call=CallFactory(parent=MissionFactory()), title="Other mission idea")
    return [old, middle, new]


def test_team_sees_unanswered_ideas_oldest_first(client, team_member, ideas):
    client.force_login(team_member)
    response = client.get(URL)
    assert response.status_code == 200
    assert [row["idea"].pk for row in response.context["rows"]] == [i.pk for i in ideas]
    html = response.content.decode()
    assert "3 ideas await a response" in html
    for title in ("Answered idea", "Declined idea", "Merged idea", "Forward idea", "Hidden idea",
                  "Other mission idea"):
        assert title not in html
    assert f'href="/ideas/{ideas[0].pk}/#response"' in html
    assert "Ideas awaiting a response" in client.get("/admin/").content.decode()


def test_answering_takes_an_idea_off_the_list(client, team_member, ideas):
    respond_to_idea(team_member, ideas[0], "We are on it")
    client.force_login(team_member)
    response = client.get(URL)
    assert [row["idea"].pk for row in response.context["rows"]] == [i.pk for i in ideas[1:]]
    assert "2 ideas await a response" in response.content.decode()


def test_site_admin_sees_every_mission_and_can_choose_one(client, admin_user, ideas, mission):
    other = IdeaFactory(call=CallFactory(parent=MissionFactory(title="Other mission")), title="Another")
    client.force_login(admin_user)
    response = client.get(URL)
    assert {row["idea"].pk for row in response.context["rows"]} >= {i.pk for i in ideas} | {other.pk}
    only = client.get(URL, {"mission": mission.pk})
    assert [row["idea"].pk for row in only.context["rows"]] == [i.pk for i in ideas]
    assert "3 ideas await a response in " in only.content.decode()


def test_a_team_member_cannot_choose_another_mission(client, team_member, ideas):
    other = MissionFactory()
    IdeaFactory(call=CallFactory(parent=other), title="Not yours")
    client.force_login(team_member)
    response = client.get(URL, {"mission": other.pk})
    assert "Not yours" not in response.content.decode()
    assert [row["idea"].pk for row in response.context["rows"]] == [i.pk for i in ideas]


def test_only_teams_and_site_admins(client, mission, django_capture_on_commit_callbacks):
    assert client.get(URL).status_code == 302  # to the admin's sign-in
    with django_capture_on_commit_callbacks(execute=True):
        moderator = MembershipFactory(mission=mission, role="moderator").user
    client.force_login(moderator)
    assert client.get(URL).status_code in (302, 403)
    client.force_login(UserFactory())
    assert client.get(URL).status_code in (302, 403)


def test_paginated_with_a_fixed_number_of_queries(client, call, team_member, django_assert_max_num_queries):
    for _ in range(55):
        IdeaFactory(call=call)
    client.force_login(team_member)
    client.get(URL)
    with django_assert_max_num_queries(17):  # 50 rows; most of them the admin's own
        first = client.get(URL)
    assert len(first.context["rows"]) == 50 and "55 ideas await a response" in first.content.decode()
    second = client.get(URL, {"page": "2"})
    assert len(second.context["rows"]) == 5
    for typed in ("zz", "0", "-1", "²", "9" * 30):  # inputs/pages.py refuses it: the first page
        answer = client.get(URL, {"page": typed})
        assert answer.status_code == 200 and answer.context["page_obj"].number == 1


def test_the_page_title_names_the_list(client, team_member, ideas):
    client.force_login(team_member)
    assert "<title>Ideas awaiting a response - " in client.get(URL).content.decode()


def _dashboard_rows(html):
    panel = html.split('id="ideas-awaiting-response-content"', 1)[1].split("</table>", 1)[0]
    return [int(part.split('"', 1)[0]) for part in panel.split('data-idea="')[1:]]


def test_the_dashboard_shows_the_oldest_unanswered_ideas_first(client, team_member, ideas, call):
    client.force_login(team_member)
    html = client.get("/admin/").content.decode()
    assert "3 ideas await a response." in html
    assert _dashboard_rows(html) == [i.pk for i in ideas]
    assert f'href="/ideas/{ideas[0].pk}/#response"' in html and 'href="/admin/ideas-awaiting-response/"' in html
    # First on the dashboard, before Wagtail's own panels.
    response = client.get("/admin/")
    assert response.context["panels"][0].name == "ideas_awaiting_response"

    for _ in range(4):
        IdeaFactory(call=call)
    html = client.get("/admin/").content.decode()
    assert "7 ideas await a response." in html and len(_dashboard_rows(html)) == 5
    assert _dashboard_rows(html)[:3] == [i.pk for i in ideas]

    for idea in Idea.objects.filter(call__in=[i.call for i in ideas]):
        respond_to_idea(team_member, idea, "Thank you")
    html = client.get("/admin/").content.decode()
    assert "Every public idea in your missions has had a response." in html


def test_the_dashboard_panel_is_for_teams_and_site_admins_only(client, mission, ideas,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        moderator = MembershipFactory(mission=mission, role="moderator").user
    moderator.is_staff = True
    moderator.save()
    from django.contrib.auth.models import Permission

    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(moderator)
    response = client.get("/admin/")
    assert response.status_code == 200 and 'id="ideas-awaiting-response-content"' not in response.content.decode()
