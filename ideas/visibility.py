"""What the public may see, written once.

An idea is public when it is published and its call is live; a comment is
public when it is published, not deleted, and its idea is public. Every
surface starts from these functions: pages, the API, the open data API, CSV,
Atom, search indexing and filtering, live topics, the flag form, the rules
(ideas/rules.py) and moderation. Hiding an item changes its state in one
commit, and so removes it from all of them at once.

The rule exists in two forms, kept side by side here: as a queryset (for
lists) and as a test of a row already loaded (for one item). The tests in
tests/ideas/test_visibility.py check that the two agree for every state."""

from django.db.models import OuterRef, Q

from consult.rules import can

from . import kinds
from .models import Comment, Idea, Visibility
from .restrictions import under_restriction

PUBLIC = Visibility.PUBLISHED
# Gone, with a public reason: the idea's page answers 410 and says why.
REMOVED = (Visibility.HIDDEN, Visibility.REJECTED)


def public_ideas():
    """Ideas anyone may see: published, in a live call."""
    return Idea.objects.filter(visibility=PUBLIC, call__live=True)


def public_comments():
    """Comments anyone may see: published, not deleted, on a public idea."""
    return Comment.objects.filter(visibility=PUBLIC, is_deleted=False, idea__in=public_ideas())


def listed_ideas():
    """Public ideas that may be listed beyond their own call's pages: the
    mission's "you said, we did", a pilot's ideas, the mission page's
    counts, people's profiles. An idea of a call under a view restriction
    (a password, signed-in people only, some groups) is seen only behind
    Wagtail's check of that call (ideas/restrictions.py), so it is left out
    here, as open data and search leave it out."""
    return public_ideas().exclude(under_restriction(OuterRef("call__path")))


def listed_comments():
    """Public comments on listed ideas (see listed_ideas)."""
    return public_comments().exclude(under_restriction(OuterRef("idea__call__path")))


def is_published(item):
    """The item's own state is public (its idea or call may still not be)."""
    return item.visibility == PUBLIC


def is_public_idea(idea):
    return is_published(idea) and idea.call.live


def is_public_comment(comment):
    return is_published(comment) and not comment.is_deleted and is_public_idea(comment.idea)


def is_public(item):
    """Any kind of contribution: its own rule, as it registered it (ideas/kinds.py)."""
    return kinds.of(item).is_public(item)


def is_staff_for(user, obj):
    """The mission's team and moderators, and site admins, see everything in it."""
    return can(user, "consult.view_mission_staff_area", obj)


def ideas_visible_to(user, call):
    """What this person may see in a call: the public ideas and their own;
    everything for the mission's staff."""
    qs = Idea.objects.filter(call=call)
    if is_staff_for(user, call):
        return qs
    # The call is in hand: whether it is live needs no join, and without
    # the join the call page's order indexes serve it (ideas/models.py).
    public = Q(visibility=PUBLIC) if call.live else Q(pk__in=[])
    if user.is_authenticated:
        return qs.filter(public | Q(author=user))
    return qs.filter(public)


def count_visible_to(user, call):
    """How many ideas of the call this person sees, without counting the
    call: its public counter (ideas/counters.py keeps it exact) plus their
    own ideas the public does not see. None for staff, who see everything
    and need a real count."""
    if is_staff_for(user, call):
        return None
    if not call.live:
        return 0 if not user.is_authenticated else Idea.objects.filter(call=call, author=user).count()
    own = Idea.objects.filter(call=call, author=user).exclude(visibility=PUBLIC).count() if user.is_authenticated else 0
    return call.idea_count + own


def removed_idea(idea_id):
    """An idea a moderator removed from a live call, for its 410 page (which
    shows only the reason), or None."""
    return Idea.objects.filter(pk=idea_id, visibility__in=REMOVED, call__live=True).first()


def comment_shown_to(comment, *, staff, mine):
    """Whether a comment's text shows in its thread to this reader (its idea
    is already visible to them): public ones, their own, all for staff."""
    return is_published(comment) or staff or mine
