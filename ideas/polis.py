"""Import a Pol.is conversation export as a closed challenge call.

Pol.is statements become ideas, participants become inactive accounts that
cannot sign in ("Pol.is participant 17"), and each participant's last vote on
a statement becomes an agree, disagree or pass vote. Statements moderated out
in Pol.is are imported hidden, with that reason; unmoderated ones wait in the
queue. The call's phases are the conversation's own dates, so it opens in its
results phase and takes no new votes.

Pol.is open data is CC BY 4.0: the call carries the attribution, shown on the
call page, on each idea and in the CSV and Atom exports.

The whole export is read and checked before anything is written; a file that
does not parse is refused with the file, the line and what is wrong.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify

from consult.models import ChallengeCallPage

from .models import Idea, IdeaRevision, Visibility, Vote
from .text import render_markdown

FILES = ("summary.csv", "comments.csv", "votes.csv")
COMMENT_COLUMNS = {"timestamp", "comment-id", "author-id", "moderated", "comment-body"}
VOTE_COLUMNS = {"timestamp", "comment-id", "voter-id", "vote"}
VOTE_VALUES = {"1": Vote.AGREE, "-1": Vote.DISAGREE, "0": Vote.PASS}
VISIBILITY = {"1": Visibility.PUBLISHED, "-1": Visibility.HIDDEN, "0": Visibility.PENDING}
MODERATED_OUT = "Moderated out in the original Pol.is conversation"

# Case studies of the conversations in compdemocracy/openData, by Pol.is
# conversation id: the attribution links to them where known.
CASE_STUDIES = {
    "7wmvbjcjhp": "https://compdemocracy.org/case-studies/2017-brexit-consensus",
    "9xxwa9jpkm": "https://compdemocracy.org/case-studies/2022-london-youth-policing",
    "4hnmy3zeff": "https://compdemocracy.org/case-studies/2017-scoop-hivemind-affordable-housing",
}
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = (
    "Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 "
    "with Attribution to The Computational Democracy Project. The data and more information about how the data "
    "was collected can be found at the following link(s):\n{link}\n"
    "Licence: {licence}\n"
    "Changes: Pol.is statements are shown as ideas, and each participant's last vote on a statement is counted; "
    "the text of the statements is unchanged."
)


class PolisError(Exception):
    """The export cannot be imported; the message says where and why."""


@dataclass
class Statement:
    id: int
    author: int
    created: datetime
    moderated: str
    body: str


@dataclass
class Conversation:
    folder: Path
    topic: str
    url: str
    description: str
    statements: dict = field(default_factory=dict)  # id -> Statement
    votes: dict = field(default_factory=dict)  # (voter, statement) -> (when, value)

    @property
    def conversation_id(self):
        return self.url.rstrip("/").rsplit("/", 1)[-1] if self.url else ""

    @property
    def participants(self):
        return sorted({s.author for s in self.statements.values()} | {voter for voter, _ in self.votes})

    def attribution(self):
        link = CASE_STUDIES.get(self.conversation_id) or self.url or "(no link in the export)"
        return ATTRIBUTION.format(link=link, licence=LICENCE_URL)


def _when(value, where):
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise PolisError(f"{where}: timestamp {value!r} is not milliseconds since 1970") from None


def _int(value, where, column):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PolisError(f"{where}: {column} {value!r} is not a whole number") from None


def _rows(path, required):
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise PolisError(f"{path}: cannot be read ({exc.strerror})") from None
    with handle:
        try:
            reader = csv.DictReader(handle)
            missing = required - set(reader.fieldnames or [])
            if missing:
                raise PolisError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
            for row in reader:
                yield f"{path.name} line {reader.line_num}", row
        except (csv.Error, UnicodeDecodeError) as exc:
            raise PolisError(f"{path.name}: not a readable CSV file ({exc})") from None


def read_conversation(folder):
    """Reads and checks a Pol.is export folder; writes nothing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PolisError(f"{folder}: no such folder")
    absent = [name for name in FILES if not (folder / name).is_file()]
    if absent:
        raise PolisError(f"{folder}: not a Pol.is export, missing {', '.join(absent)}")
    summary = {}
    try:
        with (folder / "summary.csv").open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                if len(row) >= 2:
                    summary[row[0].strip()] = row[1].strip()
    except (csv.Error, UnicodeDecodeError) as exc:
        raise PolisError(f"summary.csv: not a readable CSV file ({exc})") from None
    if not summary.get("topic"):
        raise PolisError("summary.csv: no topic row")
    conversation = Conversation(folder, summary["topic"][:255], summary.get("url", ""),
                                summary.get("conversation-description", ""))

    for where, row in _rows(folder / "comments.csv", COMMENT_COLUMNS):
        sid = _int(row["comment-id"], where, "comment-id")
        if sid in conversation.statements:
            raise PolisError(f"{where}: comment-id {sid} appears twice")
        body = (row["comment-body"] or "").strip()
        if not body:
            raise PolisError(f"{where}: statement {sid} has no text")
        moderated = (row["moderated"] or "").strip()
        if moderated not in VISIBILITY:
            raise PolisError(f"{where}: moderated must be 1, 0 or -1, not {moderated!r}")
        conversation.statements[sid] = Statement(sid, _int(row["author-id"], where, "author-id"),
                                                 _when(row["timestamp"], where), moderated, body)
    if not conversation.statements:
        raise PolisError("comments.csv: no statements")

    for where, row in _rows(folder / "votes.csv", VOTE_COLUMNS):
        sid = _int(row["comment-id"], where, "comment-id")
        if sid not in conversation.statements:
            raise PolisError(f"{where}: vote on comment-id {sid}, which comments.csv does not have")
        value = VOTE_VALUES.get((row["vote"] or "").strip())
        if value is None:
            raise PolisError(f"{where}: vote must be 1, -1 or 0, not {row['vote']!r}")
        key = (_int(row["voter-id"], where, "voter-id"), sid)
        when = _when(row["timestamp"], where)
        # Rows are not in time order; a participant's last vote is the one that
        # counts (and, at equal times, the later row).
        if key not in conversation.votes or when >= conversation.votes[key][0]:
            conversation.votes[key] = (when, value)
    return conversation


