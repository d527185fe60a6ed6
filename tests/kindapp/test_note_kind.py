"""The Done-when test of issue #27 item 2: a kind of contribution defined
only in tests (tests/kindapp: one model, registered in its AppConfig.ready)
is flagged, queued, held by screening, hidden and restored, counted,
indexed, exported and erased, and its hide invalidates the cached page,
through its registration alone (ideas/kinds.py). Nothing outside
tests/kindapp names it."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from cms import pagecache
from ideas import kinds, search_documents
from ideas.models import Visibility
from moderation import selectors, services as moderation
from moderation.models import Flag, ModerationAction
from moderation.services import about
from people import data_rights
from search import backend, elastic

from ..factories import UserFactory
from ..search.fake_elastic import FakeElasticsearch
from .kind import NOTE, PARTS, public_notes
from .models import Board, Note
from .services import post_note


@pytest.fixture(autouse=True)
def _database_backend(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def board(call):
    return Board.objects.create(call=call)


def found(text):
    results = backend.search(text, per_page=100, facets=False, visible=search_documents.visible)
    return {(hit.kind, hit.id) for hit in results.hits}


def test_the_note_kind_is_registered_by_its_app_alone():
    assert kinds.get("note") is NOTE and kinds.of(Note()) is NOTE
    assert "notes" in data_rights.section_names() and "note" in backend.sources()


@pytest.mark.django_db
def test_a_note_is_flagged_held_queued_hidden_restored_counted_and_indexed(
        board, call, mission, moderator, client, commit):
    author = UserFactory()
    with commit():
        note = post_note(author, board, "Plant marram grass on the dunes")
    board.refresh_from_db()
    assert board.note_count == 1 and list(public_notes()) == [note]
    assert found("marram") == {("note", note.pk)}

    # Anyone signed in reports it through the one flag form, by the kind's name.
    reporter = Client()
    reporter.force_login(UserFactory(standing=True))
    form = reporter.get(f"/contributions/note/{note.pk}/flag/")
    assert form.status_code == 200 and "Plant marram grass" in form.content.decode()
    assert reporter.get(f"/contributions/nothing/{note.pk}/flag/").status_code == 404
    # Three flags from people with standing hold it for review (the call's threshold).
    with commit():
        for _ in range(3):
            moderation.flag(UserFactory(standing=True), note, "spam")
    note.refresh_from_db()
    board.refresh_from_db()
    assert note.visibility == Visibility.HELD and board.note_count == 0
    assert Flag.objects.filter(**about(note)).count() == 3
    assert ModerationAction.objects.get(**about(note), kind="hold").moderator is None
    assert found("marram") == set()
    # ...and it is in the mission's queue, on its page too.
    assert [row["key"] for row in selectors.queue(mission)] == [f"note:{note.pk}"]
    assert selectors.counts(mission)["note_held"] == 1
    assert selectors.waiting_counts([mission]) == {mission.pk: 1}
    client.force_login(moderator)
    page = client.get(f"/moderation/{mission.slug}/").content.decode()
    assert "Plant marram grass on the dunes" in page and f'value="note:{note.pk}"' in page
    assert client.get(f"/moderation/{mission.slug}/items/note/{note.pk}/").status_code == 200

    # Restored (through the queue's own form), then hidden with a reason.
    with commit():
        response = client.post(f"/moderation/{mission.slug}/act/", {"items": [f"note:{note.pk}"], "action": "restore"})
    assert response.status_code == 302
    note.refresh_from_db()
    board.refresh_from_db()
    assert note.visibility == Visibility.PUBLISHED and board.note_count == 1 and found("marram") == {("note", note.pk)}
    assert not Flag.objects.filter(**about(note), resolved_at__isnull=True).exists()
    with commit():
        moderation.moderate(moderator, note, "hide", reason="spam")
    note.refresh_from_db()
    board.refresh_from_db()
    assert note.visibility == Visibility.HIDDEN and note.moderation_reason == "spam"
    assert board.note_count == 0 and not public_notes().exists() and found("marram") == set()
    assert [a.kind for a in ModerationAction.objects.filter(**about(note)).order_by("pk")] == ["hold", "restore", "hide"]
    assert "Note " + str(note.pk) in client.get(f"/moderation/{mission.slug}/log/").content.decode()
    # The transparency report counts it with everything else.
    rows = {(r["action"], r["reason"]): r["count"] for r in selectors.transparency(mission)}
    assert rows[("hide", "spam")] == 1 and rows[("hold", "spam")] == 1
    # The author was told, in the kind's own words.
    assert author.notifications.filter(title__startswith="Your note “Plant marram").exists()


@pytest.mark.django_db
def test_screening_holds_a_note_with_a_blocked_term(board, mission, settings, commit):
    settings.BLOCKED_TERMS = ["cheap watches"]
    with commit():
        note = post_note(UserFactory(), board, "Buy cheap watches here")
    note.refresh_from_db()
    board.refresh_from_db()
    assert note.visibility == Visibility.PENDING and board.note_count == 0
    hold = ModerationAction.objects.get(**about(note))
    assert hold.kind == "hold" and hold.reason_text == "Automatic: contains a blocked term"
    assert [row["key"] for row in selectors.queue(mission)] == [f"note:{note.pk}"]
    assert found("watches") == set()


@pytest.mark.django_db
def test_a_notes_author_downloads_and_erases_them(board, commit):
    author = UserFactory()
    with commit():
        note = post_note(author, board, "Sand fences every spring")
        moderation.flag(UserFactory(standing=True), note, "other", "Looks like an advert")
    data = json.loads("".join(data_rights.stream_export(author, {})))
    assert [row["body"] for row in data["notes"]] == ["Sand fences every spring"]
    with commit():
        data_rights.delete_account(author, remove_contributions=True)
    note.refresh_from_db()
    board.refresh_from_db()
    assert (note.body, note.visibility, board.note_count) == ("", Visibility.HIDDEN, 0)
    assert found("fences") == set()
    # Deleting the note takes its flags with it (no foreign key cascades now).
    note.delete()
    assert not Flag.objects.exists()


@pytest.mark.django_db
def test_hiding_a_note_invalidates_its_calls_cached_page(board, call, moderator, client, settings, commit):
    settings.PAGE_CACHE_ENABLED = True
    pagecache.bump_site()
    with commit():
        note = post_note(UserFactory(), board, "Dune walks at dawn")
    assert client.get(call.url)["X-Page-Cache"] == "miss"
    assert client.get(call.url)["X-Page-Cache"] == "hit"
    with commit():
        moderation.moderate(moderator, note, "hide", reason="spam")
    assert client.get(call.url)["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("part", ["counts", "data_rows", "removed", "page", "label"])
def test_a_kind_missing_a_part_fails_at_registration(part):
    with pytest.raises(kinds.IncompleteKind, match=rf"'jotting' lacks: {part}"):
        kinds.register(kinds.Kind(**{**PARTS, "name": "jotting", part: None}))
    assert kinds.get("jotting") is None


def test_a_kind_needs_a_search_part_and_the_row_fields():
    with pytest.raises(kinds.IncompleteKind, match="lacks: document"):
        kinds.register(kinds.Kind(**{**PARTS, "name": "jotting", "document": None}))
    with pytest.raises(kinds.IncompleteKind, match="Board has no field 'visibility'"):
        kinds.register(kinds.Kind(**{**PARTS, "name": "jotting", "model": Board}))
    assert kinds.get("jotting") is None


@pytest.mark.django_db
def test_a_note_gets_its_own_elasticsearch_index_and_is_searched_there(board, commit, settings, monkeypatch):
    """With Elasticsearch configured, `search_index --create` makes the notes'
    index, a posted note is written to it after the commit, and a search
    across kinds names its alias (the fake client records the requests)."""
    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    settings.SEARCH_INDEX_PREFIX = "mc"
    fake = FakeElasticsearch()
    monkeypatch.setattr(elastic, "client", lambda: fake)
    call_command("search_index", "--create", stdout=io.StringIO())
    assert fake.indices.behind("mc-notes")
    with commit():
        note = post_note(UserFactory(), board, "Plant marram grass on the dunes")
    (written,) = [c for c in fake.named("index") if c["index"] == "mc-notes"]
    assert written["id"] == note.pk and written["document"]["title"].startswith("Plant marram")
    elastic.search("marram")
    assert "mc-notes" in fake.named("search")[-1]["index"]
