"""The ideas half of a call page, with its list rendered once for everyone
who sees the same public list (issue #19: signed-in pages cache their
expensive fragments).

A signed-in person who is not the mission's staff and has no unpublished
idea of their own in the call sees exactly the public list: the same ideas,
order, count, filters and pages as a stranger. That list (its query, the
count, popular tags, sectors, pilots and the cards' template) is rendered
once per sort, filter and page and kept in live/fragments.py, current while
the call's live topic and the site generation stand. What is theirs alone
is put in afterwards, at marks the cards leave: each card's footer (fresh
tallies and comment count, their vote buttons with their own CSRF token,
whether they may vote), read in one query for the page's ideas. So a vote
shows its new tally on the voter's next view even before the tally event
moves the topic's number. Staff, authors with ideas awaiting moderation and
the per-visitor random order get their own render, through the same
template and the same filling-in.

Signed-out visitors get whole pages from cms/pagecache.py; the same
template and filling-in serve them when that cache misses.

What may be stored is decided by `canonical`: only a list reached by
values the page itself used, each in its one spelling (an unknown tag,
sector or page number, a repeated or unknown parameter renders without
being stored), so hostile query strings cannot fill the cache. The page
cache asks the same question (cms/pagecache.py)."""

import re

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Subquery
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe

from live import events, fragments
from live.topics import call_topic

from . import selectors
from .models import Idea, Vote
from .rules import can
from .visibility import PUBLIC, is_staff_for

FRAGMENT = "call-ideas"
PARAMS = frozenset({"sort", "status", "tag", "sector", "question", "page"})
MAX_VALUE = 100
FOOTER_RE = re.compile(r"<!--mc:footer:([0-9]+)-->")
CUT_RE = re.compile(r"<!--mc:cut:([0-9]+)-->")


def params_of(query):
    """The address's values as one dict, or None when a parameter is unknown,
    repeated or too long (rendered, never stored)."""
    params = {}
    for name in query:
        values = query.getlist(name)
        if name not in PARAMS or len(values) != 1 or len(values[0]) > MAX_VALUE:
            return None
        params[name] = values[0]
    return params


def canonical(params, context):
    """True when every value of `params` is one the rendered list used, in
    its one spelling (so one list has one stored entry)."""
    checks = {
        "sort": lambda v: v == context.get("sort"),
        "status": lambda v: v != "" and v == context.get("status_filter"),
        "tag": lambda v: v == context.get("tag_filter")
        and v in {t["tag__slug"] for t in context.get("popular_tags") or ()},
        "sector": lambda v: v == context.get("sector_filter")
        and v in {str(s.pk) for s in context.get("sectors") or ()},
        "question": lambda v: context.get("question_filter") is not None and v == str(context["question_filter"].pk),
        "page": lambda v: context.get("page_obj") is not None and v == str(context["page_obj"].number),
    }
    return params is not None and all(name in checks and checks[name](value) for name, value in params.items())


def sees_public_list(call, user, params):
    """Whether this person's list is the public one, which may be shared."""
    if not call.live or (params or {}).get("sort") == "random":
        return False
    if not user.is_authenticated:
        return True
    if is_staff_for(user, call):
        return False
    return not Idea.objects.filter(call=call, author=user).exclude(visibility=PUBLIC).exists()


def page_context(call, request, seed=None):
    """The list half of the call page's context: `ideas_html` (the list with
    this viewer's footers in), the filters it was rendered with, and
    `live_since`, the call topic's number the list is current at. When the
    list was rendered for this request, its whole context is there too."""
    user = request.user
    params = params_of(request.GET)
    # Signed-out visitors are served whole pages by cms/pagecache.py: a
    # fragment kept for them too would be a second copy of the same list.
    shared = user.is_authenticated and params is not None and sees_public_list(call, user, params)
    rendered = {}

    def render():
        context = selectors.call_ideas_context(call, AnonymousUser() if shared else user, request.GET, seed=seed)
        rendered.update(context)
        html = render_to_string("ideas/_call_ideas.html", {**context, "request": request})
        return html, {
            "ideas": [idea.pk for idea in context["ideas"]],
            "tag_filter": context["tag_filter"],
            "canonical": canonical(params, context),
        }

    topic = call_topic(call.pk)
    if shared:
        html, data, numbers, _hit = fragments.shared(FRAGMENT, (call.pk, sorted(params.items())), [topic], render,
                                                     keep=lambda data: data["canonical"])
    else:
        numbers = {topic: events.current_seq(topic)}
        html, data = render()
    footers, states = card_footers(call, request, data["ideas"])
    for idea in rendered.get("ideas", ()):  # rendered here: the context's ideas carry this viewer's state too
        idea.my_vote, idea.can_vote = states.get(idea.pk, (None, False))
    html = FOOTER_RE.sub(lambda m: footers.get(int(m.group(1)), ""), html)
    return {
        **rendered,
        "ideas_html": mark_safe(html),  # noqa: S308 (our templates' output, user text escaped there)
        "tag_filter": data["tag_filter"],
        "ideas_canonical": data["canonical"],
        "live_since": numbers,
    }


def card_footers(call, request, idea_ids):
    """({idea id: footer HTML}, {idea id: (their vote, may they vote)}) for
    this viewer: the counters as they are now, their vote and whether they
    may vote, in one query."""
    if not idea_ids:
        return {}, {}
    user = request.user
    ideas = Idea.objects.filter(pk__in=idea_ids).only(
        "pk", "call_id", "author_id", "title", "status", "visibility",
        "support_count", "agree_count", "disagree_count", "pass_count", "comment_count",
    )
    if user.is_authenticated:
        mine = Vote.objects.filter(idea=OuterRef("pk"), user=user).values("value")[:1]
        ideas = ideas.annotate(mine=Subquery(mine))
    ideas = list(ideas)
    states = {}
    for idea in ideas:
        idea.call = call
        idea.my_vote = getattr(idea, "mine", None)
        idea.can_vote = can(user, "ideas.vote_idea", idea)
        states[idea.pk] = (idea.my_vote, idea.can_vote)
    context = {"request": request, "call": call, "agree_choices": selectors.AGREE_CHOICES, "ideas": ideas}
    if user.is_authenticated:
        context["csrf_token"] = get_token(request)
    # One render for all the footers (twenty renders cost twice as much), cut at its marks.
    parts = CUT_RE.split(get_template("ideas/_idea_card_footers.html").render(context))
    footers = {int(pk): html for pk, html in zip(parts[1::2], parts[2::2], strict=True)}
    return footers, states
