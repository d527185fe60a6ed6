import threading
from datetime import timedelta

import pytest
from django.db import connection, connections  # noqa: F401 - `connection` is read by a skipif condition string
from django.utils import timezone

from consult.models import ChallengeCallPage
from ideas import selectors
from ideas.services import votes
from inputs.refusals import Refused
from ideas.models import Idea, Vote

from ..factories import CallFactory, IdeaFactory, UserFactory


@pytest.mark.django_db
def test_support_toggles_and_the_counter_follows_the_rows(call, user):
    idea = IdeaFactory(call=call)
    votes.cast_vote(user, idea, "support")
    idea.refresh_from_db()
    assert idea.support_count == 1 == Vote.objects.filter(idea=idea).count()
    votes.remove_vote(user, idea)
    idea.refresh_from_db()
    assert idea.support_count == 0 == Vote.objects.filter(idea=idea).count()


@pytest.mark.django_db
def test_second_vote_is_refused(call, user):
    idea = IdeaFactory(call=call)
    votes.cast_vote(user, idea, "support")
    with pytest.raises(Refused) as exc:
        votes.cast_vote(user, idea, "support")
    assert exc.value.code == "already_voted" and exc.value.status == 409
    idea.refresh_from_db()
    assert idea.support_count == 1


@pytest.mark.django_db
def test_unvote_without_a_vote_is_refused(call, user):
    with pytest.raises(Refused) as exc:
        votes.remove_vote(user, IdeaFactory(call=call))
    assert exc.value.code == "not_voted"


@pytest.mark.django_db
def test_support_limit_per_call_and_supports_left(mission, user):
    call = CallFactory(parent=mission, support_limit=2)
    ideas = [IdeaFactory(call=call) for _ in range(3)]
    votes.cast_vote(user, ideas[0])
    assert selectors.supports_left(user, call) == 1
    votes.cast_vote(user, ideas[1])
    with pytest.raises(Refused) as exc:
        votes.cast_vote(user, ideas[2])
    assert exc.value.code == "limit_reached"
    assert "all 2 of your supports" in exc.value.message
    votes.remove_vote(user, ideas[0])
    votes.cast_vote(user, ideas[2])
    assert selectors.supports_left(user, call) == 0


@pytest.mark.django_db
def test_agree_mode_counts_each_value_and_allows_changing(mission, user):
    call = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE)
    idea = IdeaFactory(call=call)
    votes.cast_vote(user, idea, "agree")
    votes.cast_vote(user, idea, "disagree")
    idea.refresh_from_db()
    assert (idea.agree_count, idea.disagree_count, idea.pass_count) == (0, 1, 0)
    with pytest.raises(Refused) as exc:
        votes.cast_vote(user, idea, "support")
    assert exc.value.field == "value"


@pytest.mark.django_db
def test_own_idea_vote_follows_the_call_setting(mission, user):
    call = CallFactory(parent=mission, authors_can_vote=False)
    with pytest.raises(Refused) as exc:
        votes.cast_vote(user, IdeaFactory(call=call, author=user))
    assert exc.value.code == "own_idea"
    allowed = CallFactory(parent=mission, authors_can_vote=True)
    idea = votes.cast_vote(user, IdeaFactory(call=allowed, author=user))
    assert idea.support_count == 1


@pytest.mark.django_db
def test_voting_closes_with_its_phase(mission, user):
    now = timezone.now()
    call = CallFactory(
        parent=mission,
        submission_opens=now - timedelta(days=30),
        submission_closes=now - timedelta(days=20),
        review_closes=now - timedelta(seconds=1),
        shortlist_closes=now + timedelta(days=5),
    )
    with pytest.raises(Refused) as exc:
        votes.cast_vote(user, IdeaFactory(call=call))
    assert exc.value.code == "phase_closed"
    assert "Voting for this call closed on" in exc.value.message


