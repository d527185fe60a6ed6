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
does not parse is refused with the file, the line and what is wrong. Three
checks exist because real files broke the import without them:

- Ids: Pol.is numbers statements and participants 0, 1, 2, … and anything
  else (a negative id, "+3", Arabic-Indic digits) is refused, since the id
  names the participant's account and a misread one broke the import half-way.
- Control characters (NUL and the other C0/C1 controls but tab and line
  breaks) are refused, not stripped: PostgreSQL cannot store NUL, XML (the
  Atom feed) cannot carry any of them, and they only appear in a damaged or
  hand-edited file, whose owner should see where rather than get silently
  altered text.
- Stray quotes: a field that opens with a quote runs on until the next quote,
  swallowing the rows in between into one statement. The CSV is read
  strictly (a quote must close where a field ends) and a row that spans
  several lines is refused when a line inside it looks like a row of its
  own; the message names the line where the quote opened.

Importing again at the same address replaces only a call this importer made
(ideas.models.PolisImport marks it): any other call there is left alone and
the import refused.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils.html import escape
from django.utils.text import slugify

from consult.models import ChallengeCallPage

from . import counters
from .models import Idea, IdeaRevision, PolisImport, Visibility, Vote
from .search_documents import call_changed_on_commit, idea_changed_on_commit
from .signals import votes_changed_on_commit
from .text import render_markdown

FILES = ("summary.csv", "comments.csv", "votes.csv")
COMMENT_COLUMNS = {"timestamp", "comment-id", "author-id", "moderated", "comment-body"}
VOTE_COLUMNS = {"timestamp", "comment-id", "voter-id", "vote"}
VOTE_VALUES = {"1": Vote.AGREE, "-1": Vote.DISAGREE, "0": Vote.PASS}
VISIBILITY = {"1": Visibility.PUBLISHED, "-1": Visibility.HIDDEN, "0": Visibility.PENDING}
MODERATED_OUT = "Moderated out in the original Pol.is conversation"
POLIS_ID = re.compile(r"[0-9]{1,9}")  # ASCII digits only: the id goes into an account name
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # every control character but \t \n \r
ROW_START = re.compile(r"[0-9]{9,}$")  # a row begins with a timestamp in milliseconds
MAX_SLUG = 100  # "polis-<slug>-<id>" must fit a 150-character user name

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


def _id(value, where, column):
    """A Pol.is statement or participant id: a whole number from 0."""
    text = (value or "").strip()
    if not POLIS_ID.fullmatch(text):
        raise PolisError(f"{where}: {column} {value!r} is not a Pol.is id (a whole number from 0 up)")
    return int(text)


def _no_controls(cells, columns, where):
    for i, cell in enumerate(cells):
        found = CONTROL.search(cell)
        if found:
            column = columns[i] if i < len(columns) else f"column {i + 1}"
            raise PolisError(f"{where}: {column} holds a control character (U+{ord(found.group()):04X}) that cannot "
                             "be stored or shown; remove it and import again")


def _swallowed_line(row, start, timestamp, ident):
    """In a row spanning several lines, the first inner line that reads like a
    row of the same file (a millisecond timestamp and an id in their columns),
    as (line where its quoted field opened, its line, its text); else None."""
    opened = start
    for cell in row:
        for offset, line in enumerate(cell.split("\n")[1:], 1):
            try:
                fields = next(csv.reader([line.rstrip("\r")]), [])
            except csv.Error:
                continue
            if (len(fields) > max(timestamp, ident) and ROW_START.match(fields[timestamp].strip())
                    and re.fullmatch(r"-?[0-9]+", fields[ident].strip())):
                return opened, opened + offset, line
        opened += cell.count("\n")
    return None


def _unclosed(name, line, detail):
    return PolisError(f"{name} line {line}: a quote opens a field there and {detail}, so the rows after it would "
                      "run together into one; a field that starts with a quote must end with one, and a quote "
                      "inside it is written twice")


def _records(handle, name):
    """(line the record starts on, fields, line it ends on) for each record of
    a strictly read CSV file, blank lines skipped; a quote that does not close
    where a field ends is refused with the line it opened on."""
    reader = csv.reader(handle, strict=True)
    start = 1
    try:
        while True:
            start = reader.line_num + 1
            fields = next(reader, None)
            if fields is None:
                return
            if fields:
                yield start, fields, reader.line_num
    except csv.Error as exc:
        raise _unclosed(name, start, f"is not closed where the field ends ({exc})") from None
    except UnicodeDecodeError as exc:
        raise PolisError(f"{name}: not UTF-8 text ({exc.reason}); save it as UTF-8 and import again") from None


def _open(path):
    try:
        return path.open(newline="", encoding="utf-8-sig")  # a byte-order mark, as Excel writes, is not a column
    except OSError as exc:
        raise PolisError(f"{path}: cannot be read ({exc.strerror})") from None


