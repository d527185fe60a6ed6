import pytest

from search import elastic

from .fake_elastic import FakeElasticsearch


@pytest.fixture
def fake_es(settings, monkeypatch):
    """Elasticsearch configured, answered by a recording fake."""
    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    settings.SEARCH_INDEX_PREFIX = "mc"
    fake = FakeElasticsearch()
    monkeypatch.setattr(elastic, "client", lambda: fake)
    return fake
