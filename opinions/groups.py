"""Opinion groups, representative statements and group-informed consensus.

The pure computational core of the opinion map (issue #15): no Django, no I/O.
It follows the published Pol.is math (compdemocracy/polis, ``math/src/polismath/
math/{conversation,pca,clusters,repness,stats}.clj``); docs/opinion-map.md gives
the method, the places where we differ and the validation on real Pol.is data.

Entry point::

    result = compute(votes, meta=frozenset(), min_votes=7, seed=0)

``votes`` is an iterable of ``(participant_key, statement_id, value)`` with
value 1 agree, -1 disagree, 0 pass (a later triple for the same pair replaces an
earlier one: pass them in the order they were cast), or a :class:`VoteArrays`
of three parallel arrays (faster for large calls). Keys and statement ids are
any hashables; they are ordered by sorting, so the result does not depend on
the order of the input rows, only on the votes and ``seed``.

Nothing here raises on degenerate input (no votes, one participant, one
statement, everyone voting alike): the map then has no group or a single group
and ``reason`` says why.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, LinearOperator, eigsh

__all__ = [
    "AGREE",
    "DISAGREE",
    "PASS",
    "Group",
    "OpinionMap",
    "Placement",
    "Representative",
    "StatementTally",
    "Tally",
    "VoteArrays",
    "adjusted_rand_index",
    "compute",
    "is_distinctive",
    "group_informed_consensus",
    "prop_test",
    "silhouette",
    "smoothed_share",
    "two_prop_test",
]

AGREE, DISAGREE, PASS = 1, -1, 0

#: One-sided z thresholds used by Pol.is (stats.clj ``z-sig-90?``, ``z-sig-95?``).
Z_90 = 1.2816
Z_95 = 1.6449

#: Pol.is defaults (conversation.clj ``base-conv-update-graph`` opts).
BASE_K = 100
MAX_GROUPS = 5
MIN_VOTES = 7
N_REPRESENTATIVE = 5

#: A statement is said to set a group apart (is *distinctive*) only when the
#: difference is significant and at least this many of the group's members
#: voted on it. Below that, Pol.is's tests can pass on three votes out of
#: three; the statement stays among the group's representatives (as Pol.is
#: picks them) but the pages do not call it distinctive.
MIN_DISTINCTIVE_VOTES = 5


def is_distinctive(significant, n_votes, min_votes=MIN_DISTINCTIVE_VOTES):
    """Whether a representative statement may be called what sets its group
    apart: a significant difference (``significant``) on at least
    ``min_votes`` votes from the group's members (``n_votes``)."""
    return bool(significant) and int(n_votes) >= min_votes


# --------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """Final votes on one statement by some set of participants."""

    agree: int = 0
    disagree: int = 0
    passed: int = 0

    @property
    def n(self) -> int:
        return self.agree + self.disagree + self.passed

    def shares(self) -> dict[str, float]:
        """Raw shares (show them with ``n``): 0.0 each when nobody voted."""
        n = self.n
        if n == 0:
            return {"agree": 0.0, "disagree": 0.0, "pass": 0.0}
        return {"agree": self.agree / n, "disagree": self.disagree / n, "pass": self.passed / n}

    @property
    def smoothed_agree(self) -> float:
        """Pol.is's smoothed agree probability ``(1 + agree) / (2 + n)``."""
        return smoothed_share(self.agree, self.n)

    def as_dict(self) -> dict[str, Any]:
        return {"agree": self.agree, "disagree": self.disagree, "pass": self.passed, "n": self.n}


@dataclass(frozen=True)
class StatementTally:
    """Votes on one statement: overall (every participant) and per group (members)."""

    overall: Tally
    groups: Mapping[int, Tally]

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.as_dict(),
            "groups": {str(g): t.as_dict() for g, t in self.groups.items()},
        }


