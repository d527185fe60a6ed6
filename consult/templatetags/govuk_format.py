"""Template filters for numbers and dates as people write them: the one
formatter (consult/formatting.py) wherever metrics, dates and deadlines
appear. Built into every template (TEMPLATES' "builtins" in
cms/settings/base.py), so no template loads them and none needs Django's
|date:"…" (tests/consult/test_formatting.py fails on a stray one).

    {% load govuk_format %}
    {{ point.value|metric:metric.unit }}     → 17,050 officers (FTE), 41%
    {{ number|number }}                      → 17,050
    {{ point.date|govuk_date }}              → 4 March 2027
    {{ point.date|govuk_month }}             → March 2027
    {{ comment.created_at|govuk_datetime }}  → 7 December 2026 at 2:15pm
    {{ call.submission_closes|deadline:phase }} → closes in 8 weeks, on 26 January 2027 at 5pm
"""

from django import template
from django.utils import timezone

from consult import formatting

register = template.Library()


@register.filter
def metric(value, unit=""):
    return formatting.format_metric(value, unit)


@register.filter
def number(value):
    return formatting.format_number(value)


@register.filter
def govuk_date(value):
    return formatting.format_date(value)


@register.filter
def govuk_datetime(value):
    return formatting.format_datetime(value) if value else ""


@register.filter
def govuk_month(value):
    return formatting.format_month(value)


@register.filter
def govuk_time(value):
    return formatting.format_time(value) if value else ""


@register.filter
def deadline(value, phase=None):
    """The end of a phase, from now: "closes in 8 weeks, on 26
    January 2027 at 5pm"."""
    return formatting.deadline_phrase(value, timezone.now(), phase)


@register.filter
def relative(value):
    """"in 8 weeks", "tomorrow", "3 days ago"."""
    return formatting.relative_phrase(value, timezone.now()) if value else ""
