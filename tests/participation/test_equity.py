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
