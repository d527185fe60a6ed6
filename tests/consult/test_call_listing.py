"""The call page lists ideas: sorts, filters, pagination, the stable random order."""

import pytest

from consult.models import Sector
from ideas.models import Visibility

from ..factories import CallFactory, IdeaFactory


def titles(response):
    return [idea.title for idea in response.context["ideas"]]


@pytest.mark.django_db
def test_sorts(call, client):
    a = IdeaFactory(call=call, title="A", support_count=5, comment_count=1)
    b = IdeaFactory(call=call, title="B", support_count=9, comment_count=0)
    c = IdeaFactory(call=call, title="C", support_count=1, comment_count=7)
    assert titles(client.get(call.url)) == [c.title, b.title, a.title]
    assert titles(client.get(call.url, {"sort": "supported"})) == ["B", "A", "C"]
    assert titles(client.get(call.url, {"sort": "discussed"})) == ["C", "A", "B"]
    assert titles(client.get(call.url, {"sort": "bogus"})) == ["C", "B", "A"]  # unknown sort falls back to newest


@pytest.mark.django_db
def test_random_order_is_stable_per_visitor_and_differs_between_visitors(call, client, django_user_model):
    from django.test import Client

    for n in range(40):
        IdeaFactory(call=call, title=f"Idea {n:02d}")
    first = titles(client.get(call.url, {"sort": "random"}))
    assert first == titles(client.get(call.url, {"sort": "random"}))
    others = {tuple(titles(Client().get(call.url, {"sort": "random"}))) for _ in range(4)}
    assert len(others | {tuple(first)}) > 1  # different visitors get different shuffles


@pytest.mark.django_db
def test_filters_by_status_tag_and_sector(call, client):
    business = Sector.objects.get(slug="business")
    shortlisted = IdeaFactory(call=call, title="Shortlisted", status="shortlisted")
    tagged = IdeaFactory(call=call, title="Tagged")
    tagged.tags.add("Heat pumps")
    from_business = IdeaFactory(call=call, title="Business idea", organisation="Acme", organisation_sector=business)
    assert titles(client.get(call.url, {"status": "shortlisted"})) == [shortlisted.title]
    assert titles(client.get(call.url, {"tag": "heat-pumps"})) == [tagged.title]
    assert titles(client.get(call.url, {"sector": str(business.pk)})) == [from_business.title]
    assert client.get(call.url, {"sector": "x';--", "status": "nope"}).status_code == 200


@pytest.mark.django_db
def test_pagination_and_hidden_ideas_are_not_listed(call, client):
    for n in range(25):
        IdeaFactory(call=call, title=f"Public {n}")
    IdeaFactory(call=call, title="Hidden one", visibility=Visibility.HIDDEN)
    first = client.get(call.url)
    assert len(first.context["ideas"]) == 20
    assert first.context["page_obj"].paginator.count == 25
    second = client.get(call.url, {"page": "2"})
    assert len(second.context["ideas"]) == 5
    assert "Hidden one" not in first.content.decode() + second.content.decode()
    assert client.get(call.url, {"page": "999"}).status_code == 200
    assert client.get(call.url, {"page": "abc"}).status_code == 200


@pytest.mark.django_db
def test_results_section_lists_selected_ideas_after_shortlisting(call, client):
    from datetime import timedelta

    from django.utils import timezone

    from consult.models import ChallengeCallPage

    IdeaFactory(call=call, title="The chosen one", status="selected")
    IdeaFactory(call=call, title="Not this one", status="not_selected")
    now = timezone.now()
    ChallengeCallPage.objects.filter(pk=call.pk).update(
        submission_opens=now - timedelta(days=40), submission_closes=now - timedelta(days=30),
        review_closes=now - timedelta(days=20), shortlist_closes=now - timedelta(days=10),
        results_summary="<p>We are funding pilots.</p>",
    )
    html = client.get(call.url).content.decode()
    results = html[html.index('id="results-heading"'):html.index('id="ideas"')]
    assert "The chosen one" in results and "Not this one" not in results
    assert "We are funding pilots." in results


@pytest.mark.django_db
@pytest.mark.parametrize("mode, label", [("support", "Most supported"), ("agree", "Most agreed"), ("off", None)])
def test_the_vote_sort_is_named_for_the_call_s_votes(mission, client, mode, label):
    call = CallFactory(parent=mission, voting_mode=mode)
    body = client.get(call.url).content.decode()
    if label:
        assert f'<option value="supported">{label}</option>' in body
    else:
        assert 'value="supported"' not in body
