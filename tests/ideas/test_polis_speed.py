"""The Pol.is importer is set-based: the number of queries an import runs
(the import and what runs after its commit: search indexing, the opinion
map request) does not grow with the number of votes, and the rows it
writes in bulk keep their export times and the counters equal the rows.
Timings live in bench/polis_import.py, never here."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consult.models import ChallengeCallPage
from ideas.models import Idea, Visibility, Vote

from .test_polis_import import write_export

START = 1_500_000_000_000  # milliseconds: 2017-07-14


def export(folder, voters, statements):
    """`statements` statements by participants 0.., each voted on by
    `voters` participants; statement 0 moderated out, the last unmoderated."""
    comments = [[START + s, "", s, s, 0, 0, "-1" if s == 0 else "0" if s == statements - 1 else "1",
                 f"Statement number {s} about the bus routes"] for s in range(statements)]
    votes = [[START + 1000 * (v * statements + s), "", s, v, ("1", "-1", "0")[(v + s) % 3]]
             for v in range(voters) for s in range(statements)]
    # A changed vote: only the later one counts.
    votes.append([START + 10**9, "", 1, 0, "-1"])
    return write_export(folder, comments, votes)


def import_counting(folder, mission, slug, capture):
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        call_command("import_polis", str(folder), "--mission", mission.slug, "--slug", slug, stdout=io.StringIO())
    return len(queries)


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_votes(mission, tmp_path, django_capture_on_commit_callbacks,
                                            django_assert_max_num_queries):
    small = export(tmp_path / "small", voters=25, statements=2)  # 50 votes
    large = export(tmp_path / "large", voters=100, statements=5)  # 500 votes, more participants and statements
    import_counting(small, mission, "warm-up", django_capture_on_commit_callbacks)  # caches (content types, site)

    with django_assert_max_num_queries(200):
        n_small = import_counting(small, mission, "small", django_capture_on_commit_callbacks)
    n_large = import_counting(large, mission, "large", django_capture_on_commit_callbacks)
    # Only the after-commit search indexing depends on the statements (a
    # few queries per idea document, search/database.py's index(); more on
    # PostgreSQL, which also feeds the spelling vocabulary); nothing depends
    # on the votes or the participants.
    small_call = ChallengeCallPage.objects.get(slug="small")
    large_call = ChallengeCallPage.objects.get(slug="large")
    assert Vote.objects.filter(call=small_call).count() == 50
    assert Vote.objects.filter(call=large_call).count() == 500
    assert 0 <= n_large - n_small <= (5 - 2) * 12, (n_small, n_large)

    # Ten times the votes on the same statements: the very same queries.
    many = export(tmp_path / "many", voters=1000, statements=2)  # 2,000 votes
    assert import_counting(many, mission, "many", django_capture_on_commit_callbacks) == n_small
    assert Vote.objects.filter(call__slug="many").count() == 2000


@pytest.mark.django_db
def test_bulk_rows_keep_export_times_and_counters_equal_rows(mission, tmp_path, django_capture_on_commit_callbacks):
    folder = export(tmp_path / "conv", voters=30, statements=4)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_polis", str(folder), "--mission", mission.slug, "--slug", "conv", stdout=io.StringIO())
    call = ChallengeCallPage.objects.get(slug="conv")
    votes = Vote.objects.filter(call=call)
    assert votes.count() == 120
    # Each vote carries its own time from votes.csv, not the import's.
    first = votes.get(user__username="polis-conv-1", idea__title__contains="number 2")
    assert first.created_at == datetime.fromtimestamp((START + 1000 * (1 * 4 + 2)) / 1000, tz=UTC)
    changed = votes.get(user__username="polis-conv-0", idea__title__contains="number 1")
    assert changed.value == Vote.DISAGREE and changed.created_at.year == 2017
    assert set(Idea.objects.filter(call=call).values_list("visibility", flat=True)) == {
        Visibility.HIDDEN, Visibility.PUBLISHED, Visibility.PENDING}

    out = io.StringIO()
    call_command("repair_counters", "--check", stdout=out)
    assert out.getvalue().strip().endswith("0 counter(s) found.")

    # Importing again replaces the call, its votes and revisions, and the
    # counters still equal the rows.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_polis", str(folder), "--mission", mission.slug, "--slug", "conv", "--replace",
                     stdout=io.StringIO())
    call = ChallengeCallPage.objects.get(slug="conv")
    assert Vote.objects.filter(call=call).count() == 120 == Vote.objects.filter(idea__call__slug="conv").count()
    out = io.StringIO()
    call_command("repair_counters", "--check", stdout=out)
    assert out.getvalue().strip().endswith("0 counter(s) found.")
    assert Vote.objects.count() == 120  # the replaced call's votes are gone


@pytest.mark.django_db
def test_reimport_keeps_returning_participants_and_drops_the_others(mission, tmp_path):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    call_command("import_polis", str(export(tmp_path / "a", voters=30, statements=3)), "--mission", mission.slug,
                 "--slug", "conv", stdout=io.StringIO())
    kept = User.objects.get(username="polis-conv-5").pk
    call_command("import_polis", str(export(tmp_path / "b", voters=10, statements=3)), "--mission", mission.slug,
                 "--slug", "conv", "--replace", stdout=io.StringIO())
    names = set(User.objects.filter(username__startswith="polis-conv-").values_list("username", flat=True))
    assert names == {f"polis-conv-{n}" for n in range(10)}
    assert User.objects.get(username="polis-conv-5").pk == kept  # the same account, reused
    assert Vote.objects.filter(call__slug="conv").count() == 30
    assert not User.objects.filter(username__startswith="polis-conv-", is_active=True).exists()