@dataclass(frozen=True)
class Representative:
    """A statement that sets a group apart (Pol.is repness, repness.clj).

    ``direction`` says whether the group agreed or disagreed with it more than
    the other groups. ``p_success`` is the group's smoothed probability of that
    vote, ``repness`` the ratio of that probability to the other groups',
    ``repness_test`` the two-proportion z (group vs other groups) and
    ``p_test`` the one-proportion z (group vs 1/2). ``inside`` and ``outside``
    are the group's and the other groups' tallies. ``significant`` is Pol.is's
    ``passes-by-test?`` (both z above 1.2816, 90 % one-sided); a group with no
    significant statement still gets its best one, flagged ``False``.
    ``distinctive`` adds the minimum of votes (:func:`is_distinctive`).
    """

    statement: Hashable
    direction: str
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    significant: bool
    best_agree: bool
    inside: Tally
    outside: Tally

    @property
    def distinctive(self) -> bool:
        return is_distinctive(self.significant, self.n_trials)

    def as_dict(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "direction": self.direction,
            "n_success": self.n_success,
            "n_trials": self.n_trials,
            "p_success": self.p_success,
            "p_test": self.p_test,
            "repness": self.repness,
            "repness_test": self.repness_test,
            "significant": self.significant,
            "distinctive": self.distinctive,
            "best_agree": self.best_agree,
            "inside": {**self.inside.as_dict(), "shares": self.inside.shares()},
            "outside": {**self.outside.as_dict(), "shares": self.outside.shares()},
        }


@dataclass(frozen=True)
class Group:
    """An opinion group.

    ``members`` are the participants who shaped it (in the model); ``placed``
    are participants with fewer votes assigned to it afterwards. ``size`` is
    ``len(members)``, as Pol.is counts (``n-members``); tallies, repness and
    consensus use the members only. ``n_participants`` counts everyone in
    the group (members and placed): the one number the pages give for it.
    """

    id: int
    size: int
    members: tuple
    placed: tuple
    centroid: tuple[float, float]
    representative: tuple[Representative, ...]

    @property
    def n_participants(self) -> int:
        return len(self.members) + len(self.placed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "size": self.size,
            "n_placed": len(self.placed),
            "n_participants": self.n_participants,
            "centroid": list(self.centroid),
            "representative": [r.as_dict() for r in self.representative],
        }


class Placement(NamedTuple):
    """A participant on the map: position, group (or None), and whether they shaped the groups."""

    x: float
    y: float
    group: int | None
    in_model: bool


