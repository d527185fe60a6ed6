"""manage.py import_polis: a real Pol.is export becomes a closed call whose
ideas, votes and counters match the export, with its CC BY attribution
wherever the data is shown; a broken export is refused and writes nothing."""

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from consult import phases
from consult.models import ChallengeCallPage
from ideas.services import votes as votes_services
from inputs.refusals import Refused
from ideas.models import Idea, Visibility, Vote
from ideas.polis import MODERATED_OUT

from ..factories import UserFactory

LONDON = Path(__file__).resolve().parents[2] / "data" / "polis" / "london.youth.policing"
CASE_STUDY = "https://compdemocracy.org/case-studies/2022-london-youth-policing"
User = get_user_model()


def run(*args):
    call_command("import_polis", *map(str, args), stdout=open("/dev/null", "w"))


def final_votes(folder):
    """The export's own answer, from participants-votes.csv (the final matrix)."""
    counts = Counter()
    with (folder / "participants-votes.csv").open(newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        first = header.index("n-disagree") + 1
        for row in reader:
            for cid, cell in zip(header[first:], row[first:]):
                if cell != "":
                    counts[(int(cid), {"1": "agree", "-1": "disagree", "0": "pass"}[cell])] += 1
    return counts


@pytest.mark.django_db
def test_a_real_conversation_becomes_a_closed_call_with_matching_votes(mission, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # search indexes after the commit
        run(LONDON, "--mission", mission.slug)

    call = ChallengeCallPage.objects.get(slug="london-youth-policing")
    assert call.get_parent().specific == mission
    assert call.title == "What is the best way to engage more young people in local scrutiny of policing?"
    assert call.voting_mode == ChallengeCallPage.VOTING_AGREE
    assert phases.current_phase(call, phases.timezone.now()) == phases.RESULTS

    ideas = Idea.objects.filter(call=call)
    assert ideas.count() == 39
    assert ideas.filter(visibility=Visibility.PUBLISHED).count() == 36 == call.idea_count
    hidden = ideas.filter(visibility=Visibility.HIDDEN)
    assert hidden.count() == 3 and set(hidden.values_list("moderation_reason", flat=True)) == {MODERATED_OUT}

    # Every vote the export's final matrix holds, no more, by statement.
    expected = final_votes(LONDON)
    assert Vote.objects.filter(call=call).count() == sum(expected.values()) == 638
    by_text = {i.body: i for i in ideas}
    with (LONDON / "comments.csv").open(newline="") as handle:
        statement_of = {int(r["comment-id"]): r["comment-body"].strip() for r in csv.DictReader(handle)}
    for (cid, value), n in expected.items():
        idea = by_text[statement_of[cid]]
        assert getattr(idea, f"{value}_count") == n, (cid, value)
    # Counters equal rows for every idea.
    rows = ideas.annotate(a=Count("votes", filter=Q(votes__value="agree")),
                          d=Count("votes", filter=Q(votes__value="disagree")),
                          p=Count("votes", filter=Q(votes__value="pass")))
    assert all((i.a, i.d, i.p) == (i.agree_count, i.disagree_count, i.pass_count) for i in rows)
    assert sum(i.agree_count for i in ideas) == 392

    # Participants are accounts nobody can sign in to.
    people = User.objects.filter(username__startswith="polis-london-youth-policing-")
    assert people.count() == 27 and not people.filter(is_active=True).exists()
    assert not any(p.has_usable_password() for p in people)
    assert ideas.order_by("created_at").first().created_at.year == 2022

    page = client.get(call.url).content.decode()
    assert "Data source and licence" in page and CASE_STUDY in page and "creativecommons.org/licenses/by/4.0" in page
    public = ideas.filter(visibility=Visibility.PUBLISHED).order_by("-created_at").first()
    assert public.title in page
    detail = client.get(public.get_absolute_url()).content.decode()
    assert CASE_STUDY in detail
    assert "Voting for this call closed" in detail and "Sign in to vote" not in detail
    assert client.get(hidden.first().get_absolute_url()).status_code == 410
    found = client.get("/search/", {"q": "domestic abusers"}).content.decode()
    assert "Why are so many policemen also domestic abusers?" in found
    moderated_out = client.get("/search/", {"q": "years old"}).content.decode()
    assert not any(f'href="{h.get_absolute_url()}"' in moderated_out for h in hidden)


@pytest.mark.django_db
def test_exports_carry_the_attribution(mission, client):
    run(LONDON, "--mission", mission.slug)
    call = ChallengeCallPage.objects.get(slug="london-youth-policing")
    rows = list(csv.reader(b"".join(client.get(call.url + "export/").streaming_content).decode().splitlines()))
    assert rows[0][-1] == "source"
    assert len(rows) == 37 and all(CASE_STUDY in row[-1] and "CC BY 4.0" in row[-1] for row in rows[1:])
    feed = client.get(call.url + "feed/").content.decode()
    assert "<rights>" in feed and CASE_STUDY in feed


@pytest.mark.django_db
def test_imported_call_takes_no_new_votes(mission):
    run(LONDON, "--mission", mission.slug)
    idea = Idea.objects.filter(call__slug="london-youth-policing", visibility=Visibility.PUBLISHED).first()
    with pytest.raises(Refused) as exc:
        votes_services.cast_vote(UserFactory(), idea, "agree")
    assert exc.value.code == "phase_closed"


def write_export(folder, comments, votes, summary=None):
    folder.mkdir()
    (folder / "summary.csv").write_text(summary if summary is not None else
                                        'topic,A test conversation\nurl,https://pol.is/test123\n'
                                        'conversation-description,"Line one, with a comma.\n\nLine two."\n')
    with (folder / "comments.csv").open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated",
                    "comment-body"])
        w.writerows(comments)
    with (folder / "votes.csv").open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        w.writerows(votes)
    return folder


