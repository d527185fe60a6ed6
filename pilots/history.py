"""What each published revision of a pilot changed, in words (issue #18:
"every change is visible in its history"). A pilot's page lists every
publication; "updated" alone would hide a corrected result or a rewritten
hypothesis, so each entry says what changed since the one before.

Pure: the contents Wagtail stores for two revisions (plain dicts, values as
JSON gives them: dates and decimals as strings, relations as ids, results
as a list of dicts) in, sentences out; pilots/selectors.py reads the
revisions. Only what the public page shows is compared: a new slug or a
plausible range is not history."""

from datetime import date
from decimal import Decimal, InvalidOperation

from consult.formatting import format_date, format_metric

# (fields, what a reader calls them), in the order the page shows them.
SECTIONS = [
    (("title",), "the title"),
    (("summary",), "the summary"),
    (("change", "outcome", "people"), "the hypothesis"),
    (("metric", "measure_name", "measure_unit", "measure_baseline", "measure_target"), "the measure"),
    (("location",), "where it runs"),
    (("starts_on", "ends_on"), "the dates"),
    (("learning_questions",), "the learning questions"),
    (("calls",), "the calls it came from"),
    (("lesson",), "the lesson"),
    (("decision", "decision_reason"), "the decision"),
]
NO_VISIBLE_CHANGE = "republished with no change to what this page shows"


def _blank(value):
    return value in (None, "", [], ())


def _same(a, b):
    """Equal as the page shows them: 22.5 and "22.50" are the same figure,
    [3, 1] and [1, 3] the same questions."""
    if _blank(a) and _blank(b):
        return True
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    number_a, number_b = _number(a), _number(b)
    if number_a is not None and number_b is not None:
        return number_a == number_b
    return str(a).strip() == str(b).strip()


def _number(value):
    if value is None or isinstance(value, bool) or isinstance(value, (list, dict)):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _day(value):
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return format_date(value)


def _results(content):
    """{date string: [(value, commentary, source)]}, in the order stored."""
    found = {}
    for row in (content or {}).get("results") or []:
        found.setdefault(str(row.get("date") or ""), []).append(
            (_number(row.get("value")), (row.get("commentary") or "").strip(), (row.get("source") or "").strip()))
    return found


def _result_changes(before, after, unit):
    def shown(value):
        return format_metric(value, unit) if value is not None else "no value"

    changes = []
    old, new = _results(before), _results(after)
    for day in sorted(set(old) | set(new)):
        was, now = old.get(day, []), new.get(day, [])
        for (value_was, words_was, source_was), (value, words, source) in zip(was, now):
            if value_was != value:
                changes.append(f"the result for {_day(day)} corrected from {shown(value_was)} to {shown(value)}")
            elif (words_was, source_was) != (words, source):
                changes.append(f"the commentary on the result for {_day(day)} revised")
        for value, _, _ in now[len(was):]:
            changes.append(f"a result for {_day(day)} added: {shown(value)}")
        for value, _, _ in was[len(now):]:
            changes.append(f"the result for {_day(day)} withdrawn (it was {shown(value)})")
    return changes


def changes(before, after, *, unit="", status_labels=None):
    """The changes from revision content `before` to `after`, as phrases in
    the page's order. `before` is None for the first publication. `unit` is
    the measure's (for results); `status_labels` {value: label}."""
    labels = status_labels or {}

    def status(content):
        value = (content or {}).get("status") or ""
        return labels.get(value, value).lower()

    if before is None:
        first = "first published" + (f" as {status(after)}" if status(after) else "")
        count = len((after or {}).get("results") or [])
        return [first + (f", with {count} result{'s' if count != 1 else ''}" if count else "")]
    found = []
    if status(before) != status(after) and status(after):
        found.append(f"status changed from {status(before)} to {status(after)}"
                     if status(before) else f"status set to {status(after)}")
    sections = {"added": [], "revised": [], "removed": []}
    for fields, name in SECTIONS:
        if all(_same(before.get(f), after.get(f)) for f in fields):
            continue
        if all(_blank(before.get(f)) for f in fields):
            sections["added"].append(name)
        elif all(_blank(after.get(f)) for f in fields):
            sections["removed"].append(name)
        else:
            sections["revised"].append(name)
    found += [f"{_and(names)} {how}" for how, names in sections.items() if names]
    found += _result_changes(before, after, unit)
    return found or [NO_VISIBLE_CHANGE]


def _and(names):
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def sentence(phrases):
    """"Status changed from running to stopped; the lesson added." """
    text = "; ".join(phrases)
    return (text[:1].upper() + text[1:] + ".") if text else ""
