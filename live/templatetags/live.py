from django import template
from django.utils.html import format_html

from live import events
from live.topics import topic_name

register = template.Library()


@register.simple_tag
def live_attrs(kind, pk, since=None):
    """The <body> attributes that start the live client: the topics, and each
    topic's sequence number as this page is rendered. The client subscribes
    with that number as `since`, so whatever happens between the render and
    the subscribe is replayed rather than lost. `kind` is a topic kind
    (call, idea, moderation, user); the name is built by live/topics.py.

    `since`, when the view gives it, maps topics to the numbers read before
    its data (a shared fragment's, live/fragments.py): a number read at the
    render could be newer than the data and skip an event it never showed."""
    topics = [topic_name(kind, pk)]
    known = since or {}
    numbers = " ".join(f"{topic}={known[topic] if topic in known else events.current_seq(topic)}" for topic in topics)
    return format_html('data-live-topics="{}" data-live-since="{}"', " ".join(topics), numbers)
