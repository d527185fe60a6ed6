"""When a learning question may change status: the rule, written once.

A mission says openly what it must learn. A question moves from open to
being explored to answered only with its evidence cited (the pilots and
calls that explored it and what they showed), so "answered" is a claim a
reader can check (issue #18). Pure: the admin form (consult/models.py
MissionPageForm) and any script that saves a mission ask the same function.
"""

OPEN = "open"
EXPLORING = "exploring"
ANSWERED = "answered"


def missing_for_status(status, *, answer="", evidence=0):
    """What is missing for a question to hold `status`, in words, or "".

    `evidence` is how many citations (a pilot or a call with what it showed)
    the question has."""
    missing = []
    if status in (EXPLORING, ANSWERED) and evidence < 1:
        missing.append(
            "the evidence: add at least one pilot or call under “Evidence”, with what it showed"
        )
    if status == ANSWERED and not (answer or "").strip():
        missing.append("the answer: say what was learned")
    if not missing:
        return ""
    label = "being explored" if status == EXPLORING else "answered"
    return f"A question marked {label} needs " + " and ".join(missing) + "."
