"""Ideas and comments in search (ideas/search_documents.py), on the database
backend that runs with nothing configured: what their documents hold, and
that they follow every change after its commit, through the one visibility
query. A hidden or unpublished item leaves search in the same on-commit step
that hides it."""

import pytest
from django.db import transaction

from consult.models import ChallengeCallPage, Sector
from ideas import search_documents
from ideas.models import Comment, Idea, IdeaStatus, Visibility
from ideas.services import comments as comment_services
from ideas.services import submissions
from moderation import services as moderation
from search import backend
from search.models import Entry
from search.results import Hit

from people import services as people_services
from people.models import Profile

from ..factories import (
    CallFactory, CommentFactory, IdeaFactory, MembershipFactory, MissionFactory, OrganisationFactory, UserFactory,
)


def found(text, kind=None, **filters):
    """(kind, id) of what a search finds, as anyone would see it."""
    if kind:
        filters["kind"] = kind
    results = backend.search(text, filters=filters, per_page=100, facets=False, visible=search_documents.visible)
    return {(hit.kind, hit.id) for hit in results.hits}


def entry(kind, pk):
    return Entry.objects.filter(kind=kind, object_id=pk).first()




@pytest.fixture(autouse=True)
def _database_backend(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.mark.django_db
def test_an_idea_document_holds_what_its_page_shows(call, mission, commit):
    sector = Sector.objects.get_or_create(slug="charity", defaults={"name": "Charity"})[0]
    author = UserFactory()
    Profile.objects.filter(user=author).update(display_name="Priya Shah")
    trust = OrganisationFactory(name="Ormsby Trust", type="charity")
    with commit():
        idea = IdeaFactory(call=call, title="Warm lofts", summary="Insulate lofts", body="Use **sheep wool**.",
                           organisation="Ormsby Trust", organisation_sector=sector, on_behalf_of=trust, author=author)
        idea.tags.set(["insulation", "wool"])
    doc = entry("idea", idea.pk)
    assert (doc.title, doc.summary, doc.body) == ("Warm lofts", "Insulate lofts", "Use sheep wool.")
    assert set(doc.tags.split()) == {"insulation", "wool"}
    assert (doc.organisation, doc.sector, doc.org_type, doc.status) == (
        "Ormsby Trust", sector.name, "Charity or social enterprise", "submitted")
    assert doc.author == "Priya Shah"  # as the idea's page names its author
    assert found("Priya") == {("idea", idea.pk)}
    assert found("lofts", org_type="Charity or social enterprise") == {("idea", idea.pk)}
    with commit():
        people_services.set_display_name(author, "Priya S")  # a new name follows into search
    assert entry("idea", idea.pk).author == "Priya S"
    with commit():
        Idea.objects.filter(pk=idea.pk).update(anonymous=True)
        search_documents.idea_changed_on_commit(idea.pk)
    assert entry("idea", idea.pk).author == "" and found("Priya") == set()  # posted without a name
    assert (doc.mission_id, doc.call_id, doc.support_count) == (mission.pk, call.pk, 0)
    assert (doc.url, doc.context) == (f"/ideas/{idea.pk}/", f"Idea in {call.title}")
    assert doc.published_at == idea.created_at
    assert found("Ormsby") == {("idea", idea.pk)}
    assert found("wool", call_id=call.pk, status="submitted") == {("idea", idea.pk)}


@pytest.mark.django_db
def test_a_comment_document_is_found_by_its_words_and_linked_to_its_idea(call, mission, commit):
    author = UserFactory(first_name="Priya", last_name="Okafor")
    with commit():
        idea = IdeaFactory(call=call, title="Warm lofts")
        comment = CommentFactory(idea=idea, author=author, body="Try *hemp* too")
    doc = entry("comment", comment.pk)
    assert (doc.title, doc.body, doc.author) == ("Try hemp too", "Try hemp too", "Priya Okafor")
    assert doc.context == f"On \u201cWarm lofts\u201d in {call.title}"  # shown, not searched
    assert doc.url == f"/ideas/{idea.pk}/#comment-{comment.pk}"
    assert (doc.mission_id, doc.call_id, doc.published_at) == (mission.pk, call.pk, comment.created_at)
    assert found("hemp") == {("comment", comment.pk)}
    assert found("Okafor") == {("comment", comment.pk)}


@pytest.mark.django_db
@pytest.mark.parametrize("state", [Visibility.PENDING, Visibility.HELD, Visibility.HIDDEN, Visibility.REJECTED])
def test_an_idea_that_is_not_public_is_never_indexed(call, commit, state):
    with commit():
        idea = IdeaFactory(call=call, title="Secret plan", visibility=state)
        comment = CommentFactory(idea=idea, body="secret remark")
    assert entry("idea", idea.pk) is None and entry("comment", comment.pk) is None
    assert found("secret") == set()


@pytest.mark.django_db
def test_hiding_an_idea_takes_it_and_its_comments_out_in_the_same_on_commit_step(call, moderator, commit):
    with commit():
        idea = IdeaFactory(call=call, title="Glow worms for street lights")
        comment = CommentFactory(idea=idea, body="glow worms are lovely")
    assert found("glow") == {("idea", idea.pk), ("comment", comment.pk)}
    with commit() as callbacks:
        moderation.hide_idea(moderator, idea, "spam")
        # Still there until the hide commits…
        assert entry("idea", idea.pk) is not None and entry("comment", comment.pk) is not None
    # …and both gone by the time its on-commit callbacks have run.
    assert callbacks
    assert entry("idea", idea.pk) is None and entry("comment", comment.pk) is None
    assert found("glow") == set()
    with commit():
        moderation.restore_idea(moderator, Idea.objects.get(pk=idea.pk))
    assert entry("idea", idea.pk) and entry("comment", comment.pk)


@pytest.mark.django_db
def test_hiding_a_comment_takes_it_out_and_restoring_brings_it_back(call, moderator, commit):
    with commit():
        comment = CommentFactory(idea=IdeaFactory(call=call), body="marmalade sandwiches")
    with commit():
        moderation.moderate(moderator, comment, "hide", reason="spam")
    assert entry("comment", comment.pk) is None and found("marmalade") == set()
    with commit():
        moderation.moderate(moderator, Comment.objects.get(pk=comment.pk), "restore")
    assert found("marmalade") == {("comment", comment.pk)}


@pytest.mark.django_db
def test_pre_moderated_ideas_appear_when_approved(mission, user, moderator, commit):
    call = CallFactory(parent=mission, moderation_mode=ChallengeCallPage.MODERATION_PRE)
    with commit():
        idea = submissions.submit_idea(user, call, title="Tidal kites", summary="Kites in the tide",
                                       body="Tethered kites under water.")
    assert idea.visibility == Visibility.PENDING and found("kites") == set()
    with commit():
        moderation.approve_idea(moderator, idea)
    assert found("kites") == {("idea", idea.pk)}


@pytest.mark.django_db
def test_edits_status_merges_and_comment_changes_reach_the_index(call, mission, user, commit):
    team = MembershipFactory(mission=mission, role="team").user
    with commit():
        idea = submissions.submit_idea(user, call, title="Solar hedges", summary="Hedges with panels",
                                       body="Panels along hedgerows.", tags=["solar"])
        other = IdeaFactory(call=call, title="Another idea")
        comment = comment_services.add_comment(UserFactory(), idea, "Hedgehogs need gaps")
    assert entry("comment", comment.pk).context.startswith("On \u201cSolar hedges\u201d")
    with commit():
        submissions.edit_idea(user, idea, title="Solar hedgerows", summary="Hedgerows with panels",
                              body="Panels along old hedgerows.", tags=["solar", "farming"])
    assert entry("idea", idea.pk).title == "Solar hedgerows"
    assert set(entry("idea", idea.pk).tags.split()) == {"solar", "farming"}
    assert entry("comment", comment.pk).context.startswith("On \u201cSolar hedgerows\u201d")
    with commit():
        submissions.set_idea_status(team, idea, IdeaStatus.SHORTLISTED)
    assert entry("idea", idea.pk).status == "shortlisted"
    assert found("hedgerows", status="shortlisted") == {("idea", idea.pk)}
    with commit():
        submissions.set_idea_status(team, Idea.objects.get(pk=idea.pk), IdeaStatus.MERGED, merged_into=other)
    assert entry("idea", idea.pk).status == "merged"
    commenter = Comment.objects.get(pk=comment.pk).author
    with commit():
        comment_services.edit_comment(commenter, comment, "Hedgehogs need little gaps")
    assert "little" in entry("comment", comment.pk).body
    with commit():
        comment_services.delete_comment(commenter, Comment.objects.get(pk=comment.pk))
    assert entry("comment", comment.pk) is None


@pytest.mark.django_db
def test_unpublishing_a_call_takes_its_ideas_and_comments_out_and_publishing_brings_them_back(call, mission, commit):
    with commit():
        idea = IdeaFactory(call=call, title="Community orchards")
        comment = CommentFactory(idea=idea, body="orchards feed people")
        elsewhere = IdeaFactory(call=CallFactory(parent=mission), title="Orchards elsewhere")
    assert found("orchards") == {("idea", idea.pk), ("comment", comment.pk), ("idea", elsewhere.pk)}
    with commit():
        ChallengeCallPage.objects.get(pk=call.pk).unpublish()
    assert found("orchards") == {("idea", elsewhere.pk)}
    # Out of the index itself, not only filtered out of the results.
    assert entry("call", call.pk) is None and entry("idea", idea.pk) is None and entry("comment", comment.pk) is None
    with commit():
        ChallengeCallPage.objects.get(pk=call.pk).get_latest_revision().publish()
    assert found("orchards") == {("idea", idea.pk), ("comment", comment.pk), ("idea", elsewhere.pk)}
    assert entry("call", call.pk) and entry("idea", idea.pk) and entry("comment", comment.pk)


@pytest.mark.django_db
def test_editing_a_call_re_indexes_its_ideas_only_when_their_documents_change(call, commit, monkeypatch):
    """A call with 100,000 ideas is edited often; its ideas' documents name
    it, but change only when its title or its being live does."""
    with commit():
        idea = IdeaFactory(call=call, title="Bees on roofs")
    cascades = []
    real = search_documents.sync_call
    monkeypatch.setattr(search_documents, "sync_call", lambda pk: (cascades.append(pk), real(pk)))
    page = ChallengeCallPage.objects.get(pk=call.pk)
    page.brief = "<p>New words, same title</p>"
    with commit():
        page.save_revision().publish()
    assert cascades == [] and entry("idea", idea.pk).context == f"Idea in {call.title}"
    assert "New words" in entry("call", call.pk).body
    page = ChallengeCallPage.objects.get(pk=call.pk)
    page.title = "Pollinators"
    with commit():
        page.save_revision().publish()
    assert cascades == [call.pk] and entry("idea", idea.pk).context == "Idea in Pollinators"


@pytest.mark.django_db
def test_deleting_a_call_removes_its_ideas_and_comments(call, commit):
    with commit():
        idea = IdeaFactory(call=call, title="Rain gardens")
        comment = CommentFactory(idea=idea, body="rain gardens soak")
    with commit():
        ChallengeCallPage.objects.get(pk=call.pk).delete()
    assert not Entry.objects.filter(object_id__in=[idea.pk, comment.pk, call.pk], kind__in=["idea", "comment", "call"]).exists()


@pytest.mark.django_db
def test_each_item_is_synced_once_per_transaction_however_often_it_is_saved(call, commit, monkeypatch):
    synced = []
    monkeypatch.setattr(search_documents, "sync_ideas", lambda ids: synced.append(list(ids)))
    with commit():
        idea = IdeaFactory(call=call)
        for title in ("One", "Two", "Three"):
            idea.title = title
            idea.save()
    assert synced == [[idea.pk]]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_keeps_the_rest_of_the_transaction_in_step(site):
    call = CallFactory()
    with transaction.atomic():
        kept = IdeaFactory(call=call, title="Kept idea")
        try:
            with transaction.atomic():
                IdeaFactory(call=call, title="Lost idea")
                raise RuntimeError
        except RuntimeError:
            pass
        later = IdeaFactory(call=call, title="Later idea")
    assert set(Entry.objects.filter(kind="idea").values_list("object_id", flat=True)) == {kept.pk, later.pk}


@pytest.mark.django_db
def test_comment_supports_reach_the_index_coalesced(call, commit, monkeypatch):
    monkeypatch.setattr(search_documents, "tallies", search_documents.TallyRefresh(window=0))
    with commit():
        comment = CommentFactory(idea=IdeaFactory(call=call), body="a popular remark")
    with commit():
        comment_services.support_comment(UserFactory(), comment)
    assert entry("comment", comment.pk).support_count == 1


@pytest.mark.django_db
def test_tallies_are_synced_at_once_then_at_most_once_a_window(call, monkeypatch):
    """The coalescing itself, on a clock the test moves (no sleeping)."""
    now = [100.0]
    refresh = search_documents.TallyRefresh(window=5, clock=lambda: now[0])
    synced = []
    monkeypatch.setattr(search_documents, "sync_ideas", lambda ids: synced.append(sorted(ids)) if ids else None)
    monkeypatch.setattr(search_documents, "sync_comments", lambda ids: None)
    refresh.changed("idea", 1)  # after a quiet spell: at once
    assert synced == [[1]]
    for pk in (1, 2, 1, 3):  # inside the window: held, folded together
        refresh.changed("idea", pk)
    assert synced == [[1]]
    now[0] += 5
    refresh.flush_due()  # the next vote, sync or search after the window
    assert synced == [[1], [1, 2, 3]]
    refresh.flush_due()
    assert synced == [[1], [1, 2, 3]]


@pytest.mark.django_db
def test_idea_tallies_reach_the_index(call, commit, monkeypatch):
    monkeypatch.setattr(search_documents, "tallies", search_documents.TallyRefresh(window=0))
    with commit():
        idea = IdeaFactory(call=call)
    Idea.objects.filter(pk=idea.pk).update(support_count=7)  # as counters.vote_changed does
    with commit():
        search_documents.tally_changed_on_commit("idea", idea.pk)
    assert entry("idea", idea.pk).support_count == 7


@pytest.mark.django_db
def test_visible_keeps_only_what_is_public_now(call, mission):
    shown = IdeaFactory(call=call)
    hidden = IdeaFactory(call=call, visibility=Visibility.HIDDEN)
    comment = CommentFactory(idea=shown)
    on_hidden = CommentFactory(idea=hidden)
    assert search_documents.visible("idea", [shown.pk, hidden.pk]) == {shown.pk}
    assert search_documents.visible("comment", [comment.pk, on_hidden.pk]) == {comment.pk}
    assert search_documents.visible("call", [call.pk]) == {call.pk}
    assert search_documents.visible("mission", [mission.pk]) == {mission.pk}


@pytest.mark.django_db
def test_a_stale_index_never_shows_a_hidden_idea(call, commit):
    with commit():
        idea = IdeaFactory(call=call, title="Stale lanterns")
    Idea.objects.filter(pk=idea.pk).update(visibility=Visibility.HIDDEN)  # behind the index's back
    assert entry("idea", idea.pk) is not None
    assert found("lanterns") == set()


@pytest.mark.django_db
def test_similar_ideas_are_public_ideas_of_the_call_in_the_backends_order(call, mission, monkeypatch):
    first, second = IdeaFactory(call=call), IdeaFactory(call=call)
    hidden = IdeaFactory(call=call, visibility=Visibility.HIDDEN)
    elsewhere = IdeaFactory(call=CallFactory(parent=mission))
    asked = {}

    def similar(kind, text, *, filters=None, limit=5, exclude=None):
        asked.update(kind=kind, text=text, filters=filters, limit=limit)
        return [Hit(kind="idea", id=i.pk, title="", url="") for i in (second, hidden, elsewhere, first)]

    monkeypatch.setattr(backend, "similar", similar)
    assert search_documents.similar_ideas(call, "mentoring young people", limit=3) == [second, first]
    assert asked == {"kind": "idea", "text": "mentoring young people", "filters": {"call_id": call.pk}, "limit": 3}


@pytest.mark.django_db
def test_sources_stream_every_public_item_once_without_a_query_per_row(site, django_assert_max_num_queries):
    sector = Sector.objects.get_or_create(slug="business", defaults={"name": "Business"})[0]
    calls = [CallFactory(parent=MissionFactory()) for _ in range(3)]
    ideas = []
    for n, call in enumerate(calls * 3):
        idea = IdeaFactory(call=call, organisation_sector=sector if n % 2 else None)
        idea.tags.set([f"tag{n}", "shared"])
        ideas.append(idea)
        CommentFactory(idea=idea)
    IdeaFactory(call=calls[0], visibility=Visibility.PENDING)
    CommentFactory(idea=ideas[0], visibility=Visibility.HIDDEN)
    CommentFactory(idea=ideas[0], is_deleted=True)
    with django_assert_max_num_queries(4):  # ideas, their tags, their missions: not one per idea
        idea_docs = list(search_documents.idea_documents())
    with django_assert_max_num_queries(3):
        comment_docs = list(search_documents.comment_documents())
    assert [d["id"] for d in idea_docs] == sorted(i.pk for i in ideas)
    assert len(comment_docs) == len(ideas)
    assert {d["mission_id"] for d in idea_docs} == {c.get_parent().pk for c in calls}
    assert all("shared" in d["tags"] for d in idea_docs)
    assert search_documents.count_ideas() == len(idea_docs) and search_documents.count_comments() == len(comment_docs)
    report = backend.check()
    assert report["idea"]["source"] == len(ideas) and report["comment"]["source"] == len(ideas)
    backend.rebuild("idea")
    backend.rebuild("comment")
    report = backend.check()
    assert report["idea"]["database"] == len(ideas) and report["comment"]["database"] == len(ideas)


@pytest.mark.django_db
def test_a_polis_import_is_indexed_and_replacing_it_removes_the_old_ideas(mission, commit):
    from pathlib import Path

    from django.core.management import call_command

    london = Path(__file__).resolve().parents[2] / "data" / "polis" / "london.youth.policing"
    with commit():
        call_command("import_polis", str(london), "--mission", mission.slug, stdout=open("/dev/null", "w"))
    ideas = Idea.objects.filter(call__slug="london-youth-policing")
    public = set(ideas.filter(visibility=Visibility.PUBLISHED).values_list("pk", flat=True))
    assert len(public) == 36
    assert set(Entry.objects.filter(kind="idea").values_list("object_id", flat=True)) == public
    assert ("idea", ideas.get(body__startswith="Why are so many policemen").pk) in found("domestic abusers")
    with commit():
        call_command("import_polis", str(london), "--mission", mission.slug, "--replace", stdout=open("/dev/null", "w"))
    new = set(Idea.objects.filter(call__slug="london-youth-policing", visibility=Visibility.PUBLISHED).values_list("pk", flat=True))
    assert new.isdisjoint(public)
    assert set(Entry.objects.filter(kind="idea").values_list("object_id", flat=True)) == new
