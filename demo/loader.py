"""The demo: five UK missions, each with an open challenge call, ideas,
comments and votes, pilots that test some of the ideas (with their results,
lessons and the evidence they give the mission's learning questions), the
team's responses, and the demo accounts. Loading twice changes nothing:
existing missions are kept and passwords are reused from the accounts file.

The missions, calls, ideas and comments are data, in data/missions.json
(see data/README.md); this module turns them into pages and actions.
Everything participants and moderators do goes through the ideas and
moderation services, as a real person's actions would; the team takes ideas
forward through the pilots service. The demo sits above
the apps it fills (consult, ideas, moderation, pilots), so it imports them and none
of them imports it. The site skeleton it fills (home page, missions index,
sectors) is cms's, the layer above: the demo asks for it through the
`setup_site` command, as a deploy does, rather than importing cms."""

import io
import json
import random
import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, PageLogEntry, Revision

from consult.models import (
    ChallengeCallPage,
    LearningQuestion,
    MetricPoint,
    MissionIndexPage,
    MissionMembership,
    MissionPage,
    OutcomeMetric,
    PathwayCitation,
    PathwayVersion,
    QuestionEvidence,
    Sector,
    TeamMember,
)
from ideas import polis
from ideas.services import comments as comments_services, statements as statements_service, submissions, votes
from inputs.refusals import Refused
from ideas.models import Idea
from ideas.visibility import is_public_comment, is_public_idea, public_ideas
from moderation import services as moderation
from people import services as people_services
from people.choices import OrganisationSize, Region
from people.models import Membership, Organisation
from pilots import services as pilot_services
from pilots.models import PilotIdea, PilotPage, PilotResult
from prizes.models import Application, Assignment, PanelMember, PrizeCallPage
from prizes.services import applications as prize_applications, assessments as prize_assessments
from prizes.services import attachments as prize_attachments
from prizes.services import panel as prize_panel
from consultations import questions as asking, tallies
from consultations.campaigns import CAMPAIGN_MIN_WORDS
from consultations.models import ConsultationDocument, ConsultationPage, Response, ResponseAnswer

DATA_FILE = Path(__file__).resolve().parent / "data" / "missions.json"

ACCOUNTS = [
    ("admin", "admin@demo.missioncommons.localhost", "Ada", "Admin"),
    ("mission-team", "team@demo.missioncommons.localhost", "Tariq", "Team"),
    ("moderator", "moderator@demo.missioncommons.localhost", "Morgan", "Moderator"),
    ("participant", "participant1@demo.missioncommons.localhost", "Priya", "Participant"),
    ("participant", "participant2@demo.missioncommons.localhost", "Paul", "Participant"),
    # The Harbour Heat Prize's panel (issue #28): three assessors and its chair.
    ("assessor", "assessor1@demo.missioncommons.localhost", "Aisha", "Assessor"),
    ("assessor", "assessor2@demo.missioncommons.localhost", "Arthur", "Assessor"),
    ("assessor", "assessor3@demo.missioncommons.localhost", "Amara", "Assessor"),
    ("panel_chair", "chair@demo.missioncommons.localhost", "Chidi", "Chair"),
]
DEMO_DOMAIN = "demo.missioncommons.localhost"
EXTRA_VOTERS = 24