@dataclass(frozen=True)
class OpinionMap:
    """Everything the opinion map shows; see :func:`compute`."""

    groups: tuple[Group, ...]
    participants: Mapping[Hashable, Placement]
    consensus: Mapping[Hashable, float]
    agreed_across_groups: tuple
    support: Mapping[Hashable, float]
    tallies: Mapping[Hashable, StatementTally]
    meta: Mapping[Hashable, StatementTally]
    n_votes: int
    n_participants: int
    n_statements: int
    n_in_model: int
    reason: str | None = None
    silhouettes: Mapping[int, float] = field(default_factory=dict)
    explained_variance: tuple[float, float] = (0.0, 0.0)
    params: Mapping[str, Any] = field(default_factory=dict)
    #: seconds per phase (read, pca, clusters, repness, output): not part of the result proper
    timings: Mapping[str, float] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; ``groups``/``participants``/``consensus`` as in issue #15 item 7."""
        return {
            "groups": [g.as_dict() for g in self.groups],
            "participants": {str(k): p.group for k, p in self.participants.items()},
            "positions": {
                str(k): {"x": p.x, "y": p.y, "group": p.group, "in_model": p.in_model}
                for k, p in self.participants.items()
            },
            "consensus": {str(s): c for s, c in self.consensus.items()},
            "agreed_across_groups": list(self.agreed_across_groups),
            "support": {str(s): v for s, v in self.support.items()},
            "tallies": {str(s): t.as_dict() for s, t in self.tallies.items()},
            "meta": {str(s): t.as_dict() for s, t in self.meta.items()},
            "n_votes": self.n_votes,
            "n_participants": self.n_participants,
            "n_statements": self.n_statements,
            "n_in_model": self.n_in_model,
            "reason": self.reason,
            "silhouettes": {str(k): v for k, v in self.silhouettes.items()},
            "explained_variance": list(self.explained_variance),
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class VoteArrays:
    """Votes as three parallel arrays (participant keys, statement ids, values).

    Later entries replace earlier ones for the same (participant, statement).
    """

    participants: Any
    statements: Any
    values: Any


# --------------------------------------------------------------------------
# Pol.is statistics (stats.clj, repness.clj, conversation.clj)
# --------------------------------------------------------------------------


def smoothed_share(successes, n):
    """``(1 + successes) / (2 + n)``: the +1/+2 prior Pol.is puts on every probability.

    With it 6 agrees out of 6 (0.875) rank below 20 out of 21 (0.913).
    """
    r = (np.asarray(successes, dtype=float) + 1.0) / (np.asarray(n, dtype=float) + 2.0)
    return float(r) if r.ndim == 0 else r


def prop_test(succ, n):
    """Pol.is ``prop-test``: z of a proportion against 1/2, with +1 on both counts."""
    succ = np.asarray(succ, dtype=float) + 1.0
    n = np.asarray(n, dtype=float) + 1.0
    z = 2.0 * np.sqrt(n) * (succ / n - 0.5)
    return float(z) if z.ndim == 0 else z


def two_prop_test(succ_in, succ_out, pop_in, pop_out):
    """Pol.is ``two-prop-test``: z of (in-group share − rest share), +1 on all four counts.

    Returns 0 where the pooled share is 1 (as Pol.is does).
    """
    s1 = np.asarray(succ_in, dtype=float) + 1.0
    s2 = np.asarray(succ_out, dtype=float) + 1.0
    n1 = np.asarray(pop_in, dtype=float) + 1.0
    n2 = np.asarray(pop_out, dtype=float) + 1.0
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(var > 0, (p1 - p2) / np.sqrt(np.where(var > 0, var, 1.0)), 0.0)
    return float(z) if z.ndim == 0 else z


def group_informed_consensus(agree_by_group, seen_by_group):
    """Pol.is ``group-aware-consensus``: product over groups of ``(A + 1) / (S + 2)``.

    Arrays of shape (groups, statements) (or (groups,)); S counts every vote,
    passes included. A statement scores high only if every group agrees.
    """
    a = np.asarray(agree_by_group, dtype=float)
    s = np.asarray(seen_by_group, dtype=float)
    return np.prod((a + 1.0) / (s + 2.0), axis=0)


# --------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------


def _sort_key(value):
    return (type(value).__name__, value)


def _factorize(values) -> tuple[list, np.ndarray]:
    """Sorted distinct keys and the code of each entry (deterministic order)."""
    if isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.kind in "iuUS":
        arr = values
    else:
        values = list(values)
        types = set(map(type, values))
        arr = None
        if len(types) == 1:
            (t,) = types
            if t is str or (issubclass(t, (int, np.integer)) and t is not bool):
                arr = np.asarray(values)
    if arr is not None:
        uniq, codes = np.unique(arr, return_inverse=True)
        return uniq.tolist(), codes.reshape(-1).astype(np.int64)
    index: dict = {}
    codes = np.empty(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        c = index.get(v)
        if c is None:
            c = index[v] = len(index)
        codes[i] = c
    keys = list(index)
    try:
        order = sorted(range(len(keys)), key=lambda i: _sort_key(keys[i]))
    except TypeError:
        order = sorted(range(len(keys)), key=lambda i: (type(keys[i]).__name__, repr(keys[i])))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys))
    return [keys[i] for i in order], rank[codes]


def _read_votes(votes) -> tuple[list, list, np.ndarray, np.ndarray, np.ndarray]:
    """(participant keys, statement ids, row codes, column codes, values), one entry per pair."""
    if isinstance(votes, VoteArrays):
        p, s, v = votes.participants, votes.statements, votes.values
    else:
        rows = list(votes)
        if rows:
            p, s, v = zip(*rows)
        else:
            p, s, v = (), (), ()
    n = len(v)
    if not (len(p) == len(s) == n):
        raise ValueError("participants, statements and values must have the same length")
    if n == 0:
        return [], [], np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, float)
    values = np.asarray(v, dtype=float)
    if not np.all(np.isin(values, (-1.0, 0.0, 1.0))):
        raise ValueError("vote values must be 1 (agree), -1 (disagree) or 0 (pass)")
    pkeys, pc = _factorize(p)
    skeys, sc = _factorize(s)
    # Keep the last vote per (participant, statement).
    pair = pc * max(len(skeys), 1) + sc
    _, first_in_reversed = np.unique(pair[::-1], return_index=True)
    keep = np.sort(n - 1 - first_in_reversed)
    return pkeys, skeys, pc[keep], sc[keep], values[keep]


# --------------------------------------------------------------------------
# PCA (pca.clj) and clustering (clusters.clj)
# --------------------------------------------------------------------------


