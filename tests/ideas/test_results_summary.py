"""A finished agree/disagree call shows where people agreed and where
opinion divided, from public ideas with enough votes to say so."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.models import Visibility

from ..factories import CallFactory, IdeaFactory


def finished_call(mission, mode="agree"):
    return CallFactory(parent=mission, voting_mode=mode, submission_opens=timezone.now() - timedelta(days=400))


def section(html, heading_id):
    return html.split(f'id="{heading_id}"', 1)[1].split("</ol>", 1)[0]


@pytest.mark.django_db
def test_results_rank_agreement_and_division(mission, client):
    call = finished_call(mission)
    IdeaFactory(call=call, title="Nearly everyone agrees", agree_count=90, disagree_count=5, pass_count=5)
    IdeaFactory(call=call, title="Most agree", agree_count=60, disagree_count=30, pass_count=10)
    IdeaFactory(call=call, title="Split down the middle", agree_count=45, disagree_count=45, pass_count=10)
    IdeaFactory(call=call, title="Too few votes to rank", agree_count=4, disagree_count=0, pass_count=0)
    IdeaFactory(call=call, title="Hidden but popular", agree_count=100, visibility=Visibility.HIDDEN)
    html = client.get(call.url).content.decode()

    agreed = section(html, "most-agreed")
    assert agreed.index("Nearly everyone agrees") < agreed.index("Most agree") < agreed.index("Split down the middle")
    assert "90% agree, 5% disagree, of 100 votes" in agreed
    assert "Too few votes" not in agreed and "Hidden but popular" not in html
    divided = section(html, "most-divided")
    assert divided.index("Split down the middle") < divided.index("Most agree")
    assert "Nearly everyone agrees" not in divided


@pytest.mark.django_db
def test_no_agreement_summary_for_support_calls_or_before_results(mission, client):
    support = finished_call(mission, mode="support")
    IdeaFactory(call=support, agree_count=50, support_count=50)
    assert 'id="most-agreed"' not in client.get(support.url).content.decode()
    running = CallFactory(parent=mission, voting_mode="agree")
    IdeaFactory(call=running, agree_count=50)
    assert 'id="most-agreed"' not in client.get(running.url).content.decode()


@pytest.mark.django_db
def test_statements_about_the_participant_stay_out_of_the_summary(mission, client):
    call = finished_call(mission)
    IdeaFactory(call=call, title="I identify as female", agree_count=50, disagree_count=50, about_participant=True)
    IdeaFactory(call=call, title="I am under 25", agree_count=99, disagree_count=1, about_participant=True)
    IdeaFactory(call=call, title="Stop and search is fair", agree_count=40, disagree_count=40, pass_count=5)
    IdeaFactory(call=call, title="Youth clubs help", agree_count=70, disagree_count=10)
    html = client.get(call.url).content.decode()
    agreed, divided = section(html, "most-agreed"), section(html, "most-divided")
    assert "Youth clubs help" in agreed and "Stop and search is fair" in divided
    assert "I am under 25" not in agreed and "I identify as female" not in divided
    assert "I identify" not in agreed and "under 25" not in divided


@pytest.mark.django_db
def test_smoothed_shares_keep_a_few_votes_from_outranking_many(mission, client):
    """6 votes at 100% against 21 at 95%: by raw share the six win; smoothed,
    (6+1)/(6+2) = 0.875 < (20+1)/(21+2) = 0.913, the twenty-one do."""
    call = finished_call(mission)
    IdeaFactory(call=call, title="Six of six", agree_count=6)
    IdeaFactory(call=call, title="Twenty of twenty-one", agree_count=20, disagree_count=1)
    html = client.get(call.url).content.decode()
    agreed = section(html, "most-agreed")
    assert agreed.index("Twenty of twenty-one") < agreed.index("Six of six")
    # Each share carries its count.
    assert "95% agree, 5% disagree, of 21 votes" in agreed
    assert "100% agree, 0% disagree, of 6 votes" in agreed


@pytest.mark.django_db
def test_agreed_across_groups_follows_the_consensus_once_a_map_exists(mission, client):
    call = finished_call(mission)
    IdeaFactory(call=call, title="Bridges the groups", agree_count=30, disagree_count=10, consensus=0.61)
    IdeaFactory(call=call, title="One bloc loves it", agree_count=80, disagree_count=20, consensus=0.12)
    IdeaFactory(call=call, title="Not yet scored", agree_count=50, disagree_count=0)
    IdeaFactory(call=call, title="Hidden bridge", agree_count=50, consensus=0.9, visibility=Visibility.HIDDEN)
    IdeaFactory(call=call, title="I am over 60", agree_count=20, consensus=0.95, about_participant=True)
    html = client.get(call.url).content.decode()
    across = section(html, "agreed-across-groups")
    assert across.index("Bridges the groups") < across.index("One bloc loves it")
    assert "75% agree, 25% disagree, of 40 votes" in across
    assert "Not yet scored" not in across and "Hidden bridge" not in html and "over 60" not in across
    # Where plain agreement ranks them the other way round.
    agreed = section(html, "most-agreed")
    assert agreed.index("One bloc loves it") < agreed.index("Bridges the groups")


@pytest.mark.django_db
def test_no_agreed_across_groups_before_a_map(mission, client):
    call = finished_call(mission)
    IdeaFactory(call=call, agree_count=30, disagree_count=10)
    html = client.get(call.url).content.decode()
    assert 'id="most-agreed"' in html and 'id="agreed-across-groups"' not in html
