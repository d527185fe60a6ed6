"""Opinion map at scale (issue #15, item 9): 10,000 participants × 1,000 statements.

Synthetic call with planted opinion groups, seeded:

- G groups (default 4, sizes 40/30/20/10 %) sit at the corners of a regular
  polygon (radius 1) in a 2-d latent opinion space; each statement has a random
  direction in that space (length 0.3-1). A member of group g agrees with statement j with probability
  ``sigmoid(strength * <position_g, direction_j>)`` (after a 15 % chance of
  passing), disagrees otherwise; strength 4 by default. Every participant has
  their own Gaussian jitter (sd 0.2 per axis by default) around the group
  position, so groups are noisy, not identical copies; with more jitter the
  planted groups overlap and no method can recover them exactly, so the
  script also prints the ARI of giving each participant the planted group
  whose mean map position is nearest (a ceiling for any clustering of our map).
- Each participant sees each statement independently with probability
  ``rate_i * w_j``: statement weights w_j in [0.5, 1.5] (some statements are
  shown more), participant rates around the target density; 5 % of the
  participants cast only 1-6 votes (they are placed on the map but do not
  shape the groups).

Times ``opinions.groups.compute`` on the whole computation (from vote arrays,
and from a list of Python triples as a worker reading rows would pass), and
reports the adjusted Rand index of the groups found vs the planted ones, over
the participants who shaped the groups and over everyone.

    .venv/bin/python bench/opinion_scale.py [--participants 10000] [--statements 1000]
        [--density 0.075] [--groups 4] [--seed 0] [--jitter 0.2] [--strength 4]
        [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opinions.groups import VoteArrays, adjusted_rand_index, compute  # noqa: E402


def synthetic(n_participants=10_000, n_statements=1_000, density=0.075, n_groups=4, seed=0,
              strength=4.0, jitter=0.2, pass_rate=0.15, low_share=0.05):
    """(participant ids, statement ids, values, planted group per participant)."""
    rng = np.random.default_rng(seed)
    shares = np.array([0.4, 0.3, 0.2, 0.1]) if n_groups == 4 else np.full(n_groups, 1 / n_groups)
    planted = rng.choice(n_groups, size=n_participants, p=shares / shares.sum())
    angles = 2 * np.pi * np.arange(n_groups) / n_groups
    centres = np.c_[np.cos(angles), np.sin(angles)]
    position = centres[planted] + jitter * rng.standard_normal((n_participants, 2))
    theta = rng.uniform(0, 2 * np.pi, n_statements)
    direction = np.c_[np.cos(theta), np.sin(theta)] * rng.uniform(0.3, 1.0, n_statements)[:, None]

    weight = rng.uniform(0.5, 1.5, n_statements)
    rate = density * rng.uniform(0.5, 1.5, n_participants)
    low = rng.random(n_participants) < low_share
    pids, sids = [], []
    for i in range(n_participants):
        if low[i]:
            seen = rng.choice(n_statements, size=rng.integers(1, 7), replace=False)
        else:
            seen = np.flatnonzero(rng.random(n_statements) < rate[i] * weight)
        pids.append(np.full(len(seen), i))
        sids.append(seen)
    p = np.concatenate(pids)
    s = np.concatenate(sids)
    logit = strength * (position[p] * direction[s]).sum(axis=1)
    agree = rng.random(len(p)) < 1 / (1 + np.exp(-logit))
    values = np.where(agree, 1, -1)
    values[rng.random(len(p)) < pass_rate] = 0
    order = rng.permutation(len(p))  # rows arrive in no particular order
    return p[order], s[order], values[order], planted


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--participants", type=int, default=10_000)
    ap.add_argument("--statements", type=int, default=1_000)
    ap.add_argument("--density", type=float, default=0.075)
    ap.add_argument("--groups", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jitter", type=float, default=0.2, help="spread of members around their group (latent units)")
    ap.add_argument("--strength", type=float, default=4.0, help="how strongly position drives votes")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    p, s, v, planted = synthetic(args.participants, args.statements, args.density, args.groups, args.seed,
                             strength=args.strength, jitter=args.jitter)
    gen = time.perf_counter() - t0
    triples = list(zip(p.tolist(), s.tolist(), v.tolist()))
    print(f"synthetic: {args.participants} participants x {args.statements} statements, "
          f"{len(v):,} votes (density {len(v) / args.participants / args.statements:.3f}), "
          f"{args.groups} planted groups {np.bincount(planted).tolist()}; generated in {gen:.1f} s")
    print(f"machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f} at start; numpy {np.__version__}")

    runs = []
    for label, votes in (("arrays", VoteArrays(p, s, v)), ("triples", triples)):
        for r in range(args.repeat):
            t0 = time.perf_counter()
            result = compute(votes, seed=args.seed)
            elapsed = time.perf_counter() - t0
            keys = np.array(list(result.participants))
            groups = np.array([-1 if x.group is None else x.group for x in result.participants.values()])
            in_model = np.array([x.in_model for x in result.participants.values()])
            ari_model = adjusted_rand_index(planted[keys[in_model]], groups[in_model])
            ari_all = adjusted_rand_index(planted[keys], groups)
            # yardstick: each in-model participant given the planted group whose mean map
            # position is nearest; what a perfect clustering of our 2-d map could reach
            xy = np.array([(x.x, x.y) for x in result.participants.values()])[in_model]
            truth = planted[keys[in_model]]
            means = np.array([xy[truth == g].mean(axis=0) for g in range(args.groups)])
            oracle = np.argmin(((xy[:, None, :] - means[None]) ** 2).sum(axis=2), axis=1)
            ari_oracle = adjusted_rand_index(truth, oracle)
            runs.append({"input": label, "seconds": elapsed, "ari_in_model": ari_model, "ari_all": ari_all,
                         "ari_nearest_planted_mean": ari_oracle,
                         "groups": [g.size for g in result.groups], "k": len(result.groups),
                         "n_in_model": result.n_in_model, "n_votes": result.n_votes,
                         "silhouettes": {int(k): round(x, 3) for k, x in result.silhouettes.items()},
                         "timings": {k: round(x, 3) for k, x in result.timings.items()},
                         "load_average": os.getloadavg()[0]})
            print(f"  {label:7s} run {r + 1}: {elapsed:5.2f} s  phases {runs[-1]['timings']}  "
                  f"k={len(result.groups)} sizes {runs[-1]['groups']}  "
                  f"ARI in model {ari_model:.3f}, all {ari_all:.3f}, "
                  f"nearest planted mean {ari_oracle:.3f}  (load {runs[-1]['load_average']:.2f})")
    for label in ("arrays", "triples"):
        secs = [r["seconds"] for r in runs if r["input"] == label]
        print(f"{label}: best {min(secs):.2f} s, median {float(np.median(secs)):.2f} s over {len(secs)} runs")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process {peak:.0f} MiB (includes the generator and the list of triples)")
    if args.json:
        args.json.write_text(json.dumps({"args": vars(args) | {"json": str(args.json)}, "runs": runs}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