def _top2_components(xf: sp.csr_matrix, seed: int) -> tuple[np.ndarray, np.ndarray, float]:
    """First two principal axes of the centred, imputed matrix ``xf`` (rows × statements).

    Pol.is runs power iteration on XᵀX; we take the same eigenvectors exactly,
    from the dense d×d Gram matrix when d is small and with ARPACK (Lanczos on
    the operator v ↦ Xᵀ(Xv), never forming X densely) otherwise.
    Returns (components 2×d, eigenvalues (2,), total sum of squares).
    """
    n, d = xf.shape
    total = float(xf.multiply(xf).sum())
    comps = np.zeros((2, d))
    evals = np.zeros(2)
    if n == 0 or d == 0 or total <= 0.0:
        return comps, evals, total
    k = min(2, d)
    vecs = vals = None
    if d > 300 and d > k + 1:
        xt = xf.T.tocsr()
        op = LinearOperator((d, d), matvec=lambda v: xt @ (xf @ v), dtype=float)
        v0 = np.random.default_rng(seed).standard_normal(d)
        try:
            vals, vecs = eigsh(op, k=k, which="LA", v0=v0, tol=1e-10, maxiter=20 * d)
        except (ArpackNoConvergence, ArpackError):
            vecs = None
    if vecs is None:
        gram = (xf.T @ xf).toarray()
        w, u = np.linalg.eigh(gram)
        vals, vecs = w[::-1][:k], u[:, ::-1][:, :k]
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    for i in range(k):
        if vals[i] <= 1e-12 * total:
            continue
        vec = vecs[:, i]
        j = int(np.argmax(np.abs(vec)))
        if vec[j] < 0:  # deterministic sign: the heaviest loading is positive
            vec = -vec
        comps[i] = vec
        evals[i] = vals[i]
    return comps, evals, total


def _kmeans_once(points, k, rng, weights, max_iter):
    n = len(points)
    # k-means++ start (weighted), from the seeded generator
    centres = np.empty((k, points.shape[1]))
    first = rng.choice(n, p=weights / weights.sum())
    centres[0] = points[first]
    closest = ((points - centres[0]) ** 2).sum(axis=1)
    for c in range(1, k):
        prob = weights * closest
        total = prob.sum()
        idx = rng.choice(n, p=prob / total) if total > 0 else int(rng.integers(n))
        centres[c] = points[idx]
        closest = np.minimum(closest, ((points - centres[c]) ** 2).sum(axis=1))
    labels = None
    for _ in range(max_iter):
        new = cKDTree(centres).query(points)[1]
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        wsum = np.bincount(labels, weights=weights, minlength=k)
        for dim in range(points.shape[1]):
            num = np.bincount(labels, weights=weights * points[:, dim], minlength=k)
            centres[:, dim] = np.where(wsum > 0, num / np.where(wsum > 0, wsum, 1), centres[:, dim])
    dist, labels = cKDTree(centres).query(points)
    inertia = float((weights * dist ** 2).sum())
    # drop empty clusters (Pol.is cluster-step does) and number the rest 0..m-1
    used = np.unique(labels)
    remap = np.full(k, -1, np.int64)
    remap[used] = np.arange(len(used))
    return remap[labels], inertia


def _kmeans(points, k, seed, *, weights=None, n_init=1, max_iter=100):
    """Weighted Lloyd k-means with k-means++ starts; best of ``n_init`` by inertia.

    Small and deterministic for a seed (Pol.is: clusters.clj ``kmeans``, whose
    weighted means are the same; its start is the first k distinct points).
    """
    points = np.asarray(points, dtype=float)
    weights = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=float)
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(n_init):
        labels, inertia = _kmeans_once(points, k, rng, weights, max_iter)
        if best is None or inertia < best[1] - 1e-12:
            best = (labels, inertia)
    return best[0]


