"""Database search: PostgreSQL full text when available, word matching on SQLite.

Nothing to index: it ranks the caller's candidates (the visibility query) at
read time, so a hidden item leaves results in the same commit that hides it.
Candidates are rows with the documents' text fields (title, summary, body)
and a support_count, the tie-break."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

NAME = "database"
KEEPS_INDEX = False

STOPWORDS = set(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers how i if in into is it its itself just me more most my no nor not now of off on once only or
    other our ours out over own same she should so some such than that the their them then there these they this
    those through to too under until up very was we were what when where which while who whom why will with would
    you your use using make more new idea ideas""".split()
)


def keywords(text, limit=12):
    words = []
    for word in re.findall(r"[\w'-]+", (text or "").lower()):
        word = word.strip("'-")
        if len(word) > 2 and word not in STOPWORDS and word not in words:
            words.append(word)
    return words[:limit]


def index(doc):
    """Nothing to do: the database backend reads live rows."""


def remove(kind, id):
    """Nothing to do: the database backend reads live rows."""


def create():
    return []


def rebuild(kind, docs):
    return None, 0


def health():
    # The database itself is /health's first check.
    return {"backend": NAME, "ok": True, "detail": ""}


def _ranked(qs, words):
    if connection.vendor == "postgresql":
        vector = SearchVector("title", weight="A") + SearchVector("summary", weight="B") + SearchVector("body", weight="C")
        query = None
        for word in words:
            term = SearchQuery(word, config="english")
            query = term if query is None else query | term
        return (
            qs.annotate(rank=SearchRank(vector, query))
            .filter(rank__gt=0)
            .order_by("-rank", "-support_count", "-pk")
        )
    score = None
    condition = Q()
    for word in words:
        hit = Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        condition |= hit
        term = Case(When(Q(title__icontains=word), then=Value(3)), When(hit, then=Value(1)), default=Value(0), output_field=IntegerField())
        score = term if score is None else score + term
    return qs.filter(condition).annotate(rank=score).order_by("-rank", "-support_count", "-pk")


def search(kind, query, *, candidates, filters=None, limit=20, offset=0):
    words = keywords(query, limit=8)
    if not words:
        return [], 0
    qs = _ranked(candidates.filter(**(filters or {})), words)
    total = qs.count()
    return list(qs[offset : offset + limit]), total


def similar(kind, text, *, candidates, filters=None, limit=5):
    words = keywords(text)
    if not words:
        return []
    return list(_ranked(candidates.filter(**(filters or {})), words)[:limit])
