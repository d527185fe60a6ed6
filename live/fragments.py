"""Rendered HTML shared by everyone who would see the same thing, kept exact
by the live topics' sequence numbers: the signed-in half of the page cache
(cms/pagecache.py serves whole pages to signed-out visitors; a signed-in
page differs per person, so only its shared parts can be kept).

An entry is stored under a key of the caller's parts (and the active
language) with the numbers of its topics and of the site generation, read
*before* its render in the same `get_many` that looks for the entry; it is
served only while none of those numbers has moved. Every write that changes
what the fragment shows publishes a live event on one of its topics after
commit (live/events.py) or moves the site generation (page publishes,
renames: cms/pagecache.py's `connect_signals`), so a served fragment is
never older than its topics say. A write that commits during a render
leaves the entry with the older numbers: the next view renders again.

What a fragment holds must be the same for every viewer it is served to;
the caller renders what is theirs alone (their vote buttons, their follow
state, fresh tallies) into marked places after taking it from here. The
caller also decides what may be stored (`keep`), so hostile query strings
cannot fill the cache with one entry per spelling.

`PAGE_CACHE_ENABLED` switches this with the page cache; off, every call
renders. A cache that fails is logged and bypassed: the page still renders.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from . import events

logger = logging.getLogger("missioncommons.pagecache")

# The site generation: moved by writes that publish no live event.
SITE_KEY = "pagecache:site"


def cache():
    return caches["default"]


def enabled():
    """PAGE_CACHE_ENABLED; when unset (None), on unless DEBUG."""
    value = getattr(settings, "PAGE_CACHE_ENABLED", None)
    return not settings.DEBUG if value is None else bool(value)


def timeout():
    return getattr(settings, "PAGE_CACHE_TIMEOUT", 300)


def seq_key(topic):
    return events._seq_key(topic)  # the live events' own counter


def current(keys):
    """{key: number} for these sequence keys, 0 where none is kept yet."""
    found = cache().get_many(list(keys))
    return {key: int(found.get(key) or 0) for key in keys}


def bump_site():
    """Move the site generation now: every cached page and fragment renders again."""
    backend = cache()
    try:
        try:
            backend.incr(SITE_KEY)
        except ValueError:
            backend.add(SITE_KEY, int(time.time() * 1000), timeout=None)
            backend.incr(SITE_KEY)
    except Exception:  # the write stands; entries fall back to their timeout
        logger.warning("page cache: site generation not moved", exc_info=True)


def shared(name, parts, topics, render, keep=lambda data: True):
    """(html, data, numbers, hit) of the fragment `name` for `parts`.

    `render()` returns (html, data); `data` is kept beside the HTML (plain
    values: what the caller needs to fill in its marked places). `numbers`
    are the topics' sequence numbers the fragment is current at, read
    before any render: a page that shows the fragment subscribes to its
    live topics from them, so an event after them is replayed, not lost."""
    seqs = {topic: seq_key(topic) for topic in topics}
    deps = [SITE_KEY, *seqs.values()]
    lang = translation.get_language() or ""
    key = "pc:frag:" + hashlib.sha256(f"{lang}|{name}|{parts!r}".encode()).hexdigest()[:40]
    held = None
    if enabled():
        try:
            held = cache().get_many([key, *deps])
        except Exception:
            logger.warning("fragment cache lookup failed", exc_info=True)
    if held is None:  # off, or the cache failed: the numbers, then the render
        by_topic = {topic: events.current_seq(topic) for topic in topics}
        html, data = render()
        return html, data, by_topic, False
    numbers = {dep: int(held.get(dep) or 0) for dep in deps}
    by_topic = {topic: numbers[dep] for topic, dep in seqs.items()}
    entry = held.get(key)
    if entry is not None and entry["deps"] == numbers:
        return entry["html"], entry["data"], by_topic, True
    html, data = render()
    if keep(data):
        try:
            cache().set(key, {"deps": numbers, "html": html, "data": data}, timeout=timeout())
        except Exception:
            logger.warning("fragment cache store failed", exc_info=True)
    return html, data, by_topic, False
