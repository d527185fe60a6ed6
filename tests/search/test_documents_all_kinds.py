"""Missions, challenge calls and other Wagtail pages in search
(consult/search_documents.py), on the database backend: live public pages
are found, and follow Wagtail's publish, unpublish, delete, move and view
restrictions after the commit; a private page is never indexed. And every
kind's source, for `search_index --rebuild/--check`, counts right."""

import pytest
from wagtail.models import Page, PageViewRestriction

from cms.models import HomePage
from consult import search_documents as pages
from consult.models import ChallengeCallPage, LearningQuestion, MissionIndexPage, MissionPage
from ideas import search_documents
from search import backend
from search.models import Entry
from search.results import KINDS

from ..factories import CallFactory, CommentFactory, IdeaFactory, MissionFactory


def found(text, **filters):
    results = backend.search(text, filters=filters, per_page=100, facets=False, visible=search_documents.visible)
    return {(hit.kind, hit.id) for hit in results.hits}


def entry(kind, pk):
    return Entry.objects.filter(kind=kind, object_id=pk).first()




@pytest.fixture(autouse=True)
def _database_backend(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.mark.django_db
def test_mission_and_call_documents_hold_their_text(site, commit):
    with commit():
        mission = MissionFactory(title="Net zero streets", goal="Halve emissions from homes",
                                 what_we_know="<p>Most heat leaks through <b>walls</b>.</p>")
        LearningQuestion.objects.create(page=mission, question="Which walls leak most?", answer="Solid brick ones.")
        mission.save_revision().publish()
        call = CallFactory(parent=mission, title="Cavity ideas", brief="<p>Fill the <i>cavities</i>.</p>",
                           results_summary="<p>We chose foam.</p>")
    doc = entry("mission", mission.pk)
    assert (doc.title, doc.summary, doc.url) == ("Net zero streets", "Halve emissions from homes", mission.url)
    assert "Most heat leaks through walls." in doc.body and "Which walls leak most? Solid brick ones." in doc.body
    assert (doc.mission_id, doc.call_id, doc.context) == (mission.pk, None, "Mission")
    assert doc.published_at == MissionPage.objects.get(pk=mission.pk).first_published_at
    doc = entry("call", call.pk)
    assert (doc.title, doc.url, doc.status) == ("Cavity ideas", call.url, "")
    assert doc.body == "Fill the cavities. We chose foam."
    assert (doc.mission_id, doc.call_id, doc.context) == (mission.pk, call.pk, "Challenge call in Net zero streets")
    assert found("cavities") == {("call", call.pk)}
    assert found("brick", kind="mission") == {("mission", mission.pk)}


@pytest.mark.django_db
def test_other_pages_are_found_as_pages(site, commit):
    home = HomePage.objects.get()
    home.intro = "<p>Mission Commons gathers <b>ideas</b> for public missions.</p>"
    home.search_description = "The front door"
    with commit():
        home.save_revision().publish()
    doc = entry("page", home.pk)
    assert (doc.title, doc.summary, doc.url) == (home.title, "The front door", "/")
    assert "gathers ideas for public missions" in doc.body
    assert ("page", home.pk) in found("gathers")


@pytest.mark.django_db
def test_a_page_published_is_found_and_unpublished_is_not(site, commit):
    with commit():
        mission = MissionFactory(title="Clean rivers", goal="Swimmable rivers by 2035")
    assert found("swimmable") == {("mission", mission.pk)}
    with commit():
        MissionPage.objects.get(pk=mission.pk).unpublish()
    assert found("swimmable") == set() and entry("mission", mission.pk) is None
    with commit():
        MissionPage.objects.get(pk=mission.pk).get_latest_revision().publish()
    assert found("swimmable") == {("mission", mission.pk)}


@pytest.mark.django_db
def test_a_draft_is_not_indexed_until_it_is_published(site, commit):
    index = MissionIndexPage.objects.get()
    with commit():
        draft = index.add_child(instance=MissionPage(title="Quiet draft", slug="quiet-draft",
                                                     goal="Not yet public", live=False))
        draft.save_revision()
    assert entry("mission", draft.pk) is None
    with commit():
        MissionPage.objects.get(pk=draft.pk).get_latest_revision().publish()
    assert entry("mission", draft.pk) is not None


@pytest.mark.django_db
def test_a_private_page_and_its_calls_are_never_indexed(site, commit):
    with commit():
        mission = MissionFactory(title="Closed mission", goal="Restricted planning")
        call = CallFactory(parent=mission, title="Restricted call")
        restriction = PageViewRestriction.objects.create(page=mission, restriction_type=PageViewRestriction.LOGIN)
    assert entry("mission", mission.pk) is None and entry("call", call.pk) is None
    # Published again while restricted: still never indexed.
    with commit():
        MissionPage.objects.get(pk=mission.pk).save_revision().publish()
        ChallengeCallPage.objects.get(pk=call.pk).save_revision().publish()
    assert entry("mission", mission.pk) is None and entry("call", call.pk) is None
    assert found("restricted") == set()
    assert pages.count("mission") == 0 and list(pages.mission_documents()) == []
    with commit():
        restriction.delete()
    assert found("restricted") == {("mission", mission.pk), ("call", call.pk)}


@pytest.mark.django_db
def test_a_page_made_private_leaves_search(site, commit):
    with commit():
        mission = MissionFactory(goal="Open for now")
    assert entry("mission", mission.pk) is not None
    with commit():
        PageViewRestriction.objects.create(page=mission, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert entry("mission", mission.pk) is None


@pytest.mark.django_db
def test_a_deleted_page_leaves_search_with_its_calls_ideas_and_comments(site, commit):
    with commit():
        mission = MissionFactory(goal="Going away")
        call = CallFactory(parent=mission)
        idea = IdeaFactory(call=call)
        comment = CommentFactory(idea=idea)
    assert entry("mission", mission.pk) and entry("call", call.pk) and entry("idea", idea.pk) and entry("comment", comment.pk)
    with commit():
        Page.objects.get(pk=mission.pk).delete()
    assert set(Entry.objects.values_list("kind", "object_id")).isdisjoint(
        {("mission", mission.pk), ("call", call.pk), ("idea", idea.pk), ("comment", comment.pk)}
    )


@pytest.mark.django_db
def test_a_call_moved_to_another_mission_takes_its_ideas_along(site, commit):
    with commit():
        first, second = MissionFactory(), MissionFactory(title="Second mission")
        call = CallFactory(parent=first)
        idea = IdeaFactory(call=call)
    assert entry("idea", idea.pk).mission_id == first.pk
    with commit():
        ChallengeCallPage.objects.get(pk=call.pk).move(MissionPage.objects.get(pk=second.pk), pos="last-child")
    moved = ChallengeCallPage.objects.get(pk=call.pk)
    assert (entry("call", call.pk).mission_id, entry("call", call.pk).url) == (second.pk, moved.url)
    assert entry("call", call.pk).context == "Challenge call in Second mission"
    assert entry("idea", idea.pk).mission_id == second.pk


@pytest.mark.django_db
def test_renaming_a_mission_renames_its_calls_context(site, commit):
    with commit():
        mission = MissionFactory(title="Old name")
        call = CallFactory(parent=mission)
    page = MissionPage.objects.get(pk=mission.pk)
    page.title = "New name"
    with commit():
        page.save_revision().publish()
    assert entry("call", call.pk).context == "Challenge call in New name"


@pytest.mark.django_db
def test_page_sources_take_a_fixed_number_of_queries_and_count_right(site, django_assert_max_num_queries):
    missions = [MissionFactory() for _ in range(3)]
    for mission in missions:
        LearningQuestion.objects.create(page=mission, question="Why?")
        CallFactory(parent=mission)
        CallFactory(parent=mission)
    hidden = CallFactory(parent=missions[0])
    hidden.unpublish()
    with django_assert_max_num_queries(5):  # sites, pages, learning questions
        mission_docs = list(pages.mission_documents())
    with django_assert_max_num_queries(5):  # sites, calls, their missions
        call_docs = list(pages.call_documents())
    with django_assert_max_num_queries(8):  # sites, pages, one per page type
        page_docs = list(pages.page_documents())
    assert sorted(d["id"] for d in mission_docs) == sorted(m.pk for m in missions)
    assert len(call_docs) == 6 and hidden.pk not in {d["id"] for d in call_docs}
    assert {d["id"] for d in page_docs} == {HomePage.objects.get().pk, MissionIndexPage.objects.get().pk}
    assert (pages.count("mission"), pages.count("call"), pages.count("page")) == (3, 6, 2)


@pytest.mark.django_db
def test_every_kind_has_a_source_and_a_rebuild_matches_its_count(site):
    mission = MissionFactory()
    call = CallFactory(parent=mission)
    idea = IdeaFactory(call=call)
    CommentFactory(idea=idea)
    IdeaFactory(call=call, visibility="hidden")
    assert set(KINDS) <= set(backend.sources())  # and any kind of contribution registered (ideas/kinds.py)
    for kind in KINDS:
        backend.rebuild(kind)
    report = backend.check()
    assert {kind: (row["source"], row["database"]) for kind, row in report.items() if kind in KINDS} == {
        "idea": (1, 1), "comment": (1, 1), "mission": (1, 1), "call": (1, 1), "page": (2, 2),
    }
