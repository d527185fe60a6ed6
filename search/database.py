"""Database search over the `search_entry` index (search/models.py).

PostgreSQL: the stored, GIN-indexed, weighted `search_vector` matched with
websearch_to_tsquery and ranked by ts_rank_cd (cover density, so words
close together, a phrase, rank above the same words scattered); snippets
from ts_headline; when a word matches nothing, the closest word of the
index's vocabulary (`search_word`, found by pg_trgm, then checked by edit
distance in search/spelling.py) is searched for instead. People's and
organisations' names are in the vector (weight B), so they are found, and
corrected, like any other word.

SQLite: the FTS5 table (Porter stemmer, prefix indexes) matched with an
expression built from the parsed query, ranked by bm25 with column weights
and a bonus for the words as a phrase; snippets from snippet(); when a word
matches nothing, the closest term of its fts5vocab table (search/spelling.py).

Each search is one statement over the matches (narrow columns, materialised
once) for the page, the total and every facet, then one query for the
page's rows and one for its snippets. Its work is bounded (docs/search.md,
"Broad queries"): at most SEARCH_EXACT_LIMIT matches are counted and
faceted (beyond, the total and facets are lower bounds and say so), and at
most SEARCH_RANK_CANDIDATES are scored in full for relevance (beyond, those
that score best on their title and summary alone); newest and most
supported stay exact.

Other databases (none we ship) get word matching with icontains.

Every statement is parameterised; the only SQL built from input is the list
of filter columns, which come from search.results.FACETS."""

import logging
from contextlib import contextmanager
from datetime import UTC

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import similarity, spelling
from .documents import FIELDS
from .models import Entry
from .query import Query, Term, describe, parse, to_fts5, to_websearch
from .results import FACETS, MARK_END, MARK_START, Hit, Results, plain_snippet, snippet_html

log = logging.getLogger(__name__)

NAME = "database"
MAX_RESULTS = 10_000
# Bounded work for broad queries (docs/search.md, "Broad queries"); both can
# be changed in settings (SEARCH_EXACT_LIMIT, SEARCH_RANK_CANDIDATES).
EXACT_LIMIT = 5_000  # matches counted and faceted exactly; beyond: "more than 5,000"
RANK_CANDIDATES = 500  # relevance ranks every match up to this many in full, else this many chosen by a quick first score
SIMILAR_CANDIDATES = 40
CANDIDATE_WORDS = 6  # the draft's rarest keywords that find similar candidates
ESTIMATE_FROM = 10_000  # entries from which idf uses statistics instead of exact counts
PG_WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'"  # D, C, B, A
SQLITE_WEIGHTS = "10.0, 4.0, 4.0, 4.0, 4.0, 1.0"  # title, summary, organisation, author, tags, body
HEADLINE = f'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
COLUMNS = (
    "e.id, e.kind, e.object_id, e.title, e.url, e.context, e.status, e.organisation, e.support_count, "
    "e.mission_id, e.call_id, e.published_at, e.summary, e.tags"
)
NO_WORDS = "Type a word or phrase to look for, not only words to leave out."


# --- writes ---------------------------------------------------------------------


def _columns(doc):
    values = {key: doc[key] for key in FIELDS}
    values["tags"] = " ".join(doc["tags"])
    return values


# PostgreSQL: the words of an entry join the vocabulary typos are corrected
# against, and leave it when no entry holds them any more (an entry edited or
# removed, its author's name gone with a deleted account: the vocabulary
# keeps nothing the index no longer holds). SQLite's fts5vocab table follows
# its index by itself.
_VOCABULARY = (
    "INSERT INTO search_word (word) SELECT DISTINCT v.lexeme FROM search_entry e, unnest(e.search_vector) v "
    "WHERE e.kind = %s{} AND length(v.lexeme) <= 100 ON CONFLICT DO NOTHING"
)
_WORDS_OF = ("SELECT DISTINCT v.lexeme FROM search_entry e, unnest(e.search_vector) v "
             "WHERE e.kind = %s AND e.object_id = ANY(%s)")
