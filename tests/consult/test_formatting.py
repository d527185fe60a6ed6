"""Numbers and dates as people write them (consult/formatting.py) and the
template filters that put them on every page."""

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from consult.formatting import (
    deadline_phrase,
    format_date,
    format_datetime,
    format_metric,
    format_month,
    format_number,
    format_time,
    is_month_series,
    relative_phrase,
)

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    "value, expected",
    [
        (Decimal("17050.00"), "17,050"),
        (Decimal("41.00"), "41"),
        (Decimal("3.80"), "3.8"),
        (Decimal("51.22"), "51.22"),
        (Decimal("-0.60"), "-0.6"),
        (Decimal("-0.001"), "0"),
        (Decimal("1234567.5"), "1,234,567.5"),
        (2.345, "2.35"),
        (7, "7"),
        (None, ""),
    ],
)
def test_numbers_have_commas_and_no_trailing_zeros(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (Decimal("17050.00"), "officers (FTE)", "17,050 officers (FTE)"),
        (Decimal("41.00"), "%", "41%"),
        (Decimal("13.10"), "% of households", "13.1% of households"),
        (Decimal("1.2"), "£bn", "£1.2 billion"),
        (Decimal("1.2"), "£ billion", "£1.2 billion"),
        (Decimal("350"), "£m", "£350 million"),
        (Decimal("1200000000"), "£", "£1.2 billion"),
        (Decimal("138000000"), "£", "£138 million"),
        (Decimal("4500"), "£", "£4,500"),
        (Decimal("-1.5"), "£m", "-£1.5 million"),
        (Decimal("49.20"), "per 1,000 adults", "49.2 per 1,000 adults"),
        (Decimal("6.20"), "million pathways", "6.2 million pathways"),
        (Decimal("13.90"), "GW", "13.9 GW"),
        (Decimal("3"), "", "3"),
    ],
)
def test_metric_values_read_as_people_write_them(value, unit, expected):
    assert format_metric(value, unit) == expected


@pytest.mark.parametrize(
    "value, unit, expected",
    [(Decimal("41"), "%", "41%"), (Decimal("1.2"), "£bn", "£1.2bn"), (Decimal("17050"), "officers (FTE)", "17,050"),
     (Decimal("13.1"), "% of households", "13.1%")],
)
def test_short_form_for_axis_ticks_keeps_only_symbols(value, unit, expected):
    assert format_metric(value, unit, short=True) == expected


def test_dates_in_the_style_guides_words():
    assert format_date(date(2027, 3, 4)) == "4 March 2027"
    assert format_month(date(2027, 3, 4)) == "March 2027"
    # An aware datetime is shown on London's calendar: 23:30 UTC on 31 May is 1 June.
    assert format_date(datetime(2027, 5, 31, 23, 30, tzinfo=ZoneInfo("UTC"))) == "1 June 2027"
    assert format_date(None) == ""


def test_month_series_are_those_on_month_ends_or_starts():
    assert is_month_series([date(2023, 3, 31), date(2024, 2, 29), date(2025, 1, 1)])
    assert not is_month_series([date(2023, 3, 31), date(2024, 3, 4)])
    assert not is_month_series([])


@pytest.mark.parametrize(
    "hour, minute, expected",
    [(17, 0, "5pm"), (17, 30, "5:30pm"), (9, 5, "9:05am"), (12, 0, "midday"), (0, 0, "midnight"), (23, 59, "11:59pm")],
)
def test_times(hour, minute, expected):
    assert format_time(datetime(2027, 1, 26, hour, minute, tzinfo=LONDON)) == expected


NOW = datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    "delta, expected",
    [
        (timedelta(hours=3), "today"),
        (timedelta(days=1), "tomorrow"),
        (timedelta(days=9), "in 9 days"),
        (timedelta(days=57), "in 8 weeks"),
        (timedelta(days=14), "in 2 weeks"),
        (timedelta(days=120), "in 4 months"),
        (timedelta(days=800), "in 2 years"),
        (timedelta(days=-1), "yesterday"),
        (timedelta(days=-3), "3 days ago"),
    ],
)
def test_relative_phrases_use_one_unit(delta, expected):
    assert relative_phrase(NOW + delta, NOW) == expected


