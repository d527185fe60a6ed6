"""Who takes part, against who might: the pure core of the participation
dashboard (no I/O; tested directly, like consult/phases.py).

Counts come in as plain dicts; what comes out is rows for tables and
sentences for people. Small counts are suppressed so no one can be picked
out: a count from 1 to SUPPRESS_BELOW - 1 is shown as "fewer than 5", and
its share is not shown either (a share of a known total gives the count
back)."""

from dataclasses import dataclass

SUPPRESS_BELOW = 5
# A group is called out when its share is under this fraction of its
# reference share (and the reference is big enough to expect someone).
UNDER_FRACTION = 0.5
EXPECT_AT_LEAST = 1.0  # per cent of the reference, below which absence is not remarkable


def suppressed(count):
    """The count as it may be shown: None for 1..4 ("fewer than 5")."""
    return None if 0 < count < SUPPRESS_BELOW else count


def shown(count):
    value = suppressed(count)
    return f"fewer than {SUPPRESS_BELOW}" if value is None else f"{value:,}"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int | None          # None: suppressed
    share: float | None        # per cent of the total; None when suppressed or no total
    reference: float | None    # per cent, from the team's or the default reference
    under: bool                # under-represented against the reference
    missing: bool              # none at all, where the reference expects some

    @property
    def count_text(self):
        return f"fewer than {SUPPRESS_BELOW}" if self.count is None else f"{self.count:,}"

    @property
    def share_text(self):
        return "" if self.share is None else f"{self.share:.0f}%"

    @property
    def reference_text(self):
        return "" if self.reference is None else f"{self.reference:g}%"


def compare(counts, choices, reference=None):
    """Rows for one dimension (type, size or region): `counts` maps a key to
    its count, `choices` is [(key, label)] in display order, `reference`
    maps keys to per cent shares (or None)."""
    reference = reference or {}
    total = sum(counts.get(key, 0) for key, _ in choices)
    rows = []
    for key, label in choices:
        n = counts.get(key, 0)
        visible = suppressed(n)
        share = (100.0 * n / total) if total and visible is not None else None
        ref = reference.get(key)
        expected = ref is not None and ref >= EXPECT_AT_LEAST
        missing = n == 0 and expected and total > 0
        # Under-representation is judged on the true count (a suppressed count
        # is still small), but only said where it can be said without the count.
        under = expected and total > 0 and (100.0 * n / total) < ref * UNDER_FRACTION
        rows.append(Row(key, label, visible, share, ref, under, missing))
    return rows


def _list(words, conjunction="and"):
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def gaps(rows, *, noun, dimension, against):
    """Sentences naming who is missing or under-represented, e.g.
    "No ideas yet from organisations in Wales or Scotland." The wording of
    each dimension: `dimension` is "in" (regions), "size" or "type"."""
    sentences = []
    missing = [r.label for r in rows if r.missing]
    under = [r for r in rows if r.under and not r.missing]
    if missing:
        if dimension == "region":
            sentences.append(f"No {noun} yet from organisations in {_list(missing, 'or')}.")
        elif dimension == "size":
            names = [m.split(" (")[0].lower() for m in missing]
            sentences.append(f"No {noun} yet from {_list(names, 'or')} organisations.")
        else:
            sentences.append(f"No {noun} yet from: {_list(m.lower() if not m[:2].isupper() else m for m in missing)}.")
    for r in under:
        label = r.label.split(" (")[0]
        if r.count is None:
            part = f"fewer than {SUPPRESS_BELOW} {noun}"
        else:
            part = f"{r.share:.0f}% of {noun} from organisations"
        sentences.append(f"{label}: {part}, against {r.reference:g}% of {against}.")
    return sentences


def unanswered(questions):
    """The learning questions no public idea answers yet, in order:
    `questions` is [(question text, idea count)]."""
    return [text for text, n in questions if n == 0]
