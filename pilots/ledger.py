"""“You said, we did”: what became of each idea, and the counts at the top
of the ledger (issue #18). Pure: plain values in, plain values out; the
queries are pilots/selectors.py's.

An idea's outcome, in the order a reader cares about:
- scaled: a pilot that tested it concluded with the decision to scale up;
- piloted: a pilot that tests it has started (running, concluded, stopped);
- taken forward: named into a pilot that has not started yet;
- merged: into another idea (which carries it on);
- not taken forward: with the team's reason (its response);
- responded: the team answered, no decision yet;
- no response expected: a statement about the participant (a demographic
  question of a Pol.is conversation, "I am under 25") or an idea of a closed
  imported call, which asks nothing of the team (pilots/selectors.py
  `answer_expected` is its database form);
- awaiting a response."""

from statistics import median

SCALED = "scaled"
PILOTED = "piloted"
TAKEN_FORWARD = "taken_forward"
MERGED = "merged"
NOT_TAKEN_FORWARD = "not_taken_forward"
RESPONDED = "responded"
NO_RESPONSE_EXPECTED = "no_response_expected"
AWAITING = "awaiting"

LABELS = {
    SCALED: "Piloted and scaled up",
    PILOTED: "Piloted",
    TAKEN_FORWARD: "Taken forward into a pilot",
    MERGED: "Merged into another idea",
    NOT_TAKEN_FORWARD: "Not taken forward",
    RESPONDED: "Responded to",
    NO_RESPONSE_EXPECTED: "No response expected",
    AWAITING: "Awaiting a response",
}

STARTED = {"running", "concluded", "stopped"}


def outcome(*, status, responded, pilots=(), expected=True):
    """The outcome key of one idea. `status` is the idea's status value,
    `responded` whether the team answered it, `pilots` [(pilot status,
    pilot decision)] of the pilots it was taken forward into, `expected`
    whether it asks for an answer at all (False for a statement about the
    participant or an idea of a closed imported call)."""
    if any(s == "concluded" and d == "scale" for s, d in pilots):
        return SCALED
    if any(s in STARTED for s, _ in pilots):
        return PILOTED
    if pilots or status == "taken_forward":
        return TAKEN_FORWARD
    if status == "merged":
        return MERGED
    if status == "not_selected":
        return NOT_TAKEN_FORWARD
    if responded:
        return RESPONDED
    if not expected:
        return NO_RESPONSE_EXPECTED
    return AWAITING


def counts(outcomes, *, received, responded):
    """The figures at the top of the ledger. `outcomes` the outcome keys of
    the ideas taken forward, piloted or scaled (others are not needed);
    "taken forward" includes the ideas piloted and scaled since, and
    "piloted" includes those scaled."""
    scaled = sum(1 for o in outcomes if o == SCALED)
    piloted = scaled + sum(1 for o in outcomes if o == PILOTED)
    taken = piloted + sum(1 for o in outcomes if o == TAKEN_FORWARD)
    return {"received": received, "responded": responded, "taken_forward": taken,
            "piloted": piloted, "scaled": scaled}


def median_days(durations):
    """Median time to a response, in days (one decimal), from timedeltas;
    None when nothing was answered yet."""
    durations = [d.total_seconds() for d in durations if d is not None]
    if not durations:
        return None
    return round(median(durations) / 86400, 1)