LONG = "Housing, \"affordable\" housing:\nbuild it near transport " + "and schools " * 20


@pytest.mark.django_db
def test_the_last_vote_counts_and_text_survives_the_csv(mission, tmp_path):
    folder = write_export(
        tmp_path / "test.conversation",
        comments=[[1500000000000, "x", 0, 5, 0, 0, 1, LONG], [1500000001000, "x", 1, 6, 0, 0, 0, "Short one"]],
        # Not in time order; voter 7 changed their mind on 0, the later row wins.
        votes=[[1500000009000, "x", 0, 7, -1], [1500000002000, "x", 0, 7, 1], [1500000003000, "x", 0, 8, 0],
               [1500000004000, "x", 1, 5, 1]],
    )
    run(folder, "--mission", mission.slug)
    call = ChallengeCallPage.objects.get(slug="test-conversation")
    long_idea = Idea.objects.get(call=call, body=LONG.strip())
    assert (long_idea.agree_count, long_idea.disagree_count, long_idea.pass_count) == (0, 1, 1)
    assert len(long_idea.title) <= 150 and long_idea.title.endswith("…") and "\n" not in long_idea.title
    short = Idea.objects.get(call=call, body="Short one")
    assert short.visibility == Visibility.PENDING and short.agree_count == 1
    assert call.idea_count == 1
    assert "Line one, with a comma." in call.brief and "https://pol.is/test123" in call.data_attribution


def copy_london(tmp_path):
    return Path(shutil.copytree(LONDON, tmp_path / "london.youth.policing"))


def corrupt(name, old, new):
    def apply(folder):
        path = folder / name
        text = path.read_text()
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1))
    return apply


