"""Topic names, their one grammar, and who may subscribe to which topic.

Topics name what a page shows: call:<id>, idea:<id>, moderation:<mission
id>, user:<id>, sheet:<prize id> (a prize's panel sheet). Every topic name
in the project is built here (`call_topic(pk)` and its siblings,
`topic_name(kind, pk)` for a kind known only at run time) and read back here (`parse_topic`), so the grammar the
consumer enforces and the names the services publish to cannot drift apart.

Why a registry of authorisers rather than a check per kind written here:
`live` is a leaf app and imports no other project app (the layering of issue
#13: cms, demo | opendata, moderation, ideas, consult, live | search). Whether
someone may follow a call, an idea or a moderation queue is a question about
those apps' models and permissions, so each app that owns the data answers it
and registers the answer from its AppConfig.ready() with
`register_kind(kind, authorise_fn)`: ideas registers call and idea
(ideas/live_topics.py), consult registers moderation (consult/live_topics.py),
prizes registers sheet (prizes/rules.py `authorise_sheet`).
`user` needs no model and is registered below. A kind in the grammar that no
app has registered answers unknown_topic, as a kind outside it does."""

import re
from collections.abc import Callable
from typing import Any

from inputs.refusals import SIGNED_OUT_CODE, Refused

CALL = "call"
IDEA = "idea"
MODERATION = "moderation"
USER = "user"
SHEET = "sheet"  # a prize's panel sheet: its chair and its mission's team
KINDS = (CALL, IDEA, MODERATION, USER, SHEET)
PRIVATE_KINDS = (MODERATION, USER, SHEET)  # subscribers are re-checked while subscribed (live/consumers.py)

MAX_PK_DIGITS = 12
# ASCII digits only, anchored at the very end: `\d` also matches other
# scripts' digits and `$` matches before a trailing newline, and either one
# let through a topic the channel layer refuses as a group name.
TOPIC_RE = re.compile(rf"^({'|'.join(KINDS)}):([0-9]{{1,{MAX_PK_DIGITS}}})\Z", re.ASCII)
MAX_TOPIC_LENGTH = max(len(kind) for kind in KINDS) + 1 + MAX_PK_DIGITS
UNKNOWN_TOPIC = "Unknown topic. Use call:<id>, idea:<id>, moderation:<id>, user:<id> or sheet:<id>."


class TopicError(Refused):
    """A subscription refused: the one refusal type (inputs/refusals.py), so
    a signed-out client gets the same code here as from a form or the API."""

    def __init__(self, code, message, status=403):
        super().__init__(message, status=status, code=code)


# --- building names -------------------------------------------------------------


def topic_name(kind, pk):
    """The topic of one object of this kind. Refuses a kind or a key outside
    the grammar, so a name that would be refused on subscribe is never
    published to."""
    if kind not in KINDS:
        raise ValueError(f"unknown topic kind {kind!r}; use one of {', '.join(KINDS)}")
    if isinstance(pk, bool) or not isinstance(pk, int):
        pk = int(pk)  # template variables and URL parts may arrive as strings
    if pk < 0 or len(str(pk)) > MAX_PK_DIGITS:
        raise ValueError(f"topic key out of range: {pk!r}")
    return f"{kind}:{pk}"


def call_topic(pk):
    return topic_name(CALL, pk)


def idea_topic(pk):
    return topic_name(IDEA, pk)


def moderation_topic(mission_pk):
    return topic_name(MODERATION, mission_pk)


def user_topic(pk):
    return topic_name(USER, pk)


def sheet_topic(prize_pk):
    return topic_name(SHEET, prize_pk)


# --- reading names -------------------------------------------------------------


def parse_topic(topic):
    """(kind, pk) of a well-formed topic, else TopicError("unknown_topic").

    The one grammar check: the consumer runs it before anything is
    registered in the hub (a topic the layer refuses as a group name used
    to crash the socket half-registered), and authorise() runs it again."""
    if not isinstance(topic, str) or len(topic) > MAX_TOPIC_LENGTH:
        raise TopicError("unknown_topic", UNKNOWN_TOPIC)
    match = TOPIC_RE.match(topic)
    if not match:
        raise TopicError("unknown_topic", UNKNOWN_TOPIC)
    return match.group(1), int(match.group(2))


def kind_of(topic):
    """The kind of a topic name this process built or already parsed."""
    return topic.partition(":")[0]


# --- who may subscribe ---------------------------------------------------------

_authorisers = {}  # kind -> authorise_fn(user, pk), raising TopicError


def register_kind(kind: str, authorise_fn: Callable[[Any, int], object]) -> None:
    """Let `authorise_fn(user, pk)` decide who may follow topics of this kind.
    It raises TopicError (not_found, forbidden) to refuse and returns
    anything to allow. Registering a kind again replaces its authoriser
    (Django may run ready() more than once in tests)."""
    if kind not in KINDS:
        raise ValueError(f"unknown topic kind {kind!r}; the grammar knows {', '.join(KINDS)}")
    _authorisers[kind] = authorise_fn


def registered_kinds():
    return tuple(kind for kind in KINDS if kind in _authorisers)


def authorise(user, topic):
    """(kind, pk) if this user may follow this topic, else TopicError."""
    kind, pk = parse_topic(topic)
    authorise_fn = _authorisers.get(kind)
    if authorise_fn is None:
        raise TopicError("unknown_topic", UNKNOWN_TOPIC)
    authorise_fn(user, pk)
    return kind, pk


def _authorise_user(user, pk):
    if not user.is_authenticated:
        raise TopicError(SIGNED_OUT_CODE, "Sign in to follow your notifications.", status=401)
    if user.pk != pk:
        raise TopicError("forbidden", "You may only follow your own notifications.")


register_kind(USER, _authorise_user)
