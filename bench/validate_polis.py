"""Validate opinions.groups on the three real Pol.is exports (issue #15, item 8).

For each conversation in ../shared/data/polis/ (README.md there describes the
files): read the final participant × statement votes, leave out statements
moderated out (``moderated`` = -1, as Pol.is's ``mod-out`` does), compute our
opinion map, and compare with what Pol.is computed:

- groups: adjusted Rand index (ARI) between our groups and Pol.is's
  ``group-id``, over the participants Pol.is clustered;
- consensus: group-informed consensus (Pol.is's formula, product over groups of
  (A + 1) / (S + 2)) on Pol.is's groups vs on ours: overlap of the top 5 and
  top 10 statements and Spearman's rank correlation over all statements.

Pure Python + numpy/scipy; no Django. Usage::

    .venv/bin/python bench/validate_polis.py [--data DIR] [--seeds 10] [--json out.json]

Data: Pol.is open data (compdemocracy/openData), CC BY 4.0, The Computational
Democracy Project; see docs/opinion-map.md for the attribution.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opinions.groups import adjusted_rand_index, compute, group_informed_consensus  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polis"
CONVERSATIONS = ("brexit-consensus", "london.youth.policing", "scoop-hivemind.affordable-housing")
FIXED = {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}


def load(folder: Path) -> dict:
    """Final votes, Pol.is groups and moderation of one export."""
    with open(folder / "comments.csv", newline="", encoding="utf-8") as fh:
        moderated = {int(r["comment-id"]): int(r["moderated"]) for r in csv.DictReader(fh)}
    votes, polis_group = [], {}
    with open(folder / "participants-votes.csv", newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        stmt_cols = [c for c in reader.fieldnames if c not in FIXED]
        for r in reader:
            pid = int(r["participant"])
            if r["group-id"].strip():
                polis_group[pid] = int(r["group-id"])
            for c in stmt_cols:
                if r[c].strip():
                    votes.append((pid, int(c), int(r[c])))
    # Cross-check with votes.csv: the last vote per pair gives the same matrix.
    last = {}
    with open(folder / "votes.csv", newline="", encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: int(r["timestamp"]))
        for r in rows:
            last[(int(r["voter-id"]), int(r["comment-id"]))] = int(r["vote"])
    assert last == {(p, s): v for p, s, v in votes}, f"{folder.name}: votes.csv != participants-votes.csv"
    return {"votes": votes, "polis_group": polis_group, "moderated": moderated}


def consensus_on(groups: dict, votes: list, statements: list) -> dict:
    """Pol.is group-aware consensus per statement for a given {participant: group}."""
    gids = sorted(set(groups.values()))
    gi = {g: i for i, g in enumerate(gids)}
    si = {s: i for i, s in enumerate(statements)}
    agree = np.zeros((len(gids), len(statements)))
    seen = np.zeros_like(agree)
    for p, s, v in votes:
        if p in groups and s in si:
            seen[gi[groups[p]], si[s]] += 1
            agree[gi[groups[p]], si[s]] += v == 1
    return dict(zip(statements, group_informed_consensus(agree, seen)))


def top(scores: dict, n: int) -> list:
    return [s for s, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


MODES = {
    # name: (how moderated-out statements are handled, pca_fit)
    "ours": ("dropped", "in_model"),
    "pca-on-all": ("dropped", "all"),
    "mod-out-kept": ("kept", "in_model"),
    "mod-out-zeroed": ("zeroed", "in_model"),
}


def votes_for(data: dict, moderation: str) -> list:
    """The votes we pass to compute for one way of treating moderated-out statements.

    - dropped: leave them out (what the application does);
    - kept: treat them as ordinary statements;
    - zeroed: Pol.is's ``zero-out-columns`` (named_matrix.clj) sets their whole
      column to 0, so every participant counts as having passed on each of them:
      they add nothing to the PCA but count as voted in the sqrt(n / voted) scaling.
    """
    out_ids = {s for s, m in data["moderated"].items() if m == -1}
    if moderation == "kept":
        return list(data["votes"])
    votes = [v for v in data["votes"] if v[1] not in out_ids]
    if moderation == "zeroed":
        voted = {s for _, s, _ in data["votes"]}
        pids = sorted({p for p, _, _ in data["votes"]})
        votes += [(p, s, 0) for p in pids for s in sorted(out_ids & voted)]
    return votes


def evaluate(name: str, data: dict, *, seed: int, mode: str) -> dict:
    moderation, pca_fit = MODES[mode]
    votes = votes_for(data, moderation)
    t0 = time.perf_counter()
    result = compute(votes, seed=seed, pca_fit=pca_fit)
    elapsed = time.perf_counter() - t0
    polis = data["polis_group"]
    common = sorted(p for p in polis if p in result.participants)
    ours = [result.participants[p].group for p in common]
    ours = [-1 if g is None else g for g in ours]
    ari = adjusted_rand_index([polis[p] for p in common], ours)
    # consensus is compared over the statements the application shows (moderated-out dropped)
    statements = sorted(s for s in result.consensus if data["moderated"].get(s) != -1)
    shown = [v for v in votes if data["moderated"].get(v[1]) != -1]
    polis_cons = consensus_on(polis, shown, statements)
    our_cons = {s: result.consensus[s] for s in statements}
    rho = spearmanr([polis_cons[s] for s in statements], [our_cons[s] for s in statements])[0]
    return {
        "conversation": name,
        "mode": mode,
        "seed": seed,
        "participants": result.n_participants,
        "statements": result.n_statements,
        "votes": result.n_votes,
        "in_model": result.n_in_model,
        "polis_clustered": len(polis),
        "polis_groups": len(set(polis.values())),
        "our_groups": len(result.groups),
        "our_sizes": [g.size for g in result.groups],
        "polis_sizes": [sum(1 for g in polis.values() if g == k) for k in sorted(set(polis.values()))],
        "silhouettes": {int(k): round(v, 3) for k, v in result.silhouettes.items()},
        "ari": ari,
        "top5_overlap": len(set(top(polis_cons, 5)) & set(top(our_cons, 5))),
        "top10_overlap": len(set(top(polis_cons, 10)) & set(top(our_cons, 10))),
        "spearman": float(rho),
        "polis_top5": top(polis_cons, 5),
        "our_top5": top(our_cons, 5),
        "seconds": elapsed,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seeds", type=int, default=10, help="seeds 0..N-1 (k-means starts)")
    ap.add_argument("--json", type=Path, help="write every row here")
    args = ap.parse_args(argv)

    rows = []
    for name in CONVERSATIONS:
        data = load(args.data / name)
        for mode in MODES:
            for seed in range(args.seeds):
                rows.append(evaluate(name, data, seed=seed, mode=mode))

    print(f"{'conversation':34s} {'mode':15s} {'k ours/Pol.is':>13s} {'sizes (seed 0)':>22s} "
          f"{'ARI seed 0':>10s} {'ARI mean [min-max] over seeds':>30s} {'top5':>5s} {'top10':>6s} {'rho':>6s}"
          f" {'top10 mean':>10s}")
    for name in CONVERSATIONS:
        for mode in MODES:
            sel = [r for r in rows if r["conversation"] == name and r["mode"] == mode]
            aris = np.array([r["ari"] for r in sel])
            r0 = sel[0]
            print(f"{name:34s} {mode:15s} {r0['our_groups']:>9d}/{r0['polis_groups']:<3d} "
                  f"{str(r0['our_sizes']):>22s} {r0['ari']:10.3f} "
                  f"{aris.mean():16.3f} [{aris.min():.3f}-{aris.max():.3f}] "
                  f"{r0['top5_overlap']:>3d}/5 {r0['top10_overlap']:>3d}/10 {r0['spearman']:6.3f}"
                  f" {np.mean([r['top10_overlap'] for r in sel]):10.1f}")
    for name in CONVERSATIONS:
        r0 = next(r for r in rows if r["conversation"] == name and r["mode"] == "ours" and r["seed"] == 0)
        print(f"\n{name}: {r0['participants']} participants ({r0['in_model']} in model, "
              f"{r0['polis_clustered']} clustered by Pol.is {r0['polis_sizes']}), "
              f"{r0['statements']} statements, {r0['votes']} votes; ours {r0['our_sizes']}, "
              f"silhouettes {r0['silhouettes']}; {r0['seconds'] * 1000:.0f} ms")
        print(f"  top-5 consensus on Pol.is groups: {r0['polis_top5']}  on ours: {r0['our_top5']}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
