"""What a pilot needs before it is published, and which results look wrong:
pure functions of plain values, so the admin form, the services and the
tests ask the same rules (issue #18, "bad input").

A pilot is published only with its whole hypothesis and a measure: a
published test with no stated expectation cannot teach anything. A result
outside the measure's plausible range, or dated outside the pilot, is not
refused (pilots do surprise) but must be confirmed."""

from decimal import Decimal

from django.utils.formats import number_format

PERCENT_UNITS = {"%", "percent", "per cent"}


def publish_problems(*, change, outcome, people, has_metric, measure_name, measure_unit,
                     measure_baseline, measure_target, status, starts_on, ends_on,
                     lesson, decision, decision_reason):
    """{field name: message} of what stops this pilot being published."""
    problems = {}
    for name, words in (("change", "the change it makes (“We believe…”)"),
                        ("outcome", "the outcome expected (“…will lead to…”)"),
                        ("people", "who it is for (“…for…”)")):
        if not (locals()[name] or "").strip():
            problems[name] = f"A pilot needs its hypothesis before it is published: add {words}."
    if not has_metric:
        if not (measure_name or "").strip():
            problems["metric"] = ("A pilot needs a measure before it is published: choose one of the mission's "
                                  "headline metrics, or name its own measure with a unit, a baseline and a target.")
        else:
            for name, value, words in (("measure_unit", measure_unit, "a unit"),
                                       ("measure_baseline", measure_baseline, "a baseline"),
                                       ("measure_target", measure_target, "a target")):
                if value in (None, ""):
                    problems[name] = f"The pilot's own measure needs {words}."
    if starts_on and ends_on and ends_on < starts_on:
        problems["ends_on"] = "The end date must be on or after the start date."
    if status in ("running", "concluded", "stopped") and not starts_on:
        problems["starts_on"] = "A pilot that has started needs its start date."
    if status in ("concluded", "stopped"):
        if not (lesson or "").strip():
            problems["lesson"] = ("A concluded or stopped pilot is published with its lesson: "
                                  "say in plain words what was learned, failures included.")
        if not decision:
            problems["decision"] = "Say what was decided: scale it up, adapt and test again, or stop."
        elif not (decision_reason or "").strip():
            problems["decision_reason"] = "Say why this was decided."
    return problems


def plausible_range(unit, low, high):
    """The (low, high) bounds a result is checked against; a percentage is
    0 to 100 unless the team set its own."""
    if (unit or "").strip().lower() in PERCENT_UNITS:
        low = Decimal(0) if low is None else low
        high = Decimal(100) if high is None else high
    return low, high


def _day(value):
    return f"{value.day} {value:%B %Y}"


def unusual_results(results, *, unit, low, high, starts_on, ends_on):
    """Messages about results that need confirming: `results` is a list of
    (date, value) pairs."""
    low, high = plausible_range(unit, low, high)
    messages = []
    for date, value in results:
        if value is not None:
            shown = f"{number_format(value)}{unit if unit == '%' else ' ' + unit if unit else ''}"
            if low is not None and value < low:
                messages.append(f"The result of {shown} on {_day(date)} is below the measure's range "
                                f"(lowest {number_format(low)}).")
            if high is not None and value > high:
                messages.append(f"The result of {shown} on {_day(date)} is above the measure's range "
                                f"(highest {number_format(high)}).")
        if date is not None:
            if starts_on and date < starts_on:
                messages.append(f"The result dated {_day(date)} is before the pilot starts ({_day(starts_on)}).")
            if ends_on and date > ends_on:
                messages.append(f"The result dated {_day(date)} is after the pilot ends ({_day(ends_on)}).")
    return messages
