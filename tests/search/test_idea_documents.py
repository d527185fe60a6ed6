"""Ideas' side of search (ideas/search_documents.py) on the Elasticsearch
path, against the recording fake: ideas decide visibility before anything
reaches search, and hits are re-read through the visibility query."""

import pytest
from django.db import transaction

from ideas import search_documents
from ideas.models import Visibility

from ..factories import CallFactory, IdeaFactory


@pytest.mark.django_db
def test_a_public_idea_is_indexed_as_its_document(fake_es, call):
    idea = IdeaFactory(call=call, title="Heat pumps")
    search_documents.index_idea(idea.pk)
    (write,) = fake_es.named("index")
    assert write["index"] == "mc-ideas" and write["id"] == idea.pk and write["refresh"] == "wait_for"
    assert write["document"]["title"] == "Heat pumps" and write["document"]["visibility"] == "published"
    assert fake_es.named("delete") == []


@pytest.mark.django_db
@pytest.mark.parametrize("state", [Visibility.PENDING, Visibility.HIDDEN, Visibility.REJECTED, Visibility.HELD])
def test_a_non_public_idea_is_a_removal_never_a_document(fake_es, call, state):
    idea = IdeaFactory(call=call, visibility=state)
    search_documents.index_idea(idea.pk)
    assert fake_es.named("index") == []
    assert fake_es.named("delete") == [{"index": "mc-ideas", "id": idea.pk, "refresh": "wait_for"}]
    assert ("options", {"ignore_status": 404}) in fake_es.calls


@pytest.mark.django_db
def test_an_idea_in_a_call_that_is_not_live_is_removed(fake_es, call):
    idea = IdeaFactory(call=call)
    call.live = False
    call.save()
    search_documents.index_idea(idea.pk)
    assert fake_es.named("index") == [] and len(fake_es.named("delete")) == 1


@pytest.mark.django_db(transaction=True)
def test_indexing_waits_for_the_commit(fake_es, call):
    idea = IdeaFactory(call=call)
    with transaction.atomic():
        search_documents.index_idea_on_commit(idea.pk)
        search_documents.unindex_idea_on_commit(idea.pk + 1)
        assert fake_es.calls == []
    assert [kwargs["id"] for kwargs in fake_es.named("index")] == [idea.pk]
    assert [kwargs["id"] for kwargs in fake_es.named("delete")] == [idea.pk + 1]


@pytest.mark.django_db
def test_the_database_backend_builds_no_document(settings, call, django_assert_num_queries):
    settings.ELASTICSEARCH_URL = ""
    idea = IdeaFactory(call=call)
    with django_assert_num_queries(0):
        search_documents.index_idea(idea.pk)


@pytest.mark.django_db
def test_hits_are_reread_through_the_visibility_query_in_index_order(fake_es, call, mission):
    first, second = IdeaFactory(call=call), IdeaFactory(call=call)
    hidden = IdeaFactory(call=call, visibility=Visibility.HIDDEN)
    fake_es.hits = [second.pk, hidden.pk, first.pk]  # a stale index still holds `hidden`
    results, total = search_documents.search_ideas("heat", call=call, limit=10, offset=0)
    assert results == [second, first] and total == 3
    (query,) = fake_es.named("search")
    assert query["index"] == ["mc-ideas"]
    assert query["body"]["query"]["bool"]["filter"] == [{"term": {"call_id": call.pk}}]
    assert query["body"]["size"] == 10


@pytest.mark.django_db
def test_similar_ideas_stay_in_the_call_even_from_a_stale_index(fake_es, call, mission):
    here = IdeaFactory(call=call)
    elsewhere = IdeaFactory(call=CallFactory(parent=mission))
    fake_es.hits = [elsewhere.pk, here.pk]
    assert search_documents.similar_ideas(call, "community energy", limit=5) == [here]
    (query,) = fake_es.named("search")
    assert {"term": {"call_id": call.pk}} in query["body"]["query"]["bool"]["filter"]


@pytest.mark.django_db
def test_public_documents_are_every_public_idea_once(call, mission, django_assert_max_num_queries):
    other = CallFactory(parent=mission)
    ideas = [IdeaFactory(call=c) for c in (call, call, other)]
    IdeaFactory(call=call, visibility=Visibility.PENDING)
    with django_assert_max_num_queries(6):  # not one per idea
        docs = list(search_documents.public_documents())
    assert [d["id"] for d in docs] == [i.pk for i in ideas]
    assert {d["mission_id"] for d in docs} == {mission.pk}


@pytest.mark.django_db
def test_health_is_503_naming_search_when_elasticsearch_does_not_answer(fake_es, client):
    assert client.get("/health").json()["search"] == "elasticsearch"
    fake_es.answers_ping = False
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["failing"] == "search" and response.json()["search"] == "elasticsearch"
