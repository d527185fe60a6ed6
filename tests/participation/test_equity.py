"""The pure core: suppression, comparison with a reference, gaps in words."""

from people.choices import OrganisationSize, Region
from participation import equity
from participation.references import DEFAULTS


def test_small_counts_are_suppressed_with_their_shares():
    assert [equity.suppressed(n) for n in (0, 1, 4, 5, 17050)] == [0, None, None, 5, 17050]
    assert equity.shown(3) == "fewer than 5" and equity.shown(17050) == "17,050"
    rows = equity.compare({"micro": 3, "large": 40}, OrganisationSize.choices)
    micro = rows[0]
    assert (micro.count, micro.share, micro.count_text, micro.share_text) == (None, None, "fewer than 5", "")
    assert rows[-1].count == 40 and round(rows[-1].share) == 93


def test_missing_and_under_represented_groups():
    counts = {Region.LONDON: 60, Region.SOUTH_EAST: 10, Region.NORTH_EAST: 1}
    rows = {r.key: r for r in equity.compare(counts, Region.choices, DEFAULTS["region"]["shares"])}
    assert rows[Region.WALES].missing and rows[Region.SCOTLAND].missing
    assert not rows[Region.LONDON].under and not rows[Region.LONDON].missing
    assert rows[Region.NORTH_EAST].under and not rows[Region.NORTH_EAST].missing
    assert rows[Region.NORTH_EAST].count is None  # 1 is suppressed


def test_nothing_is_missing_when_nothing_has_happened():
    rows = equity.compare({}, Region.choices, DEFAULTS["region"]["shares"])
    assert not any(r.missing or r.under for r in rows)
    assert equity.gaps(rows, noun="ideas", dimension="region", against="the UK population") == []


def test_gaps_in_words():
    counts = {Region.LONDON: 30, Region.SOUTH_EAST: 20, Region.NORTH_WEST: 10, Region.YORKSHIRE: 8,
              Region.EAST_MIDLANDS: 7, Region.WEST_MIDLANDS: 9, Region.EAST: 9, Region.SOUTH_WEST: 8,
              Region.SCOTLAND: 8, Region.NORTHERN_IRELAND: 3, Region.NORTH_EAST: 4}
    rows = equity.compare(counts, Region.choices, DEFAULTS["region"]["shares"])
    sentences = equity.gaps(rows, noun="ideas", dimension="region", against="the UK population")
    assert sentences[0] == "No ideas yet from organisations in Wales."
    none = equity.compare({Region.LONDON: 9}, Region.choices, DEFAULTS["region"]["shares"])
    assert "West Midlands, East of England" in equity.gaps(none, noun="ideas", dimension="region", against="x")[0]
    assert "Yorkshire and the Humber, " in equity.gaps(none, noun="ideas", dimension="region", against="x")[0]
    assert equity.gaps(none, noun="ideas", dimension="region", against="x")[0].endswith("Wales or Northern Ireland.")
    size_rows = equity.compare({OrganisationSize.LARGE: 12, OrganisationSize.MEDIUM: 6},
                               OrganisationSize.choices, DEFAULTS["size"]["shares"])
    size_sentences = equity.gaps(size_rows, noun="ideas", dimension="size", against="UK businesses")
    assert size_sentences == ["No ideas yet from micro or small organisations."]
    size_rows = equity.compare({OrganisationSize.LARGE: 40, OrganisationSize.MICRO: 10},
                               OrganisationSize.choices, DEFAULTS["size"]["shares"])
    assert equity.gaps(size_rows, noun="ideas", dimension="size", against="UK businesses") == [
        "No ideas yet from small organisations.",
        "Micro: 20% of ideas from organisations, against 95.3% of UK businesses.",
    ]


def test_defaults_add_up_to_a_hundred():
    for dimension in DEFAULTS.values():
        assert abs(sum(dimension["shares"].values()) - 100) < 0.05


def test_unanswered_questions():
    assert equity.unanswered([("How?", 3), ("Why?", 0), ("Who?", 0)]) == ["Why?", "Who?"]


# --- secondary suppression: no hidden count comes back from a total ------------------


def _recoverable(protected, counts):
    """Every hidden count a reader could work out from the total less the
    counts shown, knowing a small one is 1 to 4 and a withheld one at least 5
    (tried by brute force over the counts the reader cannot tell apart)."""
    from itertools import product

    hidden = [k for k, v in protected.values.items() if v is None]
    if not hidden or not protected.total_shown:
        return set()
    rest = sum(counts[k] for k in hidden)
    # The smallest are withheld first: a withheld count is at most the smallest of 5 or more still shown.
    ceiling = min([v for v in protected.values.values() if v is not None and v >= 5], default=rest)
    ranges = [range(1, 5) if k in protected.small else range(5, min(ceiling, rest) + 1) for k in hidden]
    possible = [combo for combo in product(*ranges) if sum(combo) == rest]
    return {k for i, k in enumerate(hidden) if len({combo[i] for combo in possible}) == 1}


