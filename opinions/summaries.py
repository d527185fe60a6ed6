"""The opinion map in plain words: pure functions from what the stored map
says of a group to the sentences the results page shows (opinions/views.py),
so that someone who has never seen an opinion map can read it. No Django, no
I/O: tested directly (tests/opinions/test_summaries.py).

One number per group: ``n_people`` is everyone the map shows in the group
(the participants who shaped it and those placed with it), the number the
SVG's labels, the key, the groups table and the API's ``n_participants``
give too. Only distinctive statements (opinions/groups.py,
``is_distinctive``) are said to set a group apart."""

MAX_NAMED = 3  # statements named per direction in a sentence; the table lists them all


def people(n):
    """ "1 person", "12 people"."""
    return f"{n} person" if n == 1 else f"{n} people"


def quoted_list(titles):
    """“A”, “A” and “B”, “A”, “B” and “C” (GOV.UK style: no comma before "and")."""
    quoted = [f"“{t}”" for t in titles]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def group_summary(label, n_people, agrees=(), disagrees=(), min_votes=None, alone=False):
    """One sentence on a group: its size and the statements that set it apart.

    ``agrees`` and ``disagrees`` are the titles of its distinctive statements
    in each direction, most telling first (the first ``MAX_NAMED`` are
    named). With none: says nothing sets it apart yet, and why when
    ``min_votes`` (the threshold) is given. ``alone``: the map's only group,
    with nothing to be set apart from.

    >>> group_summary("Group A", 12, ["X", "Y"], ["Z"])
    'Group A (12 people) mostly agrees with “X” and “Y”, and mostly disagrees with “Z”, more than the other groups do.'
    """
    head = f"{label} ({people(n_people)})"
    if alone:
        return f"{head}: everyone voted alike enough to form one group, so no idea sets a group apart."
    agrees, disagrees = list(agrees)[:MAX_NAMED], list(disagrees)[:MAX_NAMED]
    parts = []
    if agrees:
        parts.append(f"mostly agrees with {quoted_list(agrees)}")
    if disagrees:
        parts.append(f"mostly disagrees with {quoted_list(disagrees)}")
    if parts:
        return f"{head} {', and '.join(parts)}, more than the other groups do."
    why = f": no idea has votes from at least {min_votes} of its members that clearly differ from the rest" \
        if min_votes else ""
    return f"{head}: nothing sets this group apart yet{why}."


def groups_sentence(n_participants, n_votes, groups):
    """The map's opening sentence: who voted and the groups, each with its one
    count. ``groups`` is [(label, n_people), ...]."""
    votes = f"{n_votes} vote" if n_votes == 1 else f"{n_votes} votes"
    text = f"{people(n_participants)} cast {votes}."
    if groups:
        named = ", ".join(f"{label} ({people(n)})" for label, n in groups)
        count = "1 group" if len(groups) == 1 else f"{len(groups)} groups"
        text += f" The map finds {count} of people who voted alike: {named}."
    return text


def delay_words(seconds):
    """How long after new votes the map is recomputed: "a minute", "30 seconds",
    "2 minutes"; "moments" when there is no wait."""
    seconds = int(seconds)
    if seconds <= 0:
        return "moments"
    if seconds % 60:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    minutes = seconds // 60
    return "a minute" if minutes == 1 else f"{minutes} minutes"
