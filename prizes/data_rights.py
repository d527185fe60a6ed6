"""A person's prize data, for their download and their account's deletion
(people/data_rights.py). The account row stays when deleted (anonymised),
so nothing here goes by CASCADE: each section erases what it holds.

- Panel seats and declared conflicts go. Submitted scores stay, pointing at
  the anonymised account, so an application's assessment and the sheet
  stay whole.
- Applications: the answers and files go (files from storage after the
  commit). An application the panel assessed keeps its row and its result,
  anonymous, so the prize's published counts stay exact; one never assessed
  goes altogether."""

from collections.abc import Iterator

from django.contrib.auth.models import User
from django.db import transaction

from .models import Application, Assignment, Attachment, PanelMember, StageResult, prize_files


def application_rows(user: User) -> Iterator[dict]:
    for application in Application.objects.filter(applicant=user).select_related(
            "prize", "organisation").prefetch_related("answers", "attachments").order_by("pk"):
        stages = {s.id: s for s in application.prize.stages()}
        questions = {q.id: q.text for s in stages.values() for q in s.questions}
        criteria = {c.id: c.name for s in stages.values() for c in s.criteria}
        published = set(application.prize.published_stages.values_list("stage", flat=True))
        yield {
            "prize": application.prize.title, "reference": application.reference,
            "organisation": application.organisation.name if application.organisation else None,
            "stage": stages[application.stage].name if application.stage in stages else application.stage,
            "status": application.status, "submitted_at": application.submitted_at,
            "answers": [{"question": questions.get(a.question, a.question), "answer": a.text}
                        for a in application.answers.all()],
            "files": [{"name": f.name, "type": f.content_type, "size": f.size, "uploaded_at": f.uploaded_at}
                      for f in application.attachments.all()],
            "results": [{"stage": stages[r.stage].name if r.stage in stages else r.stage, "decision": r.decision,
                         "award": r.award, "feedback": {criteria.get(k, k): v for k, v in r.feedback.items()}}
                        for r in StageResult.objects.filter(application=application, stage__in=published)],
        }


def assessment_rows(user: User) -> Iterator[dict]:
    for assignment in Assignment.objects.filter(assessor=user).select_related("application__prize").prefetch_related(
            "scores").order_by("pk"):
        prize = assignment.application.prize
        criteria = {c.id: c.name for s in prize.stages() for c in s.criteria}
        yield {
            "prize": prize.title, "application": assignment.application.reference, "stage": assignment.stage,
            "assigned_at": assignment.assigned_at, "submitted_at": assignment.submitted_at,
            "scores": [{"criterion": criteria.get(s.criterion, s.criterion), "score": s.value, "comment": s.comment}
                       for s in assignment.scores.all()],
        }


def erase_applications(user: User, remove_contributions: bool) -> None:
    files = list(Attachment.objects.filter(application__applicant=user).values_list("file", flat=True))
    Attachment.objects.filter(application__applicant=user).delete()
    applications = Application.objects.filter(applicant=user)
    for application in applications:
        application.answers.all().delete()
    applications.exclude(pk__in=StageResult.objects.values("application_id")).delete()
    applications.update(organisation=None)
    storage = prize_files()
    transaction.on_commit(lambda: [storage.delete(name) for name in files if name])


def erase_panel_seats(user: User, remove_contributions: bool) -> None:
    PanelMember.objects.filter(user=user).delete()
