"""Who hears about a pilot (issue #18, "people hear back"): the authors and
the followers of the ideas it tests, through the site's notifications
(in-site, and email as each person chose for "Status changes and team
responses"). The person who acted is never told of their own act; a person
linked through several ideas is told once. Called inside the write's
transaction: the notifications exist exactly when the write does."""

from ideas.models import Follow, Idea
from ideas.notifications import cut
from ideas.visibility import public_ideas
from notifications.models import Kind
from notifications.services import notify


def _people(idea_ids, exclude=()):
    """Authors and followers of these ideas (public ones only), in two queries."""
    idea_ids = list(public_ideas().filter(pk__in=idea_ids).values_list("pk", flat=True))
    if not idea_ids:
        return set()

    people = set(Idea.objects.filter(pk__in=idea_ids).values_list("author_id", flat=True))
    people |= set(Follow.objects.filter(idea_id__in=idea_ids).values_list("user_id", flat=True))
    return people - set(exclude)


def tell_idea_people(ideas, what, excerpt, link, actor=None):
    """Each idea's author and followers, told with the idea named."""
    for idea in ideas:
        notify(_people([idea.pk], {actor.pk} if actor else ()), Kind.STATUS,
               title=f"{what}: {idea.title}", excerpt=cut(excerpt or ""), link=link)


def tell_author_if_not_following(idea, what, excerpt, link, actor):
    """The followers hear of a status change from ideas/notifications.py; an
    author who stopped following the idea still hears what became of it."""
    if idea.author_id == getattr(actor, "pk", None):
        return
    if not Follow.objects.filter(idea=idea, user_id=idea.author_id).exists():
        notify([idea.author_id], Kind.STATUS, title=f"{what}: {idea.title}", excerpt=cut(excerpt or ""),
               link=link)


def tell_pilot_people(pilot, what, excerpt, actor=None):
    idea_ids = list(pilot.idea_links.values_list("idea_id", flat=True))
    notify(_people(idea_ids, {actor.pk} if actor else ()), Kind.STATUS,
           title=what, excerpt=cut(excerpt or ""), link=pilot.url)