def read_missions():
    """The demo's missions, as data/missions.json lists them."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["missions"]


def _d(text):
    return date.fromisoformat(text)


def _read_accounts_file():
    path = settings.DEMO_ACCOUNTS_FILE
    if path.exists():
        try:
            return {row["email"]: row for row in json.loads(path.read_text())}
        except (ValueError, KeyError, TypeError):
            return {}
    return {}


def ensure_accounts():
    """Create or repair the demo accounts; return them with their passwords."""
    User = get_user_model()
    known = _read_accounts_file()
    rows = []
    users = {}
    for role, email, first, last in ACCOUNTS:
        password = known.get(email, {}).get("password") or secrets.token_urlsafe(12)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(username=email, email=email, first_name=first, last_name=last)
        user.is_superuser = user.is_staff = role == "admin"
        # Established accounts: the new-account link check is for strangers.
        user.date_joined = min(user.date_joined or timezone.now(), timezone.now() - timedelta(days=30))
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        rows.append({"role": role, "email": email, "password": password})
        users.setdefault(role, []).append(user)
    path = settings.DEMO_ACCOUNTS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, indent=2) + "\n")
    path.chmod(0o600)
    return rows, users


def _voters():
    User = get_user_model()
    voters = []
    for n in range(1, EXTRA_VOTERS + 1):
        email = f"voter{n}@demo.missioncommons.localhost"
        user, created = User.objects.get_or_create(
            username=email, defaults={"email": email, "first_name": "Demo", "last_name": f"Voter {n}"}
        )
        if created:
            user.set_unusable_password()
            user.date_joined = timezone.now() - timedelta(days=30)
            user.save()
        voters.append(user)
    return voters


def _build_mission(data):
    return MissionPage(
        title=data["title"],
        slug=data["slug"],
        goal=data["goal"],
        what_we_know=data["what_we_know"],
        owner_name=data["owner_name"],
        owner_role=data["owner_role"],
        team_members=[TeamMember(name=m["name"], role=m["role"]) for m in data["team"]],
        learning_questions=[
            LearningQuestion(question=q["question"], status=q["status"], answer=q.get("answer", ""))
            for q in data["learning_questions"]
        ],
        metrics=[
            OutcomeMetric(
                name=m["name"],
                unit=m["unit"],
                direction=m["direction"],
                baseline=Decimal(m["baseline"]),
                baseline_date=_d(m["baseline_date"]) if m.get("baseline_date") else None,
                target=Decimal(m["target"]),
                target_date=_d(m["target_date"]),
                points=[
                    MetricPoint(
                        date=_d(p["date"]), value=Decimal(p["value"]), source=p["source"], commentary=p.get("commentary", "")
                    )
                    for p in m["points"]
                ],
            )
            for m in data["metrics"]
        ],
        # A version that cites pilots is added once they exist (_cite_evidence).
        pathway_versions=[
            PathwayVersion(version=v["version"], date=_d(v["date"]), summary=v["summary"], changes=v.get("changes", ""))
            for v in data["pathway_versions"] if not v.get("citations")
        ],
    )


def _build_call(data, now):
    return ChallengeCallPage(
        title=data["title"],
        slug=data["slug"],
        brief=data["brief"],
        eligibility=data["eligibility"],
        submission_opens=now - timedelta(days=14),
        submission_closes=now + timedelta(days=60),
        review_closes=now + timedelta(days=90),
        shortlist_closes=now + timedelta(days=120),
        moderation_mode=data["moderation_mode"],
        voting_mode=data["voting_mode"],
        support_limit=data.get("support_limit"),
        authors_can_vote=data.get("authors_can_vote", False),
        comments_open=data.get("comments_open", True),
    )


def _approve_if_held(moderator, item, is_public):
    """An idea or comment held for a moderator (a pre-moderated call) is
    approved, so what builds on it (replies, votes) can be posted; returns
    it as stored."""
    if not is_public(item):
        moderation.moderate(moderator, item, "approve")
        item.refresh_from_db()
    return item


def _add_comments(comments, idea, participants, team_user, moderator, parent=None):
    for item in comments:
        author = team_user if item["author"] == "team" else participants[item["author"]]
        comment = _approve_if_held(moderator, comments_services.add_comment(author, idea, item["body"], parent=parent),
                                   is_public_comment)
        _add_comments(item.get("replies", []), idea, participants, team_user, moderator, parent=comment)


# The demo's organisations are records people belong to (issue #16): the
# kind follows the sector the demo data names; size and region are spread so
# the participation pages have something to show.
_TYPE_OF_SECTOR = {"business": "business", "charity": "charity", "public-body": "public_body",
                   "academia": "academic", "community-group": "community"}


def _demo_organisation(name, sector_slug, author, rng):
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        organisation = people_services.create_organisation(
            author, name=name, type=_TYPE_OF_SECTOR.get(sector_slug, "business"),
            size=rng.choice(OrganisationSize.values), region=rng.choice(Region.values),
        )
    else:
        Membership.objects.get_or_create(organisation=organisation, user=author)
    return organisation


def _populate_call(call, mission, data, users, voters, rng):
    participants = users["participant"]
    team_user = users["mission-team"][0]
    moderator = users["moderator"][0]
    questions = list(mission.learning_questions.all())
    sectors = {s.slug: s for s in Sector.objects.all()}
    ideas = []
    for item in data["ideas"]:
        author = participants[item["author"]]
        sector = sectors.get(item.get("sector") or "")
        organisation = None
        if item.get("organisation") and call.eligibility != "citizens":
            organisation = _demo_organisation(item["organisation"], sector.slug if sector else "", author, rng)
        idea = submissions.submit_idea(
            author,
            call,
            title=item["title"],
            summary=item["summary"],
            body=item["body"],
            tags=item.get("tags", []),
            learning_questions=[questions[i].pk for i in item.get("questions", []) if i < len(questions)],
            organisation_id=organisation.pk if organisation else None,
        )
        _approve_if_held(moderator, idea, is_public_idea)
        _add_comments(item.get("comments", []), idea, participants, team_user, moderator)
        ideas.append(idea)
    values = {"support": ["support"], "agree": ["agree", "agree", "disagree", "pass"]}[call.voting_mode]
    for voter in list(voters) + list(participants):
        for idea in ideas:
            if rng.random() < 0.45:
                try:
                    votes.cast_vote(voter, idea, rng.choice(values))
                except Refused:
                    pass  # own idea, or the support limit: as for a real person
    return ideas


def load_demo(stdout=None):
    # The demo's own comments and votes would email every follower; keep them quiet.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        return _load_demo(stdout)


def _load_demo(stdout=None):
    rng = random.Random(20261123)
    call_command("setup_site", stdout=io.StringIO())  # idempotent: creates what is missing
    index = MissionIndexPage.objects.first()  # the one ensure_site made or found
    rows, users = ensure_accounts()
    voters = _voters()
    now = timezone.now()
    created = 0
    missions = read_missions()
    for data in missions:
        with transaction.atomic():
            mission = MissionPage.objects.child_of(index).filter(slug=data["slug"]).first()
            if mission is None:
                index.refresh_from_db()
                mission = index.add_child(instance=_build_mission(data))
                mission.save_revision().publish()
                created += 1
            for role_key, role in (("mission-team", MissionMembership.ROLE_TEAM), ("moderator", MissionMembership.ROLE_MODERATOR)):
                MissionMembership.objects.get_or_create(mission=mission, user=users[role_key][0], role=role)
            call_data = data["call"]
            call = ChallengeCallPage.objects.child_of(mission).filter(slug=call_data["slug"]).first()
            if call is None:
                mission.refresh_from_db()
                call = mission.add_child(instance=_build_call(call_data, now))
                call.sectors.set([s for s in Sector.objects.filter(slug__in=call_data.get("sectors", []))])
                call.save_revision().publish()
                call.refresh_from_db()
            if not Idea.objects.filter(call=call).exists():
                _populate_call(call, mission, data, users, voters, rng)
            _test_and_learn(mission, call, data, users["mission-team"][0], timezone.localdate(now))
            if data.get("prize"):
                prize = _prize(mission, data["prize"], now)
                _prize_panel(prize, data["prize"], users)
                _prize_applications(prize, data["prize"])
                _prize_assessments(prize, data["prize"], users["mission-team"][0])
            if data.get("consultation"):
                consultation = _consultation(mission, data["consultation"], now)
                _consultation_responses(consultation, data["consultation"], now)
    _import_polis_demo(index, users["mission-team"][0])
    if stdout is not None:
        stdout.write(f"Demo ready: {len(missions)} missions ({created} new).")
    return rows


def _prize(mission, data, now):
    """A challenge prize in its first stage (issue #28), made once."""
    existing = PrizeCallPage.objects.child_of(mission).filter(slug=data["slug"]).first()
    if existing is not None:
        return existing
    stages = [{"type": "stage", "value": {
        "name": s["name"], "opens": now + timedelta(days=s["opens_day"]), "closes": now + timedelta(days=s["closes_day"]),
        "awards": s["awards"], "threshold": s["threshold"], "assessors": s["assessors"],
        "criteria": s["criteria"], "questions": s["questions"]}} for s in data["stages"]]
    first, last = data["stages"][0], data["stages"][-1]
    prize = PrizeCallPage(
        title=data["title"], slug=data["slug"], brief=data["brief"], eligibility="both",
        submission_opens=now + timedelta(days=first["opens_day"]), submission_closes=now + timedelta(days=first["closes_day"]),
        review_closes=now + timedelta(days=last["opens_day"]), shortlist_closes=now + timedelta(days=last["closes_day"]),
        voting_mode=ChallengeCallPage.VOTING_OFF, comments_open=False, prize_stages=stages,
    )
    mission.refresh_from_db()
    mission.add_child(instance=prize)
    prize.save_revision().publish()
    return prize


def _demo_user(local_part):
    return get_user_model().objects.filter(email=f"{local_part}@{DEMO_DOMAIN}").first()


def _prize_panel(prize, data, users):
    """The prize's panel, appointed by the mission's team: the demo's
    assessors and its chair, and the conflicts they declared (`panel` in
    the data). Only what is missing is done."""
    team_user = users["mission-team"][0]
    seated = set(PanelMember.objects.filter(prize=prize).values_list("user_id", flat=True))
    assessors = users["assessor"]
    for user in assessors:
        if user.pk not in seated:
            prize_panel.appoint(team_user, prize, user)
    chair = users["panel_chair"][0]
    if chair.pk not in seated:
        prize_panel.appoint(team_user, prize, chair, chair=True)
    for item in data.get("panel", {}).get("conflicts", []):
        assessor = assessors[item["assessor"]]
        if item.get("organisation"):
            organisation = Organisation.objects.filter(name=item["organisation"]).first()
            if organisation is not None:
                prize_panel.declare_conflict(assessor, prize, organisation=organisation)
        else:
            person = _demo_user(item["person"])
            if person is not None:
                prize_panel.declare_conflict(assessor, prize, person=person)


def _prize_applications(prize, data):
    """Submitted applications to the prize's open stage, each through the
    applicant's own draft and submission (`applications` in the data), made
    once, and only while the stage takes them."""
    if Application.objects.filter(prize=prize).exists():
        return
    stage = prize.stages()[0]
    for item in data.get("applications", []):
        applicant = _demo_user(item["applicant"])
        organisation = Organisation.objects.filter(name=item["organisation"], memberships__user=applicant).first() \
            if item.get("organisation") else None
        answers = {q.id: text for q, text in zip(stage.questions, item["answers"])}
        try:
            with transaction.atomic():
                prize_applications.save_draft(applicant, prize, answers, organisation.pk if organisation else None)
                if item.get("attachment"):
                    prize_attachments.attach(applicant, prize, ContentFile(
                        demo_pdf(item["attachment"]["title"], item["attachment"]["lines"]),
                        name=item["attachment"]["name"]))
                prize_applications.submit(applicant, prize)
        except Refused:
            return  # the stage has closed since the demo was first loaded


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF of a few lines of text (Helvetica), written out by
    hand so the demo needs no PDF library: the objects, then the
    cross-reference table of their byte offsets."""
    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = ["BT /F1 16 Tf 72 760 Td (" + escape(title) + ") Tj ET"]
    text += [f"BT /F1 11 Tf 72 {730 - 18 * n} Td (" + escape(line) + ") Tj ET" for n, line in enumerate(lines)]
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _prize_assessments(prize, data, team_user):
    """The prize in its assessment stage: the team assigns the submitted
    applications to the panel, and the assessors submit the scores in the
    data (`assessments`: per application, each assessor's scores in
    criterion order, with a comment each); an assessor with no scores
    listed has not submitted yet, so the sheet shows assessments to come and
    the assessors' list work to do. Done once."""
    if Assignment.objects.filter(application__prize=prize).exists() or not data.get("assessments"):
        return
    if not Application.objects.filter(prize=prize, status=Application.SUBMITTED).exists():
        return
    prize_assessments.assign_stage(team_user, prize)
    stage = prize.stages()[0]
    applications = list(Application.objects.filter(prize=prize, status=Application.SUBMITTED).order_by("pk"))
    for application, sheets in zip(applications, data["assessments"]):
        assessors = list(Assignment.objects.filter(application=application, stage=stage.id)
                         .select_related("assessor").order_by("pk"))
        for assignment, sheet in zip(assessors, sheets):
            if not sheet:
                continue
            scores = {c.id: value for c, value in zip(stage.criteria, sheet["scores"])}
            comments = {c.id: comment for c, comment in zip(stage.criteria, sheet["comments"])}
            prize_assessments.submit_scores(assignment.assessor, prize, application, scores, comments)


# --- A consultation (issue #29) ------------------------------------------------
# The page is made once; its responses are written in bulk (a few hundred
# rows, in a second or so: the demo loads in CI several times) and then
# counted as the repair command counts them (`tallies.recount`), which also
# looks for campaigns as the worker does. They are generated from a random
# generator of their own, so the rest of the demo draws the same numbers
# whether or not the consultation is there.

def _consultation_blocks(items, learning):
    blocks, number = [], 0
    for n, item in enumerate(items):
        if "section" in item:
            blocks.append({"type": "section", "id": f"s{n}", "value": {"title": item["section"],
                                                                        "intro": item.get("intro", "")}})
            continue
        number += 1
        only_if = item.get("only_if") or [None, ""]
        tie = item.get("learning_question")
        blocks.append({"type": "question", "id": f"q{number}", "value": {
            "text": item["text"], "hint": item.get("hint", ""), "kind": item["kind"],
            "required": item.get("required", True), "options": item.get("options", []),
            "word_limit": item.get("word_limit", 300), "minimum": item.get("minimum"), "maximum": item.get("maximum"),
            "learning_question": str(learning[tie].pk) if tie is not None and tie < len(learning) else "",
            "only_if_question": only_if[0], "only_if_answer": only_if[1]}})
    return blocks


def _consultation(mission, data, now):
    """The consultation page with its paper (and the paper as a PDF), made once."""
    existing = ConsultationPage.objects.child_of(mission).filter(slug=data["slug"]).first()
    if existing is not None:
        return existing
    page = ConsultationPage(
        title=data["title"], slug=data["slug"], summary=data["summary"], paper=data["paper"],
        opens=now + timedelta(days=data["opens_day"]), closes=now + timedelta(days=data["closes_day"]),
        questions=_consultation_blocks(data["questions"], list(mission.learning_questions.all())))
    if data.get("document"):
        item = data["document"]
        # Documents live in a collection; a database emptied by a test's
        # flush has lost the root one that Wagtail's migration made.
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        document = get_document_model().objects.create(
            title=data["title"], collection=root,
            file=ContentFile(demo_pdf(data["title"], item["lines"]), name=item["name"]))
        page.documents.add(ConsultationDocument(document=document, title=item["title"]))
    mission.refresh_from_db()
    mission.add_child(instance=page)
    page.save_revision().publish()
    return page


def _respondents(n):
    """`n` demo respondents (no password: they never sign in), made in bulk once."""
    User = get_user_model()
    emails = [f"respondent{i}@{DEMO_DOMAIN}" for i in range(1, n + 1)]
    have = set(User.objects.filter(username__in=emails).values_list("username", flat=True))
    joined = timezone.now() - timedelta(days=30)
    User.objects.bulk_create([
        User(username=e, email=e, first_name="Demo", last_name=f"Respondent {i}", password=make_password(None),
             date_joined=joined) for i, e in enumerate(emails, start=1) if e not in have])
    found = {u.username: u for u in User.objects.filter(username__in=emails)}
    return [found[e] for e in emails]


def _respondent_organisations(data, respondents):
    """The organisations some respond for, each with two of the respondents as members."""
    every = data.get("on_behalf_every", 0)
    on_behalf = [person for i, person in enumerate(respondents) if every and i % every == every - 1]
    organisations = []
    for n, item in enumerate(data.get("organisations", [])):
        members = on_behalf[n::len(data["organisations"])]
        if not members:
            break
        organisation = Organisation.objects.filter(name=item["name"]).first()
        if organisation is None:
            organisation = people_services.create_organisation(
                members[0], name=item["name"], type=item["type"], size=item["size"], region=item["region"])
        for person in members:
            Membership.objects.get_or_create(organisation=organisation, user=person)
            organisations.append((person.pk, organisation))
    return dict(organisations)


def _demo_answer(question, item, rng):
    """A plausible answer to one question, as the respond pages store it; None: left unanswered."""
    if not question.required and rng.random() < 0.2:
        return None
    weights = item.get("weights")
    if question.kind in (asking.AGREE, asking.SINGLE):
        return rng.choices(question.choices, weights=weights)[0]
    if question.kind == asking.MULTIPLE:
        chosen = [o for o, w in zip(question.options, weights) if rng.random() < w / 100]
        return chosen or [question.options[0]]
    if question.kind == asking.RANKING:
        rest, ranked = list(question.options), []
        left = list(weights)
        while rest:
            pick = rng.choices(range(len(rest)), weights=left)[0]
            ranked.append(rest.pop(pick))
            left.pop(pick)
        return ranked
    if question.kind == asking.NUMBER:
        return rng.randint(*item["range"])
    if question.kind == asking.YES_NO:
        answer = rng.choices(question.choices, weights=weights)[0]
        why = rng.choice(item["whys"]) if item.get("whys") and rng.random() < item.get("why_share", 0) else ""
        return {"answer": answer, "why": why}
    if rng.random() >= item.get("answered", 1):
        return None
    # Ordinary free text stays under CAMPAIGN_MIN_WORDS words: common
    # answers repeat, and only the campaign below should be found as one.
    text = rng.choice(item["texts"])
    opening = rng.choice(item.get("openings") or [""])
    said = f"{opening} {text}".strip()
    said = said if len(said.split()) < CAMPAIGN_MIN_WORDS else text
    return said[0].upper() + said[1:]


def _consultation_responses(consultation, data, now):
    """`respondents` sent responses (some for an organisation, a campaign
    among them), written in bulk and counted, once."""
    if Response.objects.filter(consultation=consultation).exists():
        return
    rng = random.Random(29)
    questions = consultation.question_list()
    items = [item for item in data["questions"] if "section" not in item]
    respondents = _respondents(data["respondents"])
    organisations = _respondent_organisations(data, respondents)
    campaign = data.get("campaign")
    campaigners = set(rng.sample(range(len(respondents)), campaign["respondents"])) if campaign else set()
    fingerprint = asking.fingerprint(questions)
    publish = [Response.PUBLISH_NAME, Response.PUBLISH_ANONYMOUS, Response.PUBLISH_NONE]
    opened = consultation.opens
    rows, answers = [], {}
    for n, person in enumerate(respondents):
        given = {q.id: _demo_answer(q, item, rng) for q, item in zip(questions, items)}
        if n in campaigners:
            target = questions[campaign["question"] - 1]
            given[target.id] = rng.choice([campaign["text"]] * 2 + campaign["variants"])
            given[questions[0].id] = campaign["answer"]
        shown = {q.id for q in asking.asked(questions, {k: v for k, v in given.items() if v is not None})}
        answers[person.pk] = {k: v for k, v in given.items() if v is not None and k in shown}
        sent = opened + (now - opened) * rng.random()
        rows.append(Response(consultation=consultation, respondent=person, organisation=organisations.get(person.pk),
                             status=Response.SUBMITTED, publish=rng.choices(publish, weights=[3, 5, 2])[0],
                             fingerprint=fingerprint, submitted_at=sent))
    Response.objects.bulk_create(rows, batch_size=500)
    made = Response.objects.filter(consultation=consultation).values_list("respondent_id", "pk")
    ResponseAnswer.objects.bulk_create(
        [ResponseAnswer(response_id=pk, question=q, value=v) for person, pk in made for q, v in answers[person].items()],
        batch_size=1000)
    tallies.recount(consultation)  # the counts, and the campaigns (as the worker's find_campaigns)


# --- Test and learn (issue #18) ---------------------------------------------
# Each step looks first and does only what is missing, so a second load
# creates nothing and an older demo database gains the pilots, responses and
# evidence it lacks. Dates of pilots are days from the day of the (first)
# load, so their statuses make sense whenever the demo is loaded.


def _test_and_learn(mission, call, data, team_user, today):
    ideas = {idea.title: idea for idea in Idea.objects.filter(call=call)}
    pilots = {}
    for item in data.get("pilots", []):
        pilot = PilotPage.objects.child_of(mission).filter(slug=item["slug"]).first()
        if pilot is None:
            pilot = _run_pilot(mission, call, item, ideas, data, team_user, today)
        elif item.get("idea") is not None:  # an older demo database: link what is missing
            _take_forward(pilot, item, ideas, data, team_user)
        pilots[item["slug"]] = pilot
    for item in data["ideas"]:
        idea = ideas.get(item["title"])
        if idea is None:
            continue
        if item.get("status") and idea.status != item["status"]:
            idea = submissions.set_idea_status(team_user, idea, item["status"])
        if item.get("response") and not idea.response:
            submissions.respond_to_idea(team_user, idea, item["response"])
    _cite_evidence(mission, call, data, pilots, team_user, today)


def _take_forward(pilot, item, ideas, data, team_user):
    idea = ideas.get(data["ideas"][item["idea"]]["title"])
    if idea is not None and not PilotIdea.objects.filter(pilot=pilot, idea=idea).exists():
        pilot_services.take_forward(team_user, idea, pilot.pk, item.get("note", ""))


def _run_pilot(mission, call, item, ideas, data, team_user, today):
    """Create the pilot of `item` and publish it as its team would have:
    when it started, as each result came in and when it ended, so its page
    shows that history (each revision dated then) and the people following
    the idea it tests hear of each step (pilots/signals.py)."""
    questions = list(mission.learning_questions.all())
    measure = item.get("measure") or {}
    starts_on = today + timedelta(days=item["starts_on"])
    ends_on = today + timedelta(days=item["ends_on"])
    results = [
        (starts_on + timedelta(days=r["day"]), Decimal(r["value"]), r.get("commentary", ""), r.get("source", ""))
        for r in item.get("results", [])
    ]
    ended = item["status"] in ("concluded", "stopped")
    pilot = PilotPage(
        title=item["title"],
        slug=item["slug"],
        summary=item["summary"],
        change=item["change"],
        outcome=item["outcome"],
        people=item["people"],
        metric=list(mission.metrics.all())[item["metric"]] if item.get("metric") is not None else None,
        measure_name=measure.get("name", ""),
        measure_unit=measure.get("unit", ""),
        measure_baseline=Decimal(measure["baseline"]) if measure else None,
        measure_target=Decimal(measure["target"]) if measure else None,
        location=item["location"],
        starts_on=starts_on,
        ends_on=ends_on,
        status="running" if ended else item["status"],
        learning_questions=[questions[i] for i in item.get("questions", [])],
        calls=[call],
    )
    mission.refresh_from_db()
    pilot = mission.add_child(instance=pilot)  # live, not yet announced
    if item.get("idea") is not None:  # first, so the idea's people hear that it started
        _take_forward(pilot, item, ideas, data, team_user)
    stages = [starts_on]
    _publish_as_of(pilot, team_user, starts_on)
    for day, value, commentary, source in results:
        pilot = PilotPage.objects.get(pk=pilot.pk)
        pilot.results = list(pilot.results.all()) + [
            PilotResult(date=day, value=value, commentary=commentary, source=source)
        ]
        _publish_as_of(pilot, team_user, day)
        stages.append(day)
    if ended:
        pilot = PilotPage.objects.get(pk=pilot.pk)
        pilot.status = item["status"]
        pilot.lesson = item["lesson"]
        pilot.decision = item["decision"]
        pilot.decision_reason = item["decision_reason"]
        _publish_as_of(pilot, team_user, ends_on)
        stages.append(ends_on)
    first, last = _at(stages[0]), _at(max(stages))
    PilotPage.objects.filter(pk=pilot.pk).update(
        first_published_at=first, last_published_at=last, latest_revision_created_at=last
    )
    return PilotPage.objects.get(pk=pilot.pk)


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _publish_as_of(pilot, user, day):
    """Publish the pilot as `user`, then date the revision and its history
    entry `day` (the demo's past: a real team publishes on the day)."""
    revision = pilot.save_revision(user=user)
    # The team's Wagtail group is synced after the commit (consult/roles.py).
    revision.publish(user=user, skip_permission_checks=True)
    Revision.objects.filter(pk=revision.pk).update(created_at=_at(day))
    PageLogEntry.objects.filter(page_id=pilot.pk, revision_id=revision.pk).update(timestamp=_at(day))


def _ideas_phrase(call, question):
    n = public_ideas().filter(call=call, learning_questions=question).count()
    return "1 idea" if n == 1 else f"{n} ideas"


def _citation_page(cite, call, pilots):
    return call if cite == "call" else pilots.get(cite)


def _cite_evidence(mission, call, data, pilots, team_user, today):
    """Cite the call and pilots as evidence for the questions being explored
    or answered (consult/questions.py), and add the pathway versions that
    cite pilots. The mission's page content is its revision, so the rows go
    into the page object's clusters and a new revision is published."""
    mission = MissionPage.objects.get(pk=mission.pk)
    changed = False
    questions = list(mission.learning_questions.all())
    by_text = {q.question: q for q in questions}
    for item in data["learning_questions"]:
        question = by_text.get(item["question"])
        if question is None or not item.get("evidence") or question.evidence.exists():
            continue
        evidence = []
        for cited in item["evidence"]:
            page = _citation_page(cited["cite"], call, pilots)
            if page is not None:
                note = cited["note"].replace("{ideas}", _ideas_phrase(call, question))
                evidence.append(QuestionEvidence(page=page, note=note))
        if evidence:
            question.evidence = evidence
            changed = True
    versions = list(mission.pathway_versions.all())
    have = {v.version for v in versions}
    for item in data["pathway_versions"]:
        if not item.get("citations") or item["version"] in have:
            continue
        pages = [(_citation_page(c["cite"], call, pilots), c["note"]) for c in item["citations"]]
        if any(page is None for page, _ in pages):
            continue
        versions.append(PathwayVersion(
            version=item["version"], date=today + timedelta(days=item["days"]), summary=item["summary"],
            changes=item.get("changes", ""), citations=[PathwayCitation(page=p, note=n) for p, n in pages],
        ))
        changed = True
    if changed:
        mission.learning_questions = questions
        mission.pathway_versions = versions
        mission.save_revision(user=team_user).publish()


POLIS_DEMO = ("safer-streets", "london.youth.policing")

# Pol.is exports have no is-meta column, so the importer marks nothing as a
# statement about the participant. In the London conversation (comments.csv)
# statements 0 to 14 are the workshop's questions about who was there, and
# the rest (15 to 38) are opinions on the topic:
#   0-4   age ("I am between 15 and 19 years old." ...; 0, 2 and 3 were
#         moderated out in Pol.is, so they are hidden here)
#   5-7   gender ("I identify as male.", "I identify as female.",
#         "My gender has changed since birth.")
#   8     "English is my first language."
#   9-13  ethnicity ("My ethnicity is White." ... "My ethnicity is Arab.")
#   14    "I had at least one encounter (good or bad) with the police."
# The demo marks them as the mission's team would, so the results page shows
# them as who took part and keeps them out of the groups, the consensus and
# "Where opinion divided" (docs/opinion-map.md). Each id is checked against
# its expected opening words, so a different export fails loudly.
POLIS_ABOUT_PARTICIPANT = {
    "london.youth.policing": {
        0: "Are you between", 1: "I am between 15", 2: "I am between 20", 3: "I am between 25",
        4: "I am between 20", 5: "I identify as male", 6: "I identify as female", 7: "My gender",
        8: "English is my first", 9: "My ethnicity", 10: "My ethnicity", 11: "My ethnicity",
        12: "My ethnicity", 13: "My ethnicity", 14: "I had at least one encounter",
    },
}


def _import_polis_demo(index, team_user):
    """A real consultation beside the written demo: the Pol.is conversation
    shipped in data/polis/ (CC BY 4.0, attributed on its pages), imported
    once, with its statements about the participant marked by `team_user`,
    one of the mission's team (each load marks any that are not, so an older
    demo database gets them too)."""
    mission_slug, folder = POLIS_DEMO
    mission = MissionPage.objects.child_of(index).filter(slug=mission_slug).first()
    path = settings.BASE_DIR / "data" / "polis" / folder
    if mission is None or not path.is_dir():
        return
    conversation = polis.read_conversation(path)
    # One transaction: the import's own recomputation (after the commit)
    # already sees the marks.
    with transaction.atomic():
        call = ChallengeCallPage.objects.child_of(mission).filter(slug=polis.call_slug(path)).first()
        if call is None:
            call = polis.import_conversation(mission, conversation).call
        mark_about_participant(call, conversation, team_user, POLIS_ABOUT_PARTICIPANT.get(folder, {}))


def mark_about_participant(call, conversation, team_user, statements):
    """Mark the call's ideas imported from these Pol.is statement ids
    ({id: expected opening words}) as statements about the participant, as
    `team_user` (the mission's team). An idea keeps its statement's text as
    its body, which is how it is found. Returns how many were newly marked."""
    bodies = {}
    for sid, opening in statements.items():
        statement = conversation.statements.get(sid)
        if statement is None or not statement.body.startswith(opening):
            raise ValueError(f"Pol.is statement {sid} of {conversation.folder.name} is not the one listed "
                             f"({opening!r}…): check POLIS_ABOUT_PARTICIPANT in demo/loader.py")
        bodies[statement.body] = sid
    found = {}
    for idea in Idea.objects.filter(call=call, body__in=list(bodies)):
        if idea.body in found:
            raise ValueError(f"Two ideas of {call.title} have the text of Pol.is statement {bodies[idea.body]}")
        found[idea.body] = idea
    missing = sorted(sid for body, sid in bodies.items() if body not in found)
    if missing:
        raise ValueError(f"{call.title} has no idea for Pol.is statement(s) {missing}")
    marked = 0
    for idea in found.values():
        if not idea.about_participant:
            statements_service.mark_about_participant(team_user, idea, True)
            marked += 1
    return marked