def test_never_two_units_at_once():
    for days in range(0, 1000, 7):
        phrase = relative_phrase(NOW + timedelta(days=days, hours=1), NOW)
        assert "," not in phrase and "from now" not in phrase
        assert len(phrase.split()) <= 3, phrase


def test_deadline_phrase_says_when_in_words_and_dates():
    closes = datetime(2027, 1, 26, 17, 0, tzinfo=LONDON)
    assert deadline_phrase(closes, NOW, "submission") == "closes in 8 weeks, on 26 January 2027 at 5pm"
    assert deadline_phrase(NOW + timedelta(hours=2), NOW, "submission") == "closes today at midday"
    assert deadline_phrase(NOW + timedelta(days=1), NOW, "upcoming") == "opens tomorrow at 10am"
    assert deadline_phrase(None, NOW) == ""


def render(source, **context):
    return Template("{% load govuk_format %}" + source).render(Context(context))


def test_template_filters_use_the_one_formatter():
    assert render("{{ v|metric:u }}", v=Decimal("17050.00"), u="officers (FTE)") == "17,050 officers (FTE)"
    assert render("{{ v|metric:'%' }}", v=Decimal("41.00")) == "41%"
    assert render("{{ v|number }}", v=12345) == "12,345"
    assert render("{{ d|govuk_date }} · {{ d|govuk_month }}", d=date(2027, 3, 4)) == "4 March 2027 · March 2027"


def test_deadline_filter_is_relative_to_now():
    from django.utils import timezone

    closes = timezone.localtime() + timedelta(days=57)
    text = render("{{ d|deadline:'submission' }}", d=closes)
    assert text.startswith("closes in 8 weeks, on ") and format_date(closes) in text


@pytest.mark.parametrize(
    "value, expected",
    [
        (datetime(2026, 12, 7, 14, 15, tzinfo=LONDON), "7 December 2026 at 2:15pm"),
        (datetime(2027, 3, 4, 12, 0, tzinfo=LONDON), "4 March 2027 at midday"),
        (datetime(2027, 7, 1, 8, 0, tzinfo=ZoneInfo("UTC")), "1 July 2027 at 9am"),  # shown in UK time
        (date(2027, 3, 4), "4 March 2027"),
    ],
)
def test_a_moment_is_shown_one_way(value, expected):
    assert format_datetime(value) == expected


def test_every_template_has_the_filters_without_loading_them():
    when = datetime(2026, 12, 7, 14, 15, tzinfo=LONDON)
    text = Template("{{ when|govuk_datetime }}; {{ when|govuk_date }}; {{ when|govuk_month }}; {{ none|govuk_datetime }}.")
    assert text.render(Context({"when": when, "none": None})) == "7 December 2026 at 2:15pm; 7 December 2026; December 2026; ."


TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
# Only the machine-readable form in a <time datetime="…"> attribute.
MACHINE_FORMATS = {"c"}
STRAY_DATE = re.compile(r"""\|\s*date\s*:\s*(["'])(?P<format>[^"']*)\1|\|\s*date\b(?!\s*:)|\|\s*time\b"""
                        r"""|\b(?:naturaltime|naturalday|timesince|timeuntil)\b""")


def stray_date_formats(root):
    """(file, line, text) of every date or time a template formats its own
    way, not with the one format (|govuk_date, |govuk_datetime, …)."""
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in {".html", ".txt", ".xml"}:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in STRAY_DATE.finditer(line):
                if match.group("format") in MACHINE_FORMATS:
                    continue
                found.append((str(path.relative_to(root)), number, match.group(0)))
    return found


def test_templates_show_dates_and_times_one_way():
    assert stray_date_formats(TEMPLATES_DIR) == []


def test_a_new_stray_date_format_is_found(tmp_path):
    (tmp_path / "ok.html").write_text("""<time datetime="{{ a|date:'c' }}">{{ a|govuk_datetime }}</time>""")
    (tmp_path / "stray.html").write_text('{{ a|date:"j M Y" }} {{ b|naturaltime }} {{ c|date }} {{ d|time:"H:i" }}')
    assert [text for _file, _line, text in stray_date_formats(tmp_path)] == [
        '|date:"j M Y"', "naturaltime", "|date", "|time"]