def silhouette(points, labels) -> float:
    """Mean silhouette coefficient (0 for a member of a singleton cluster), as Pol.is's ``silhouette``."""
    points = np.asarray(points, dtype=float)
    labels = np.asarray(labels)
    dist = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    ids = np.unique(labels)
    onehot = (labels[:, None] == ids[None, :]).astype(float)
    sums = dist @ onehot
    counts = onehot.sum(axis=0)
    own = np.searchsorted(ids, labels)
    n_own = counts[own] - 1
    a = np.where(n_own > 0, sums[np.arange(len(labels)), own] / np.maximum(n_own, 1), 0.0)
    mean_other = sums / np.maximum(counts, 1)[None, :]
    mean_other[np.arange(len(labels)), own] = np.inf
    b = mean_other.min(axis=1)
    denom = np.maximum(a, b)
    s = np.where((n_own > 0) & (denom > 0), (b - a) / np.where(denom > 0, denom, 1), 0.0)
    return float(s.mean())


def adjusted_rand_index(labels_a, labels_b) -> float:
    """Adjusted Rand index of two partitions of the same items (Hubert & Arabie 1985)."""
    a = np.unique(np.asarray(labels_a), return_inverse=True)[1].reshape(-1)
    b = np.unique(np.asarray(labels_b), return_inverse=True)[1].reshape(-1)
    n = len(a)
    if n < 2:
        return 1.0
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)

    def comb2(x):
        return (x * (x - 1) / 2).sum()

    index = comb2(table)
    sum_a, sum_b = comb2(table.sum(axis=1)), comb2(table.sum(axis=0))
    expected = sum_a * sum_b / comb2(np.array([n]))
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))