def test_one_small_count_beside_a_total_takes_the_next_smallest_with_it():
    counts = {"london": 40, "wales": 3, "scotland": 9, "north_east": 0}
    p = equity.protect(counts)
    assert p.values == {"london": 40, "wales": None, "scotland": None, "north_east": 0}
    assert p.small == {"wales"} and p.withheld == {"scotland"} and p.total_shown
    assert (p.text("wales"), p.text("scotland"), p.text("london")) == ("fewer than 5", "withheld", "40")
    assert _recoverable(p, counts) == set()
    # Without it, 52 less 40 less 9 less 0 gives Wales' 3 back.
    assert _recoverable(equity.Protected({**counts, "wales": None}, frozenset({"wales"})), counts) == {"wales"}


def test_two_small_counts_protect_each_other_unless_their_sum_gives_them_away():
    counts = {"a": 2, "b": 3, "c": 20}
    p = equity.protect(counts)
    assert p.values == {"a": None, "b": None, "c": 20} and not p.withheld
    assert _recoverable(p, counts) == set()
    ones = {"a": 1, "b": 1, "c": 20, "d": 7}  # 1 and 1 are the only two counts under 5 adding up to 2
    p = equity.protect(ones)
    assert p.withheld == {"d"} and p.values["c"] == 20
    assert _recoverable(p, ones) == set()


def test_a_withheld_count_is_not_given_away_by_the_next_one_shown():
    counts = {"a": 2, "b": 5, "c": 5, "d": 30}
    p = equity.protect(counts)
    assert p.withheld == {"b", "c"} and p.values["d"] == 30
    assert _recoverable(p, counts) == set()


def test_a_small_total_is_not_shown():
    p = equity.protect({"a": 3, "b": 0})  # the only count: the total is the count
    assert p.values == {"a": None, "b": 0} and not p.total_shown
    assert equity.protect({"a": 0, "b": 0}).total_shown and equity.protect({"a": 12, "b": 5}).values == {"a": 12, "b": 5}


def test_weekly_series():
    weeks = {"w1": 12, "w2": 2, "w3": 7, "w4": 0}
    p = equity.protect(weeks)
    assert p.values == {"w1": 12, "w2": None, "w3": None, "w4": 0}
    assert _recoverable(p, weeks) == set()
    # People active each week add up to no total: only the small ones go.
    people = equity.protect({"w1": 12, "w2": 2, "w3": 7}, total_known=False)
    assert people.values == {"w1": 12, "w2": None, "w3": 7} and not people.withheld


def test_many_groups_never_give_a_hidden_count_back():
    import random

    rng = random.Random(26)
    for _ in range(400):
        counts = {k: rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 15, 40]) for k in "abcde"}
        p = equity.protect(counts)
        assert _recoverable(p, counts) == set(), counts
        assert all(p.values[k] == n for k, n in counts.items() if k not in p.small | p.withheld)


def test_the_published_counts_hide_what_the_ideas_total_would_give_back():
    from participation.report import published

    counts = {
        "totals": {"ideas": 23, "comments": 9, "votes": 40, "participants": 30}, "individuals": 3,
        "by_type": {"business": 14, "charity": 6}, "by_size": {"large": 14, "micro": 6},
        "by_business_size": {"large": 14}, "by_region": {"london": 20},
        "weeks": [{"week": "2026-01-05", "ideas": 20, "comments": 9, "votes": 38, "participants": 28},
                  {"week": "2026-01-12", "ideas": 3, "comments": 0, "votes": 2, "participants": 2}],
    }
    shown = published(counts)
    # 23 ideas less 3 by individuals: the organisations' 20 is withheld, and
    # every breakdown of the organisations keeps one count back with it.
    assert shown["who"].values == {"individuals": None, "organisations": None}
    for name in ("type", "size", "region"):
        _values, protected, shares = shown["dimensions"][name]
        assert not shares and any(v is None for k, v in protected.values.items() if _values[k]), name
    # Businesses by size add up to the businesses' 14, shown: the charities' 6 is withheld instead.
    assert shown["dimensions"]["type"][1].values == {**{k: 0 for k in shown["dimensions"]["type"][0]},
                                                     "business": 14, "charity": None}
    assert shown["dimensions"]["business_size"][1].values["large"] == 14
    assert shown["totals"] == {"ideas": 23, "comments": 9, "votes": 40, "participants": 30}
    assert [w["ideas"][0] for w in shown["weeks"]] == [None, None]
    assert [w["votes"][0] for w in shown["weeks"]] == [None, None]
    assert [w["participants"][0] for w in shown["weeks"]] == [28, None]
    few = published({**counts, "totals": {"ideas": 23, "comments": 9, "votes": 40, "participants": 4}})
    assert few["totals"]["participants"] is None


def test_a_hidden_total_is_not_given_back_by_another_column_adding_up_to_it():
    from participation.report import published

    # Four ideas by individuals, four from businesses: each is 4, as their total of 8 would say;
    # so the total is not shown, and neither is the week's 8 that adds up to it.
    counts = {
        "totals": {"ideas": 8, "comments": 0, "votes": 0, "participants": 8}, "individuals": 4,
        "by_type": {"business": 4}, "by_size": {"micro": 4}, "by_business_size": {"micro": 4},
        "by_region": {"wales": 4},
        "weeks": [{"week": "2026-01-05", "ideas": 8, "comments": 0, "votes": 0, "participants": 8}],
    }
    shown = published(counts)
    assert shown["totals"]["ideas"] is None
    assert shown["who"].values == {"individuals": None, "organisations": None}
    assert shown["weeks"][0]["ideas"] == (None, "withheld")
    assert shown["who"].text("individuals") == "fewer than 5"
