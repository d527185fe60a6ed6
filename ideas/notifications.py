"""Emails to authors and followers, sent after the write commits.

In the embedded default the console backend prints them; set EMAIL_HOST for
real delivery. Followers are read in one query per event."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from live.events import NOTIFICATION, publish
from live.topics import user_topic

from .models import Follow
from .visibility import is_public_idea


def _followers(idea, exclude_user_id):
    rows = Follow.objects.filter(idea=idea).exclude(user_id=exclude_user_id).select_related("user")
    return {row.user for row in rows}


def _send(subject, body, users, idea=None):
    """Email each person, and tell their open pages (topic user:<id>)."""
    users = [u for u in users if u.email]
    if not users:
        return
    send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in sorted(users, key=lambda u: u.pk)],
        fail_silently=True,
    )
    for user in users:
        publish(user_topic(user.pk), NOTIFICATION, {"subject": subject, "idea": idea.pk if idea else None})


def _idea_url(idea):
    return f"{settings.SITE_URL}/ideas/{idea.pk}/"


def on_commit_notify_followers(idea, what, actor):
    def send():
        _send(
            f"[Mission Commons] {what}: {idea.title}",
            f"{what} on the idea “{idea.title}”.\n\nSee it at {_idea_url(idea)}\n",
            _followers(idea, actor.pk),
            idea,
        )

    transaction.on_commit(send)


def on_commit_notify_comment(comment):
    def send():
        idea = comment.idea
        people = _followers(idea, comment.author_id)
        if comment.parent_id and comment.parent.author_id != comment.author_id:
            people.add(comment.parent.author)
        what = "New reply" if comment.parent_id else "New comment"
        _send(
            f"[Mission Commons] {what} on: {idea.title}",
            f"{what} on the idea “{idea.title}”.\n\nRead it at {_idea_url(idea)}#comment-{comment.pk}\n",
            people,
            idea,
        )

    transaction.on_commit(send)


def on_commit_notify_call_followers(idea):
    def send():
        if not is_public_idea(idea):
            return
        rows = Follow.objects.filter(call_id=idea.call_id).exclude(user_id=idea.author_id).select_related("user")
        _send(
            f"[Mission Commons] New idea: {idea.title}",
            f"A new idea was submitted to a call you follow.\n\nSee it at {_idea_url(idea)}\n",
            {row.user for row in rows},
            idea,
        )

    transaction.on_commit(send)


def on_commit_tell_author(item, subject, body):
    idea = getattr(item, "idea", None) or item
    transaction.on_commit(
        lambda: _send(f"[Mission Commons] {subject}", f"{body}\n\nSee {_idea_url(idea)}\n", {item.author}, idea)
    )


def on_commit_tell_user(user, subject, body):
    transaction.on_commit(lambda: _send(f"[Mission Commons] {subject}", body + "\n", {user}))


def on_commit_tell_users(users, subject, body):
    users = set(users)
    if users:
        transaction.on_commit(lambda: _send(f"[Mission Commons] {subject}", body + "\n", users))