def _base_clusters(y: np.ndarray, base_k: int, seed: int):
    """Pol.is base clusters: k-means with k = base_k over the in-model positions.

    Returns (labels per point, centres, sizes). When there are no more distinct
    positions than base_k, each distinct position is its own base cluster.
    """
    uniq, inverse = np.unique(np.round(y, 12), axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    if len(uniq) <= base_k:
        labels = inverse
    else:
        # several starts while cheap (k-means on 2-d points): 10 up to 1,000 points, 1 from 10,000
        labels = _kmeans(y, base_k, seed, n_init=max(1, min(10, 10_000 // len(y))))
    n_lab = int(labels.max()) + 1
    sizes = np.bincount(labels, minlength=n_lab).astype(float)
    sums = np.zeros((n_lab, y.shape[1]))
    np.add.at(sums, labels, y)
    used = sizes > 0
    remap = np.cumsum(used) - 1
    centres = sums[used] / sizes[used, None]
    return remap[labels], centres, sizes[used]


def _group_base_clusters(centres, sizes, max_groups, seed):
    """k from 2 to max-k by silhouette over the base-cluster centres (conversation.clj).

    Weighted k-means (weights = base cluster sizes); silhouette unweighted over
    centres, as Pol.is computes it; max-k = min(5, 2 + n_base // 12).
    Returns (labels per base cluster, silhouettes by k, reason or None).
    """
    nb = len(centres)
    if nb == 1:
        return np.zeros(1, np.int64), {}, "all participants in the model sit at one point: one group"
    if nb == 2:
        return np.arange(2), {}, None
    max_k = min(max_groups, 2 + nb // 12, nb - 1)
    best = None
    sils: dict[int, float] = {}
    for k in range(2, max_k + 1):
        labels = _kmeans(centres, k, seed, weights=sizes, n_init=10)
        if len(np.unique(labels)) < 2:
            continue
        s = silhouette(centres, labels)
        sils[k] = s
        if best is None or s > best[0] + 1e-12:
            best = (s, labels)
    if best is None:
        return np.zeros(nb, np.int64), sils, "no split of the participants was found: one group"
    return best[1], sils, None


# --------------------------------------------------------------------------
# Representativeness (repness.clj select-rep-comments)
# --------------------------------------------------------------------------


def _select_representative(stats: dict[str, np.ndarray], n_rep: int) -> list[tuple[int, str, bool, bool]]:
    """Pol.is's choice of a group's representative statements.

    ``stats`` holds, per statement column of this group, na nd ns pa pd pat pdt
    ra rd rat rdt. Returns (column, direction, significant, best_agree) in order.
    """
    na, nd = stats["na"], stats["nd"]
    pa, pat, ra, rat = stats["pa"], stats["pat"], stats["ra"], stats["rat"]
    pd, pdt, rd, rdt = stats["pd"], stats["pdt"], stats["rd"], stats["rdt"]
    passes = ((rat > Z_90) & (pat > Z_90)) | ((rdt > Z_90) & (pdt > Z_90))
    sufficient = np.flatnonzero(passes)

    def direction(j):
        return "agree" if rat[j] > rdt[j] else "disagree"

    # best-agree: a statement the group agrees with, sequentially as in beats-best-agr?
    best_agree = None
    for j in range(len(na)):
        if na[j] == 0 and nd[j] == 0:
            continue
        if best_agree is None:
            if pat[j] > Z_90 or (ra[j] > 1.0 and pa[j] > 0.5):
                best_agree = j
        elif ra[best_agree] > 1.0:
            if ra[j] * rat[j] * pa[j] * pat[j] > ra[best_agree] * rat[best_agree] * pa[best_agree] * pat[best_agree]:
                best_agree = j
        elif pa[j] * pat[j] > pa[best_agree] * pat[best_agree]:
            best_agree = j

    if len(sufficient) == 0:
        if best_agree is not None:
            return [(best_agree, "agree", False, True)]
        if len(na) == 0:
            return []
        best = int(np.argmax(np.maximum(rat, rdt)))  # beats-best-by-test?: first max
        return [(best, direction(best), False, False)]

    def metric(j):
        if direction(j) == "agree":
            return ra[j] * rat[j] * pa[j] * pat[j]
        return rd[j] * rdt[j] * pd[j] * pdt[j]

    rest = sorted((int(j) for j in sufficient if j != best_agree), key=lambda j: -metric(j))
    chosen = []
    if best_agree is not None:
        chosen.append((best_agree, "agree", bool(passes[best_agree]), True))
    chosen += [(j, direction(j), True, False) for j in rest]
    chosen = chosen[:n_rep]
    return [c for c in chosen if c[1] == "agree"] + [c for c in chosen if c[1] == "disagree"]


# --------------------------------------------------------------------------
# compute
# --------------------------------------------------------------------------


def _counts(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n_rows: int, n_cols: int):
    """Sparse 0/1 matrices (agree, disagree, seen), rows × cols."""
    def mat(mask):
        return sp.csr_matrix(
            (np.ones(int(mask.sum())), (rows[mask], cols[mask])), shape=(n_rows, n_cols)
        )

    return mat(values == 1), mat(values == -1), mat(np.ones(len(values), bool))


def compute(
    votes: Iterable[tuple[Hashable, Hashable, int]] | VoteArrays,
    *,
    meta: Iterable[Hashable] = frozenset(),
    min_votes: int = MIN_VOTES,
    seed: int = 0,
    base_k: int = BASE_K,
    max_groups: int = MAX_GROUPS,
    n_representative: int = N_REPRESENTATIVE,
    pca_fit: str = "in_model",
) -> OpinionMap:
    """Compute the opinion map of one call.

    - ``votes``: final votes, see the module docstring. Leave out votes on
      statements moderated out (Pol.is ``mod-out``).
    - ``meta``: statement ids about the participant ("I am under 25"): left out
      of the groups, repness and consensus, tallied per group in ``meta``.
    - ``min_votes``: participants who voted on at least ``min(min_votes,
      n_statements)`` statements shape the groups (Pol.is ``in-conv``); the
      others are projected and placed in the group of the nearest base cluster.
    - ``pca_fit``: ``"in_model"`` fits the PCA on those participants only (issue
      #15); ``"all"`` on every participant, as Pol.is's small-conversation code
      does. Statement means (the imputed value) come from the same rows.
    - ``seed``: seeds k-means and the eigen-solver start; same input and seed,
      same output.
    """
    if pca_fit not in ("in_model", "all"):
        raise ValueError("pca_fit must be 'in_model' or 'all'")
    meta = frozenset(meta)
    params = {
        "min_votes": min_votes, "seed": seed, "base_k": base_k, "max_groups": max_groups,
        "n_representative": n_representative, "pca_fit": pca_fit,
    }
    clock = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    pkeys, skeys, rows, cols, values = _read_votes(votes)
    lap("read")
    n_p = len(pkeys)
    n_votes = len(values)

    is_meta_col = np.array([s in meta for s in skeys], dtype=bool)
    active_cols = np.flatnonzero(~is_meta_col)
    meta_cols = np.flatnonzero(is_meta_col)
    col_new = np.full(len(skeys), -1, np.int64)
    col_new[active_cols] = np.arange(len(active_cols))
    act = col_new[cols] >= 0 if n_votes else np.zeros(0, bool)
    a_rows, a_cols, a_vals = rows[act], col_new[cols[act]], values[act]
    stmts = [skeys[j] for j in active_cols]
    d = len(stmts)

    n_voted = np.bincount(a_rows, minlength=n_p) if n_p else np.zeros(0, np.int64)
    threshold = max(1, min(min_votes, d))
    in_model = (n_voted >= threshold) if d else np.zeros(n_p, bool)
    n_in = int(in_model.sum())

    # ---- PCA on the centred matrix (missing -> statement mean -> 0 after centring)
    fit_rows = in_model if pca_fit == "in_model" else (n_voted > 0)
    xy = np.zeros((n_p, 2))
    reason = None
    explained = (0.0, 0.0)
    if d >= 2 and n_in >= 2:
        fit_mask = fit_rows[a_rows]
        sums = np.bincount(a_cols[fit_mask], weights=a_vals[fit_mask], minlength=d)
        cnts = np.bincount(a_cols[fit_mask], minlength=d)
        all_sums = np.bincount(a_cols, weights=a_vals, minlength=d)
        all_cnts = np.bincount(a_cols, minlength=d)
        mu = np.where(cnts > 0, sums / np.maximum(cnts, 1), all_sums / np.maximum(all_cnts, 1))
        centred = sp.csr_matrix((a_vals - mu[a_cols], (a_rows, a_cols)), shape=(n_p, d))
        fit_idx = np.flatnonzero(fit_rows)
        comps, evals, total = _top2_components(centred[fit_idx], seed)
        if total > 0:
            explained = (float(evals[0] / total), float(evals[1] / total))
        # sparsity-aware projection (pca.clj sparsity-aware-project-ptpt)
        scale = np.sqrt(d / np.maximum(n_voted, 1))
        xy = np.asarray(centred @ comps.T) * scale[:, None]
    elif d < 2:
        reason = "fewer than 2 statements: no groups"
    else:
        reason = f"fewer than 2 participants voted on at least {threshold} statements: no groups"

    lap("pca")

    # ---- clusters
    group_of = np.full(n_p, -1, np.int64)
    silhouettes: dict[int, float] = {}
    centroids = np.zeros((0, 2))
    if reason is None:
        in_idx = np.flatnonzero(in_model)
        y = xy[in_idx]
        base_labels, base_centres, base_sizes = _base_clusters(y, base_k, seed)
        glabels, silhouettes, reason = _group_base_clusters(base_centres, base_sizes, max_groups, seed)
        member_group = glabels[base_labels]
        n_g = int(glabels.max()) + 1
        # order groups by size (desc), then centroid, ids 0..n_g-1
        sizes = np.bincount(member_group, minlength=n_g)
        cents = np.array([y[member_group == g].mean(axis=0) for g in range(n_g)])
        order = sorted(range(n_g), key=lambda g: (-sizes[g], round(cents[g, 0], 9), round(cents[g, 1], 9)))
        relabel = np.empty(n_g, np.int64)
        relabel[order] = np.arange(n_g)
        group_of[in_idx] = relabel[member_group]
        centroids = cents[order]
        # place participants with fewer votes (but at least one) by nearest base cluster
        out_idx = np.flatnonzero(~in_model & (n_voted > 0))
        if len(out_idx):
            nearest = cKDTree(base_centres).query(xy[out_idx])[1]
            group_of[out_idx] = relabel[glabels[nearest]]
    n_groups = len(centroids)

    lap("clusters")

    # ---- tallies: members (in model) per group, everyone overall
    agree_m, disagree_m, seen_m = _counts(rows, cols, values, n_p, len(skeys))
    member_rows = np.flatnonzero(in_model & (group_of >= 0))
    memb = sp.csr_matrix(
        (np.ones(len(member_rows)), (group_of[member_rows], member_rows)), shape=(n_groups, n_p)
    )
    n_s = len(skeys)
    g_agree = np.asarray((memb @ agree_m).todense()).reshape(n_groups, n_s)
    g_dis = np.asarray((memb @ disagree_m).todense()).reshape(n_groups, n_s)
    g_seen = np.asarray((memb @ seen_m).todense()).reshape(n_groups, n_s)
    o_agree = np.asarray(agree_m.sum(axis=0)).ravel()
    o_dis = np.asarray(disagree_m.sum(axis=0)).ravel()
    o_seen = np.asarray(seen_m.sum(axis=0)).ravel()

    def tally(a, dis, s):
        return Tally(int(a), int(dis), int(s - a - dis))

    def statement_tally(j):
        return StatementTally(
            overall=tally(o_agree[j], o_dis[j], o_seen[j]),
            groups={g: tally(g_agree[g, j], g_dis[g, j], g_seen[g, j]) for g in range(n_groups)},
        )

    tallies = {skeys[j]: statement_tally(j) for j in active_cols}
    meta_tallies = {skeys[j]: statement_tally(j) for j in meta_cols}

    # ---- consensus (group-aware-consensus) and smoothed support
    ac = active_cols
    support_arr = smoothed_share(o_agree[ac], o_seen[ac]) if d else np.zeros(0)
    if n_groups:
        cons_arr = group_informed_consensus(g_agree[:, ac], g_seen[:, ac])
    else:
        cons_arr = support_arr.copy()
    consensus = {s: float(c) for s, c in zip(stmts, cons_arr)}
    support = {s: float(v) for s, v in zip(stmts, support_arr)}
    order = sorted(range(d), key=lambda j: (-cons_arr[j], -support_arr[j], j))
    agreed = tuple(stmts[j] for j in order)

    # ---- representativeness per group
    groups = []
    for g in range(n_groups):
        na, nd, ns = g_agree[g, ac], g_dis[g, ac], g_seen[g, ac]
        ra_n, rd_n, rs_n = (np.delete(x[:, ac], g, axis=0).sum(axis=0) for x in (g_agree, g_dis, g_seen))
        pa, pd = smoothed_share(na, ns), smoothed_share(nd, ns)
        stats = {
            "na": na, "nd": nd, "ns": ns, "pa": pa, "pd": pd,
            "pat": prop_test(na, ns) * np.ones(d), "pdt": prop_test(nd, ns) * np.ones(d),
            "ra": pa / smoothed_share(ra_n, rs_n), "rd": pd / smoothed_share(rd_n, rs_n),
            "rat": two_prop_test(na, ra_n, ns, rs_n) * np.ones(d),
            "rdt": two_prop_test(nd, rd_n, ns, rs_n) * np.ones(d),
        }
        reps = []
        # with a single group there is no "rest" to set it apart from
        chosen = _select_representative(stats, n_representative)[:n_representative] if n_groups > 1 else []
        for j, direction, significant, best in chosen:
            agree_dir = direction == "agree"
            reps.append(Representative(
                statement=stmts[j],
                direction=direction,
                n_success=int(na[j] if agree_dir else nd[j]),
                n_trials=int(ns[j]),
                p_success=float(pa[j] if agree_dir else pd[j]),
                p_test=float(stats["pat"][j] if agree_dir else stats["pdt"][j]),
                repness=float(stats["ra"][j] if agree_dir else stats["rd"][j]),
                repness_test=float(stats["rat"][j] if agree_dir else stats["rdt"][j]),
                significant=significant,
                best_agree=best,
                inside=tally(na[j], nd[j], ns[j]),
                outside=tally(ra_n[j], rd_n[j], rs_n[j]),
            ))
        members = tuple(pkeys[i] for i in np.flatnonzero((group_of == g) & in_model))
        placed = tuple(pkeys[i] for i in np.flatnonzero((group_of == g) & ~in_model))
        groups.append(Group(
            id=g, size=len(members), members=members, placed=placed,
            centroid=(float(centroids[g, 0]), float(centroids[g, 1])),
            representative=tuple(reps),
        ))

    lap("repness")
    participants = {
        pkeys[i]: Placement(
            float(xy[i, 0]), float(xy[i, 1]),
            int(group_of[i]) if group_of[i] >= 0 else None, bool(in_model[i]),
        )
        for i in range(n_p)
    }
    if n_p == 0:
        reason = "no votes"
    lap("output")

    return OpinionMap(
        groups=tuple(groups),
        participants=participants,
        consensus=consensus,
        agreed_across_groups=agreed,
        support=support,
        tallies=tallies,
        meta=meta_tallies,
        n_votes=n_votes,
        n_participants=n_p,
        n_statements=d,
        n_in_model=n_in,
        reason=reason,
        silhouettes=silhouettes,
        explained_variance=explained,
        params=params,
        timings=timings,
    )
