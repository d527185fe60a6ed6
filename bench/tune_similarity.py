"""Tunes search.similarity.THRESHOLD: the score an existing idea needs to be
listed as "similar" beside an idea being written.

    .venv/bin/python bench/tune_similarity.py --polis-dir ../shared/data/polis
    .venv/bin/python bench/tune_similarity.py --polis-dir ../shared/data/polis --live   # + the real backend on the demo

What it measures, with the real scoring function (search.similarity.score)
and document frequencies counted over the same corpus:

- the corpus: the 30 ideas of the five demo calls (demo/data/missions.json)
  and the public statements of the three Pol.is conversations (one "call"
  each; statements moderated out are not public, so never candidates);
- drafts, each with the items a person would expect to see listed:
  * hand-written: one paraphrase of every demo idea in other words (title
    and summary, as the submit form sends them), whose match is that idea,
    and two new ideas per demo call that match nothing there. A few other
    ideas of the call are marked "either way" (related enough that listing
    them is no error, unrelated enough that missing them is none);
  * derived, for every item with at least 4 keywords: a "reworded" draft
    (each keyword replaced, with probability 1/2, by a keyword of another
    conversation: what a person saying the same thing in their own words
    shares with it) and a "half" draft (the first half of its words: someone
    who has written only the start of the same point). Its match is the
    item; other items of its call with stem overlap (Jaccard) of 0.5 or more
    are near-duplicates, marked "either way";
- for each draft, as the backend does: score every other item of its call,
  keep those at or above the threshold, show the best `--limit` (5). A shown
  expected item is a true positive, a shown unexpected one a false positive,
  an expected one not shown a false negative; "either way" items count as
  neither.

It prints precision, recall, F1 and F0.5 (precision weighted: a wrong
"similar" idea misleads a person into not posting) per threshold, overall
and per draft set, and the issue's case: the mentoring draft in the demo call
with 6 ideas must not list the shop-theft idea. docs/search.md has the table
and the choice. The Pol.is data is CC BY 4.0, The Computational Democracy
Project (see docs/search.md and the data's README)."""

import argparse
import csv
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search import similarity  # noqa: E402 (after the path; pure, no Django needed)

DEMO_FILE = ROOT / "demo" / "data" / "missions.json"
DEFAULT_POLIS = ROOT.parent / "shared" / "data" / "polis"
THRESHOLDS = [round(0.10 + 0.05 * i, 2) for i in range(11)]  # 0.10 … 0.60
NEAR_DUPLICATE = 0.5


@dataclass
class Item:
    corpus: str  # "demo" or "polis"
    call: str
    key: str
    title: str
    summary: str = ""
    body: str = ""
    tags: list = field(default_factory=list)
    organisation: str = ""

    def candidate_text(self):
        """What search/database.py scores a candidate on."""
        return f"{self.title} {self.summary} {' '.join(self.tags)} {self.organisation}"

    def indexed_text(self):
        """What the index holds of it (document frequencies count this)."""
        return f"{self.title} {self.summary} {self.organisation} {' '.join(self.tags)} {self.body}"


@dataclass
class Draft:
    set: str
    call: str
    text: str
    expected: set
    either: set = field(default_factory=set)
    source: str = ""  # the item a derived draft was made from (its expected match)
    name: str = ""


# --- the corpus ------------------------------------------------------------------------


def demo_items():
    items = []
    for mission in json.loads(DEMO_FILE.read_text(encoding="utf-8"))["missions"]:
        for n, idea in enumerate(mission["ideas"]):
            items.append(
                Item("demo", mission["slug"], f"{mission['slug']}/{n}", idea["title"], idea["summary"], idea["body"],
                     list(idea["tags"]), idea.get("organisation", ""))
            )
    return items


