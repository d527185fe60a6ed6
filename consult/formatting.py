"""Numbers and dates as people write them, in the GOV.UK style guide's words.

One place for every surface that shows a metric or a deadline (the mission
page, its charts and tables, call pages, the home page), so "17050.00
officers (FTE)" and "1 month, 4 weeks from now" cannot come back in one
template while the others are fixed. Pure: no database, no request; the
template filters in consult/templatetags/mission_format.py wrap these.

- 17050.00 with "officers (FTE)" → "17,050 officers (FTE)"
- 41.00 with "%" → "41%"; 13.1 with "% of households" → "13.1% of households"
- 1.2 with "£bn" → "£1.2 billion"; 1200000000 with "£" → "£1.2 billion"
- 2027-03-04 → "4 March 2027"; a monthly series → "March 2027"
- a moment → "7 December 2026 at 2:15pm" (format_datetime: every date and
  time shown to people, with the filters govuk_date, govuk_datetime,
  govuk_month and govuk_time, built into every template)
- a deadline → "closes in 8 weeks, on 26 January 2027 at 5pm"
"""

import calendar
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone

MONTHS = [calendar.month_name[i] for i in range(13)]
MONTHS_SHORT = [calendar.month_abbr[i] for i in range(13)]

# Units that scale the number, written out as words after it.
_SCALE_WORDS = {"k": "thousand", "m": "million", "bn": "billion", "tn": "trillion"}
_SHORT_SCALE = {word: short for short, word in _SCALE_WORDS.items()}
_CURRENCIES = ("£", "$", "€")


def _decimal(value):
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value, max_places=2):
    """17050.00 → "17,050"; 3.80 → "3.8"; -0.60 → "-0.6"; 1234.5 → "1,234.5".

    Thousands separated by commas, no trailing zeros, at most `max_places`
    decimal places (rounded half up, as people expect)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if not number.is_finite():
        return str(value)
    quantum = Decimal(1).scaleb(-max_places)
    number = number.quantize(quantum, rounding="ROUND_HALF_UP")
    if number == 0:
        number = abs(number)  # never "-0"
    text = f"{number:,.{max_places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _parse_unit(unit):
    """(prefix, scale word, rest): "£bn" → ("£", "billion", ""), "%" →
    ("", "", "%"), "£ million" → ("£", "million", ""), "GW" → ("", "", "GW")."""
    unit = (unit or "").strip()
    prefix = ""
    if unit[:1] in _CURRENCIES:
        prefix, unit = unit[0], unit[1:].strip()
    word = ""
    head, _, tail = unit.partition(" ")
    if prefix and head.lower() in _SCALE_WORDS:
        word, unit = _SCALE_WORDS[head.lower()], tail.strip()
    elif prefix and head.lower() in _SCALE_WORDS.values():
        word, unit = head.lower(), tail.strip()
    return prefix, word, unit


def _money(number, word):
    """£1,200,000,000 → "£1.2 billion" (the style guide's "£138 million")."""
    if word or number is None:
        return format_number(number), word
    size = abs(number)
    for threshold, name in ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if size >= threshold:
            return format_number(number / threshold, max_places=1), name
    return format_number(number), ""


def format_metric(value, unit="", short=False):
    """A value with its unit, as people write it.

    `short` keeps only symbols (% and currency) for axis ticks, where the
    unit's words are shown once beside the axis."""
    prefix, word, rest = _parse_unit(unit)
    number = _decimal(value)
    if prefix:
        text, word = _money(number, word)
        sign = "-" if text.startswith("-") else ""
        text = f"{sign}{prefix}{text.lstrip('-')}"
    else:
        text = format_number(value)
    if short:
        if word:
            return f"{text}{_SHORT_SCALE[word]}"  # "£1.2bn"
        return f"{text}%" if rest.startswith("%") else text
    if word:
        text = f"{text} {word}"
    if rest.startswith("%"):
        return f"{text}{rest}"  # "41%", "13.1% of households"
    return f"{text} {rest}" if rest else text


# Dates ---------------------------------------------------------------------


def _as_date(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def format_date(value):
    """"4 March 2027": no leading zero, month in full, no ordinal."""
    value = _as_date(value)
    if not isinstance(value, date):
        return ""
    return f"{value.day} {MONTHS[value.month]} {value.year}"


def format_month(value):
    """"March 2027"."""
    value = _as_date(value)
    if not isinstance(value, date):
        return ""
    return f"{MONTHS[value.month]} {value.year}"


def is_month_series(dates):
    """True when every date falls on the first or last day of its month, so
    the figures are monthly (or quarterly, or yearly) and "March 2027" says
    all there is to say."""
    dates = [_as_date(d) for d in dates if d]
    if not dates:
        return False
    return all(d.day == 1 or d.day == calendar.monthrange(d.year, d.month)[1] for d in dates)


def format_series_date(value, month_series):
    return format_month(value) if month_series else format_date(value)


def format_time(value):
    """"5pm", "5:30pm", "midday", "midnight" (the style guide's times)."""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def format_datetime(value):
    """"7 December 2026 at 2:15pm", "4 March 2027 at midday": the one way a
    moment is shown to people, in the site's time zone."""
    if not isinstance(value, datetime):
        return format_date(value)
    return f"{format_date(value)} at {format_time(value)}"


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def relative_phrase(when, now):
    """How far away `when` is, in the one unit that helps: "today",
    "tomorrow", "in 9 days", "in 8 weeks", "in 4 months", "in 2 years";
    "yesterday", "3 days ago"... for the past. Never two units at once."""
    when_day, today = _as_date(when), _as_date(now)
    days = (when_day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    span = abs(days)
    if span < 14:
        amount = _plural(span, "day")
    elif span < 91:
        amount = _plural(span // 7, "week")
    elif span < 730:
        amount = _plural(round(span / 30.44), "month")
    else:
        amount = _plural(span // 365, "year")
    return f"in {amount}" if days > 0 else f"{amount} ago"


# What each phase's end means for a visitor.
DEADLINE_VERBS = {
    "upcoming": "opens",
    "submission": "closes",
    "review": "review ends",
    "shortlist": "results due",
}


def deadline_phrase(when, now, phase=None):
    """"closes in 8 weeks, on 26 January 2027 at 5pm";
    "closes today at 5pm"; "opens tomorrow at 9am"."""
    if when is None:
        return ""
    verb = DEADLINE_VERBS.get(phase, "ends")
    relative = relative_phrase(when, now)
    at = f" at {format_time(when)}" if isinstance(when, datetime) else ""
    if relative in ("today", "tomorrow"):
        return f"{verb} {relative}{at}"
    return f"{verb} {relative}, on {format_date(when)}{at}"


def add_months(day, months):
    """The first of the month `months` after `day`'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


__all__ = [
    "add_months",
    "deadline_phrase",
    "format_date",
    "format_datetime",
    "format_metric",
    "format_month",
    "format_number",
    "format_series_date",
    "format_time",
    "is_month_series",
    "relative_phrase",
]
