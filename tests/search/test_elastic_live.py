"""Runs only against a real Elasticsearch: ELASTICSEARCH_URL=http://… make test."""

import os
import uuid

import pytest

pytestmark = [
    pytest.mark.elasticsearch_live,
    pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs ELASTICSEARCH_URL (no server runs in CI here)"),
]


@pytest.mark.django_db
def test_index_search_and_remove_round_trip(call, settings):
    from ideas.models import Visibility
    from search import elastic

    from ..factories import IdeaFactory

    settings.SEARCH_INDEX_PREFIX = f"mc-test-{uuid.uuid4().hex[:8]}"
    elastic.ensure_index()
    try:
        idea = IdeaFactory(call=call, title="Tidal lagoons for the Severn")
        elastic.index_idea_id(idea.pk)
        results, total = elastic.search_ideas("tidal lagoon")
        assert [i.pk for i in results] == [idea.pk] and total == 1
        idea.visibility = Visibility.HIDDEN
        idea.save()
        elastic.index_idea_id(idea.pk)
        assert elastic.search_ideas("tidal lagoon") == ([], 0)
    finally:
        elastic.IdeaDocument._get_connection().indices.delete(index=elastic.index_name(), ignore_unavailable=True)
