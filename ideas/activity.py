"""Reads behind the people pages: a person's public contributions (their
profile), an organisation's public ideas, and a person's own activity.
Public lists start from the one visibility query (ideas/visibility.py
`listed_ideas`: nothing of a call under a view restriction) and leave out what was posted without a name, so a profile never unmasks an
anonymous contribution."""

from .models import Comment, Follow, Idea, Vote
from .selectors import paginate
from .visibility import listed_comments, listed_ideas

PER_PAGE = 20


def public_ideas_by(user_id, page_number=None):
    qs = (
        listed_ideas().filter(author_id=user_id, anonymous=False)
        .select_related("call", "on_behalf_of").order_by("-created_at", "-pk")
    )
    return paginate(qs, PER_PAGE, page_number)


def public_comments_by(user_id, page_number=None):
    qs = (
        listed_comments().filter(author_id=user_id, anonymous=False)
        .select_related("idea").order_by("-created_at", "-pk")
    )
    return paginate(qs, PER_PAGE, page_number)


def public_ideas_for(organisation_id, page_number=None):
    qs = (
        listed_ideas().filter(on_behalf_of_id=organisation_id)
        .select_related("call", "author__profile").order_by("-created_at", "-pk")
    )
    return paginate(qs, PER_PAGE, page_number)


def counts_for_profile(user_id):
    return {
        "ideas": listed_ideas().filter(author_id=user_id, anonymous=False).count(),
        "comments": listed_comments().filter(author_id=user_id, anonymous=False).count(),
    }


# A person's own activity: everything they wrote, whatever its state, with
# the state said (pending, hidden), and what the team answered.

def my_ideas(user, page_number=None):
    qs = Idea.objects.filter(author=user).select_related("call", "on_behalf_of").order_by("-created_at", "-pk")
    return paginate(qs, PER_PAGE, page_number)


def my_comments(user, page_number=None):
    qs = Comment.objects.filter(author=user, is_deleted=False).select_related("idea").order_by("-created_at", "-pk")
    return paginate(qs, PER_PAGE, page_number)


def my_votes(user, page_number=None):
    qs = Vote.objects.filter(user=user).select_related("idea").order_by("-pk")
    return paginate(qs, PER_PAGE, page_number)


def my_follows(user, page_number=None):
    qs = Follow.objects.filter(user=user).select_related("idea", "call").order_by("-created_at", "-pk")
    return paginate(qs, PER_PAGE, page_number)
