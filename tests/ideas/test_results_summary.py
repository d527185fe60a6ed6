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
