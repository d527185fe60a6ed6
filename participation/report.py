"""From stored counts to what the dashboard and open data say: rows for its
tables and sentences for people (pure; the counts come from
participation/selectors.py through the snapshot, the references from the
team or the defaults).

`published` decides, once, which counts may be shown (equity.protect): the
page and the API both start from it. Every breakdown of who submitted adds
up, with the ideas by individuals, to the ideas' total, which anyone can
count on the call page; so each breakdown is protected together with the
individuals' count, and a count hidden in one is hidden in all. Each week's
ideas, comments and votes add up to their totals; the people active each
week do not (one person is active in many weeks), so only their small counts
are hidden, as is a total of people under 5."""

from datetime import date

from people.choices import OrganisationSize, OrganisationType, Region

from . import equity

INDIVIDUALS, ORGANISATIONS = "individuals", "organisations"
BUSINESS = OrganisationType.BUSINESS
DIMENSIONS = {"type": OrganisationType.choices, "size": OrganisationSize.choices,
              "business_size": OrganisationSize.choices, "region": Region.choices}


def _dimension(counts, name):
    values = counts.get(f"by_{name}") or {}
    return {key: int(values.get(key, 0)) for key, _ in DIMENSIONS[name]}


def published(counts):
    """What may be shown of stored counts: {"totals": {name: n or None},
    "who": Protected (individuals, organisations), "dimensions": {name:
    (counts, Protected, total shown)}, "weeks": [{"week", name: (n or None,
    text)}]}. A count is None where it is not shown."""
    individuals = int(counts.get("individuals") or 0)
    dims = {name: _dimension(counts, name) for name in DIMENSIONS}
    organisations = sum(dims["type"].values())
    groups = [equity.protect({INDIVIDUALS: individuals, ORGANISATIONS: organisations})]
    for name in ("type", "size", "region"):
        groups.append(equity.protect({INDIVIDUALS: individuals, **{(name, k): n for k, n in dims[name].items()}}))
    # Businesses by size, beside every other type, add up to the organisations too.
    groups.append(equity.protect({INDIVIDUALS: individuals,
                                  **{("type", k): n for k, n in dims["type"].items() if k != BUSINESS},
                                  **{("business_size", k): n for k, n in dims["business_size"].items()}}))
    weeks = counts.get("weeks") or []
    columns = {name: equity.protect({i: int(w.get(name, 0)) for i, w in enumerate(weeks)})
               for name in ("ideas", "comments", "votes")}
    columns["participants"] = equity.protect({i: int(w.get("participants", 0)) for i, w in enumerate(weeks)},
                                             total_known=False)
    small = frozenset().union(*(g.small for g in groups))
    withheld = frozenset().union(*(g.withheld for g in groups)) - small
    ideas_shown = all(g.total_shown for g in groups) and columns["ideas"].total_shown
    if not ideas_shown:
        # The ideas' total is not shown: no group adding up to it may show
        # all its counts (their sum would give it back), so every count that
        # is not 0 is withheld, in the breakdowns and week by week.
        withheld |= frozenset(key for group in groups for key, n in group.values.items() if n != 0) - small
        week_ideas = {i: int(w.get("ideas", 0)) for i, w in enumerate(weeks)}
        columns["ideas"] = equity.Protected({i: (None if n else 0) for i, n in week_ideas.items()},
                                            columns["ideas"].small,
                                            frozenset(i for i, n in week_ideas.items() if n) - columns["ideas"].small,
                                            False)

    def protected(values, key_of):
        hidden = {k for k in values if key_of(k) in small or key_of(k) in withheld}
        return equity.Protected({k: (None if k in hidden else n) for k, n in values.items()},
                                frozenset(k for k in values if key_of(k) in small),
                                frozenset(k for k in values if key_of(k) in withheld))

    who = protected({INDIVIDUALS: individuals, ORGANISATIONS: organisations}, lambda k: k)
    # A share of a hidden total gives the total back: shares are shown only
    # when the dimension's total is (organisations; businesses for sizes).
    organisations_shown = who.values[ORGANISATIONS] is not None
    dimensions = {name: (dims[name], protected(dims[name], lambda k, name=name: (name, k)), organisations_shown)
                  for name in ("type", "size", "region")}
    business_shown = organisations_shown and dimensions["type"][1].values[BUSINESS] is not None
    dimensions["business_size"] = (dims["business_size"],
                                   protected(dims["business_size"], lambda k: ("business_size", k)), business_shown)

    totals = {k: int(v) for k, v in (counts.get("totals") or {}).items()}
    shown_totals = {
        "ideas": totals.get("ideas", 0) if ideas_shown else None,
        "comments": totals.get("comments", 0) if columns["comments"].total_shown else None,
        "votes": totals.get("votes", 0) if columns["votes"].total_shown else None,
        "participants": equity.suppressed(totals.get("participants", 0)),
    }
    week_rows = [
        {"week": w["week"], **{name: (columns[name].values[i], columns[name].text(i)) for name in columns}}
        for i, w in enumerate(weeks)
    ]
    return {"totals": shown_totals, "who": who, "dimensions": dimensions, "weeks": week_rows}


def _total_text(value, count):
    if value is not None:
        return f"{value:,}"
    return equity.shown(count) if equity.suppressed(count) is None else equity.WITHHELD


def present(counts, references):
    shown = published(counts)
    dims = shown["dimensions"]

    def rows(name, reference=None):
        values, protected, shares = dims[name]
        return equity.compare(values, DIMENSIONS[name], reference, protected=protected, shares=shares)

    from_organisations = sum(dims["type"][0].values())
    businesses = dims["type"][0][BUSINESS]
    size_rows = rows("business_size", references["size"]["shares"])
    region_rows = rows("region", references["region"]["shares"])
    type_rows = rows("type")
    gaps = []
    if from_organisations:
        gaps += equity.gaps(region_rows, noun="ideas", dimension="region", against=references["region"]["against"])
        if businesses:
            gaps += equity.gaps(size_rows, noun="ideas", dimension="size", against=references["size"]["against"],
                                who="businesses")
    elif counts["totals"]["ideas"]:
        gaps.append("No ideas yet from organisations: every idea so far is from an individual.")
    else:
        gaps.append("No ideas yet.")
    questions = [tuple(q) for q in counts["questions"]]
    timeline = [
        {"week": date.fromisoformat(w["week"]),
         **{f"{name}_text": w[name][1] for name in ("ideas", "comments", "votes", "participants")}}
        for w in shown["weeks"]
    ]
    return {
        "totals": shown["totals"],
        "totals_text": {k: _total_text(v, counts["totals"].get(k, 0)) for k, v in shown["totals"].items()},
        "individuals_text": shown["who"].text(INDIVIDUALS),
        "from_organisations_text": shown["who"].text(ORGANISATIONS),
        "type_rows": type_rows,
        "size_rows": size_rows,
        "region_rows": region_rows,
        "references": references,
        "gaps": gaps,
        "questions": questions,
        "unanswered": equity.unanswered(questions),
        "timeline": timeline,
    }
