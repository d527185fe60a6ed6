"""The worker's half of virus scanning (prizes/scanning.py says when each
half runs): a file clamd could not scan at upload is scanned here, retried
while clamd is away, and swept up later if it is still waiting.

Its own module beside prizes/tasks.py (the results' emails): the attachments
service queues these and tasks.py imports what the results need. Registered
with Huey as the module is imported, which `PrizesConfig.ready()` does in
every process, the worker's included."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import scanning
from .models import Attachment

log = logging.getLogger("missioncommons.prizes.scanning")

SWEEP_AFTER = timedelta(minutes=10)  # longer than the task's retries take (3 x 30 s)
SWEEP_BATCH = 50


@db_task(retries=settings.TASK_RETRIES, retry_delay=settings.TASK_RETRY_DELAY)
def scan_attachment(attachment_id: int) -> str | None:
    """Scan a file left pending; raises ScanUnavailable while clamd is away,
    so Huey retries it (cms/tasks.py logs each failure)."""
    return scanning.record_verdict(attachment_id, settings.CLAMD_WORKER_TIMEOUT)


@db_periodic_task(crontab(minute="*/10"))
def sweep_pending_scans() -> int:
    """Scan the files still pending after their task's retries (clamd down
    for longer, or a task lost with a killed worker). Safe to run twice at
    once: a verdict is written only on a row still pending. Returns how many
    were scanned."""
    if not scanning.configured():
        return 0
    waiting = list(Attachment.objects.filter(scan=Attachment.PENDING, uploaded_at__lt=timezone.now() - SWEEP_AFTER)
                   .order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])
    scanned = 0
    for pk in waiting:
        try:
            scanning.record_verdict(pk, settings.CLAMD_WORKER_TIMEOUT)
        except scanning.ScanUnavailable as problem:
            log.warning("%d prize files wait for a virus scan: %s", len(waiting) - scanned, problem)
            break
        scanned += 1
    return scanned
