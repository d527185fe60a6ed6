"""Typo correction against the index's own vocabulary, pure.

SQLite's FTS5 has no fuzzy matching, so when a word finds nothing the
database backend asks its vocabulary (the fts5vocab table: every stemmed
term with the number of documents holding it) for terms close to it and
searches for the closest instead. PostgreSQL uses pg_trgm and Elasticsearch
its own fuzziness; this module is only the arithmetic."""


def distance(a, b, limit):
    """Damerau-Levenshtein distance (adjacent swaps count one), or limit + 1
    as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_distance(word):
    """One edit for short words, two from eight letters (as Elasticsearch's
    fuzziness AUTO allows one from three letters and two from six)."""
    if len(word) < 3:
        return 0
    return 1 if len(word) < 8 else 2


def closest(words, vocabulary):
    """The vocabulary term closest to any of `words` (a word and its stem),
    fewest edits first, then the most common; None when none is close enough.
    vocabulary: iterable of (term, documents)."""
    best = None
    for term, docs in vocabulary:
        for word in words:
            limit = allowed_distance(word)
            d = distance(word, term, limit)
            if d <= limit and d > 0:
                key = (d, -docs, term)
                if best is None or key < best[0]:
                    best = (key, term)
    return None if best is None else best[1]
