"""A participant submits an idea (seeing similar ideas first), comments,
votes and unvotes, agrees and disagrees (buttons named by the idea, their
choice said in words) — with JavaScript on, and again with it off."""

import re

import pytest
from playwright.sync_api import expect

from consult.models import ChallengeCallPage
from ideas.models import Comment, Idea, Vote

from ..factories import CallFactory, IdeaFactory, MissionFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_submit_comment_vote_unvote(live_server, browser, login, site, javascript):
    call = CallFactory(parent=MissionFactory())
    existing = IdeaFactory(call=call, title="Community heat networks for terraced streets", summary="Shared heat")
    participant = UserFactory(first_name="Priya", last_name="P")
    context = browser.new_context(java_script_enabled=javascript)
    context.set_default_timeout(10000)
    login(context, participant)
    page = context.new_page()

    # Submit: similar ideas are shown before anything is saved.
    page.goto(live_server.url + call.url + "submit/")
    page.get_by_label("Title").fill("Community heat networks")
    page.get_by_label("Summary").fill("Share heat between neighbouring homes.")
    page.get_by_label("Describe your idea").fill("Use **waste heat** from a local bakery.")
    page.get_by_role("button", name="Continue").click()
    banner = page.locator("[data-similar-ideas]")
    assert banner.is_visible()
    assert "Community heat networks for terraced streets" in banner.inner_text()
    assert Idea.objects.count() == 1
    page.get_by_role("button", name="Submit my idea anyway").click()
    page.wait_for_url(re.compile(r"/ideas/\d+/$"))
    assert page.get_by_role("heading", name="Community heat networks", exact=True).is_visible()
    assert Idea.objects.filter(author=participant).count() == 1

    # Vote and unvote on someone else's idea.
    page.goto(live_server.url + existing.get_absolute_url())
    tally = page.locator('[data-vote-controls] [data-tally="support"]')
    assert tally.inner_text() == "0"
    page.get_by_role("button", name=re.compile(r"^Support")).click()
    # expect(), not wait_for_function: that evaluates a string, which the CSP refuses.
    expect(page.locator("[data-tally=support]").first).to_have_text("1", timeout=10000)
    assert Vote.objects.filter(user=participant, idea=existing).exists()
    page.get_by_role("button", name=re.compile(r"^Supported")).click()
    expect(page.locator("[data-tally=support]").first).to_have_text("0", timeout=10000)
    assert not Vote.objects.filter(user=participant, idea=existing).exists()

    # Comment.
    url_before = page.url
    page.get_by_label("Add a comment").fill("Could this work for *flats* too?")
    page.get_by_role("button", name="Post comment").click()
    comment = page.locator("[data-comment-list] .mc-comment").filter(has_text="Could this work for flats too?")
    comment.wait_for()
    assert comment.locator("em").inner_text() == "flats"
    assert Comment.objects.filter(idea=existing, author=participant).count() == 1
    if javascript:
        assert page.url == url_before  # updated in place, no reload
    else:
        assert "#comment-" in page.url  # posted and redirected

    # An empty comment is refused with a message, and nothing is stored.
    page.get_by_label("Add a comment").fill("")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Enter your comment.").first.wait_for()
    assert Comment.objects.filter(idea=existing).count() == 1

    # Agree, then disagree, in an agree / disagree / pass call: each button is
    # named by the idea, and the choice is said in words, not only by colour.
    agree_call = CallFactory(parent=call.get_parent(), voting_mode=ChallengeCallPage.VOTING_AGREE)
    statement = IdeaFactory(call=agree_call, title="Heat pumps in every new school")
    page.goto(live_server.url + statement.get_absolute_url())
    mine = page.locator("[data-vote-controls] [data-my-vote]")
    expect(mine).to_have_text("")
    page.get_by_role("button", name="Agree with: Heat pumps in every new school", exact=True).click()
    expect(mine).to_have_text("You agreed")
    page.get_by_role("button", name="Disagree with: Heat pumps in every new school", exact=True).click()
    expect(mine).to_have_text("You disagreed")
    expect(page.get_by_role("button", name="Disagree with: Heat pumps in every new school", exact=True)) \
        .to_have_attribute("aria-pressed", "true")
    assert Vote.objects.get(user=participant, idea=statement).value == Vote.DISAGREE
    context.close()
