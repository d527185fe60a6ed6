"""The Elasticsearch backend (search/elastic.py), imported on first use only.
Its client and DSL take about 0.4 s and a good deal of memory to import, which
the embedded default (no ELASTICSEARCH_URL), every command and each test
process would otherwise pay for nothing. The one lazy import of our own code
(tests/test_imports.py allows it here and nowhere else)."""


def elastic():
    from . import elastic as module  # lazy: elasticsearch and its DSL cost ~0.4 s to import; only with ELASTICSEARCH_URL

    return module
