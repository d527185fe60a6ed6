"""A person's prize data: in their download (applications with answers,
files and published results; panel seats; assessments), and erased when
they delete their account, whose row stays anonymised: answers, files and
seats go; an assessed application keeps its anonymous row and result."""

import json

import pytest
from django.core.files.base import ContentFile

from people import data_rights
from prizes.models import Answer, Application, Attachment, PanelMember, StageResult
from prizes.services import applications, attachments

from ..factories import MissionFactory
from .factories import PrizeFactory, pdf_bytes
from .test_sheet import Panel


def download(user):
    return json.loads("".join(data_rights.stream_export(user, {"account_id": user.pk})))


@pytest.mark.django_db
def test_applications_and_assessments_are_downloaded_then_erased(site, settings, tmp_path,
                                                                 django_capture_on_commit_callbacks):
    settings.STORAGES = {**settings.STORAGES, "prize_files": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.CLAMD_URL = ""
    panel = Panel()
    assessed = panel.application([(7, 7, 4)] * 3)
    applicant = assessed.applicant
    scorer = panel.assessors[1]

    prize = PrizeFactory(parent=MissionFactory())
    q1, _q2 = [q.id for q in prize.stages()[0].questions]
    applications.save_draft(applicant, prize, {q1: "Tidal kites for harbours"})
    file = attachments.attach(applicant, prize, ContentFile(pdf_bytes(), name="budget.pdf"))
    stored = file.file.name
    assert (tmp_path / stored).exists()

    mine = download(applicant)
    drafts = {row["prize"]: row for row in mine["prize applications"]}
    assert drafts[prize.title]["answers"][0] == {"question": "What is your innovation?",
                                                 "answer": "Tidal kites for harbours"}
    assert drafts[prize.title]["files"][0]["name"] == "budget.pdf"
    assert drafts[panel.prize.title]["reference"] == assessed.reference
    theirs = download(scorer)
    assert [row["prize"] for row in theirs["prize panels"]] == [panel.prize.title]
    (sheet,) = theirs["prize assessments"]
    assert sheet["application"] == assessed.reference and {s["criterion"] for s in sheet["scores"]} == {
        "Impact", "Feasibility", "Team"}
    assert "prize assessments" not in mine or mine["prize assessments"] == []

    with django_capture_on_commit_callbacks(execute=True):
        data_rights.delete_account(applicant)
        data_rights.delete_account(scorer)
    # The draft nobody assessed is gone with its file; the assessed one stays, anonymous and empty.
    assert not Application.objects.filter(prize=prize).exists() and not (tmp_path / stored).exists()
    assert not Attachment.objects.exists()
    assessed.refresh_from_db()
    assert not Answer.objects.filter(application=assessed).exists() and assessed.organisation is None
    assert StageResult.objects.get(application=assessed).assessed == 3
    # The assessor's seat goes; their submitted scores stay for the sheet.
    assert not PanelMember.objects.filter(user=scorer).exists()
    assert StageResult.objects.get(application=assessed).mean is not None
