"""Campaign responses: identical or near-identical free-text answers sent
by many respondents, found so that the analysis counts an organised
campaign as one campaign with its number of respondents, apart from the
individual responses (pure: texts in, groups out; tested directly).

UK government practice counts them separately: the Cabinet Office's
Consultation Principles (2018) ask departments to publish how responses
were analysed, and government response documents (e.g. DEFRA's and DESNZ's
summaries of responses) report "campaign responses" — identical or
near-identical texts organised by a campaign group — as a count apart from
the individual responses, read once rather than weighed as many. We call a
group a campaign from CAMPAIGN_MIN_RESPONDENTS respondents.

How: each text is normalised (case, whitespace and punctuation), identical
normalised texts are one group, and near-identical ones (Jaccard similarity
of their three-word shingles of at least SIMILARITY: one changed word in a
campaign letter of 30 words or more) are joined. To stay near linear at
100,000 responses, texts are not compared pairwise: a MinHash signature of
each distinct text is cut into bands (locality-sensitive hashing), texts
sharing a band fall in one bucket, and each is compared exactly with its
bucket's first text only. Texts under CAMPAIGN_MIN_WORDS words ("No
comment", "I agree") are common answers, not campaigns: they are grouped
only when identical, and never called a campaign."""

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np

CAMPAIGN_MIN_RESPONDENTS = 5     # respondents sending one text before it is a campaign
CAMPAIGN_MIN_WORDS = 10          # shorter texts are common answers, not campaign texts
SIMILARITY = 0.8                 # Jaccard similarity of shingles for near-identical texts
SHINGLE_WORDS = 3
BANDS, ROWS = 8, 4               # 32 MinHash values: P(candidate) ≈ 0.985 at similarity 0.8, 0.40 at 0.5
_PRIME = (1 << 31) - 1  # a Mersenne prime: (a·x + b) mod p, with a, x < p, fits in 64 bits
_rng = np.random.default_rng(29)
_A = _rng.integers(1, _PRIME, size=BANDS * ROWS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=BANDS * ROWS, dtype=np.uint64)
_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, punctuation dropped, whitespace as one space."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return _SPACE.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def shingles(normalised: str) -> frozenset:
    words = normalised.split()
    if len(words) <= SHINGLE_WORDS:
        return frozenset([" ".join(words)])
    return frozenset(" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))


def similarity(a: frozenset, b: frozenset) -> float:
    """Jaccard similarity of two sets of shingles."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _hash(shingle):
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big") % _PRIME


def signature(found: frozenset) -> tuple[int, ...]:
    """The MinHash signature of a set of shingles (BANDS × ROWS values)."""
    values = np.fromiter((_hash(s) for s in found), dtype=np.uint64, count=len(found))
    return tuple(int(v) for v in ((_A[:, None] * values[None, :] + _B[:, None]) % _PRIME).min(axis=1))


@dataclass(frozen=True)
class Group:
    keys: tuple            # the answers (their keys) in the group, one per respondent
    text: str              # the text most of them sent

    @property
    def respondents(self) -> int:
        return len(self.keys)


def group(texts: Mapping[Hashable, str]) -> list[Group]:
    """Identical and near-identical texts grouped, biggest first; every key is in one group."""
    by_text: dict[str, list] = {}
    for key, text in texts.items():
        by_text.setdefault(normalise(text), []).append(key)
    distinct = list(by_text)
    parent = list(range(len(distinct)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sets = {}
    buckets: dict[tuple, int] = {}
    for i, text in enumerate(distinct):
        if len(text.split()) < CAMPAIGN_MIN_WORDS:
            continue
        sets[i] = shingles(text)
        values = signature(sets[i])
        for band in range(BANDS):
            bucket = (band, values[band * ROWS:(band + 1) * ROWS])
            first = buckets.setdefault(bucket, i)
            if first != i and root(first) != root(i) and similarity(sets[first], sets[i]) >= SIMILARITY:
                parent[root(i)] = root(first)
    members: dict[int, list[int]] = {}
    for i in range(len(distinct)):
        members.setdefault(root(i), []).append(i)
    groups = []
    for indices in members.values():
        keys = [key for i in indices for key in by_text[distinct[i]]]
        originals = Counter(texts[key].strip() for key in keys)
        groups.append(Group(tuple(keys), originals.most_common(1)[0][0]))
    groups.sort(key=lambda g: (-g.respondents, g.text))
    return groups


def campaigns(texts: Mapping[Hashable, str]) -> list[Group]:
    """The groups that are campaigns: CAMPAIGN_MIN_RESPONDENTS or more
    respondents sending one text of CAMPAIGN_MIN_WORDS words or more."""
    return [g for g in group(texts)
            if g.respondents >= CAMPAIGN_MIN_RESPONDENTS and len(normalise(g.text).split()) >= CAMPAIGN_MIN_WORDS]