@pytest.mark.django_db
def test_vote_view_works_without_javascript_and_with(call, user, client):
    idea = IdeaFactory(call=call)
    client.force_login(user)
    response = client.post(f"/ideas/{idea.pk}/vote/", {"value": "support"})
    assert response.status_code == 302
    response = client.post(f"/ideas/{idea.pk}/vote/", {"value": "support", "action": "remove"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["tally"]["support"] == 0
    response = client.post(f"/ideas/{idea.pk}/vote/", {"value": "support", "action": "remove"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_voted"


def vote_box(client, url, idea):
    from bs4 import BeautifulSoup

    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser").find(
        attrs={"data-vote-controls": True, "data-idea": str(idea.pk)})


def spoken(node):
    return " ".join(node.get_text(" ").split())


@pytest.mark.django_db
def test_agree_buttons_name_the_idea_and_say_your_vote_in_words_without_javascript(mission, user, client):
    """Each button's accessible name names the idea ("Agree with: <title>"),
    and your own choice is said in text ("You agreed"), not only by the
    pressed button's colour: on the idea page and on the call page's card."""
    call = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE)
    idea = IdeaFactory(call=call, title="Free buses for under-25s")
    client.force_login(user)
    for url in (idea.get_absolute_url(), call.url):
        box = vote_box(client, url, idea)
        names = [spoken(b) for b in box.find_all("button")]
        assert names == ["Agree with: Free buses for under-25s", "Disagree with: Free buses for under-25s",
                         "Pass on: Free buses for under-25s"]
        assert box.find("button").find(class_="govuk-visually-hidden")  # the title is for screen readers
        assert spoken(box.find(attrs={"data-my-vote": True})) == ""  # no vote yet

    # A plain form post, as without JavaScript: back on the page, the choice is said in words.
    response = client.post(f"/ideas/{idea.pk}/vote/", {"value": "disagree", "next": idea.get_absolute_url()})
    assert response.status_code == 302
    for url in (idea.get_absolute_url(), call.url):
        box = vote_box(client, url, idea)
        assert spoken(box.find(attrs={"data-my-vote": True})) == "You disagreed"
        pressed = [spoken(b) for b in box.find_all("button", attrs={"aria-pressed": "true"})]
        assert pressed == ["Disagree with: Free buses for under-25s"]
    client.post(f"/ideas/{idea.pk}/vote/", {"value": "pass"})
    assert spoken(vote_box(client, idea.get_absolute_url(), idea).find(attrs={"data-my-vote": True})) == "You passed"


@pytest.mark.django_db
def test_signed_out_vote_is_401_json(call, client):
    idea = IdeaFactory(call=call)
    response = client.post(f"/ideas/{idea.pk}/vote/", {"value": "support"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert Vote.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_fifty_threads_voting_and_unvoting_leave_counters_equal_to_rows(site):
    call = CallFactory()
    idea = IdeaFactory(call=call)
    voters = [UserFactory() for _ in range(50)]
    errors = []
    barrier = threading.Barrier(50)

    def work(voter, rounds):
        try:
            barrier.wait()
            for n in range(rounds):
                fresh = Idea.objects.get(pk=idea.pk)
                try:
                    if n % 2 == 0:
                        votes.cast_vote(voter, fresh, "support")
                    else:
                        votes.remove_vote(voter, fresh)
                except Refused:
                    pass
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    # Odd rounds leave a vote in place, even rounds remove it: a mix of both.
    threads = [threading.Thread(target=work, args=(v, 3 if i % 2 else 4)) for i, v in enumerate(voters)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    idea.refresh_from_db()
    rows = Vote.objects.filter(idea=idea, value="support").count()
    assert rows == 25
    assert idea.support_count == rows


@pytest.mark.django_db
def test_repair_counters_command_fixes_drift(call, user):
    from django.core.management import call_command

    idea = IdeaFactory(call=call)
    votes.cast_vote(user, idea)
    Idea.objects.filter(pk=idea.pk).update(support_count=7, comment_count=3)
    call_command("repair_counters")
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert idea.comment_count == 0
