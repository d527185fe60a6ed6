"""Runs only against a real Elasticsearch: ELASTICSEARCH_URL=http://… make test."""

import os
import uuid

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.elasticsearch_live,
    pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs ELASTICSEARCH_URL (no server runs in CI here)"),
]


@pytest.mark.django_db
def test_create_index_search_remove_and_rebuild_round_trip(call, settings):
    from ideas import search_documents
    from ideas.models import Visibility
    from search import elastic

    from ..factories import IdeaFactory

    settings.SEARCH_INDEX_PREFIX = f"mc-test-{uuid.uuid4().hex[:8]}"
    call_command("search_index", "--create")
    try:
        idea = IdeaFactory(call=call, title="Tidal lagoons for the Severn")
        search_documents.index_idea(idea.pk)
        results, total = search_documents.search_ideas("tidal lagoon")
        assert [i.pk for i in results] == [idea.pk] and total == 1
        idea.visibility = Visibility.HIDDEN
        idea.save()
        search_documents.index_idea(idea.pk)
        assert search_documents.search_ideas("tidal lagoon") == ([], 0)
        idea.visibility = Visibility.PUBLISHED
        idea.save()
        call_command("search_index", "--rebuild")
        assert [i.pk for i in search_documents.search_ideas("tidal lagoon")[0]] == [idea.pk]
    finally:
        elastic.client().indices.delete(index=f"{elastic.index_name()}-*", ignore_unavailable=True)
