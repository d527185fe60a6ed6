"""The background work of prizes: each applicant's result and feedback by
email, from the worker, never from the request (as notifications/tasks.py
sends its emails: retried on failure, marked sent only once it went)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from huey.contrib.djhuey import db_task

from notifications.emails import absolute

from . import decisions
from .models import StageResult

logger = logging.getLogger("missioncommons.prizes")


def feedback_message(result: StageResult) -> EmailMessage | None:
    """The email telling an applicant their result at a stage, with the
    feedback against each published criterion (None: nobody to send to)."""
    application = result.application
    user = application.applicant
    if not (user.is_active and user.email):
        return None
    prize = result.prize
    stage = next((s for s in prize.stages() if s.id == result.stage), None)
    criteria = [(c.name, result.feedback.get(c.id, "")) for c in (stage.criteria if stage else ())]
    body = render_to_string("prizes/email/feedback.txt", {
        "prize": prize, "stage": stage, "result": result, "reference": application.reference,
        "outcome": decisions.OUTCOMES.get(result.decision, ""), "criteria": criteria,
        "link": absolute(prize.url + "application/"), "site_name": settings.SITE_NAME,
    })
    subject = f"[{settings.SITE_NAME}] {prize.title}: your result and feedback"
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@db_task(retries=settings.TASK_RETRIES, retry_delay=settings.TASK_RETRY_DELAY)
def send_feedback_email(result_id: int) -> None:
    result = StageResult.objects.select_related("application__applicant", "prize").filter(
        pk=result_id, feedback_sent_at__isnull=True).first()
    if result is None:
        return
    message = feedback_message(result)
    if message is not None:
        message.send()
    StageResult.objects.filter(pk=result_id).update(feedback_sent_at=timezone.now())


def send_feedback_emails(result_ids: list[int]) -> None:
    """Queue one email per applicant (after the publication's commit)."""
    for pk in result_ids:
        try:
            send_feedback_email(pk)
        except Exception:  # the queue is down: the results stand; the page has the feedback
            logger.exception("could not queue the feedback email of result %s", pk)
