"""What every backend answers with, so callers never know which one ran.

Snippets come back from FTS5's snippet(), PostgreSQL's ts_headline() and
Elasticsearch's highlighter with two control characters around each match
(MARK_START, MARK_END), never with HTML: `snippet_html` escapes the user's
text and only then turns the markers into <mark>, so a comment containing
"<script>" is shown, not run, whichever backend found it."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import mark_safe

MARK_START = "\x02"
MARK_END = "\x03"

# Fields a search can be filtered and faceted by: a document's value for each
# is one string or integer (or empty), the same in every backend.
FACETS = ("kind", "mission_id", "call_id", "status", "sector", "org_type")
SORTS = ("relevance", "newest", "supported")
KINDS = ("idea", "comment", "mission", "call", "page")


def snippet_html(text, limit=320):
    """Escaped text with <mark> around the matches the backend marked."""
    text = (text or "")[: limit * 2]
    out, inside = [], False
    for part in _split_marks(text):
        if part == MARK_START:
            if not inside:
                out.append("<mark>")
                inside = True
        elif part == MARK_END:
            if inside:
                out.append("</mark>")
                inside = False
        else:
            out.append(escape(part))
    if inside:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - each part escaped above, our <mark> tags only


def _split_marks(text):
    start = 0
    for i, char in enumerate(text):
        if char in (MARK_START, MARK_END):
            if i > start:
                yield text[start:i]
            yield char
            start = i + 1
    if start < len(text):
        yield text[start:]


def plain_snippet(text, limit=240):
    """The start of a text, escaped, for a hit whose match was not in its
    body: a snippet is always safe HTML, whichever way it was made."""
    text = " ".join((text or "").split())
    text = text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"
    return mark_safe(escape(text))  # noqa: S308 - escaped


@dataclass
class Hit:
    kind: str
    id: int
    title: str
    url: str
    context: str = ""  # e.g. the call an idea is in, shown under the title
    snippet: str = ""  # safe HTML (snippet_html)
    status: str = ""
    organisation: str = ""
    support_count: int = 0
    mission_id: int | None = None
    call_id: int | None = None
    published_at: datetime | None = None
    score: float = 0.0


@dataclass
class Results:
    hits: list = field(default_factory=list)
    total: int = 0
    # {"kind": [("idea", 12), ("comment", 3)], "mission_id": [(4, 7), …], …}
    facets: dict = field(default_factory=dict)
    backend: str = ""
    # Something the page should say: the index is down and the database
    # answered, the words were corrected, the query had no words to look for.
    notice: str = ""
    corrected: str = ""  # the query actually searched for, when it was corrected
    error: str = ""  # the query cannot be searched as typed (nothing stored, no 500)
    # Broad queries do bounded work (docs/search.md, "Broad queries"): the
    # total is then "more than `total`", each facet count "at least" its
    # value, and relevance ranked in full only `ranked_among` matches, chosen
    # by a quicker first score (0: every match was ranked). `browsable` is
    # how many results the pages reach (None: all of `total`).
    total_is_lower_bound: bool = False
    facets_are_lower_bounds: bool = False
    ranked_among: int = 0
    browsable: int | None = None

    @property
    def reachable(self):
        """Results the pages can show, in order."""
        return self.total if self.browsable is None else min(self.total, self.browsable)
