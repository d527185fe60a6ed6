"""Ideas' side of search: what ideas tell the search index, and what they ask it.

search/ is a leaf that knows nothing of ideas, so visibility is decided here,
by the one visibility module (ideas/visibility.py), before anything reaches
search: a public idea becomes a plain document, any other idea a removal,
never a document. Queries pass the same query as the candidates, so results
are re-read through it and a stale index never shows a hidden idea."""

from django.db import transaction

from search import backend as search_backend

from .visibility import public_ideas

KIND = "idea"


def document(idea, mission_id=None):
    """The document of a public idea (its call selected with it)."""
    return {
        "kind": KIND,
        "id": idea.pk,
        "title": idea.title,
        "summary": idea.summary,
        "body": idea.body,
        "tags": [tag.name for tag in idea.tags.all()],
        "call_id": idea.call_id,
        "mission_id": mission_id if mission_id is not None else idea.call.get_parent().pk,
        "visibility": idea.visibility,
        "support_count": idea.support_count,
    }


def document_for_id(idea_id):
    """The idea's document, or None when it is not public (or gone)."""
    idea = public_ideas().select_related("call").filter(pk=idea_id).first()
    return None if idea is None else document(idea)


def public_documents():
    """Every public idea's document, for `search_index --rebuild`."""
    missions = {}
    ideas = public_ideas().select_related("call").prefetch_related("tags").order_by("pk")
    for idea in ideas.iterator(chunk_size=500):
        if idea.call_id not in missions:
            missions[idea.call_id] = idea.call.get_parent().pk
        yield document(idea, missions[idea.call_id])


def index_idea(idea_id):
    """Bring the index in line with the idea as it is now."""
    if not search_backend.keeps_index():
        return
    doc = document_for_id(idea_id)
    if doc is None:
        search_backend.remove(KIND, idea_id)
    else:
        search_backend.index(doc)


def index_idea_on_commit(idea_id):
    transaction.on_commit(lambda: index_idea(idea_id))


def unindex_idea_on_commit(idea_id):
    transaction.on_commit(lambda: search_backend.remove(KIND, idea_id))


def search_ideas(query, *, call=None, limit=20, offset=0):
    """(public ideas matching `query`, best first, total), in one call or all."""
    filters = {"call_id": call.pk} if call is not None else None
    candidates = public_ideas().select_related("call")
    return search_backend.search(KIND, query, candidates=candidates, filters=filters, limit=limit, offset=offset)


def similar_ideas(call, text, limit=5):
    """Public ideas in the call that look like `text`, shown before submitting."""
    return search_backend.similar(KIND, text, candidates=public_ideas(), filters={"call_id": call.pk}, limit=limit)
