"""Who takes part, against who might: the pure core of the participation
dashboard (no I/O; tested directly, like consult/phases.py).

Counts come in as plain dicts; what comes out is rows for tables and
sentences for people. Small counts are suppressed so no one can be picked
out: a count from 1 to SUPPRESS_BELOW - 1 is shown as "fewer than 5", and
its share is not shown either (a share of a known total gives the count
back). Where a total is shown beside its parts, `protect` also withholds
the next smallest part (secondary suppression), so the total less the parts
shown never gives a suppressed count back."""

from dataclasses import dataclass, field

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


WITHHELD = "withheld"


@dataclass(frozen=True)
class Protected:
    """A group of counts that add up to a total, as it may be published:
    `values` maps each key to its count or None (not shown); `small` are the
    keys not shown because they are 1 to 4 ("fewer than 5"), `withheld` those
    not shown so that a small one cannot be worked out from the total;
    `total_shown` is False when even that is not enough (every other part is
    0), so the total must not be shown either."""

    values: dict
    small: frozenset = field(default_factory=frozenset)
    withheld: frozenset = field(default_factory=frozenset)
    total_shown: bool = True

    def text(self, key):
        if key in self.small:
            return f"fewer than {SUPPRESS_BELOW}"
        if key in self.withheld:
            return WITHHELD
        return f"{self.values.get(key, 0):,}"


def _bounds(counts, small, withheld):
    """What a reader knows of each hidden count: a small one is 1 to 4; a
    withheld one is at least 5 (only counts of 5 or more are withheld) and
    at most the smallest count still shown of 5 or more (the smallest are
    withheld first)."""
    shown_big = [n for k, n in counts.items() if k not in small and k not in withheld and n >= SUPPRESS_BELOW]
    ceiling = min(shown_big) if shown_big else float("inf")
    bounds = {k: (1, SUPPRESS_BELOW - 1) for k in small}
    bounds.update({k: (SUPPRESS_BELOW, ceiling) for k in withheld})
    return bounds


def _derivable(counts, small, withheld):
    """True when the total less the shown parts pins down a hidden count:
    the hidden counts' sum is known, and with each count's bounds a single
    value is left for one of them (one hidden count; two small ones adding
    up to 2; a withheld 5 beside a small one adding up to 6...)."""
    bounds = _bounds(counts, small, withheld)
    rest = sum(counts[k] for k in bounds)
    for key, (low, high) in bounds.items():
        others_low = sum(b[0] for k, b in bounds.items() if k != key)
        others_high = sum(b[1] for k, b in bounds.items() if k != key)
        if max(low, rest - others_high) == min(high, rest - others_low):
            return True
    return False


def protect(counts, total_known=True):
    """The counts of one group (a table's column whose parts add up to a
    total anyone can see) as they may be published. Primary suppression:
    counts of 1 to 4 are not shown. Secondary suppression: while the total
    less the shown counts would give a hidden count back, the next smallest
    count still shown (never a 0: a 0 is known) is withheld too; when no
    count is left to withhold, the total is not shown. `total_known=False`
    for a group whose parts do not add up to any published total (people
    active each week: one person counts in many weeks), where only the
    small counts are hidden."""
    counts = {k: int(n or 0) for k, n in counts.items()}
    small = {k for k, n in counts.items() if suppressed(n) is None}
    withheld = set()
    total_shown = True
    if total_known and small:
        while _derivable(counts, small, withheld):
            candidates = sorted((n, str(k)) for k, n in counts.items()
                                if n >= SUPPRESS_BELOW and k not in withheld)
            if not candidates:
                total_shown = False
                break
            smallest = candidates[0][1]
            withheld.add(next(k for k in counts if str(k) == smallest))
    values = {k: (None if k in small or k in withheld else n) for k, n in counts.items()}
    return Protected(values, frozenset(small), frozenset(withheld), total_shown)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int | None          # None: not shown (fewer than 5, or withheld)
    share: float | None        # per cent of the total; None when the count or the total is not shown
    reference: float | None    # per cent, from the team's or the default reference
    under: bool                # under-represented against the reference
    missing: bool              # none at all, where the reference expects some
    withheld: bool = False     # not shown so that a count under 5 cannot be worked out

    @property
    def count_text(self):
        if self.withheld:
            return WITHHELD
        return f"fewer than {SUPPRESS_BELOW}" if self.count is None else f"{self.count:,}"

    @property
    def share_text(self):
        return "" if self.share is None else f"{self.share:.0f}%"

    @property
    def reference_text(self):
        return "" if self.reference is None else f"{self.reference:g}%"


def compare(counts, choices, reference=None, protected=None, shares=True):
    """Rows for one dimension (type, size or region): `counts` maps a key to
    its count, `choices` is [(key, label)] in display order, `reference`
    maps keys to per cent shares (or None). `protected` (a Protected, from
    `protect`) says which counts are not shown; without it only counts of 1
    to 4 are hidden. `shares=False` when the dimension's total is not shown:
    a share of it would give the total back."""
    reference = reference or {}
    total = sum(counts.get(key, 0) for key, _ in choices)
    rows = []
    for key, label in choices:
        n = counts.get(key, 0)
        if protected is None:
            visible, withheld = suppressed(n), False
        else:
            visible, withheld = protected.values.get(key, n), key in protected.withheld
        share = (100.0 * n / total) if shares and total and visible is not None else None
        ref = reference.get(key)
        expected = ref is not None and ref >= EXPECT_AT_LEAST
        missing = n == 0 and expected and total > 0
        # Under-representation is judged on the true count (a suppressed count
        # is still small), but only said where it can be said without the count.
        under = expected and total > 0 and (100.0 * n / total) < ref * UNDER_FRACTION
        rows.append(Row(key, label, visible, share, ref, under, missing, withheld))
    return rows


def _list(words, conjunction="and"):
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def gaps(rows, *, noun, dimension, against, who="organisations"):
    """Sentences naming who is missing or under-represented, e.g.
    "No ideas yet from organisations in Wales or Scotland." The wording of
    each dimension: `dimension` is "in" (regions), "size" or "type"; `who`
    the organisations the rows count ("businesses" for sizes)."""
    sentences = []
    missing = [r.label for r in rows if r.missing]
    under = [r for r in rows if r.under and not r.missing]
    if missing:
        if dimension == "region":
            sentences.append(f"No {noun} yet from organisations in {_list(missing, 'or')}.")
        elif dimension == "size":
            names = [m.split(" (")[0].lower() for m in missing]
            sentences.append(f"No {noun} yet from {_list(names, 'or')} {who}.")
        else:
            sentences.append(f"No {noun} yet from: {_list(m.lower() if not m[:2].isupper() else m for m in missing)}.")
    for r in under:
        label = r.label.split(" (")[0]
        if r.withheld or (r.count is not None and r.share is None):
            sentences.append(f"{label}: under-represented, against {r.reference:g}% of {against}.")
            continue
        if r.count is None:
            part = f"fewer than {SUPPRESS_BELOW} {noun}"
        else:
            part = f"{r.share:.0f}% of {noun} from {who}"
        sentences.append(f"{label}: {part}, against {r.reference:g}% of {against}.")
    return sentences


def unanswered(questions):
    """The learning questions no public idea answers yet, in order:
    `questions` is [(question text, idea count)]."""
    return [text for text, n in questions if n == 0]
