"""Issue #15 item 5: "Agreed across groups" orders an agree/disagree/pass
call's ideas by group-informed consensus (Idea.consensus, written by the
opinions app with each map), beside "Most agreed", on the call page and in
the open-data API; ideas not yet scored come last."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consult.models import ChallengeCallPage
from ideas.models import Idea, Visibility

from ..factories import CallFactory, IdeaFactory, UserFactory


def titles(response):
    return [i.title for i in response.context["ideas"]]


@pytest.fixture
def agree_call(mission):
    call = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE)
    # Created in an order that is none of the expected orders.
    IdeaFactory(call=call, title="Unscored, popular", agree_count=90)
    IdeaFactory(call=call, title="Bloc favourite", agree_count=60, disagree_count=20, consensus=0.2)
    IdeaFactory(call=call, title="Bridge", agree_count=30, disagree_count=5, consensus=0.7)
    IdeaFactory(call=call, title="I am under 25", agree_count=80, about_participant=True)
    IdeaFactory(call=call, title="Hidden", consensus=0.99, visibility=Visibility.HIDDEN)
    IdeaFactory(call=call, title="Tied bridge, fewer agree", agree_count=10, consensus=0.2)
    ChallengeCallPage.objects.filter(pk=call.pk).update(idea_count=5)
    call.refresh_from_db()
    return call


@pytest.mark.django_db
def test_agree_calls_offer_agreed_across_groups_beside_most_agreed(agree_call, client):
    body = client.get(agree_call.url).content.decode()
    most = body.index('<option value="supported">Most agreed</option>')
    across = body.index('<option value="consensus">Agreed across groups</option>')
    assert most < across


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["support", "off"])
def test_other_calls_do_not_offer_it_and_fall_back_to_newest(mission, client, mode):
    call = CallFactory(parent=mission, voting_mode=mode)
    IdeaFactory(call=call, title="Older", consensus=0.9)
    IdeaFactory(call=call, title="Newer", consensus=0.1)
    response = client.get(f"{call.url}?sort=consensus")
    assert 'value="consensus"' not in response.content.decode()
    assert response.context["sort"] == "newest"
    assert titles(response) == ["Newer", "Older"]


@pytest.mark.django_db
def test_call_page_orders_by_consensus_then_agreement_unscored_last(agree_call, client):
    response = client.get(f"{agree_call.url}?sort=consensus")
    assert response.context["sort"] == "consensus"
    assert titles(response)[:3] == ["Bridge", "Bloc favourite", "Tied bridge, fewer agree"]
    # Unscored ideas and statements about the participant (never scored) last, by agreement.
    assert titles(response)[3:] == ["Unscored, popular", "I am under 25"]
    assert 'value="consensus" selected' in response.content.decode()


@pytest.mark.django_db
def test_api_sorts_by_consensus_too(agree_call, client):
    response = client.get(f"/api/v1/calls/{agree_call.pk}/ideas?sort=consensus")
    assert response.status_code == 200
    assert [r["title"] for r in response.json()["results"]] == [
        "Bridge", "Bloc favourite", "Tied bridge, fewer agree", "Unscored, popular", "I am under 25",
    ]
    assert client.get(f"/api/v1/calls/{agree_call.pk}/ideas?sort=nonsense").status_code == 422


@pytest.mark.django_db
def test_consensus_sort_queries_do_not_grow_and_stay_in_budget(agree_call, user, client, django_assert_max_num_queries):
    client.force_login(user)
    url = f"{agree_call.url}?sort=consensus"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.get(url)
    small = count()
    author = UserFactory()
    Idea.objects.bulk_create([
        Idea(call=agree_call, author=author, title=f"Idea {i}", summary="s", body="b", body_html="<p>b</p>",
             agree_count=i, consensus=i / 100 if i % 2 else None)
        for i in range(60)
    ])
    assert count() == small
    with django_assert_max_num_queries(27):  # the call page's budget (tests/ideas/test_queries.py)
        assert client.get(url).status_code == 200