def _shorten(text, limit):
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def short_slug(text, limit=50):
    """A slug of at most `limit` characters, cut at a word."""
    slug = slugify(text)
    if len(slug) > limit:
        slug = slug[: limit + 1].rsplit("-", 1)[0][:limit]
    return slug or "polis"


def call_slug(folder):
    return short_slug(Path(folder).name.replace(".", "-"))


def _brief(conversation):
    parts = []
    if conversation.description:
        parts += [f"<p>{escape(p.strip())}</p>" for p in re.split(r"\n\s*\n", conversation.description) if p.strip()]
    source = escape(conversation.url) if conversation.url else ""
    parts.append(
        "<p>This call holds a consultation run on Pol.is"
        + (f' (<a href="{source}">{source}</a>)' if source else "")
        + ", imported as open data: each statement is an idea, with the participants' agree, disagree and pass "
        "votes. It is closed and takes no new votes.</p>"
    )
    return "".join(parts)


@dataclass
class Imported:
    call: ChallengeCallPage
    ideas: int
    published: int
    hidden: int
    pending: int
    votes: int
    participants: int


def import_conversation(mission, conversation, *, slug=None, replace=False):
    """Creates the call, its participants, ideas and votes in one transaction."""
    from search import backend as search_backend

    slug = slug or call_slug(conversation.folder)
    if slugify(slug) != slug or len(slug) > 255:
        raise PolisError(f"{slug!r} is not a slug: use lower-case letters, digits and hyphens")
    User = get_user_model()
    user_prefix = f"polis-{slug}-"
    # Exactly this call's participants: "polis-london-3", not "polis-london-youth-3".
    own_users = {"username__regex": rf"^{re.escape(user_prefix)}[0-9]+$", "is_active": False}
    with transaction.atomic():
        existing = ChallengeCallPage.objects.child_of(mission).filter(slug=slug).first()
        if existing is not None:
            if not replace:
                raise PolisError(f"{mission.title} already has a call at {existing.url_path} ({slug}); "
                                 "replace it to import again (--replace, or the admin form's Replace box)")
            existing_ids = list(Idea.objects.filter(call=existing).values_list("pk", flat=True))
            existing.delete()
            User.objects.filter(**own_users).delete()
            for idea_id in existing_ids:
                transaction.on_commit(lambda idea_id=idea_id: search_backend.remove_idea_id(idea_id))
            mission.refresh_from_db()

        first = min(s.created for s in conversation.statements.values())
        last = max([s.created for s in conversation.statements.values()] + [w for w, _ in conversation.votes.values()])
        closes = last + timedelta(seconds=1)
        call = mission.add_child(instance=ChallengeCallPage(
            title=conversation.topic, slug=slug, brief=_brief(conversation), eligibility="citizens",
            submission_opens=first, submission_closes=closes, review_closes=closes + timedelta(days=1),
            shortlist_closes=closes + timedelta(days=2), moderation_mode=ChallengeCallPage.MODERATION_POST,
            voting_mode=ChallengeCallPage.VOTING_AGREE, comments_open=False,
            data_attribution=conversation.attribution(),
        ))
        call.save_revision().publish()

        unusable = make_password(None)
        User.objects.bulk_create(
            [User(username=f"{user_prefix}{pid}", first_name="Pol.is participant", last_name=str(pid),
                  password=unusable, is_active=False) for pid in conversation.participants],
            batch_size=1000,
            ignore_conflicts=True,  # left behind if the call was deleted in the admin: reused
        )
        users = dict(User.objects.filter(**own_users).values_list("username", "pk"))
        user_id = {pid: users[f"{user_prefix}{pid}"] for pid in conversation.participants}

        tallies = {sid: {Vote.AGREE: 0, Vote.DISAGREE: 0, Vote.PASS: 0} for sid in conversation.statements}
        for (_, sid), (_, value) in conversation.votes.items():
            tallies[sid][value] += 1
        statements = sorted(conversation.statements.values(), key=lambda s: s.id)
        ideas = [
            Idea(
                call=call, author_id=user_id[s.author], title=_shorten(s.body, 150), summary=_shorten(s.body, 500),
                body=s.body, body_html=render_markdown(s.body), visibility=VISIBILITY[s.moderated],
                moderation_reason=MODERATED_OUT if s.moderated == "-1" else "",
                agree_count=tallies[s.id][Vote.AGREE], disagree_count=tallies[s.id][Vote.DISAGREE],
                pass_count=tallies[s.id][Vote.PASS],
            )
            for s in statements
        ]
        Idea.objects.bulk_create(ideas, batch_size=500)  # PostgreSQL and SQLite >= 3.35 set the pks
        # auto_now_add stamps "now" on create; the conversation's own times
        # matter (newest first, the feed), so they are set afterwards.
        for idea, s in zip(ideas, statements):
            idea.created_at = s.created
        Idea.objects.bulk_update(ideas, ["created_at"], batch_size=500)
        idea_ids = {s.id: idea.pk for idea, s in zip(ideas, statements)}
        IdeaRevision.objects.bulk_create(
            [IdeaRevision(idea=idea, editor_id=idea.author_id, title=idea.title, summary=idea.summary, body=idea.body)
             for idea in ideas],
            batch_size=500,
        )
        votes = [Vote(idea_id=idea_ids[sid], user_id=user_id[voter], call=call, value=value)
                 for (voter, sid), (_, value) in conversation.votes.items()]
        Vote.objects.bulk_create(votes, batch_size=2000)
        for vote, (when, _) in zip(votes, conversation.votes.values()):
            vote.created_at = when
        Vote.objects.bulk_update(votes, ["created_at"], batch_size=1000)
        counts = {v: sum(1 for i in ideas if i.visibility == v) for v in Visibility.values}
        ChallengeCallPage.objects.filter(pk=call.pk).update(idea_count=counts[Visibility.PUBLISHED])
        for idea in ideas:
            if idea.visibility == Visibility.PUBLISHED:
                transaction.on_commit(lambda idea_id=idea.pk: search_backend.index_idea_id(idea_id))
    call.refresh_from_db()
    return Imported(call, len(ideas), counts[Visibility.PUBLISHED], counts[Visibility.HIDDEN],
                    counts[Visibility.PENDING], len(votes), len(conversation.participants))