# Whether any entry still holds the word, through the GIN index on search_vector.
_HELD = "EXISTS (SELECT 1 FROM search_entry e WHERE e.search_vector @@ plainto_tsquery('simple', w.word))"
# The words these entries held before a change and hold no more, then those no entry holds.
_FORGET = (
    "WITH dropped AS MATERIALIZED (SELECT unnest(%s::text[]) AS word EXCEPT "
    "SELECT v.lexeme FROM search_entry e, unnest(e.search_vector) v WHERE e.kind = %s AND e.object_id = ANY(%s)) "
    f"DELETE FROM search_word w USING dropped d WHERE w.word = d.word AND NOT {_HELD}"
)


def _words_before(kind, ids):
    """PostgreSQL: the words these entries hold now, before they change."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(_WORDS_OF, [kind, list(ids)])
        return [row[0] for row in cursor.fetchall()]


def _forget_words(words, kind, ids):
    """PostgreSQL: take out of the vocabulary the `words` these entries held
    before their change and no entry holds now."""
    if words and connection.vendor == "postgresql":
        _fetch_none(_FORGET, [list(words), kind, list(ids)])


def prune_vocabulary():
    """PostgreSQL: take out every word no entry holds (after a rebuild)."""
    if connection.vendor == "postgresql":
        _fetch_none(f"DELETE FROM search_word w WHERE NOT {_HELD}", [])


def index(doc):
    with transaction.atomic():
        before = _words_before(doc["kind"], [doc["id"]])
        Entry.objects.update_or_create(kind=doc["kind"], object_id=doc["id"], defaults=_columns(doc))
        if connection.vendor == "postgresql":
            _fetch_none(_VOCABULARY.format(" AND e.object_id = %s"), [doc["kind"], doc["id"]])
            _forget_words(before, doc["kind"], [doc["id"]])


def index_many(docs):
    """Add or replace many documents at once: per kind one DELETE, one bulk
    INSERT and (PostgreSQL) one vocabulary statement, in one transaction,
    instead of three statements a document (a 10,000-idea import spent a
    third of its time indexing one idea at a time)."""
    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["id"]] = doc  # the last of one id wins, as with index()
    with transaction.atomic():
        for kind, found in by_kind.items():
            ids = list(found)
            before = _words_before(kind, ids)
            Entry.objects.filter(kind=kind, object_id__in=ids).delete()
            Entry.objects.bulk_create([Entry(kind=kind, object_id=pk, **_columns(doc)) for pk, doc in found.items()],
                                      batch_size=500)
            if connection.vendor == "postgresql":
                _fetch_none(_VOCABULARY.format(" AND e.object_id = ANY(%s)"), [kind, ids])
                _forget_words(before, kind, ids)


def remove_many(kind, ids):
    ids = list(ids)
    with transaction.atomic():
        before = _words_before(kind, ids)
        Entry.objects.filter(kind=kind, object_id__in=ids).delete()
        _forget_words(before, kind, ids)


def _fetch_none(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def remove(kind, id):
    remove_many(kind, [id])


def rebuild(kind, docs, progress=None, chunk=500):
    """Replace every entry of `kind` with `docs` in one transaction: readers
    see the old entries until the new ones are committed."""
    count = 0
    with transaction.atomic():
        Entry.objects.filter(kind=kind).delete()
        batch = []
        for doc in docs:
            batch.append(Entry(kind=doc["kind"], object_id=doc["id"], **_columns(doc)))
            if len(batch) >= chunk:
                Entry.objects.bulk_create(batch)
                count += len(batch)
                batch = []
                if progress:
                    progress(count)
        if batch:
            Entry.objects.bulk_create(batch)
            count += len(batch)
            if progress:
                progress(count)
        if connection.vendor == "postgresql":
            _fetch_none(_VOCABULARY.format(""), [kind])
            prune_vocabulary()
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner and for idf; outside a transaction,
        # VACUUM too: the replaced entries are dead rows until it runs, and
        # it marks the pages all-visible.
        _fetch_none("ANALYZE search_entry" if connection.in_atomic_block else "VACUUM ANALYZE search_entry", [])
        cache.delete("search:pg-mce")
    return count


def count(kind):
    return Entry.objects.filter(kind=kind).count()


# --- reads ----------------------------------------------------------------------


def _engine():
    return connection.vendor if connection.vendor in ("postgresql", "sqlite") else "other"


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _where(filters):
    clauses, params = [], []
    for field, value in filters.items():
        assert field in FACETS  # documents.clean_filters let nothing else through
        clauses.append(f"e.{field} = %s")
        params.append(value)
    return "".join(f" AND {clause}" for clause in clauses), params


def _aware(value):
    if isinstance(value, str):  # SQLite may hand raw SQL datetimes back as text
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):  # SQLite stores UTC, naive
        value = timezone.make_aware(value, UTC)
    return value


def _hits(ids, scores, snippets):
    """Hits for entry ids, in the given order, in one query."""
    if not ids:
        return []
    marks = ",".join("%s" for _ in ids)
    rows = {row[0]: row for row in _fetch(f"SELECT {COLUMNS} FROM search_entry e WHERE e.id IN ({marks})", list(ids))}
    hits = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:  # removed between the two queries
            continue
        (_pk, kind, object_id, title, url, context, status, organisation, support_count, mission_id, call_id,
         published_at, summary, _tags) = row
        snippet = snippets.get(pk)
        hits.append(Hit(
            kind=kind, id=int(object_id), title=title, url=url, context=context, status=status,
            organisation=organisation, support_count=support_count, mission_id=mission_id, call_id=call_id,
            published_at=_aware(published_at), score=float(scores.get(pk) or 0),
            snippet=snippet_html(snippet) if snippet and MARK_START in snippet else plain_snippet(summary),
        ))
    return hits


class _Match:
    """The entries a query matches, as SQL.

    - `source` is a FROM … WHERE that names the entry `e` and lets the select
      list compute its relevance `score` (higher first on PostgreSQL, lower
      first for SQLite's bm25), and `bonus` (lower first);
    - `filter_source` finds the same entries without scoring them (for
      counting, facets and the static sorts);
    - `ranked(ids_sql)` is (FROM …, params) scoring only the entries the
      subquery `ids_sql` selects, which match already (relevance among a
      bounded set of candidates);
    - `candidates()` chooses that set among the counted matches `k`."""

    def __init__(self, source, params, score, score_desc, bonus="", bonus_params=(), filter_source=None,
                 filter_params=None, ranked=None, pre="0", candidates=None):
        self.source, self.params = source, list(params)
        self.score, self.score_desc = score, score_desc
        self.bonus, self.bonus_params = bonus, list(bonus_params)
        self.filter_source = filter_source or source
        self.filter_params = list(self.params if filter_params is None else filter_params)
        self._ranked = ranked
        # A quick first score of each counted match (`pre`, higher first,
        # from the row alone), or `candidates()`: (SQL, params) selecting the
        # ids of `k` to rank in full, with one %s for how many.
        self.pre = pre
        self._candidates = candidates

    def candidates(self):
        if self._candidates:
            return self._candidates()
        return "SELECT id, pre AS score FROM k ORDER BY pre DESC, support_count DESC, id DESC LIMIT %s", []

    def ranked(self, ids_sql):
        return self._ranked(ids_sql)

    def order(self, sort):
        """ORDER BY over the columns id, score, bonus, support_count and
        published_at."""
        if sort in STATIC_ORDER:
            return STATIC_ORDER[sort]
        score = "score DESC" if self.score_desc else "score ASC"
        return f"bonus, {score}, support_count DESC, id DESC"


# The static sorts, the same in both paths (btree indexes in search/models.py).
STATIC_ORDER = {
    "newest": "published_at DESC NULLS LAST, id DESC",
    "supported": "support_count DESC, id DESC",
}


def _tsquery_sql(corrected):
    """websearch_to_tsquery of the query, AND the corrected stems as they are
    in the index (the 'simple' configuration: a stem is not stemmed again)."""
    if corrected:
        return "(websearch_to_tsquery('english', %s) && to_tsquery('simple', %s))"
    return "websearch_to_tsquery('english', %s)"


def _tsquery_params(query, corrected):
    params = [to_websearch(query)]
    if corrected:
        params.append(" & ".join("'" + stem.replace("'", "''") + "'" for stem in corrected))
    return params


def _pg_match(query, corrected=()):
    tsquery = _tsquery_sql(corrected)
    params = _tsquery_params(query, corrected)

    def ranked(ids_sql):
        return f"search_entry e, (SELECT {tsquery} AS q) tq WHERE e.id IN ({ids_sql})", params

    return _Match(
        f"search_entry e, (SELECT {tsquery} AS q) tq WHERE e.search_vector @@ tq.q",
        params,
        f"ts_rank_cd({PG_WEIGHTS}, e.search_vector, tq.q, 1)",
        True,
        ranked=ranked,
        # Title and summary only, from the small vector kept in the row
        # (migration 0005): no TOAST read, unlike the full vector; ts_rank
        # (word frequency by weight) rather than cover density, as cheaper.
        pre=f"ts_rank({PG_WEIGHTS}, e.rank_vector, tq.q, 1)",
    )


def _phrase_bonus(query):
    """An FTS5 phrase of the query's words, when it has several plain ones:
    entries holding them side by side rank first (bm25 knows no proximity)."""
    if query.excluded or len(query.clauses) < 2:
        return None
    if any(len(clause) > 1 or clause[0].phrase for clause in query.clauses):
        return None
    return '"' + " ".join(t.text for clause in query.clauses for t in clause).replace('"', '""') + '"'


def _sqlite_match(query):
    phrase = _phrase_bonus(query)
    bonus, bonus_params = "", []
    if phrase:
        bonus = "CASE WHEN e.id IN (SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s) THEN 0 ELSE 1 END"
        bonus_params = [phrase]
    expression = to_fts5(query)

    def ranked(ids_sql):
        # The candidates (`c`) carry their bm25 already: FTS5 scored the
        # counted matches once to choose them.
        return "(SELECT id AS rid, score FROM c) f JOIN search_entry e ON e.id = f.rid", []

    # bm25() must run in the query that does the MATCH: the matches are
    # scored in a subquery and joined to their entries after.
    return _Match(
        f"(SELECT rowid AS rid, bm25(search_entry_fts, {SQLITE_WEIGHTS}) AS score FROM search_entry_fts "
        f"WHERE search_entry_fts MATCH %s) f JOIN search_entry e ON e.id = f.rid WHERE 1 = 1",
        [expression],
        "f.score",
        False,
        bonus,
        bonus_params,
        filter_source="search_entry e WHERE e.id IN (SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s)",
        filter_params=[expression],
        ranked=ranked,
        # FTS5 scores from its own index, cheaply: bm25 of every match, the
        # best of the counted ones kept, with their scores.
        # "+rowid": the IN list is built once and each match looked up in it;
        # without the "+", SQLite hands the constraint to FTS5, which then
        # runs the MATCH once per counted row (80 s for a common word).
        candidates=lambda: (
            f"SELECT rowid AS id, bm25(search_entry_fts, {SQLITE_WEIGHTS}) AS score FROM search_entry_fts "
            f"WHERE search_entry_fts MATCH %s AND +rowid IN (SELECT id FROM k) ORDER BY score, rowid DESC LIMIT %s",
            [expression],
        ),
    )


def limits():
    """(exact limit, relevance candidates) from settings, or the defaults."""
    exact = int(getattr(settings, "SEARCH_EXACT_LIMIT", EXACT_LIMIT))
    candidates = int(getattr(settings, "SEARCH_RANK_CANDIDATES", RANK_CANDIDATES))
    return max(1, exact), max(1, min(candidates, exact))


class _Run:
    """What one pass over a match found: the page as [(id, score)], the
    total, the facet counts, and how far they are exact."""

    def __init__(self, page, total, facets, lower_bound=False, ranked_among=0, browsable=None):
        self.page, self.total, self.facets = page, total, facets
        self.lower_bound = lower_bound  # more than EXACT_LIMIT match: facets count the first EXACT_LIMIT
        self.ranked_among = ranked_among  # relevance ranked in full only N matches (0: all)
        self.browsable = total if browsable is None else browsable  # results the pages can reach


def _run(match, filters, sort, offset, limit, want_facets):
    """The page, the total and the facets of a match, with bounded work, in
    one statement over narrow columns.

    `m` is the matches, at most EXACT_LIMIT + 1 of them, found through the
    text index; `k` its first EXACT_LIMIT. The total counts `m` (so "more
    than EXACT_LIMIT" is known) and the facets count `k`: both are exact up
    to EXACT_LIMIT, and lower bounds beyond. Newest and most supported order
    `k`. Relevance ranks in full (the whole text vector, the one read that
    grows with the matches) only `c`: every match when there are no more
    than RANK_CANDIDATES, else the RANK_CANDIDATES of `k` with the best
    first score (PostgreSQL: ts_rank of the small title-and-summary vector
    kept in the row; SQLite: bm25 from the FTS5 index). Beyond
    EXACT_LIMIT, the static sorts walk their btree index filtered by the
    match instead (`_static_page`), so they stay exact."""
    cap, candidates = limits()
    where, params = _where(filters)
    bonus = match.bonus or "0"
    parts = [
        "SELECT 'page', CAST(id AS TEXT), score, n FROM p",
        "SELECT 'total', NULL, COUNT(*), 0 FROM m",
    ]
    if want_facets:
        parts += [f"SELECT '{f}', CAST({f} AS TEXT), COUNT(*), 0 FROM k GROUP BY {f}" for f in FACETS]
    static = STATIC_ORDER.get(sort)
    # Relevance needs a first score of every counted match only when there
    # are more than it can rank in full; it costs nothing otherwise anyway.
    pre = match.pre if not static else "0"
    candidates_sql, candidates_params = match.candidates()
    if static:
        page_sql = f"SELECT id, 0.0 AS score, ROW_NUMBER() OVER (ORDER BY {static}) AS n FROM k ORDER BY {static} LIMIT %s OFFSET %s"
        page_params = [limit, offset]
    else:
        source, source_params = match.ranked("SELECT id FROM c")
        order = match.order("relevance")
        page_sql = (
            f"SELECT id, score, ROW_NUMBER() OVER (ORDER BY {order}) AS n FROM ("
            f"SELECT e.id, e.support_count, {match.score} AS score, {bonus} AS bonus FROM {source}"
            f") s ORDER BY {order} LIMIT %s OFFSET %s"
        )
        page_params = match.bonus_params + source_params + [limit, offset]
    sql = f"""
        WITH m AS MATERIALIZED (
            SELECT e.id, e.kind, e.mission_id, e.call_id, e.status, e.sector, e.org_type, e.support_count,
                   e.published_at, {pre} AS pre
            FROM {match.filter_source}{where} LIMIT %s
        ),
        k AS MATERIALIZED (SELECT * FROM m LIMIT %s),
        c AS MATERIALIZED ({candidates_sql}),
        p AS ({page_sql})
        {" UNION ALL ".join(parts)}"""
    page, total, facets = [], 0, {field: [] for field in FACETS}
    for what, value, number, n in _fetch(sql, match.filter_params + params + [cap + 1, cap] + candidates_params + [candidates] + page_params):
        if what == "page":
            page.append((int(n), int(value), float(number or 0)))
        elif what == "total":
            total = int(number)
        elif value not in (None, ""):
            facets[what].append((int(value) if what.endswith("_id") else value, int(number)))
    page.sort()
    page = [(pk, score) for _n, pk, score in page]
    for values in facets.values():
        values.sort(key=lambda item: (-item[1], str(item[0])))
    if total <= cap:
        if static or total <= candidates:
            return _Run(page, total, facets)
        return _Run(page, total, facets, ranked_among=candidates, browsable=candidates)
    if static:
        page = _static_page(match, where, params, static, offset, limit)
        return _Run(page, cap, facets, lower_bound=True)
    return _Run(page, cap, facets, lower_bound=True, ranked_among=candidates, browsable=candidates)


def _static_page(match, where, params, static, offset, limit):
    """Newest or most supported, exactly, however many match: the sort's
    btree index walked in order and filtered by the match, which stops after
    the page (for a common word, after a few hundred rows)."""
    order = ", ".join(f"e.{part}" for part in static.split(", "))
    rows = _fetch(f"SELECT e.id FROM {match.filter_source}{where} ORDER BY {order} LIMIT %s OFFSET %s",
                  match.filter_params + params + [limit, offset])
    return [(int(pk), 0.0) for (pk,) in rows]


@contextmanager
def _planned():
    """PostgreSQL: match through the GIN index, never a sequential scan.
    The planner costs `@@` as cheap, but on a sequential scan it reads
    (detoasts) every row's vector: for a word in 10% of 100,000 entries a
    LIMITed count took 305 ms by sequential scan and 60 ms by the index.
    JIT is off: disabling a plan type inflates costs past its threshold,
    and compiling took longer than the query. Both are reset afterwards."""
    if connection.vendor != "postgresql":
        yield
        return
    _fetch_none("SET enable_seqscan = off; SET jit = off", None)
    try:
        yield
    finally:
        try:
            _fetch_none("RESET enable_seqscan; RESET jit", None)
        except DatabaseError:  # an aborted transaction rolls the SET back anyway
            pass


def _pg_snippets(ids, query, corrected):
    if not ids:
        return {}
    marks = ",".join("%s" for _ in ids)
    return dict(_fetch(
        f"SELECT e.id, ts_headline('english', e.summary || ' … ' || left(e.body, 4000), tq.q, %s) "
        f"FROM search_entry e, (SELECT {_tsquery_sql(corrected)} AS q) tq WHERE e.id IN ({marks})",
        [HEADLINE] + _tsquery_params(query, corrected) + list(ids),
    ))


def _sqlite_snippets(ids, query):
    if not ids:
        return {}
    marks = ",".join("%s" for _ in ids)
    return dict(_fetch(
        "SELECT rowid, snippet(search_entry_fts, -1, char(2), char(3), '…', 28) FROM search_entry_fts "
        f"WHERE search_entry_fts MATCH %s AND rowid IN ({marks})",
        [to_fts5(query)] + list(ids),
    ))


# --- typos: the closest word the index holds ------------------------------------------


def _pg_has(word):
    return bool(_fetch(
        "SELECT 1 FROM search_entry WHERE search_vector @@ plainto_tsquery('english', %s) LIMIT 1", [word]
    ))


def _pg_vocabulary(word):
    """Words of the index near `word` by trigrams (pg_trgm's GIN index on
    search_word), best first, as (word, rank) for spelling.closest."""
    rows = _fetch(
        "SELECT word FROM search_word WHERE word %% %s ORDER BY similarity(word, %s) DESC, word LIMIT 20",
        [word, word],
    )
    return [(w, 20 - i) for i, (w,) in enumerate(rows)]


def _sqlite_has(word):
    return bool(_fetch("SELECT 1 FROM search_entry_fts WHERE search_entry_fts MATCH %s LIMIT 1", [to_fts5(parse(word))]))


def _sqlite_vocabulary(word):
    first = word[0]
    return [
        (t, d)
        for t, d in _fetch(
            "SELECT term, doc FROM search_entry_vocab WHERE term >= %s AND term < %s", [first, chr(ord(first) + 1)]
        )
        if abs(len(t) - len(word)) <= 3
    ]


def _corrections(query, has, vocabulary, stem):
    """{typed word: closest indexed term} for each plain word that matches
    nothing; phrases and words that match are left alone."""
    changed = {}
    for clause in query.clauses:
        for term in clause:
            if term.phrase or len(term.text) < 3 or has(term.text):
                continue
            word = term.text.lower()
            better = spelling.closest({word, stem(word)}, vocabulary(word))
            if better:
                changed[term.text] = better
    return changed


def _without(query, words):
    """The query less the single-word clauses whose word was corrected."""
    kept = tuple(c for c in query.clauses if not (len(c) == 1 and c[0].text in words))
    return Query(kept, query.excluded)


def _replaced(query, changed):
    clauses = tuple(tuple(Term(changed.get(t.text, t.text), t.phrase) for t in clause) for clause in query.clauses)
    return Query(clauses, query.excluded)


# --- others (no text index): word matching ------------------------------------------------


def icontains(qs, query):
    """`qs` narrowed to rows whose title, summary or body hold the parsed
    query's words as substrings: what search was before a text index, kept
    for databases with none, and the baseline bench/search.py measures."""
    def holds(term):
        return Q(title__icontains=term.text) | Q(summary__icontains=term.text) | Q(body__icontains=term.text)

    for clause in query.clauses:
        condition = Q()
        for term in clause:
            condition |= holds(term)
        qs = qs.filter(condition)
    for term in query.excluded:
        qs = qs.exclude(holds(term))
    return qs


def _other_page(query, filters, sort, offset, limit):
    qs = icontains(Entry.objects.filter(**filters), query)
    order = {"newest": ["-published_at", "-id"]}.get(sort, ["-support_count", "-id"])
    ids = list(qs.order_by(*order).values_list("pk", flat=True)[offset : offset + limit])
    return _hits(ids, {}, {}), qs.count()


# --- the interface ------------------------------------------------------------------


def search(text, *, filters=None, sort="relevance", page=1, per_page=20, facets=True):
    filters = dict(filters or {})
    query = parse(text)
    results = Results(backend=NAME, facets={field: [] for field in FACETS})
    if query.notes:
        results.notice = " ".join(query.notes)
    if query.empty:
        results.error = NO_WORDS if query.excluded else "Type a word or phrase to search for."
        return results
    offset = (max(page, 1) - 1) * per_page
    if offset >= MAX_RESULTS:
        offset = max(0, MAX_RESULTS - per_page)
    engine = _engine()
    if engine == "other":
        results.hits, results.total = _other_page(query, filters, sort, offset, per_page)
        return results

    def run(match):
        return _run(match, filters, sort, offset, per_page, facets)

    changed = {}
    with _planned():
        if engine == "postgresql":
            searched, corrected = query, ()
            found = run(_pg_match(query))
            if not found.total:
                changed = _corrections(query, _pg_has, _pg_vocabulary, similarity.english_stem)
                if changed:
                    searched, corrected = _without(query, changed), tuple(changed.values())
                    found = run(_pg_match(searched, corrected))
            snippets = _pg_snippets([pk for pk, _ in found.page], searched, corrected)
        else:
            searched = query
            found = run(_sqlite_match(query))
            if not found.total:
                changed = _corrections(query, _sqlite_has, _sqlite_vocabulary, similarity.stem)
                if changed:
                    searched = _replaced(query, changed)
                    found = run(_sqlite_match(searched))
            snippets = _sqlite_snippets([pk for pk, _ in found.page], searched)
    if found.total and changed:
        results.corrected = describe(_replaced(query, changed))
        typed = ", ".join(f"\u201c{old}\u201d" for old in changed)
        used = ", ".join(f"\u201c{new}\u201d" for new in changed.values())
        results.notice = " ".join(filter(None, [results.notice, f"No results for {typed}. Showing results for {used} instead."]))
    results.hits = _hits([pk for pk, _ in found.page], dict(found.page), snippets)
    results.total = found.total
    results.total_is_lower_bound = found.lower_bound
    results.facets_are_lower_bounds = found.lower_bound and facets
    results.ranked_among = found.ranked_among
    results.browsable = min(found.browsable, MAX_RESULTS)
    if facets:
        results.facets = found.facets
    return results


def _pg_common_lexemes():
    """{lexeme: share of entries holding it} for the most common lexemes, from
    PostgreSQL's own statistics of the search_vector column (pg_stats, kept by
    ANALYZE), and the smallest share listed: anything rarer is not listed."""
    cached = cache.get("search:pg-mce")
    if cached is not None:
        return cached
    rows = _fetch(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE tablename = 'search_entry' AND attname = 'search_vector'",
        [],
    )
    shares, floor = {}, 0.0
    if rows and rows[0][0]:
        elems, freqs = rows[0]
        shares = dict(zip(elems, freqs[: len(elems)]))
        floor = min(shares.values())
    cached = (shares, floor)
    cache.set("search:pg-mce", cached, 300)
    return cached


def _document_frequencies(words):
    """({word: documents holding it}, documents in all): idf for similarity.
    Small indexes are counted exactly. Large ones (10,000 entries or more)
    take PostgreSQL's statistics of the column, or SQLite's fts5vocab: an
    exact count of a word half the ideas hold reads half the table (about
    100 ms at 100,000 ideas), and idf needs only its order of magnitude."""
    engine = _engine()
    if engine == "postgresql":
        total = _fetch("SELECT GREATEST(reltuples::bigint, 0) FROM pg_class WHERE relname = 'search_entry'", [])[0][0]
        if total < ESTIMATE_FROM:
            total = Entry.objects.count()
    else:
        total = Entry.objects.count()
    if engine == "postgresql" and total >= ESTIMATE_FROM:
        shares, floor = _pg_common_lexemes()
        if shares:
            return {w: round(shares.get(similarity.english_stem(w), floor / 2) * total) for w in words}, total
    if engine == "postgresql":
        sql = " UNION ALL ".join(
            "SELECT %s, COUNT(*) FROM search_entry WHERE search_vector @@ plainto_tsquery('english', %s)" for _ in words
        )
        return dict(_fetch(sql, [value for w in words for value in (w, w)])), total
    if engine == "sqlite":
        stems = {w: similarity.stem(w) for w in words}
        marks = ",".join("%s" for _ in words)
        by_stem = dict(_fetch(f"SELECT term, doc FROM search_entry_vocab WHERE term IN ({marks})", list(stems.values())))
        return {w: by_stem.get(s, 0) for w, s in stems.items()}, total
    return {}, total


def _candidates(words, filters, limit):
    """Ids of the entries holding any of `words`, best ranked first (no
    snippets, no counts: similar() scores them itself)."""
    where, params = _where(filters)
    engine = _engine()
    query = Query(clauses=(tuple(Term(w) for w in words),))
    if engine == "postgresql":
        match = _pg_match(query)
    elif engine == "sqlite":
        match = _sqlite_match(query)
    else:
        return [hit.id for hit in _other_page(query, filters, "relevance", 0, limit)[0]]
    order = "score DESC" if match.score_desc else "score ASC"
    sql = f"SELECT e.id, {match.score} AS score FROM {match.source}{where} ORDER BY {order} LIMIT %s"
    return [pk for pk, _score in _fetch(sql, match.params + params + [limit])]


def similar(kind, text, *, filters=None, limit=5, exclude=None):
    """Entries of `kind` above the similarity threshold, best first.
    Candidates hold one of the draft's rarer keywords (the common ones carry
    too little of the score to lift a candidate over the threshold alone);
    each is then scored by search/similarity.py."""
    words = similarity.keywords(text)
    if not words:
        return []
    filters = dict(filters or {}, kind=kind)
    frequencies, total = _document_frequencies(words)
    rare = sorted(words, key=lambda w: (frequencies.get(w, 0), words.index(w)))[:CANDIDATE_WORDS]
    rare = [w for w in rare if frequencies.get(w, 0)] or rare
    ids = _candidates(rare, filters, SIMILAR_CANDIDATES)
    if not ids:
        return []
    texts = {
        e.pk: f"{e.title} {e.summary} {e.tags} {e.organisation}"
        for e in Entry.objects.filter(pk__in=ids).only("pk", "title", "summary", "tags", "organisation")
    }
    scores = {}
    for pk in ids:
        score = similarity.score(words, similarity.stems(texts.get(pk, "")), frequencies, total)
        if score >= similarity.THRESHOLD:
            scores[pk] = score
    hits = [hit for hit in _hits(list(scores), scores, {}) if exclude is None or hit.id != exclude]
    hits.sort(key=lambda h: (-h.score, -h.support_count, -h.id))
    return hits[:limit]