def shorten(text, limit):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def polis_items(folder):
    """Public statements (moderated out ones are not public: never candidates),
    titled and summarised as ideas/polis.py imports them."""
    items = []
    with open(folder / "comments.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["moderated"] == "-1":
                continue
            body = row["comment-body"].strip()
            items.append(Item("polis", folder.name, f"{folder.name}/{row['comment-id']}", shorten(body, 150),
                              shorten(body, 500), body))
    return items


# --- hand-written drafts for the demo calls ----------------------------------------------
# (title, summary, expected idea numbers in the call's list, either-way numbers)

HAND = {
    "growth": [
        ("Online progress tracking for big planning applications",
         "Let businesses see which stage their planning application has reached and which consultee is holding "
         "it up, so delays are visible.", {0}, set()),
        ("Let small factory owners visit firms already using automation",
         "Pay for short visits so manufacturers can see robots and scheduling software in use at a business like "
         "theirs before they buy.", {1}, set()),
        ("One devolved budget for skills and job support",
         "Combine the separate adult education and employment programmes into a single fund that the local area "
         "controls.", {2}, set()),
        ("Employment advice in doctors' surgeries",
         "Put an adviser in the GP surgery who can help patients with health conditions stay in their job.", {3}, set()),
        ("Government money to invest alongside angel investors outside London",
         "A regional fund co-investing with business angels so growing companies can raise investment rounds.",
         {4}, set()),
        ("Quicker, simpler leases on council workshops",
         "Councils should offer a standard lease on their small industrial units so firms can move in quickly.",
         {5}, set()),
        ("Cut business rates for high street shops in their first year",
         "New shops pay no business rates for twelve months to fill empty units.", set(), {5}),
        ("Faster broadband for business parks",
         "Fibre connections for industrial estates that are still on copper lines.", set(), set()),
    ],
    "clean-energy": [
        ("Several renewable projects sharing a single grid connection",
         "Solar, wind and storage sites could pool one connection and agree how to split the export limit between "
         "them.", {0}, {4}),
        ("Remove zombie projects from the grid queue",
         "Projects that show no progress on land, planning or finance should lose their queue position after "
         "regular checks.", {1}, set()),
        ("Help community energy groups pay grid connection costs",
         "A revolving fund to cover connection charges upfront for small community-owned schemes, repaid from their "
         "income.", {2}, set()),
        ("Monthly maps of spare grid capacity",
         "Network operators should publish where there is capacity at each substation so developers know where "
         "they can connect.", {3}, set()),
        ("Storage at solar farms to use their connection in the evening",
         "Put batteries behind existing solar connections so power is exported after sunset without a bigger "
         "export limit.", {4}, {0}),
        ("Train more cable jointers and grid engineers",
         "Regional academies with guaranteed places linked to the network companies' investment plans, to fix the "
         "skills shortage.", {5}, set()),
        ("Heat pump grants for rural homes",
         "Bigger grants for heat pumps in homes off the gas grid.", set(), set()),
        ("Community ownership of onshore wind turbines",
         "Local people should be able to buy shares in new wind farms near them.", set(), {2}),
    ],
    "safer-streets": [
        ("Tell residents who their local police officers are",
         "Publish the names and patrol times of neighbourhood officers for each ward and how to contact them.",
         {0}, set()),
        ("Safe places to wait in shops and pharmacies at night",
         "Shops and venues open late display a sign so anyone who feels unsafe can go in and get help.", {1}, set()),
        ("Walkabouts with women to find unsafe streets",
         "Women and girls walk the town centre with the council and police at night to point out bad lighting and "
         "dangerous routes.", {2}, {1}),
        ("Easier crime reporting for retailers",
         "Shopkeepers should be able to report shoplifting online in minutes, with CCTV, straight to the police.",
         {3}, set()),
        ("Youth workers on night buses",
         "Put trained youth workers on late buses at weekends to calm trouble and support young people.", {4}, {5}),
        # The case: a mentoring draft must not list the shop-theft idea (3).
        ("Mentoring for young people at risk of exclusion",
         "Match each young person excluded from school with a trained volunteer mentor from the local community.",
         {5}, {4}),
        ("Better street lighting in car parks",
         "Brighter LED lights in town centre car parks and alleyways.", set(), {2}),
        ("Ban alcohol in the town centre after midnight",
         "A public spaces order against street drinking to cut night-time violence.", set(), set()),
    ],
    "opportunity": [
        ("Paid work experience for teenagers",
         "Employers offer 16 and 17 year olds a paid week in their workplace to see what jobs exist.", {0}, set()),
        ("Cheaper bus fares for apprentices",
         "Apprentices on low pay spend too much on transport to work; give them free travel in year one.", {1}, set()),
        ("A key worker for pupils leaving pupil referral units",
         "Someone who supports young people from alternative provision into college or a job and stays with them "
         "after they leave.", {2}, set()),
        ("Spot pupils at risk of NEET early using absence records",
         "Schools could flag persistent absence at 14 as a warning sign and offer support before young people drop "
         "out.", {3}, set()),
        ("Use boxing and football clubs to re-engage young people",
         "Pay sports clubs to run short maths, English and first aid courses for young people who have left "
         "education.", {4}, set()),
        ("Speech and language checks for toddlers",
         "Health visitors should test language at the two year review and refer children for help quickly.",
         {5}, set()),
        ("Careers advice from real employers in every secondary school",
         "Local businesses visit schools to talk to pupils about the jobs they offer.", set(), {0}),
        ("Free laptops for young people studying at college",
         "Lend laptops so students from poorer families can do coursework at home.", set(), set()),
    ],
    "nhs": [
        ("Tell me how long I will wait",
         "Patients on the waiting list should get a monthly update with an expected date for their treatment.",
         {0}, {2}),
        ("Standby list for cancelled operations",
         "Patients willing to come in at short notice could fill cancelled theatre slots through the NHS App.",
         {1}, set()),
        ("A helpline at each hospital for people on the waiting list",
         "One staffed phone line and email so patients waiting for treatment do not have to ask their GP.",
         {2}, {0}),
        ("Blood pressure checks at the chemist",
         "Pharmacies could review medication and check blood pressure for people with long-term illnesses in the "
         "evenings.", {3}, set()),
        ("Proxy access to the NHS App for carers",
         "Carers should be able to book appointments and order prescriptions for the person they look after.",
         {4}, set()),
        ("Exercise and nutrition support while waiting for an operation",
         "Help people on surgical waiting lists get fitter and stop smoking before surgery so they recover faster.",
         {5}, set()),
        ("Free hospital parking for patients and visitors",
         "Hospital car parks should be free for patients with frequent appointments.", set(), set()),
        ("More mental health support for young people",
         "Shorter waits for children's mental health services.", set(), set()),
    ],
}
HAND_CALL_TITLE = "Ideas to make town centres feel safer after dark"
MENTORING = ("safer-streets", 5)  # index in HAND["safer-streets"] of the case
SHOP_THEFT = "safer-streets/3"


def hand_drafts():
    drafts = []
    for call, rows in HAND.items():
        for n, (title, summary, expected, either) in enumerate(rows):
            drafts.append(Draft("demo hand-written", call, f"{title} {summary}", {f"{call}/{i}" for i in expected},
                                {f"{call}/{i}" for i in either}, name=f"{call}#{n}"))
    return drafts


# --- derived drafts ----------------------------------------------------------------------


def jaccard(a, b):
    return len(a & b) / len(a | b) if a | b else 0.0


def derived_drafts(items, rng, min_keywords=4):
    by_call = {}
    for item in items:
        by_call.setdefault(item.call, []).append(item)
    # A conversation's "own words" come from the others, so they never point
    # at an item of its call by construction.
    words_by_call = {call: sorted({w for i in its for w in similarity.keywords(i.candidate_text(), 10_000)})
                     for call, its in by_call.items()}
    stems = {item.key: similarity.stems(item.candidate_text()) for item in items}
    drafts = []
    for item in items:
        words = similarity.keywords(item.candidate_text() if item.corpus == "polis" else f"{item.title} {item.summary}",
                                    10_000)
        if len(words) < min_keywords:
            continue
        near = {o.key for o in by_call[item.call] if o.key != item.key and jaccard(stems[o.key], stems[item.key]) >= NEAR_DUPLICATE}
        foreign = [w for call, ws in words_by_call.items() if call != item.call for w in ws]
        reworded = [w if rng.random() < 0.5 else rng.choice(foreign) for w in words]
        label = f"{item.corpus} derived"
        drafts.append(Draft(f"{label}: reworded", item.call, " ".join(reworded), {item.key}, near, item.key))
        text = (item.body or item.title).split()
        half = " ".join(text[: max(3, len(text) // 2)])
        if len(similarity.keywords(half)) >= min_keywords:  # a title and summary say more than 3 words
            kind = "half its body" if item.corpus == "demo" else "half"
            drafts.append(Draft(f"{label}: {kind}", item.call, half, {item.key}, near, item.key))
    return drafts


# --- scoring -----------------------------------------------------------------------------


def frequencies(items):
    """Documents per stem over the corpus (the backend counts the same
    over its whole index, with PostgreSQL's or FTS5's stemmer)."""
    df = Counter()
    for item in items:
        df.update(similarity.stems(item.indexed_text()))
    return df, len(items)


def scores_for(draft, items_by_call, item_stems, df, total):
    words = similarity.keywords(draft.text)
    frequency = {w: df.get(similarity.stem(w), 0) for w in words}
    return {item.key: similarity.score(words, item_stems[item.key], frequency, total) for item in items_by_call[draft.call]}


def shown(scores, threshold, limit):
    above = sorted(((s, k) for k, s in scores.items() if s > 0 and s >= threshold), key=lambda p: (-p[0], p[1]))
    return [k for _s, k in above[:limit]]


def evaluate(drafts, all_scores, threshold, limit):
    tp = fp = fn = 0
    for draft, scores in zip(drafts, all_scores):
        listed = set(shown(scores, threshold, limit))
        tp += len(listed & draft.expected)
        fp += len(listed - draft.expected - draft.either)
        fn += len(draft.expected - listed)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0

    def f(beta):
        b2 = beta * beta
        return (1 + b2) * precision * recall / (b2 * precision + recall) if precision + recall else 0.0

    return {"threshold": threshold, "tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall,
            "f1": f(1.0), "f05": f(0.5)}


def table(rows, title):
    out = [f"\n{title}\n", "| Threshold | Precision | Recall | F1 | F0.5 | TP | FP | FN |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r['threshold']:.2f} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | "
                   f"{r['f05']:.3f} | {r['tp']} | {r['fp']} | {r['fn']} |")
    return "\n".join(out)


# --- the real backend on the demo (optional) ---------------------------------------------------


def recreate(database_url, drop_only=False):
    import psycopg

    admin, name = database_url.rsplit("/", 1)
    with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def live_check(draft_text, database_url=""):
    """Loads the demo into a throwaway SQLite database (or the PostgreSQL
    database_url, dropped and made again) and asks
    ideas.search_documents.similar_ideas, as the submit page does, for the
    draft in the "safer streets" call."""
    import os
    import tempfile

    tmp = tempfile.mkdtemp(prefix="mc-tune-")
    for name in ("REDIS_URL", "ELASTICSEARCH_URL", "DATABASE_URL"):
        os.environ.pop(name, None)
    if database_url:
        recreate(database_url)
        os.environ["DATABASE_URL"] = database_url
    os.environ.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", DATA_DIR=tmp, DEBUG="0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--quiet")
    from consult.models import ChallengeCallPage
    from ideas.search_documents import similar_ideas
    from search import backend

    call = ChallengeCallPage.objects.get(title=HAND_CALL_TITLE)
    ideas = similar_ideas(call, draft_text, limit=5)
    hits = backend.similar("idea", draft_text, filters={"call_id": call.pk}, limit=10)
    from django.db import connection

    result = {"database": connection.vendor, "call": call.title, "similar_ideas": [i.title for i in ideas],
              "scores": [(h.title, round(h.score, 3)) for h in hits]}
    if database_url:
        from django.db import connections

        connections.close_all()
        recreate(database_url, drop_only=True)
    return result


# --- main --------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polis-dir", default=str(DEFAULT_POLIS))
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--limit", type=int, default=5, help="ideas shown beside a draft (the submit page: 5)")
    parser.add_argument("--live", action="store_true", help="also run the issue's case through the real backend")
    parser.add_argument("--database-url", default="", help="with --live: a PostgreSQL database to make and drop")
    parser.add_argument("--json")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    items = demo_items()
    folders = sorted(p for p in Path(args.polis_dir).iterdir() if (p / "comments.csv").is_file())
    for folder in folders:
        items += polis_items(folder)
    df, total = frequencies(items)
    by_call = {}
    for item in items:
        by_call.setdefault(item.call, []).append(item)
    item_stems = {item.key: similarity.stems(item.candidate_text()) for item in items}

    drafts = hand_drafts() + derived_drafts(items, rng)
    all_scores = []
    for draft in drafts:
        scores = scores_for(draft, by_call, item_stems, df, total)
        all_scores.append(scores)

    sets = sorted({d.set for d in drafts}, key=lambda s: (not s.startswith("demo hand"), s))
    counts = Counter(d.set for d in drafts)
    print(f"Corpus: {len(items)} items ({sum(i.corpus == 'demo' for i in items)} demo ideas, "
          f"{sum(i.corpus == 'polis' for i in items)} public Pol.is statements in {len(folders)} conversations)")
    print("Drafts: " + ", ".join(f"{s} {counts[s]}" for s in sets)
          + f"; near-duplicate pairs marked either way: {sum(len(d.either) for d in drafts if 'derived' in d.set)}")

    overall = [evaluate(drafts, all_scores, t, args.limit) for t in THRESHOLDS]
    print(table(overall, f"All drafts ({len(drafts)}), best {args.limit} shown"))
    per_set = {}
    for s in sets:
        pairs = [(d, sc) for d, sc in zip(drafts, all_scores) if d.set == s]
        per_set[s] = [evaluate([p[0] for p in pairs], [p[1] for p in pairs], t, args.limit) for t in THRESHOLDS]
        print(table(per_set[s], f"{s} ({len(pairs)})"))
    # Each set weighs the same in this average (the derived sets are larger).
    macro = []
    for i, t in enumerate(THRESHOLDS):
        macro.append({"threshold": t, "f1": sum(per_set[s][i]["f1"] for s in sets) / len(sets),
                      "f05": sum(per_set[s][i]["f05"] for s in sets) / len(sets)})
    print("\nF1 averaged over the sets: " + ", ".join(f"{m['threshold']:.2f}: {m['f1']:.3f}" for m in macro))
    best = max(overall, key=lambda r: (round(r["f1"], 3), r["precision"]))
    print(f"\nBest F1 over all drafts: {best['threshold']:.2f} (precision {best['precision']:.3f}, "
          f"recall {best['recall']:.3f}, F1 {best['f1']:.3f}); current THRESHOLD {similarity.THRESHOLD}")

    # The case.
    index = next(i for i, d in enumerate(drafts) if d.name == f"{MENTORING[0]}#{MENTORING[1]}")
    mentoring, scores = drafts[index], all_scores[index]
    print(f"\nThe issue's case: draft \"{mentoring.text}\"")
    titles = {i.key: i.title for i in items}
    for key, value in sorted(scores.items(), key=lambda p: -p[1]):
        mark = "expected" if key in mentoring.expected else "either way" if key in mentoring.either else ""
        print(f"  {value:.3f}  {titles[key][:80]}  {mark}")
    listed = shown(scores, similarity.THRESHOLD, args.limit)
    print(f"  listed at THRESHOLD {similarity.THRESHOLD}: {[titles[k][:50] for k in listed]}; "
          f"shop theft listed: {SHOP_THEFT in listed}")

    result = {"items": len(items), "drafts": dict(counts), "overall": overall, "per_set": per_set, "macro": macro,
              "best": best, "threshold": similarity.THRESHOLD, "seed": args.seed, "limit": args.limit,
              "mentoring": {titles[k]: round(v, 3) for k, v in scores.items()}}
    if args.live:
        result["live"] = live_check(mentoring.text, args.database_url)
        print(f"\nThe real backend ({result['live']['database']}) on the demo, call \"{result['live']['call']}\":")
        for title, value in result["live"]["scores"]:
            print(f"  {value:.3f}  {title}")
        print(f"  the submit page lists: {result['live']['similar_ideas']}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
