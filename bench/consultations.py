"""Consultations in-process (issue #29's numbers): a consultation of 20
questions under the bench mission with `responses` sent responses, written
in bulk and counted into the stored tallies, then, each beside a same-run
baseline:

- the team's analysis page (`analysis/`: every question's table from the
  stored tallies) through Django's test client as the mission team;
  baseline: the counts computed live from the answers on each request, one
  GROUP BY on the answer value per question (lists and yes/no answers
  grouped whole, no cross-tabulation, no template: less than the page shows);
- sending a prepared draft (consultations/services/responses.py `submit`:
  the checks, the tallies' increments, the receipt rendered into the
  in-memory mail outbox on commit); baseline: a one-row INSERT of a draft
  response in its own transaction.

The full export's memory (a stream of N responses vs N/10) is not measured
here: the export view is not built yet.

The tallies are summed as tallies.recount sums them (tallies.contributions
per response), streamed chunk by chunk; recount itself also keeps every
response's contribution (TalliedResponse), which at 100,000 responses is
millions of small lists in memory, so it is called (and its counts compared)
at small sizes only."""

import random
import time
from collections import defaultdict

from bench.inprocess import quantile, signed_in_client, timed_gets

CHUNK = 5000
RECOUNT_UP_TO = 5000
KINDS = ["agree"] * 4 + ["single"] * 4 + ["multiple"] * 3 + ["yes_no"] * 3 + ["ranking"] * 2 + ["number"] * 2 + \
    ["free_text"] * 2
OPTIONS = ["Cost", "Speed", "Fairness", "Reach", "Safety"]
TEXTS = ["Too soon.", "About right.", "It should go further.", "Small firms need help first.", "No comment."]


def blocks():
    """20 questions of every type in four sections."""
    q = {"hint": "", "required": True, "options": [], "word_limit": 300, "minimum": None, "maximum": None,
         "learning_question": "", "only_if_question": None, "only_if_answer": ""}
    found = []
    for n, kind in enumerate(KINDS, start=1):
        if n % 5 == 1:
            found.append({"type": "section", "id": f"s{n}", "value": {"title": f"Section {n // 5 + 1}", "intro": ""}})
        value = {**q, "text": f"Question {n}?", "kind": kind, "required": kind not in ("free_text", "number")}
        if kind in ("single", "multiple", "ranking"):
            value["options"] = OPTIONS[:4 if kind == "ranking" else 5]
        if kind == "number":
            value.update(minimum=0, maximum=1_000_000)
        found.append({"type": "question", "id": f"q{n}", "value": value})
    return found


def answer(question, rng):
    from consultations import questions as asking

    kind = question.kind
    if kind in (asking.AGREE, asking.SINGLE):
        return rng.choice(question.choices)
    if kind == asking.MULTIPLE:
        return [o for o in question.options if rng.random() < 0.4] or [question.options[0]]
    if kind == asking.RANKING:
        return rng.sample(list(question.options), len(question.options))
    if kind == asking.YES_NO:
        return {"answer": rng.choice(question.choices), "why": rng.choice(["", "", "It costs too much."])}
    if kind == asking.NUMBER:
        return rng.randint(0, 500)
    return rng.choice(TEXTS)


def _users(prefix, n):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    User.objects.bulk_create([User(username=f"{prefix}{i}", email=f"{prefix}{i}@bench.invalid", password="!")
                              for i in range(n)], batch_size=CHUNK)
    return list(User.objects.filter(username__startswith=prefix).order_by("pk").values_list("pk", flat=True))