BROKEN = [
    (lambda f: (f / "votes.csv").unlink(), "missing votes.csv"),
    (corrupt("votes.csv", "timestamp,datetime,comment-id,voter-id,vote", "timestamp,datetime,comment-id,voter,vote"),
     "votes.csv: missing column(s) voter-id"),
    (corrupt("votes.csv", "2022,1,1,-1\n", "2022,999,1,-1\n"), "vote on comment-id 999, which comments.csv does not have"),
    (corrupt("votes.csv", "2022,1,1,-1\n", "2022,1,1,2\n"), "vote must be 1, -1 or 0, not '2'"),
    (corrupt("comments.csv", "1658934589213,", "yesterday,"), "comments.csv line 2: timestamp 'yesterday'"),
    (corrupt("comments.csv", ",1,Eliminate bias", ",7,Eliminate bias"), "moderated must be 1, 0 or -1, not '7'"),
    (lambda f: (f / "summary.csv").write_text("url,https://pol.is/x\n"), "summary.csv: no topic row"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("breaks, message", BROKEN, ids=[m for _, m in BROKEN])
def test_a_broken_export_is_refused_with_where_and_why_and_writes_nothing(mission, tmp_path, breaks, message):
    folder = copy_london(tmp_path)
    breaks(folder)
    users_before = User.objects.count()
    with pytest.raises(CommandError) as exc:
        run(folder, "--mission", mission.slug)
    assert message in str(exc.value)
    assert not ChallengeCallPage.objects.filter(slug="london-youth-policing").exists()
    assert User.objects.count() == users_before and not Vote.objects.exists()


@pytest.mark.django_db
def test_several_folders_are_all_checked_before_any_is_written(mission, tmp_path):
    good = copy_london(tmp_path)
    bad = write_export(tmp_path / "bad", comments=[[1, "x", 0, 1, 0, 0, 1, "ok"]], votes=[[2, "x", 3, 1, 1]])
    with pytest.raises(CommandError, match="comment-id 3"):
        run(good, bad, "--mission", mission.slug)
    assert not ChallengeCallPage.objects.filter(slug="london-youth-policing").exists()


@pytest.mark.django_db
def test_importing_again_needs_replace_and_then_leaves_one_copy(mission):
    run(LONDON, "--mission", mission.slug)
    with pytest.raises(CommandError, match="replace it to import again"):
        run(LONDON, "--mission", mission.slug)
    run(LONDON, "--mission", mission.slug, "--replace")
    assert ChallengeCallPage.objects.filter(slug="london-youth-policing").count() == 1
    assert Idea.objects.count() == 39 and Vote.objects.count() == 638
    assert User.objects.filter(username__startswith="polis-london-youth-policing-").count() == 27


@pytest.mark.django_db
def test_unknown_mission_names_the_ones_there_are(mission):
    with pytest.raises(CommandError, match=f"No mission with the slug 'nope'.*{mission.slug}"):
        run(LONDON, "--mission", "nope")


@pytest.mark.django_db
def test_replacing_one_import_leaves_a_similarly_named_one_alone(mission):
    run(LONDON, "--mission", mission.slug, "--slug", "london")
    run(LONDON, "--mission", mission.slug, "--slug", "london-youth")
    run(LONDON, "--mission", mission.slug, "--slug", "london", "--replace")
    assert Idea.objects.filter(call__slug="london-youth").count() == 39
    assert Idea.objects.filter(call__slug="london").count() == 39
    assert User.objects.filter(username__startswith="polis-london-youth-").count() == 27


@pytest.mark.django_db
def test_a_call_deleted_in_the_admin_can_be_imported_again(mission):
    run(LONDON, "--mission", mission.slug)
    ChallengeCallPage.objects.get(slug="london-youth-policing").delete()
    run(LONDON, "--mission", mission.slug)
    assert Vote.objects.count() == 638
    assert User.objects.filter(username__startswith="polis-london-youth-policing-").count() == 27


@pytest.mark.django_db
def test_a_bad_slug_is_refused(mission):
    with pytest.raises(CommandError, match="is not a slug"):
        run(LONDON, "--mission", mission.slug, "--slug", "../Evil slug")
    assert not ChallengeCallPage.objects.exists()


# Issue #12: edge cases found in real use. Each export below is the shipped
# London conversation with one damage a hand-edit or a spreadsheet can cause.

def damaged(tmp_path, *changes):
    folder = copy_london(tmp_path)
    for name, old, new in changes:
        corrupt(name, old, new)(folder)
    return folder


def assert_nothing_stored(users_before):
    assert not ChallengeCallPage.objects.exists()
    assert not Idea.objects.exists() and not Vote.objects.exists()
    assert User.objects.count() == users_before


LAST_TWO = ("1658828087742,Tue Jul 26 16:34:47 WIB 2022,1,0,9,13,1,I am between 15 and 19 years old.\n"
            "1658827822012,Tue Jul 26 16:30:22 WIB 2022,0,0,0,0,-1,Are you between 15 and 19 years old?\n")
DAMAGED = {
    # Negative ids: the participant's account is "polis-<slug>-<id>"; a
    # negative one was a KeyError (a 500 in the admin) half-way through.
    "negative statement id": ([("comments.csv", ",35,23,", ",-35,23,"), ("votes.csv", ",35,", ",-35,")],
                              "comments.csv line 2: comment-id '-35' is not a Pol.is id"),
    "negative author id": ([("comments.csv", ",35,23,", ",35,-23,")],
                           "comments.csv line 2: author-id '-23' is not a Pol.is id"),
    "negative voter id": ([("votes.csv", "2022,1,1,-1\n", "2022,1,-1,-1\n")],
                          "votes.csv line 2: voter-id '-1' is not a Pol.is id"),
    "id not a number": ([("votes.csv", "2022,1,1,-1\n", "2022,1,1e3,-1\n")],
                        "votes.csv line 2: voter-id '1e3' is not a Pol.is id"),
    # A NUL byte was stored as it came (PostgreSQL refuses it with a 500; XML
    # cannot carry it); other control characters the same.
    "NUL in a statement": ([("comments.csv", "Eliminate bias", "Elim\x00inate bias")],
                           "comments.csv line 2: comment-body holds a control character (U+0000)"),
    "escape in the topic": ([("summary.csv", "topic,What", "topic,\x1bWhat")],
                            "summary.csv line 1: value holds a control character (U+001B)"),
    # Stray quotes: a quote opening a field ran on over the following rows,
    # silently merging them into one statement (the last two here: statement
    # 1 swallowed statement 0, and 38 statements were imported, not 39).
    "stray quote to the end": ([("comments.csv", ",13,1,I am between 15", ",13,1,\"I am between 15")],
                               "comments.csv line 39: a quote opens a field there and is not closed"),
    "stray quote closed rows later": ([("comments.csv", LAST_TWO, LAST_TWO.replace(",1,I am", ",1,\"I am")
                                        .replace("old?\n", "old?\"\n"))],
                                      "comments.csv line 39: a quote opens a field there and runs on over line 40, "
                                      "which reads like a row of its own"),
    "stray quote closed by another": ([("comments.csv", ",1,Eliminate bias", ",1,\"Eliminate bias")],
                                      "comments.csv line 2: a quote opens a field there and is not closed"),
    "a row with a field too many": ([("comments.csv", "Eliminate bias - wider", "Eliminate bias, wider")],
                                    "comments.csv line 2: 9 fields where the header has 8"),
    "javascript link": ([("summary.csv", "url,https://pol.is/9xxwa9jpkm", "url,javascript:alert(1)")],
                        "summary.csv line 2: url 'javascript:alert(1)' is not an http(s) address"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("changes, message", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_export_is_refused_with_the_line_and_nothing_is_stored(mission, tmp_path, changes, message):
    folder = damaged(tmp_path, *changes)
    users_before = User.objects.count()
    with pytest.raises(CommandError) as exc:
        run(folder, "--mission", mission.slug)
    assert message in str(exc.value)
    assert_nothing_stored(users_before)


def test_real_multi_line_statements_and_quotes_still_read(tmp_path):
    """The checks above leave quoted statements alone, line breaks and
    doubled quotes included (the Scoop export has both)."""
    from ideas.polis import read_conversation

    text = 'He said ""no"", then:\n1658934589213 was the time,\nand 35,23 the ids'
    folder = damaged(tmp_path, ("comments.csv", ",1,Eliminate bias - wider background check to see the type of "
                                "people they are hiring\n", f',1,"{text}"\n'))
    statement = read_conversation(folder).statements[35]
    assert statement.body == text.replace('""', '"') and len(read_conversation(folder).statements) == 39


@pytest.mark.django_db
def test_replace_never_deletes_a_call_that_was_not_imported(mission):
    from ..factories import CallFactory, IdeaFactory

    own = CallFactory(parent=mission, slug="london-youth-policing", title="Our own call")
    idea = IdeaFactory(call=own)
    users_before = User.objects.count()
    for replace in ([], ["--replace"]):
        with pytest.raises(CommandError) as exc:
            run(LONDON, "--mission", mission.slug, *replace)
        assert "already has a call at" in str(exc.value)
        assert "that was not imported from Pol.is, so it cannot be replaced; choose another slug" in str(exc.value)
    assert ChallengeCallPage.objects.get(pk=own.pk).title == "Our own call"
    assert list(Idea.objects.all()) == [idea]
    assert User.objects.count() == users_before and not Vote.objects.exists()
    # Under another slug it imports beside it.
    run(LONDON, "--mission", mission.slug, "--slug", "london")
    assert Idea.objects.filter(call__slug="london").count() == 39 and Idea.objects.filter(call=own).count() == 1


@pytest.mark.django_db
def test_replacing_in_one_mission_leaves_the_same_import_in_another_alone(mission):
    from ..factories import MissionFactory

    other = MissionFactory()
    run(LONDON, "--mission", mission.slug)
    run(LONDON, "--mission", other.slug)  # the same slug: the participants' accounts are shared
    run(LONDON, "--mission", other.slug, "--replace")
    for page in (mission, other):
        call = ChallengeCallPage.objects.child_of(page).get()
        assert Idea.objects.filter(call=call).count() == 39 and Vote.objects.filter(call=call).count() == 638


@pytest.mark.django_db
def test_several_folders_are_imported_all_or_none(mission, tmp_path):
    from ..factories import CallFactory

    CallFactory(parent=mission, slug="second", title="Made by hand")
    first, second = copy_london(tmp_path), Path(shutil.copytree(LONDON, tmp_path / "second"))
    with pytest.raises(CommandError, match=r"was not imported from Pol\.is"):
        run(first, second, "--mission", mission.slug)
    assert not ChallengeCallPage.objects.filter(slug="london-youth-policing").exists() and not Idea.objects.exists()
    with pytest.raises(CommandError, match=r"Two folders would import at the same slug \(london-youth-policing\)"):
        run(first, first, "--mission", mission.slug)
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_calls_imported_before_the_marker_stay_replaceable(mission):
    """The migration marks earlier imports (the demo's); a call made by hand,
    even one carrying the attribution, is not marked."""
    import importlib

    from django.apps import apps

    from ideas.models import PolisImport

    from ..factories import CallFactory, IdeaFactory

    run(LONDON, "--mission", mission.slug)
    imported = ChallengeCallPage.objects.get(slug="london-youth-policing")
    PolisImport.objects.all().delete()
    by_hand = CallFactory(parent=mission, slug="by-hand", data_attribution=imported.data_attribution)
    IdeaFactory(call=by_hand)
    migration = importlib.import_module("ideas.migrations.0003_polisimport")
    migration.mark_earlier_imports(apps, None)
    assert list(PolisImport.objects.values_list("call_id", flat=True)) == [imported.pk]
    run(LONDON, "--mission", mission.slug, "--replace")
    assert Idea.objects.filter(call__slug="london-youth-policing").count() == 39


@pytest.mark.django_db
def test_a_slug_too_long_for_the_participants_names_is_refused(mission):
    with pytest.raises(CommandError, match="the limit is 100"):
        run(LONDON, "--mission", mission.slug, "--slug", "a" * 101)
    assert not ChallengeCallPage.objects.exists()
