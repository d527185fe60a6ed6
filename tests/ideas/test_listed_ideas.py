"""What a view restriction keeps private beyond the restricted call's own
pages (ideas/visibility.py `listed_ideas`, ideas/restrictions.py).

An idea of a call under a Wagtail view restriction (on the call or on its
mission) is seen only behind Wagtail's check of that call. Before, the
mission's "you said, we did", a pilot's list of the ideas it tests, people's
profiles, organisation pages, the mission page's question counts and the
mission's participation counts listed or counted it; and the mission's
pages served by Django views (its ledger, pilots, participation dashboard
and moderation transparency report) skipped a restriction on the mission
itself."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from consult.models import LearningQuestion
from ideas.activity import counts_for_profile, public_ideas_for
from ideas.selectors import question_idea_counts
from ideas.visibility import listed_comments, listed_ideas, public_comments, public_ideas
from participation.selectors import counts as participation_counts
from pilots.selectors import mission_pilots
from pilots.services import take_forward

from ..factories import CallFactory, CommentFactory, IdeaFactory, OrganisationFactory, PilotFactory, UserFactory

pytestmark = pytest.mark.django_db


def restrict(page, kind=PageViewRestriction.PASSWORD, **extra):
    if kind == PageViewRestriction.PASSWORD:
        extra.setdefault("password", "letmein")
    return PageViewRestriction.objects.create(page=page, restriction_type=kind, **extra)


def give_password(client, restriction, page):
    response = client.post(reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id]),
                           {"password": "letmein", "return_url": "/"})
    assert response.status_code == 302


@pytest.fixture
def calls(mission, call):
    """`call` open to all, and a password-protected call beside it."""
    secret = CallFactory(parent=mission, title="Secret call")
    restriction = restrict(secret)
    return call, secret, restriction


def test_listed_ideas_leave_out_calls_under_a_restriction_on_the_call_or_above(mission, calls):
    open_call, secret, _ = calls
    shown = IdeaFactory(call=open_call)
    hidden = IdeaFactory(call=secret)
    shown_comment, hidden_comment = CommentFactory(idea=shown), CommentFactory(idea=hidden)

    assert set(public_ideas()) == {shown, hidden}
    assert set(listed_ideas()) == {shown}
    assert set(public_comments()) == {shown_comment, hidden_comment}
    assert set(listed_comments()) == {shown_comment}

    PageViewRestriction.objects.all().delete()
    assert set(listed_ideas()) == {shown, hidden}
    restrict(mission, PageViewRestriction.LOGIN)  # above both calls
    assert not listed_ideas().exists() and not listed_comments().exists()


def test_a_restriction_elsewhere_in_the_tree_leaves_ideas_listed(mission, call):
    idea = IdeaFactory(call=call)
    restrict(CallFactory(parent=mission, title="Another call"))
    restrict(PilotFactory(parent=mission))
    assert list(listed_ideas()) == [idea]


def test_profiles_and_organisation_pages_do_not_list_ideas_of_restricted_calls(client, calls):
    open_call, secret, _ = calls
    author = UserFactory()
    organisation = OrganisationFactory()
    IdeaFactory(call=open_call, author=author, title="Idea anyone may see", on_behalf_of=organisation)
    hidden = IdeaFactory(call=secret, author=author, title="Idea behind a password", on_behalf_of=organisation)
    CommentFactory(idea=hidden, author=author, body="Comment behind a password")

    page = client.get(f"/people/{author.pk}/").content.decode()
    assert "Idea anyone may see" in page
    assert "Idea behind a password" not in page and "Comment behind a password" not in page
    assert counts_for_profile(author.pk) == {"ideas": 1, "comments": 0}
    assert [i.title for i in public_ideas_for(organisation.pk).object_list] == ["Idea anyone may see"]
    assert "Idea behind a password" not in client.get(f"/organisations/{organisation.slug}/").content.decode()


def test_the_mission_ledger_leaves_out_restricted_calls_and_the_calls_own_ledger_asks_for_its_password(
        client, mission, calls):
    open_call, secret, restriction = calls
    IdeaFactory(call=open_call, title="Idea anyone may see")
    IdeaFactory(call=secret, title="Idea behind a password")

    page = client.get(reverse("ledger_mission", args=[mission.slug]))
    html = page.content.decode()
    assert page.status_code == 200 and "Idea anyone may see" in html and "Idea behind a password" not in html
    assert page.context["counts"]["received"] == 1

    own = client.get(secret.url + "you-said-we-did/")
    assert 'name="password"' in own.content.decode() and "Idea behind a password" not in own.content.decode()
    give_password(client, restriction, secret)
    assert "Idea behind a password" in client.get(secret.url + "you-said-we-did/").content.decode()


def test_a_pilot_lists_only_the_ideas_it_tests_that_may_be_listed(client, mission, calls, team_member):
    open_call, secret, _ = calls
    pilot = PilotFactory(parent=mission, title="Evening buses")
    take_forward(team_member, IdeaFactory(call=open_call, title="Idea anyone may see"), pilot.pk)
    take_forward(team_member, IdeaFactory(call=secret, title="Idea behind a password"), pilot.pk)
    html = client.get(pilot.url).content.decode()
    assert "Idea anyone may see" in html and "Idea behind a password" not in html


def test_mission_counts_leave_out_restricted_calls(mission, calls):
    open_call, secret, _ = calls
    question = LearningQuestion.objects.create(page=mission, question="What works?")
    for call in (open_call, secret):
        IdeaFactory(call=call).learning_questions.add(question)
    assert question_idea_counts(mission) == [(question.pk, open_call.pk, 1)]
    assert participation_counts(mission)["totals"]["ideas"] == 1
    assert participation_counts(mission, secret)["totals"]["ideas"] == 1  # the call's own dashboard


@pytest.mark.parametrize("path", ["ledger_mission", "pilot_list", "participation_mission", "transparency"])
def test_the_missions_own_pages_ask_for_its_password(client, mission, call, path):
    IdeaFactory(call=call, title="Idea behind a password")
    restriction = restrict(mission)
    url = reverse(path, args=[mission.slug])
    asked = client.get(url)
    assert asked.status_code == 200 and 'name="password"' in asked.content.decode()
    assert "Idea behind a password" not in asked.content.decode()
    give_password(client, restriction, mission)
    passed = client.get(url)
    assert passed.status_code == 200 and 'name="password"' not in passed.content.decode()


def test_a_signed_in_only_mission_sends_strangers_to_sign_in_from_its_ledger(client, mission):
    restrict(mission, PageViewRestriction.LOGIN)
    response = client.get(reverse("ledger_mission", args=[mission.slug]))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(reverse("ledger_mission", args=[mission.slug])).status_code == 200


def test_a_pilot_under_its_own_restriction_is_not_listed_with_the_missions_pilots(client, mission):
    PilotFactory(parent=mission, title="Pilot anyone may see")
    private = PilotFactory(parent=mission, title="Pilot behind a password")
    restrict(private)
    assert [p.title for p in mission_pilots(mission)] == ["Pilot anyone may see"]
    html = client.get(reverse("pilot_list", args=[mission.slug])).content.decode()
    assert "Pilot anyone may see" in html and "Pilot behind a password" not in html


def test_a_pilot_under_its_own_restriction_is_not_named_on_ideas_or_in_the_ledger(
        client, mission, call, team_member):
    idea = IdeaFactory(call=call, title="Idea anyone may see")
    shown = PilotFactory(parent=mission, title="Pilot anyone may see", status="running")
    private = PilotFactory(parent=mission, title="Pilot behind a password", status="running")
    take_forward(team_member, idea, shown.pk)
    take_forward(team_member, idea, private.pk)
    restrict(private)
    alone = IdeaFactory(call=call, title="Only in the private pilot")
    take_forward(team_member, alone, private.pk)
    counts = client.get(reverse("ledger_mission", args=[mission.slug])).context["counts"]
    # Both are answered and taken forward; only the one in the shown pilot counts as piloted.
    assert counts == {"received": 2, "responded": 2, "taken_forward": 2, "piloted": 1, "scaled": 0}
    for url in (idea.get_absolute_url(), call.url, reverse("ledger_mission", args=[mission.slug])):
        html = client.get(url).content.decode()
        assert "Pilot anyone may see" in html and "Pilot behind a password" not in html, url
