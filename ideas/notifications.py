"""Who hears about what happened to ideas and comments, told through the
notifications app (notifications/services.py).

Each function is called inside the write's transaction and records the
notifications there, so they exist exactly when the write does; the emails
(at once or in a digest, as each person chose) and the live unread count go
after the commit, from the background worker (notifications/tasks.py). The
names keep their `on_commit_` prefix for the callers (ideas/services/,
moderation/services.py): nothing leaves the site before the commit.

Who is told, under which kind (notifications/models.py, Kind):
- a comment: the author of the comment replied to and the idea's author
  (replies to me); everyone else following the idea (activity on things I
  follow);
- a status change or the team's response: the idea's followers (status
  changes and team responses);
- a new public idea: whoever follows its call, its mission or one of its
  tags (activity on things I follow), each person once;
- a moderation decision about a post, a suspension: its author or the person
  (moderation decisions about my posts); an alert to moderators (team).
The person who acted is never told of their own act. Followers are read in
one query per event."""

import html

from django.db.models import Q
from django.utils.html import strip_tags

from consult.models import MissionPage
from notifications.models import Kind, Notification
from notifications.services import notify

from .models import Follow, TaggedIdea
from .visibility import is_public_comment, is_public_idea

EXCERPT = 280  # characters of a comment or an idea shown in the list and the email
NEW_IDEA = "New idea in "


def _plain(text_html):
    return html.unescape(strip_tags(text_html or "")).strip()


def cut(text, limit=EXCERPT):
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _idea_followers(idea, exclude):
    return set(Follow.objects.filter(idea=idea).exclude(user_id__in=exclude).values_list("user_id", flat=True))


def on_commit_notify_followers(idea, what, actor, excerpt=None):
    """A status change or the team's response (`what` says which)."""
    notify(
        _idea_followers(idea, {actor.pk}),
        Kind.STATUS,
        title=f"{what}: {idea.title}",
        excerpt=cut(excerpt if excerpt is not None else idea.summary),
        link=idea.get_absolute_url(),
    )


def on_commit_notify_comment(comment, again=False):
    """A new comment, once public. Told once per comment: when it is posted
    to a call without pre-moderation, else when a moderator first approves
    it. Moderation calls this (`again=True`) whenever a comment becomes
    public, after a hold or a restore too: whoever was told already is not
    told twice."""
    idea = comment.idea
    link = f"{idea.get_absolute_url()}#comment-{comment.pk}"
    excerpt = cut(_plain(comment.body_html) or comment.body)
    told = {comment.author_id}
    if again:
        if not is_public_comment(comment):
            return
        told |= set(Notification.objects.filter(link=link, kind__in=[Kind.REPLY, Kind.FOLLOWED])
                    .values_list("recipient_id", flat=True))
    if comment.parent_id:
        parent_author = comment.parent.author_id
        if parent_author not in told:
            notify([parent_author], Kind.REPLY, title=f"New reply to your comment on “{idea.title}”",
                   excerpt=excerpt, link=link)
            told.add(parent_author)
    if idea.author_id not in told:
        notify([idea.author_id], Kind.REPLY, title=f"New comment on your idea “{idea.title}”",
               excerpt=excerpt, link=link)
        told.add(idea.author_id)
    what = "New reply" if comment.parent_id else "New comment"
    notify(_idea_followers(idea, told), Kind.FOLLOWED, title=f"{what} on “{idea.title}”", excerpt=excerpt, link=link)


def on_commit_notify_call_followers(idea, again=False):
    """A new idea, once public: followers of its call, its mission or its tags.
    Told once per idea: when it is submitted to a call without
    pre-moderation, else when a moderator first approves it. Moderation
    calls this (`again=True`) whenever an idea becomes public, after a held
    edit or a restore too: whoever was told already is not told twice."""
    if not is_public_idea(idea):
        return
    call, link = idea.call, idea.get_absolute_url()
    mission_path = call.path[: -call.steplen]
    followers = set(
        Follow.objects.filter(
            Q(call_id=call.pk)
            | Q(mission_id__in=MissionPage.objects.filter(path=mission_path).values("pk"))
            | Q(tag_id__in=TaggedIdea.objects.filter(content_object_id=idea.pk).values("tag_id"))
        )
        .exclude(user_id=idea.author_id)
        .values_list("user_id", flat=True)
        .distinct()
    )
    if again and followers:
        followers -= set(
            Notification.objects.filter(
                recipient_id__in=followers, kind=Kind.FOLLOWED, link=link, title__startswith=NEW_IDEA
            ).values_list("recipient_id", flat=True)
        )
    notify(followers, Kind.FOLLOWED, title=f"{NEW_IDEA}“{call.title}”: {idea.title}", excerpt=cut(idea.summary),
           link=link)


def _link_of(item):
    idea = getattr(item, "idea", None)
    if idea is not None:  # a comment
        return f"{idea.get_absolute_url()}#comment-{item.pk}"
    url = getattr(item, "get_absolute_url", None)  # a kind of contribution without a page of its own: none
    return url() if url else ""


def on_commit_tell_author(item, subject, body):
    """A moderation decision about an idea or a comment, to its author."""
    notify([item.author_id], Kind.MODERATION, title=subject, excerpt=body, link=_link_of(item))


def on_commit_tell_user(user, subject, body):
    """A decision about the person (a suspension)."""
    notify([user.pk], Kind.MODERATION, title=subject, excerpt=body)


def on_commit_tell_users(users, subject, body):
    """An alert to a mission's moderators."""
    notify({user.pk for user in users}, Kind.TEAM, title=subject, excerpt=body)
