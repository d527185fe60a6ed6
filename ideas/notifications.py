"""Emails to authors and followers, sent after the write commits.

In the embedded default the console backend prints them; set EMAIL_HOST for
real delivery. Followers are read in one query per event."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from .models import Follow


def _recipients(idea, exclude_user_id):
    rows = (
        Follow.objects.filter(idea=idea)
        .exclude(user_id=exclude_user_id)
        .select_related("user")
        .only("user__email")
    )
    return sorted({row.user.email for row in rows if row.user.email})


def _send(subject, body, emails):
    if emails:
        send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in emails], fail_silently=True)


def _idea_url(idea):
    return f"{settings.SITE_URL}/ideas/{idea.pk}/"


def on_commit_notify_followers(idea, what, actor):
    def send():
        _send(
            f"[Mission Commons] {what}: {idea.title}",
            f"{what} on the idea “{idea.title}”.\n\nSee it at {_idea_url(idea)}\n",
            _recipients(idea, actor.pk),
        )

    transaction.on_commit(send)


def on_commit_notify_comment(comment):
    def send():
        idea = comment.idea
        emails = set(_recipients(idea, comment.author_id))
        if comment.parent_id and comment.parent.author_id != comment.author_id and comment.parent.author.email:
            emails.add(comment.parent.author.email)
        what = "New reply" if comment.parent_id else "New comment"
        _send(
            f"[Mission Commons] {what} on: {idea.title}",
            f"{what} on the idea “{idea.title}”.\n\nRead it at {_idea_url(idea)}#comment-{comment.pk}\n",
            sorted(emails),
        )

    transaction.on_commit(send)


def on_commit_notify_call_followers(idea):
    def send():
        if not idea.is_public:
            return
        rows = Follow.objects.filter(call_id=idea.call_id).exclude(user_id=idea.author_id).select_related("user")
        _send(
            f"[Mission Commons] New idea: {idea.title}",
            f"A new idea was submitted to a call you follow.\n\nSee it at {_idea_url(idea)}\n",
            sorted({row.user.email for row in rows if row.user.email}),
        )

    transaction.on_commit(send)