def world(mission, responses, rng):
    """(consultation, team user, seconds spent seeding)."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from consult.models import MissionMembership
    from consultations import tallies
    from consultations.models import ConsultationPage, Response, ResponseAnswer, Tally
    from tests.factories import MembershipFactory, UserFactory

    started = time.perf_counter()
    now = timezone.now()
    mission.refresh_from_db()
    consultation = mission.add_child(instance=ConsultationPage(
        title="Bench consultation", slug="bench-consultation", summary="Twenty questions.",
        opens=now - timedelta(days=1), closes=now + timedelta(days=30), questions=blocks()))
    consultation.save_revision().publish()
    team = UserFactory(username="bench-consultation-team")
    MembershipFactory(user=team, mission=mission, role=MissionMembership.ROLE_TEAM)
    questions = consultation.question_list()
    people = _users("bench-respondent-", responses)
    sums = defaultdict(lambda: [0, 0])
    for start in range(0, len(people), CHUNK):
        with transaction.atomic():
            made = Response.objects.bulk_create([
                Response(consultation=consultation, respondent_id=pk, status=Response.SUBMITTED, submitted_at=now)
                for pk in people[start:start + CHUNK]])
            rows = []
            for response in made:
                given = [(q.id, answer(q, rng)) for q in questions if q.only_if is None]
                rows += [ResponseAnswer(response_id=response.pk, question=k, value=v) for k, v in given]
                for q, o, d, v, count, total in tallies.contributions(questions, given, None):
                    sums[(q, o, d, v)][0] += count
                    sums[(q, o, d, v)][1] += total
            ResponseAnswer.objects.bulk_create(rows, batch_size=CHUNK)
    Tally.objects.bulk_create([Tally(consultation_id=consultation.pk, question=q, option=o, dimension=d,
                                     dimension_value=v, count=c, total=t) for (q, o, d, v), (c, t) in sums.items()],
                              batch_size=CHUNK)
    if responses <= RECOUNT_UP_TO:
        summed = tallies.stored(consultation.pk)
        tallies.recount(consultation)
        if tallies.stored(consultation.pk) != summed:
            raise RuntimeError("the bench's tallies differ from tallies.recount's")
    return consultation, team, time.perf_counter() - started


def drafts(consultation, n, rng):
    """`n` drafts, every question asked answered, ready to send."""
    from consultations import questions as asking
    from consultations.models import Response, ResponseAnswer

    questions = consultation.question_list()
    fingerprint = asking.fingerprint(questions)
    people = _users("bench-drafter-", n)
    made = Response.objects.bulk_create([Response(consultation=consultation, respondent_id=pk,
                                                  fingerprint=fingerprint) for pk in people])
    ResponseAnswer.objects.bulk_create([ResponseAnswer(response_id=r.pk, question=q.id, value=answer(q, rng))
                                        for r in made for q in questions if q.only_if is None])
    return list(Response.objects.filter(pk__in=[r.pk for r in made]).select_related("consultation"))


def measure(mission, responses, requests, submits, rng=None):
    from django.db import transaction
    from django.db.models import Count
    from django.test.utils import override_settings

    from consultations.models import Response, ResponseAnswer
    from consultations.services import responses as responding

    rng = rng or random.Random(29)
    consultation, team, seed_s = world(mission, responses, rng)
    questions = consultation.question_list()
    client = signed_in_client(team)
    url = consultation.get_url() + "analysis/"
    first = client.get(url)  # warm: templates, the session
    if first.status_code != 200 or f"{responses:,} response".encode() not in first.content:
        raise RuntimeError(f"the analysis page answered {first.status_code} without the {responses:,} responses")
    page_ms = timed_gets(client, url, requests, "the analysis page")

    def live():
        sent = ResponseAnswer.objects.filter(response__consultation_id=consultation.pk,
                                             response__status=Response.SUBMITTED)
        return {q.id: list(sent.filter(question=q.id).values("value").annotate(n=Count("id")).order_by())
                for q in questions}

    live_ms = []
    for _ in range(max(requests // 4, 3)):
        started = time.perf_counter()
        counted = live()
        live_ms.append((time.perf_counter() - started) * 1000)
    if sum(row["n"] for row in counted[questions[0].id]) != responses:
        raise RuntimeError("the live count of the first question is not the number of responses")

    ready = drafts(consultation, submits, rng)
    submit_ms, insert_ms = [], []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for draft in ready:
            started = time.perf_counter()
            responding.submit(draft)
            submit_ms.append((time.perf_counter() - started) * 1000)
    if Response.objects.filter(consultation=consultation, status=Response.SUBMITTED).count() != responses + submits:
        raise RuntimeError("not every prepared draft was sent")
    for i in range(submits):
        started = time.perf_counter()
        with transaction.atomic():
            Response.objects.create(consultation=consultation, email=f"insert{i}@bench.invalid")
        insert_ms.append((time.perf_counter() - started) * 1000)
    return {"responses": responses, "questions": len(questions), "answers_per_response": sum(
        1 for q in questions if q.only_if is None), "requests": requests, "submits": submits,
        "seed_s": seed_s, "analysis_p95_ms": quantile(page_ms, 0.95), "analysis_p50_ms": quantile(page_ms, 0.5),
        "live_p95_ms": quantile(live_ms, 0.95), "live_runs": len(live_ms), "submit_p95_ms": quantile(submit_ms, 0.95),
        "submit_p50_ms": quantile(submit_ms, 0.5), "insert_p95_ms": quantile(insert_ms, 0.95)}
