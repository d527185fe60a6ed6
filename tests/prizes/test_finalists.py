"""Finalists answer the next stage's questions on the same application:
publishing a stage moves the advanced applications into the next stage,
whose questions only they may answer; the others are told why not."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from prizes.models import Answer, Application, StageResult
from prizes.services import applications, decisions

from .factories import stage_blocks
from .test_sheet import Panel


@pytest.mark.django_db
def test_finalists_answer_the_final_stage_on_the_same_application(site):
    panel = Panel()
    finalist = panel.application([(9, 9, 5)] * 3)
    other = panel.application([(3, 3, 2)] * 3)
    for q in panel.stage.questions:
        Answer.objects.create(application=finalist, stage=panel.stage.id, question=q.id, text="First stage answer")
    decisions.decide(panel.team, panel.prize, [finalist.pk], "advanced")
    decisions.decide(panel.team, panel.prize, [other.pk], "declined")
    decisions.publish(panel.team, panel.prize, panel.stage.id)

    # The first stage closes; the final one opens, asking a question.
    now = timezone.now()
    blocks = stage_blocks(now - timedelta(days=40))
    blocks[1]["value"].update(opens=now - timedelta(hours=1), closes=now + timedelta(days=10), questions=[
        {"question": "What did your trial show?", "guidance": "", "word_limit": 100}])
    stream = panel.prize.prize_stages
    ids = [block.id for block in stream]
    panel.prize.prize_stages = [{**b, "id": i} for b, i in zip(blocks, ids)]
    panel.prize.save_revision().publish()
    panel.prize.refresh_from_db()
    final = panel.prize.stages()[1]
    (question,) = final.questions

    page = Client()
    page.force_login(finalist.applicant)
    form = page.get(panel.prize.url + "apply/").content.decode()
    assert "What did your trial show?" in form
    applications.save_draft(finalist.applicant, panel.prize, {question.id: "Diesel use fell by a third."})
    applications.submit(finalist.applicant, panel.prize)
    finalist.refresh_from_db()
    assert finalist.status == Application.SUBMITTED and finalist.stage == final.id
    # The same application: the first stage's answers and result are kept.
    assert Answer.objects.filter(application=finalist, stage=panel.stage.id).count() == 2
    assert Answer.objects.get(application=finalist, question=question.id).text == "Diesel use fell by a third."
    assert StageResult.objects.get(application=finalist, stage=panel.stage.id).decision == "advanced"

    refused = Client()
    refused.force_login(other.applicant)
    answer = refused.get(panel.prize.url + "apply/")
    assert answer.status_code == 409
    assert "Final is not taking applications from you" in answer.content.decode()
