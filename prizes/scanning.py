"""Virus scanning of applications' files with ClamAV's daemon, clamd.

With settings.CLAMD_URL set (`tcp://host:3310` or `unix:///run/clamav/clamd.ctl`)
every file is scanned before anyone can download it; without it files are
stored as `unscanned` and served (the README says so plainly).

The client is the few lines of clamd's INSTREAM protocol (send `zINSTREAM\\0`,
then the bytes in chunks each prefixed with its length as 4 bytes big-endian,
then a zero length; clamd answers `stream: OK` or `stream: <name> FOUND`),
written here rather than taken from a package: the PyPI clients are thin
wrappers of the same, and some are unmaintained.

When the scan runs, and why (the upload must not wait on a slow scanner):

- At upload, inline, with a short deadline for the whole exchange
  (settings.CLAMD_INLINE_TIMEOUT, 5 s): clamd answers a clean file of a few
  MB in well under a second, so the applicant sees at once that a file was
  refused for a virus (and nothing is stored), or that it is attached and
  scanned. Scanning before the write also means an infected file never
  touches the storage.
- If clamd is unreachable, errs or misses the deadline, the file is stored
  as `pending` (held: never served) and the background worker scans it
  (prizes/tasks.py `scan_attachment`, with the longer
  settings.CLAMD_WORKER_TIMEOUT and Huey's retries), and a periodic sweep
  picks up any file still pending (clamd down for longer than the retries
  last, or a task lost with a killed worker: Huey has no acknowledgement,
  cms/tasks.py). The worker's verdict is written by `record_verdict`:
  clean → served; infected → the file deleted, the row kept as `infected`
  so the applicant is told on their application page and it is never served.
"""

import logging
import socket
import struct
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from .models import Attachment, prize_files

log = logging.getLogger("missioncommons.prizes.scanning")

CHUNK = 64 * 1024


class ScanUnavailable(Exception):
    """clamd could not give a verdict: unreachable, too slow, or it erred
    (for instance a file over its StreamMaxLength)."""


@dataclass(frozen=True)
class Verdict:
    infected: bool
    signature: str = ""


def configured() -> bool:
    return bool(settings.CLAMD_URL)


def _address(url):
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return socket.AF_UNIX, (parts.netloc + parts.path)
    if parts.scheme == "tcp" and parts.hostname:
        return socket.AF_INET6 if ":" in parts.hostname else socket.AF_INET, (parts.hostname, parts.port or 3310)
    raise ScanUnavailable(f"CLAMD_URL must be tcp://host:port or unix:///path, not {url!r}")


class _Deadline:
    """One deadline for the whole exchange: each socket operation gets what is left."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def apply(self, sock):
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("clamd did not answer in time")
        sock.settimeout(left)


def _exchange(url, timeout, send):
    family, address = _address(url)
    deadline = _Deadline(timeout)
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            deadline.apply(sock)
            sock.connect(address)
            send(sock, deadline)
            answer = b""
            while not answer.endswith(b"\0"):
                deadline.apply(sock)
                data = sock.recv(4096)
                if not data:
                    break
                answer += data
    except OSError as problem:  # refused, reset, timed out (TimeoutError is an OSError)
        raise ScanUnavailable(f"clamd at {url}: {problem}") from problem
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()


def ping(url: str, timeout: float = 2) -> bool:
    """Whether clamd answers PONG."""
    def send(sock, deadline):
        sock.sendall(b"zPING\0")
    try:
        return _exchange(url, timeout, send) == "PONG"
    except ScanUnavailable:
        return False


def scan_bytes(url: str, data: bytes, timeout: float) -> Verdict:
    """clamd's verdict on these bytes (INSTREAM), or ScanUnavailable."""
    def send(sock, deadline):
        sock.sendall(b"zINSTREAM\0")
        for start in range(0, len(data), CHUNK):
            chunk = data[start:start + CHUNK]
            deadline.apply(sock)
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        deadline.apply(sock)
        sock.sendall(struct.pack("!L", 0))

    answer = _exchange(url, timeout, send)
    # "stream: OK", "stream: Eicar-Test-Signature FOUND", or "... ERROR".
    if answer.endswith("FOUND"):
        return Verdict(True, answer.removeprefix("stream:").removesuffix("FOUND").strip())
    if answer.endswith(" OK"):
        return Verdict(False)
    raise ScanUnavailable(f"clamd at {url} answered {answer!r}")


def record_verdict(attachment_id: int, timeout: float) -> str | None:
    """Scan a stored file that is waiting for it and write the verdict; the
    attachment's scan state after, or None if it is gone or not pending.
    Raises ScanUnavailable (so the worker's task is retried)."""
    found = Attachment.objects.filter(pk=attachment_id, scan=Attachment.PENDING).values_list("file", flat=True).first()
    if found is None or not settings.CLAMD_URL:
        return None
    storage = prize_files()
    with storage.open(found, "rb") as stored:
        data = stored.read()
    verdict = scan_bytes(settings.CLAMD_URL, data, timeout)
    with transaction.atomic():
        attachment = Attachment.objects.select_for_update().filter(pk=attachment_id, scan=Attachment.PENDING).first()
        if attachment is None:  # removed meanwhile, or another worker got there first
            return None
        attachment.scan = Attachment.INFECTED if verdict.infected else Attachment.CLEAN
        if verdict.infected:
            log.warning("prize file %s of application %s is infected (%s): deleted", attachment.pk,
                        attachment.application_id, verdict.signature)
            name, attachment.file = attachment.file.name, ""
            transaction.on_commit(lambda: storage.delete(name))
        attachment.save(update_fields=["scan", "file"])
    return attachment.scan
