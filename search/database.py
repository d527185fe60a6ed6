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

Each search is one pass over the matches (narrow columns, materialised
once) for the page, the total and every facet, then one query for the
page's rows and one for its snippets.

Other databases (none we ship) get word matching with icontains.

Every statement is parameterised; the only SQL built from input is the list
of filter columns, which come from search.results.FACETS."""

import logging
from datetime import timezone as dt_timezone

from django.core.cache import cache
from django.db import connection, transaction
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
# against (words are never taken out: one that no longer matches anything
# is never the closest match to a word that does).
_VOCABULARY = (
    "INSERT INTO search_word (word) SELECT DISTINCT v.lexeme FROM search_entry e, unnest(e.search_vector) v "
    "WHERE e.kind = %s{} AND length(v.lexeme) <= 100 ON CONFLICT DO NOTHING"
)


def index(doc):
    Entry.objects.update_or_create(kind=doc["kind"], object_id=doc["id"], defaults=_columns(doc))
    if connection.vendor == "postgresql":
        _fetch_none(_VOCABULARY.format(" AND e.object_id = %s"), [doc["kind"], doc["id"]])


def _fetch_none(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def remove(kind, id):
    Entry.objects.filter(kind=kind, object_id=id).delete()


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
    if connection.vendor == "postgresql":
        _fetch_none("ANALYZE search_entry", [])  # fresh statistics for the planner and for idf
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
        value = timezone.make_aware(value, dt_timezone.utc)
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
    """The entries a query matches, as SQL: `source` is a FROM … WHERE that
    names the entry `e` and its relevance `score` (higher first on
    PostgreSQL, lower first for SQLite's bm25)."""

    def __init__(self, source, params, score, score_desc, bonus="", bonus_params=()):
        self.source, self.params = source, list(params)
        self.score, self.score_desc = score, score_desc
        self.bonus, self.bonus_params = bonus, list(bonus_params)

    def order(self, sort):
        score = "score DESC" if self.score_desc else "score ASC"
        if sort == "newest":
            return "published_at IS NULL, published_at DESC, id DESC"
        if sort == "supported":
            return f"support_count DESC, {score}, id DESC"
        return f"bonus, {score}, support_count DESC, id DESC"


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
    return _Match(
        f"search_entry e, (SELECT {tsquery} AS q) tq WHERE e.search_vector @@ tq.q",
        _tsquery_params(query, corrected),
        f"ts_rank_cd({PG_WEIGHTS}, e.search_vector, tq.q, 1)",
        True,
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
    # bm25() must run in the query that does the MATCH: the matches are
    # scored in a subquery and joined to their entries after.
    return _Match(
        f"(SELECT rowid AS rid, bm25(search_entry_fts, {SQLITE_WEIGHTS}) AS score FROM search_entry_fts "
        f"WHERE search_entry_fts MATCH %s) f JOIN search_entry e ON e.id = f.rid WHERE 1 = 1",
        [to_fts5(query)],
        "f.score",
        False,
        bonus,
        bonus_params,
    )


def _run(match, filters, sort, offset, limit, want_facets):
    """One pass over the matches (narrow columns, materialised once): the
    page's ids in order, the total and the facet counts."""
    where, params = _where(filters)
    bonus = match.bonus or "0"
    order = match.order(sort)
    parts = [
        "SELECT 'page', CAST(id AS TEXT), score, n FROM p",
        "SELECT 'total', NULL, COUNT(*), 0 FROM m",
    ]
    if want_facets:
        parts += [f"SELECT '{f}', CAST({f} AS TEXT), COUNT(*), 0 FROM m GROUP BY {f}" for f in FACETS]
    sql = f"""
        WITH m AS MATERIALIZED (
            SELECT e.id, e.kind, e.mission_id, e.call_id, e.status, e.sector, e.org_type, e.support_count,
                   e.published_at, {match.score} AS score, {bonus} AS bonus
            FROM {match.source}{where}
        ),
        p AS (SELECT id, score, ROW_NUMBER() OVER (ORDER BY {order}) AS n FROM m ORDER BY {order} LIMIT %s OFFSET %s)
        {" UNION ALL ".join(parts)}"""
    page, total, facets = [], 0, {field: [] for field in FACETS}
    # Placeholders in order: the bonus (select list), the match (FROM), the filters, the page.
    for what, value, number, n in _fetch(sql, match.bonus_params + match.params + params + [limit, offset]):
        if what == "page":
            page.append((int(n), int(value), float(number or 0)))
        elif what == "total":
            total = int(number)
        elif value not in (None, ""):
            facets[what].append((int(value) if what.endswith("_id") else value, int(number)))
    page.sort()
    for values in facets.values():
        values.sort(key=lambda item: (-item[1], str(item[0])))
    return [(pk, score) for _n, pk, score in page], total, facets


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
    from django.db.models import Q

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
    if engine == "postgresql":
        searched, corrected = query, ()
        page_ids, total, counts = run(_pg_match(query))
        if not total:
            changed = _corrections(query, _pg_has, _pg_vocabulary, similarity.english_stem)
            if changed:
                searched, corrected = _without(query, changed), tuple(changed.values())
                page_ids, total, counts = run(_pg_match(searched, corrected))
        snippets = _pg_snippets([pk for pk, _ in page_ids], searched, corrected)
    else:
        searched = query
        page_ids, total, counts = run(_sqlite_match(query))
        if not total:
            changed = _corrections(query, _sqlite_has, _sqlite_vocabulary, similarity.stem)
            if changed:
                searched = _replaced(query, changed)
                page_ids, total, counts = run(_sqlite_match(searched))
        snippets = _sqlite_snippets([pk for pk, _ in page_ids], searched)
    if total and changed:
        results.corrected = describe(_replaced(query, changed))
        typed = ", ".join(f"\u201c{old}\u201d" for old in changed)
        used = ", ".join(f"\u201c{new}\u201d" for new in changed.values())
        results.notice = " ".join(filter(None, [results.notice, f"No results for {typed}. Showing results for {used} instead."]))
    results.hits = _hits([pk for pk, _ in page_ids], dict(page_ids), snippets)
    results.total = total
    if facets:
        results.facets = counts
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
