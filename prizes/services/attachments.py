"""An applicant's files: attaching one to the application for the stage open
now, and removing one. Check (the `prizes.apply` rule: the stage clock; the
application not yet submitted; the prize's size and count limits; the type
read from the content, prizes/files.py) → write in one transaction → side
effects after the commit (a scan the worker still owes, a file to delete).

Bad input raises `Refused` and stores nothing: the checks and the virus
scan run before anything is written, and a file written to the storage is
deleted again if its row could not be (no file is left without a row).
Images are stored re-encoded, without their metadata (GPS position
included). Plain values in: the person, the prize and the uploaded file
(anything with `name`, `size` and `chunks()`, as Django's UploadedFile)."""

import logging
import uuid

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile, File
from django.db import transaction

from inputs.refusals import Refused, require

from .. import files, scan_tasks, scanning
from ..models import Application, Attachment, PrizeCallPage, prize_files
from ..rules import open_stage

log = logging.getLogger("missioncommons.prizes.scanning")


def _read(uploaded_file, limit):
    """The upload's bytes, never more than `limit` + 1 of them."""
    data = bytearray()
    for chunk in uploaded_file.chunks():
        data += chunk
        if len(data) > limit:
            break
    return bytes(data)


def _scan_state(name, data):
    """The scan state to store the file with; refuses an infected file.
    Inline, with a short deadline (prizes/scanning.py says why)."""
    if not scanning.configured():
        return Attachment.UNSCANNED
    try:
        verdict = scanning.scan_bytes(settings.CLAMD_URL, data, settings.CLAMD_INLINE_TIMEOUT)
    except scanning.ScanUnavailable as problem:
        log.warning("clamd gave no verdict at upload, the worker will scan: %s", problem)
        return Attachment.PENDING
    if verdict.infected:
        log.warning("an uploaded prize file was refused: clamd found %s", verdict.signature)
        raise Refused(f"“{name}” contains a virus, so it was not attached. Check your computer, then attach a "
                      f"clean copy.", field="file", code="infected")
    return Attachment.CLEAN


def _refuse_if_submitted(application, stage):
    if application is not None and application.status == Application.SUBMITTED and application.stage == stage.id:
        raise Refused("You have submitted this stage's application: its files can no longer change.", status=409,
                      code="already_submitted")


def _count_problem(application, stage, name, max_files):
    attached = 0 if application is None else application.attachments.filter(stage=stage.id).exclude(
        scan=Attachment.INFECTED).count()
    return files.count_problem(name, attached, max_files)


def attach(user: User | AnonymousUser, prize: PrizeCallPage, uploaded_file: File | None) -> Attachment:
    """Attach a file to the person's application for the stage open now (a
    draft is started if they have none). Returns the attachment: `clean`
    or `unscanned` (served), or `pending` (held until the worker scans it)."""
    require(user, "prizes.apply", prize, field="file")
    stage, _index = open_stage(prize)
    if uploaded_file is None or not getattr(uploaded_file, "name", ""):
        raise Refused("Select a file to attach.", field="file", code="required")
    name = files.clean_name(uploaded_file.name)
    application = Application.objects.filter(prize=prize, applicant=user).first()
    _refuse_if_submitted(application, stage)
    problem = _count_problem(application, stage, name, prize.max_files)
    if problem:
        raise Refused(problem, field="file", code="too_many")
    problem = files.size_problem(name, uploaded_file.size or 0, prize.max_file_mb)
    data = b"" if problem else _read(uploaded_file, prize.max_file_mb * 1024 * 1024)
    problem = problem or files.size_problem(name, len(data), prize.max_file_mb)
    if problem:
        raise Refused(problem, field="file", code="too_large")
    problem = files.kind_problem(name, data)
    if problem:
        raise Refused(problem, field="file", code="file_type")
    kind = files.sniff(data)
    name = files.clean_name(uploaded_file.name, kind)
    if kind.image:
        try:
            data = files.reencode(data, kind)
        except files.ImageProblem:
            raise Refused(f"“{name}” could not be read as an image: it may be damaged. Try saving it again.",
                          field="file", code="file_type") from None
    scan = _scan_state(name, data)

    storage = prize_files()
    stored = storage.save(f"prize-{prize.pk}/{uuid.uuid4().hex}", ContentFile(data))
    try:
        with transaction.atomic():
            application, _created = Application.objects.select_for_update().get_or_create(
                prize=prize, applicant=user, defaults={"stage": stage.id})
            # Again under the lock: two uploads at once cannot pass the limit together.
            _refuse_if_submitted(application, stage)
            problem = _count_problem(application, stage, name, prize.max_files)
            if problem:
                raise Refused(problem, field="file", code="too_many")
            attachment = Attachment.objects.create(
                application=application, stage=stage.id, file=stored, name=name, content_type=kind.content_type,
                size=len(data), scan=scan)
            if scan == Attachment.PENDING:
                transaction.on_commit(lambda: _queue_scan(attachment.pk))
    except BaseException:
        storage.delete(stored)
        raise
    return attachment


def _queue_scan(pk):
    try:
        scan_tasks.scan_attachment(pk)
    except Exception:  # the queue is down: the file stays held; the periodic sweep scans it
        log.exception("could not queue the virus scan of prize file %s", pk)


def remove(user: User | AnonymousUser, prize: PrizeCallPage, attachment_id: int) -> None:
    """Remove one of the person's files from their application for the
    stage open now (and delete it from the storage once committed)."""
    require(user, "prizes.apply", prize)
    stage, _index = open_stage(prize)
    with transaction.atomic():
        application = Application.objects.select_for_update().filter(prize=prize, applicant=user).first()
        attachment = None if application is None else application.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Refused("No such file on your application.", status=404, code="not_found")
        _refuse_if_submitted(application, stage)
        if attachment.stage != stage.id:
            raise Refused("That file belongs to an earlier stage's application: it can no longer change.",
                          status=409, code="stage_closed")
        stored = attachment.file.name
        attachment.delete()
        if stored:
            storage = prize_files()
            transaction.on_commit(lambda: storage.delete(stored))
