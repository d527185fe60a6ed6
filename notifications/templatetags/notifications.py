"""The header's link to the notification list, with the unread count badge.

`{% notifications_link %}` renders the link for a signed-in person (one
indexed COUNT query) and names their `user:<id>` topic and its sequence
number on the badge, so static/js/live.mjs subscribes on every page and
keeps the count current (docs/live-protocol.md)."""

from django import template

from live import events
from live.topics import user_topic

from .. import selectors

register = template.Library()


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def notifications_link(context, known=None):
    """`known`: the count, topic and number the page already holds (the
    header's, cms/header.py), so the badge asks nothing again."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False}
    if known and "unread" in known:
        return {"show": True, "unread": known["unread"], "topic": known["topic"], "since": known["since"]}
    topic = user_topic(user.pk)
    return {
        "show": True,
        "unread": selectors.unread_count(user.pk),
        "topic": topic,
        "since": f"{topic}={events.current_seq(topic)}",
    }
