"""Applications' files on the pages: attaching and removing on the apply
page (its "Attach file" and "Remove" buttons post the whole form, so the
answers typed are saved too: prizes/views.py `apply` calls `act`), the list
on the apply and check-your-answers pages (`listing`), the download
(`apply/files/<pk>/`) and a removal page of its own
(`apply/files/<pk>/remove/`, which works from anywhere, JavaScript or not).

A file is served only to those the `prizes.view_file` rule allows (others
get 404), only once scanned clean or when no scanner is configured, and
always as a download: `Content-Disposition: attachment`, the type read from
its content, `X-Content-Type-Options: nosniff` and a `Content-Security-Policy`
of `sandbox`, so a browser never runs it as a page of the site. Blind
assessment gives assessors a neutral name ("attachment-2.pdf")."""

from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from wagtail.models import Page

from inputs.ids import parse_id
from inputs.refusals import Refused, can, refusal

from .gates import gate
from . import files, scanning
from .models import Attachment, prize_files
from .services import attachments

NOT_SERVED = {
    Attachment.PENDING: (409, "This file is waiting for its virus scan. Try again in a few minutes."),
    Attachment.INFECTED: (404, "This file was refused by the virus scan and deleted."),
}


def _apply_url(prize):
    return Page.get_url(prize) + "apply/"


def _unavailable(request, prize, message, status):
    return render(request, "prizes/file_unavailable.html", {"page": prize, "message": message}, status=status)


def limits(prize, listed=()):
    """What the apply page says of the files a prize takes, and whether
    there is room for another beside those `listed` (a file refused by the
    scan takes no room)."""
    attached = sum(1 for f in listed if f["scan"] != Attachment.INFECTED)
    return {"max_file_mb": prize.max_file_mb, "max_files": prize.max_files, "scanned": scanning.configured(),
            "room": attached < prize.max_files, "accept": ",".join(f".{ext}" for ext in files.ACCEPTED_EXTENSIONS)}


def listing(user, prize, stage):
    """The person's files for the stage, as the apply and check pages list them."""
    found = Attachment.objects.filter(application__prize=prize, application__applicant=user, stage=stage.id)
    base = _apply_url(prize)
    return [{
        "pk": a.pk, "name": a.name, "size": files.megabytes(a.size) if a.size >= 1024 * 1024 else
        f"{max(1, round(a.size / 1024))} KB", "scan": a.scan, "scan_label": a.get_scan_display(),
        "url": f"{base}files/{a.pk}/", "remove_url": f"{base}files/{a.pk}/remove/",
        "served": a.scan in (Attachment.CLEAN, Attachment.UNSCANNED),
    } for a in found.order_by("pk")]


def act(request, prize, action):
    """The apply form's file buttons, after its answers were saved: "upload"
    attaches the chosen file, "remove:<pk>" removes one. The message to show
    on the file field, or None when done."""
    try:
        if action == "upload":
            attachments.attach(request.user, prize, request.FILES.get("file"))
        else:
            pk = parse_id(action.removeprefix("remove:"))
            if pk is None:
                raise Refused("No such file on your application.", field="file", status=404, code="not_found")
            attachments.remove(request.user, prize, pk)
    except Refused as refused:
        return refused.message
    return None


def _download_name(user, attachment):
    if can(user, "prizes.view_file_name", attachment.application):
        return attachment.name
    place = Attachment.objects.filter(application_id=attachment.application_id, pk__lte=attachment.pk).count()
    kind = next((k for k in files.KINDS if k.content_type == attachment.content_type), None)
    return f"attachment-{place}.{kind.extension if kind else 'bin'}"


def download(request, call, pk):
    prize, answer = gate(request, call)
    if answer is not None:
        return answer
    attachment = Attachment.objects.select_related("application__prize").filter(
        pk=pk, application__prize=prize).first()
    if attachment is None:
        return _unavailable(request, prize, "No such file.", 404)
    refused = refusal(request.user, "prizes.view_file", attachment.application)
    if refused is not None:
        return _unavailable(request, prize, refused.message, refused.status)
    if attachment.scan in NOT_SERVED or not attachment.file:
        status, message = NOT_SERVED.get(attachment.scan, (404, "No such file."))
        return _unavailable(request, prize, message, status)
    try:
        stored = prize_files().open(attachment.file.name, "rb")
    except (FileNotFoundError, OSError):
        return _unavailable(request, prize, "This file is missing from the storage: ask the prize's team.", 404)
    response = FileResponse(stored, as_attachment=True, filename=_download_name(request.user, attachment),
                            content_type=attachment.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def remove(request, call, pk):
    """GET asks to confirm; POST removes, then back to the application."""
    prize, answer = gate(request, call)
    if answer is not None:
        return answer
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    attachment = Attachment.objects.filter(pk=pk, application__prize=prize, application__applicant=request.user).first()
    if attachment is None:
        return _unavailable(request, prize, "No such file on your application.", 404)
    if request.method == "POST":
        try:
            attachments.remove(request.user, prize, pk)
        except Refused as refused:
            return _unavailable(request, prize, refused.message, refused.status)
        return redirect(_apply_url(prize) + "#files")
    return render(request, "prizes/file_remove.html", {"page": prize, "attachment": attachment})