def _rows(path, required):
    """("<file> line <n>", {column: value}) for each data row, n being the
    line the row starts on, after the checks in the module docstring."""
    name = path.name
    with _open(path) as handle:
        records = _records(handle, name)
        header = next(records, None)
        columns = [c.strip() for c in header[1]] if header else []
        missing = required - set(columns)
        if missing:
            raise PolisError(f"{name}: missing column(s) {', '.join(sorted(missing))}")
        _no_controls(columns, columns, f"{name} line 1")
        timestamp, ident = columns.index("timestamp"), columns.index("comment-id")
        for start, row, end in records:
            where = f"{name} line {start}"
            if end > start:
                swallowed = _swallowed_line(row, start, timestamp, ident)
                if swallowed:
                    opened, line, text = swallowed
                    raise _unclosed(name, opened, f"runs on over line {line}, which reads like a row of its own "
                                                  f"({_shorten(text, 60)!r})")
            _no_controls(row, columns, where)
            if len(row) != len(columns):
                raise PolisError(f"{where}: {len(row)} fields where the header has {len(columns)} (a comma in a "
                                 "statement needs the statement in quotes)")
            yield where, dict(zip(columns, row))


SUMMARY_MULTILINE = {"conversation-description"}


def _summary(path):
    summary = {}
    name = path.name
    with _open(path) as handle:
        for start, row, end in _records(handle, name):
            where = f"{name} line {start}"
            _no_controls(row, ["key", "value"], where)
            key = row[0].strip()
            if end > start and key not in SUMMARY_MULTILINE:
                raise _unclosed(name, start, f"runs on to line {end}")
            if len(row) >= 2:
                summary.setdefault(key, (where, row[1].strip()))
    return summary


