"""The search box's syntax, parsed once, for every backend.

People type what web search engines taught them: words (all must match),
"quoted phrases", -exclusions and OR between alternatives. This module turns
that text into a small structure with no I/O, and each backend renders the
structure in its own syntax (FTS5 MATCH, a PostgreSQL websearch string, an
Elasticsearch bool query). User text therefore never reaches a backend as
raw query syntax: every word is re-quoted, and anything the grammar does not
know (brackets, colons, stars, carets) is just punctuation between words.

    parse('heat "air source" -gas OR oil')
    -> Query(clauses=((Term("heat"),), (Term("air source", phrase=True),)),
             excluded=(Term("gas"),))  # "-gas OR oil": see below

A leading "-" excludes the word or phrase it touches. "OR" (in capitals, as
Google and websearch_to_tsquery read it) joins the terms either side of it
into one clause that needs only one of them. An unterminated quote runs to
the end of the text."""

import re
from dataclasses import dataclass, field

MAX_TERMS = 12
MAX_TERM_LENGTH = 60

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class Term:
    text: str  # words joined by single spaces, as typed (case kept)
    phrase: bool = False

    @property
    def words(self):
        return self.text.split()


@dataclass(frozen=True)
class Query:
    clauses: tuple = ()  # AND of clauses; each clause an OR of Terms
    excluded: tuple = ()  # Terms that must not match
    notes: tuple = field(default=(), compare=False)  # what was dropped, for the page

    @property
    def empty(self):
        return not self.clauses

    def terms(self):
        """Every positive term, in order."""
        return [term for clause in self.clauses for term in clause]

    def words(self):
        """Every positive word (phrases split), lower-cased, once each."""
        seen = []
        for term in self.terms():
            for word in term.words:
                if word.lower() not in seen:
                    seen.append(word.lower())
        return seen


def _words(text):
    return " ".join(_WORD.findall(text))[: MAX_TERM_LENGTH * 4]


def parse(text):
    """The Query for a search box's text (never raises)."""
    text = (text or "").replace("\x00", " ")
    clauses, excluded, notes = [], [], []
    join_next = False
    count = 0
    for match in _TOKEN.finditer(text):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare == "OR":
                join_next = bool(clauses)
                continue
            negated = bare.startswith("-") and len(bare) > 1
            words = _words(bare[1:] if negated else bare)
            phrase = len(words.split()) > 1  # "heat-pump" is the phrase "heat pump"
        else:
            words = _words(quoted)
            phrase = len(words.split()) > 1
        if not words:
            join_next = False
            continue
        if count >= MAX_TERMS:
            notes.append("Only the first %d words and phrases were searched for." % MAX_TERMS)
            break
        count += 1
        term = Term(words[: MAX_TERM_LENGTH * 4], phrase=phrase)
        if negated:
            excluded.append(term)
            join_next = False
        elif join_next and clauses:
            clauses[-1] = clauses[-1] + (term,)
            join_next = False
        else:
            clauses.append((term,))
    return Query(tuple(clauses), tuple(excluded), tuple(dict.fromkeys(notes)))


def _quoted(text):
    return '"' + text.replace('"', '""') + '"'


def to_fts5(query, *, prefix=True):
    """An SQLite FTS5 MATCH expression. Every term is a quoted string, so no
    user text is read as FTS5 syntax. A single word also matches as a prefix
    ("mentor" finds "mentoring" however the stemmer cut it)."""
    if query.empty:
        return ""

    def term(t):
        if not t.phrase and prefix and len(t.text) >= 3:
            return f"({_quoted(t.text)} OR {_quoted(t.text)}*)"
        return _quoted(t.text)

    positive = " AND ".join(
        "(" + " OR ".join(term(t) for t in clause) + ")" if len(clause) > 1 else term(clause[0])
        for clause in query.clauses
    )
    if query.excluded:
        negative = " OR ".join(_quoted(t.text) for t in query.excluded)
        return f"({positive}) NOT ({negative})"
    return positive


def to_websearch(query):
    """The same query as text for PostgreSQL's websearch_to_tsquery, which
    never raises on any input; rebuilt from the parsed terms so it means
    exactly what the other backends search for."""

    def term(t):
        return f'"{t.text}"' if t.phrase else t.text

    parts = [" OR ".join(term(t) for t in clause) for clause in query.clauses]
    parts += [f"-{term(t)}" for t in query.excluded]
    return " ".join(parts)


def describe(query):
    """The query as the page says it back ("Results for …")."""
    return to_websearch(query)
