"""When is an idea "similar" to one being written? Written once, pure.

Every backend finds candidates its own way (Elasticsearch's more_like_this,
PostgreSQL full text, FTS5's bm25) and every backend then asks this module
whether each candidate is close enough to show. The score is the share of
the draft's informative words, weighted by how rare they are, that the
candidate also uses:

    score = Σ idf(w) for the draft's keywords w the candidate has
            ───────────────────────────────────────────────────────
            Σ idf(w) for all the draft's keywords

so a candidate sharing "mentoring" and "founders" with a draft about
mentoring scores high, and one sharing only "local" and "people" (words in
half the ideas) scores low. Words are compared by their Porter stems, so
"mentors" and "mentoring" meet. THRESHOLD was tuned on the demo missions
and the three Pol.is conversations (bench/tune_similarity.py; the method and
the figures are in docs/search.md): at 0.35, 40 hand-written drafts for the
demo calls list their expected idea with precision 0.97 and recall 0.97
(0.30: 0.91 and 0.97; 0.45: 1.00 and 0.90), and F1 averaged over the five
draft sets is highest (0.82); the mentoring draft of the issue scores 0.57
with the mentoring idea and 0 with the shop-theft one."""

import math
import re

import snowballstemmer

THRESHOLD = 0.35
MAX_KEYWORDS = 12

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers how i if in into is it its itself just me more most my no nor not now of off on once only or
    other our ours out over own same she should so some such than that the their them then there these they this
    those through to too under until up very was we were what when where which while who whom why will with would
    you your use using make more new idea ideas get got need needs want like way ways many much lot lots""".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_stemmer = snowballstemmer.stemmer("porter")  # as SQLite FTS5's porter tokenizer
_english = snowballstemmer.stemmer("english")  # as PostgreSQL's 'english' configuration


def keywords(text, limit=MAX_KEYWORDS):
    """The informative words of a text, lower-cased, in order, one per stem."""
    words, seen = [], set()
    for word in _WORD.findall((text or "").lower()):
        word = word.replace("’", "'").split("'")[0]
        if len(word) > 2 and word not in STOPWORDS and stem(word) not in seen:
            seen.add(stem(word))  # "mentors" and "mentoring" are one keyword
            words.append(word)
            if len(words) >= limit:
                break
    return words


def stem(word):
    return _stemmer.stemWord(word.lower())


def english_stem(word):
    return _english.stemWord(word.lower())


def stems(text):
    return {stem(word) for word in keywords(text, limit=10_000)}


def idf(doc_frequency, total_docs):
    """Smoothed inverse document frequency (never zero, never negative)."""
    return math.log((total_docs + 1) / (doc_frequency + 1)) + 1.0


def score(draft_keywords, candidate_stems, doc_frequency=None, total_docs=0):
    """0..1: the idf-weighted share of the draft's keywords the candidate has.
    doc_frequency maps a keyword to how many documents hold it (unknown: 0)."""
    doc_frequency = doc_frequency or {}
    total = matched = 0.0
    for word in draft_keywords:
        weight = idf(doc_frequency.get(word, 0), total_docs) if total_docs else 1.0
        total += weight
        if stem(word) in candidate_stems:
            matched += weight
    return matched / total if total else 0.0


def passes(draft_text, candidate_text, doc_frequency=None, total_docs=0, threshold=None):
    """Whether the candidate is similar enough to show beside the draft."""
    value = score(keywords(draft_text), stems(candidate_text), doc_frequency, total_docs)
    return value >= (THRESHOLD if threshold is None else threshold)
