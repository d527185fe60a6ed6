"""The search backend for ideas: the database by default, Elasticsearch when
ELASTICSEARCH_URL is set. Both answer the same two questions: full-text
search of visible ideas, and "similar ideas" before a submission."""

from django.conf import settings


def _backend():
    if settings.ELASTICSEARCH_URL:
        from . import elastic

        return elastic
    from . import database

    return database


def index_idea_id(idea_id):
    _backend().index_idea_id(idea_id)


def remove_idea_id(idea_id):
    _backend().remove_idea_id(idea_id)


def search_ideas(query, *, call=None, limit=20, offset=0):
    return _backend().search_ideas(query, call=call, limit=limit, offset=offset)


def similar_ideas(call, text, limit=5):
    return _backend().similar_ideas(call, text, limit=limit)
