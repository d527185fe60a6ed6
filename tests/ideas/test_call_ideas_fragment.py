"""The call page's list, rendered once for every signed-in person who sees
the public list (ideas/call_ideas.py, live/fragments.py): a second person's
view reuses it with their own votes, tokens and follow state put in; every
write reaches the next view; what is not the public list is never shared;
hostile query strings store nothing."""

import re

import pytest
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms import pagecache
from ideas.models import Idea, Visibility
from ideas.services import submissions, votes
from live import events
from moderation import services as moderation

from ..factories import IdeaFactory, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    pagecache.bump_site()  # entries of earlier tests (same keys, other rows) are out of date


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def view(client, url):
    """(page text, whether the list was rendered for this view)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    # Rendering the list always counts the call's popular tags.
    listed = [q for q in captured.captured_queries if 'COUNT("ideas_taggedidea"."id")' in q["sql"]]
    return response.content.decode(), bool(listed)


def card(html, idea):
    match = re.search(rf'<li class="mc-card mc-idea" id="idea-{idea.pk}".*?</li>', html, re.S)
    assert match, f"no card for idea {idea.pk}"
    return match.group(0)


@pytest.mark.django_db
def test_a_second_person_reuses_the_list_with_their_own_votes_and_tokens(call, django_assert_max_num_queries):
    ideas = [IdeaFactory(call=call, title=f"Retrofit idea {n}") for n in range(3)]
    alice, bob = UserFactory(), UserFactory()
    votes.cast_vote(bob, ideas[0], "support")
    events.tallies.drain()

    html_a, rendered_a = view(signed_in(alice), call.url)
    assert rendered_a
    bob_client = signed_in(bob)
    html_b, rendered_b = view(bob_client, call.url)
    assert not rendered_b, "the second view rendered the list again"
    for n in range(3):
        assert f"Retrofit idea {n}" in html_b
    # Bob sees his own vote; Alice, who rendered the list, does not.
    assert 'aria-pressed="true"' in card(html_b, ideas[0])
    assert 'aria-pressed="true"' not in card(html_a, ideas[0])
    assert '<strong data-tally="support">1</strong>' in card(html_b, ideas[0])
    # Every token on Bob's page is his own, and his vote form posts.
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html_b)
    assert tokens and {_unmask_cipher_token(t) for t in tokens} == {bob_client.cookies["csrftoken"].value}
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = bob_client.cookies
    posted = strict.post(f"/ideas/{ideas[1].pk}/vote/", {"value": "support", "csrfmiddlewaretoken": tokens[0]})
    assert posted.status_code == 302
    assert Idea.objects.get(pk=ideas[1].pk).support_count == 1


@pytest.mark.django_db
def test_a_vote_shows_on_the_voters_next_view_before_the_tally_event(call):
    idea = IdeaFactory(call=call)
    voter = UserFactory()
    client = signed_in(voter)
    view(signed_in(UserFactory()), call.url)  # the list is stored
    events.tallies.drain()
    before = events.current_seq(f"call:{call.pk}")
    votes.cast_vote(voter, idea, "support")  # its tally event is sent later, by the tally thread
    html, _ = view(client, call.url)
    footer = card(html, idea)
    assert '<strong data-tally="support">1</strong>' in footer and 'aria-pressed="true"' in footer
    assert events.current_seq(f"call:{call.pk}") >= before
    events.tallies.drain()


@pytest.mark.django_db
def test_a_new_idea_a_hide_and_an_edit_reach_the_next_signed_in_view(call, moderator, user,
                                                                       django_capture_on_commit_callbacks):
    reader = signed_in(UserFactory())
    spam = IdeaFactory(call=call, title="Buy my miracle boiler")
    kept = IdeaFactory(call=call, title="Heat pumps for flats")
    assert "Buy my miracle boiler" in view(reader, call.url)[0]
    assert not view(reader, call.url)[1]  # stored

    with django_capture_on_commit_callbacks(execute=True):
        submissions.submit_idea(user, call, title="Community energy hubs", summary="s", body="b")
    html, rendered = view(reader, call.url)
    assert rendered and "Community energy hubs" in html

    with django_capture_on_commit_callbacks(execute=True):
        moderation.hide_idea(moderator, spam, "spam")
    html, rendered = view(reader, call.url)
    assert rendered and "Buy my miracle boiler" not in html

    with django_capture_on_commit_callbacks(execute=True):
        submissions.edit_idea(kept.author, Idea.objects.get(pk=kept.pk), title="Heat pumps for every flat",
                              summary=kept.summary, body=kept.body)
    html, rendered = view(reader, call.url)
    assert rendered and "Heat pumps for every flat" in html
    assert not view(reader, call.url)[1]


@pytest.mark.django_db
def test_what_is_not_the_public_list_is_never_shared(call, mission):
    IdeaFactory(call=call, title="Public idea")
    author = UserFactory()
    IdeaFactory(call=call, author=author, title="My idea awaiting moderation", visibility=Visibility.PENDING)
    IdeaFactory(call=call, title="Hidden by a moderator", visibility=Visibility.HIDDEN)
    moderator = MembershipFactory(mission=mission, role="moderator").user
    from consult.roles import sync_user

    sync_user(moderator, mission)

    html, rendered = view(signed_in(author), call.url)
    assert rendered and "My idea awaiting moderation" in html
    html, rendered = view(signed_in(moderator), call.url)
    assert rendered and "Hidden by a moderator" in html
    # Neither list was stored for the public: the next person renders their own and sees neither.
    html, rendered = view(signed_in(UserFactory()), call.url)
    assert rendered and "Public idea" in html
    assert "My idea awaiting moderation" not in html and "Hidden by a moderator" not in html
    # The author's and the moderator's next views render again (never the shared list).
    assert view(signed_in(author), call.url)[1]
    assert view(signed_in(moderator), call.url)[1]


@pytest.mark.django_db
def test_hostile_or_unused_query_values_store_nothing(call):
    IdeaFactory(call=call)
    reader = signed_in(UserFactory())
    for query in ("?tag=nosuchtag", "?sort=newest&sort=supported", "?page=07", "?sort=bogus", "?utm_source=news",
                  f"?tag={'a' * 150}", "?status=", "?sector=99999"):
        assert view(reader, call.url + query)[1]
        assert view(reader, call.url + query)[1], f"{query} was stored"
    # the canonical spellings are
    for query in ("", "?sort=supported", "?page=1"):
        view(reader, call.url + query)
        assert not view(reader, call.url + query)[1], f"{query} was not stored"


@pytest.mark.django_db
def test_the_tag_follow_button_is_each_persons_own(call):
    from ideas.services import follows
    from taggit.models import Tag

    idea = IdeaFactory(call=call)
    idea.tags.add("heat-pumps")
    tag = Tag.objects.get(slug="heat-pumps")
    follower, other = UserFactory(), UserFactory()
    follows.follow(follower, tag=tag)
    url = f"{call.url}?tag=heat-pumps"
    other_html, _ = view(signed_in(other), url)
    follower_html, rendered = view(signed_in(follower), url)
    assert not rendered
    assert "Stop following" in follower_html and "Stop following" not in other_html