def read_conversation(folder):
    """Reads and checks a Pol.is export folder; writes nothing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PolisError(f"{folder}: no such folder")
    absent = [name for name in FILES if not (folder / name).is_file()]
    if absent:
        raise PolisError(f"{folder}: not a Pol.is export, missing {', '.join(absent)}")
    summary = _summary(folder / "summary.csv")
    topic = summary.get("topic", ("", ""))[1]
    if not topic:
        raise PolisError("summary.csv: no topic row")
    where, url = summary.get("url", ("", ""))
    if url and not re.match(r"https?://[^\s/]", url):
        # It becomes a link on the call page: no javascript: or other schemes.
        raise PolisError(f"{where}: url {url!r} is not an http(s) address")
    conversation = Conversation(folder, topic[:255], url, summary.get("conversation-description", ("", ""))[1])

    for where, row in _rows(folder / "comments.csv", COMMENT_COLUMNS):
        sid = _id(row["comment-id"], where, "comment-id")
        if sid in conversation.statements:
            raise PolisError(f"{where}: comment-id {sid} appears twice")
        body = row["comment-body"].strip()
        if not body:
            raise PolisError(f"{where}: statement {sid} has no text")
        moderated = row["moderated"].strip()
        if moderated not in VISIBILITY:
            raise PolisError(f"{where}: moderated must be 1, 0 or -1, not {moderated!r}")
        conversation.statements[sid] = Statement(sid, _id(row["author-id"], where, "author-id"),
                                                 _when(row["timestamp"], where), moderated, body)
    if not conversation.statements:
        raise PolisError("comments.csv: no statements")

    for where, row in _rows(folder / "votes.csv", VOTE_COLUMNS):
        sid = _id(row["comment-id"], where, "comment-id")
        if sid not in conversation.statements:
            raise PolisError(f"{where}: vote on comment-id {sid}, which comments.csv does not have")
        value = VOTE_VALUES.get(row["vote"].strip())
        if value is None:
            raise PolisError(f"{where}: vote must be 1, -1 or 0, not {row['vote']!r}")
        key = (_id(row["voter-id"], where, "voter-id"), sid)
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
    slug = slug or call_slug(conversation.folder)
    if slugify(slug) != slug or not slug:
        raise PolisError(f"{slug!r} is not a slug: use lower-case letters, digits and hyphens")
    if len(slug) > MAX_SLUG:
        raise PolisError(f"The slug is {len(slug)} characters long; the limit is {MAX_SLUG}")
    User = get_user_model()
    user_prefix = f"polis-{slug}-"
    # Exactly this call's participants: "polis-london-3", not "polis-london-youth-3".
    own_users = {"username__regex": rf"^{re.escape(user_prefix)}[0-9]+$", "is_active": False}
    with transaction.atomic():
        existing = ChallengeCallPage.objects.child_of(mission).filter(slug=slug).first()
        if existing is not None:
            if not PolisImport.objects.filter(call=existing).exists():
                # Replacing deletes the call with its ideas and votes: never one
                # people made, which merely sits at the same address.
                raise PolisError(f"{mission.title} already has a call at {existing.url_path} ({slug}) that was not "
                                 "imported from Pol.is, so it cannot be replaced; choose another slug (--slug, or "
                                 "the admin form's Slug box)")
            if not replace:
                raise PolisError(f"{mission.title} already has a call at {existing.url_path} ({slug}); "
                                 "replace it to import again (--replace, or the admin form's Replace box)")
            existing_ids = list(Idea.objects.filter(call=existing).values_list("pk", flat=True))
            # The votes and revisions go first, in one statement each: left to
            # the page's cascade, every row would be loaded and sent a
            # post_delete signal (cms/pagecache.py listens to every model),
            # about a second per 10,000 votes; no receiver acts on these two.
            _delete_rows(Vote, "call_id", [existing.pk])
            _delete_rows(IdeaRevision, "idea_id", existing_ids)
            existing.delete()
            # Participants' accounts go with the call, unless they still hold
            # something else: the same slug imported under another mission
            # shares its accounts, and its ideas and votes must stay.
            # Those this import brings back (the same participant ids) are
            # kept and reused below rather than deleted and made again: the
            # cascade over every relation of an account costs about 2 ms each.
            returning = [f"{user_prefix}{pid}" for pid in conversation.participants]
            User.objects.filter(**own_users, ideas__isnull=True, votes__isnull=True, comments__isnull=True).exclude(
                username__in=returning).delete()
            for idea_id in existing_ids:  # gone with the call: removed from search
                idea_changed_on_commit(idea_id, comments=False)
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
        PolisImport.objects.create(call=call, conversation_url=conversation.url)

        unusable = make_password(None)
        _insert_ignoring_conflicts(  # left behind if the call was deleted in the admin: reused
            User,
            [User(username=f"{user_prefix}{pid}", first_name="Pol.is participant", last_name=str(pid),
                  password=unusable, is_active=False) for pid in conversation.participants],
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
                # The vote counters, set once for the bulk insert (ideas/counters.py's rule: votes by value).
                **{Vote.COUNTER[value]: n for value, n in tallies[s.id].items()},
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
        # The votes as plain rows with their own times, in one COPY on
        # PostgreSQL (executemany elsewhere): no model instances, no
        # auto_now_add to correct afterwards. The counters above were set
        # from these same rows.
        _insert_votes(call.pk, ((idea_ids[sid], user_id[voter], value, when)
                                for (voter, sid), (when, value) in conversation.votes.items()))
        counts = {v: sum(1 for i in ideas if i.visibility == v) for v in Visibility.values}
        # A new call: its idea_count is what the counter rule says of these ideas.
        counters.add_to_call(call.pk, sum(1 for idea in ideas if counters.idea_counts(idea)))
        # Bulk inserts send no signals: the call's ideas are indexed together,
        # in chunks, after the commit (ideas/search_documents.py).
        call_changed_on_commit(call.pk)
        # Its opinion map, computed at once after the commit (opinions/receivers.py).
        # Pol.is exports (comments.csv) carry no is-meta column, so no statement
        # arrives marked as one about the participant: the team marks them.
        votes_changed_on_commit(call.pk, at_once=True, sender=PolisImport)
    call.refresh_from_db()
    return Imported(call, len(ideas), counts[Visibility.PUBLISHED], counts[Visibility.HIDDEN],
                    counts[Visibility.PENDING], len(conversation.votes), len(conversation.participants))


VOTE_COLUMNS_SQL = ("idea_id", "user_id", "call_id", "value", "created_at")


def _insert_votes(call_id, rows):
    """Inserts (idea_id, user_id, value, created_at) rows as votes of the call:
    a COPY on PostgreSQL, batched executemany on other databases. One
    statement (or one per 5,000 rows) whatever the number of votes; no
    signals, as with bulk_create."""
    table = connection.ops.quote_name(Vote._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in VOTE_COLUMNS_SQL)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY's text format, written in one piece: ids are digits, the
            # value one of Vote's fixed words, the time ISO 8601 with its
            # offset, so nothing needs escaping.
            text = "".join(f"{idea_id}\t{user_id}\t{call_id}\t{value}\t{when.isoformat()}\n"
                           for idea_id, user_id, value, when in rows)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(text)
            return
        adapt = connection.ops.adapt_datetimefield_value
        sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)"
        batch = []
        for idea_id, user_id, value, when in rows:
            batch.append((idea_id, user_id, call_id, value, adapt(when)))
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _insert_ignoring_conflicts(model, objs):
    """bulk_create(ignore_conflicts=True) as one executemany: bulk_create
    splits the rows by SQLite's limit on query parameters (about 90 accounts
    a statement), this is one statement for any number of rows. Values are
    prepared by the fields, as bulk_create does; no signals either."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = (f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) "
           "ON CONFLICT DO NOTHING")
    rows = [tuple(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields) for obj in objs]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _delete_rows(model, column, ids):
    """DELETE FROM model WHERE column IN ids, as one statement per 1,000 ids:
    for rows no signal receiver needs (see the replace path)."""
    table = connection.ops.quote_name(model._meta.db_table)
    ids = list(ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 1000):
            chunk = ids[start:start + 1000]
            cursor.execute(f"DELETE FROM {table} WHERE {connection.ops.quote_name(column)} IN "
                           f"({', '.join(['%s'] * len(chunk))})", chunk)
