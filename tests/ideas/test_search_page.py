"""The /search/ page (ideas/search_views.py, templates/search/search.html) on
the database backend that runs with nothing configured: what it finds, its
filters with facet counts, sorting, pages, snippets, what it never shows,
and its answers to bad parameters (a message on a 200 page, never a 500).

Data is written inside `commit()`, so the on-commit syncs that keep the
index in step run as they would after a real request."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consult.models import ChallengeCallPage, MissionIndexPage, Sector
from ideas import search_documents, search_views
from ideas.models import Idea, IdeaStatus, Visibility
from ideas.services.votes import cast_vote
from moderation import services as moderation
from search.models import Entry

from ..factories import CallFactory, CommentFactory, IdeaFactory, MembershipFactory, MissionFactory, UserFactory


@pytest.fixture(autouse=True)
def _database_backend(settings):
    settings.ELASTICSEARCH_URL = ""




class World:
    pass


@pytest.fixture
def world(site, commit):
    """Two missions; "zebra" in a mission's goal, a call's title, two ideas,
    a comment and the missions index page (a plain page); and things that
    do not say it."""
    w = World()
    w.charity = Sector.objects.get(slug="charity")
    with commit():
        w.streets = MissionFactory(title="Safer streets", goal="Fewer accidents at zebra crossings")
        w.homes = MissionFactory(title="Warm homes", goal="Every home warm")
        w.call = CallFactory(parent=w.streets, title="Zebra crossings near schools")
        w.loft_call = CallFactory(parent=w.homes, title="Loft insulation")
        w.painted = IdeaFactory(call=w.call, title="Painted crossings", summary="Repaint every zebra near a school.",
                                organisation="Ormsby Trust", organisation_sector=w.charity)
        w.striped = IdeaFactory(call=w.loft_call, title="Striped lofts", summary="Insulate lofts in zebra patterns.",
                                status=IdeaStatus.SHORTLISTED)
        w.comment = CommentFactory(idea=w.striped, body="Do zebra stripes keep heat in?")
        w.unrelated = IdeaFactory(call=w.loft_call, title="Sheep wool", summary="Natural insulation.")
        index = MissionIndexPage.objects.get()
        index.intro = "<p>Our missions, from zebra crossings to warm lofts.</p>"
        index.save_revision().publish()
        w.index = index
    return w


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def found(page):
    """[(type shown, title)] of the results, in order."""
    return [
        (li.select_one(".govuk-tag").get_text(strip=True), li.select_one("h2 a").get_text(strip=True))
        for li in page.select("ol.mc-search-results > li")
    ]


def titles(page):
    return {title for _kind, title in found(page)}


def facet(page, name):
    """{option text: value} of a filter's select ("All" left out)."""
    select = page.select_one(f"select#filter-{name}")
    if select is None:
        return {}
    return {o.get_text(strip=True): o["value"] for o in select.select("option") if o["value"]}


def errors(page):
    return [a.get_text(strip=True) for a in page.select(".govuk-error-summary__list a")]


def search(client, **params):
    return soup(client.get("/search/", params))


# --- what it finds ------------------------------------------------------------------------


@pytest.mark.django_db
def test_finds_ideas_comments_missions_calls_and_pages_by_their_text(client, world):
    page = search(client, q="zebra")
    assert sorted(found(page)) == sorted([
        ("Idea", "Painted crossings"),
        ("Idea", "Striped lofts"),
        ("Comment", "Do zebra stripes keep heat in?"),
        ("Mission", "Safer streets"),
        ("Challenge call", "Zebra crossings near schools"),
        ("Page", "Missions"),
    ])
    assert "6 results for “zebra”." in page.get_text()
    # Each result links to the item itself.
    links = {a.get_text(strip=True): a["href"] for a in page.select("ol.mc-search-results h2 a")}
    assert links["Painted crossings"] == world.painted.get_absolute_url()
    assert links["Do zebra stripes keep heat in?"] == f"{world.striped.get_absolute_url()}#comment-{world.comment.pk}"
    assert links["Safer streets"] == world.streets.url
    # The organisation finds its ideas.
    assert found(search(client, q="Ormsby")) == [("Idea", "Painted crossings")]


@pytest.mark.django_db
def test_no_query_shows_the_box_and_no_results(client, world):
    page = search(client)
    assert page.select_one("input#q")
    assert not page.select("ol.mc-search-results") and not errors(page)


# --- filters and facets -------------------------------------------------------------------


@pytest.mark.django_db
def test_facet_counts_are_shown_in_the_selects(client, world):
    page = search(client, q="zebra")
    assert facet(page, "type") == {"Ideas (2)": "idea", "Comments (1)": "comment", "Missions (1)": "mission",
                                   "Challenge calls (1)": "call", "Pages (1)": "page"}
    assert facet(page, "mission") == {"Safer streets (3)": str(world.streets.pk), "Warm homes (2)": str(world.homes.pk)}
    assert facet(page, "call") == {"Zebra crossings near schools (2)": str(world.call.pk),
                                   "Loft insulation (2)": str(world.loft_call.pk)}
    assert facet(page, "status") == {"Submitted (1)": "submitted", "Shortlisted (1)": "shortlisted"}
    assert facet(page, "sector") == {f"{world.charity.name} (1)": world.charity.name}
    assert facet(page, "org_type") == {}  # no values: no select
    # The select keeps its label for screen readers.
    assert page.select_one("label[for=filter-mission]").get_text(strip=True) == "Mission"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("type", "comment", {"Do zebra stripes keep heat in?"}),
        ("type", "page", {"Missions"}),
        ("mission", "homes", {"Striped lofts", "Do zebra stripes keep heat in?"}),
        ("call", "call", {"Zebra crossings near schools", "Painted crossings"}),
        ("status", "shortlisted", {"Striped lofts"}),
        ("sector", "charity", {"Painted crossings"}),
    ],
)
def test_choosing_a_filter_narrows_the_results_and_remove_brings_them_back(client, world, name, value, expected):
    value = {"homes": str(world.homes.pk), "call": str(world.call.pk), "charity": world.charity.name}.get(value, value)
    page = search(client, q="zebra", sort="newest", **{name: value})
    assert titles(page) == expected
    # The select shows the choice; the facet counts are of what is shown.
    chosen = page.select_one(f"select#filter-{name} option[selected]")
    assert chosen["value"] == value
    assert chosen.get_text(strip=True).endswith(f"({len(expected)})")
    # "Remove" takes the filter off and keeps the query and the sort.
    remove = page.select(".mc-chosen-filters a")
    assert len(remove) == 1 and remove[0].get_text(strip=True).startswith("Remove")
    href = remove[0]["href"]
    assert f"{name}=" not in href and "q=zebra" in href and "sort=newest" in href
    again = soup(client.get("/search/" + href))
    assert len(found(again)) == 6
    assert not again.select(".mc-chosen-filters")


@pytest.mark.django_db
def test_filters_combine_and_each_has_its_own_remove_link(client, world):
    page = search(client, q="zebra", mission=world.streets.pk, type="idea")
    assert found(page) == [("Idea", "Painted crossings")]
    chosen = [li.get_text(" ", strip=True) for li in page.select(".mc-chosen-filters li")]
    assert chosen[0].startswith("Type: Ideas Remove") and chosen[1].startswith("Mission: Safer streets Remove")
    without_type = page.select(".mc-chosen-filters a")[0]["href"]
    assert titles(soup(client.get("/search/" + without_type))) == {
        "Safer streets", "Zebra crossings near schools", "Painted crossings"}


@pytest.mark.django_db
def test_the_filter_form_keeps_the_query(client, world):
    page = search(client, q="zebra")
    form = page.select_one("form[aria-labelledby=filters-title]")
    assert form.select_one("input[type=hidden][name=q]")["value"] == "zebra"
    assert form.select_one("select[name=sort]")


# --- sorting and pages ----------------------------------------------------------------------


@pytest.fixture
def kiwis(call, commit):
    """Five ideas about kiwis, with known dates and support."""
    now = timezone.now()
    with commit():
        ideas = [IdeaFactory(call=call, title=f"Kiwi idea {n}", summary="Kiwi orchards") for n in range(5)]
    for idea, days, support in zip(ideas, [3, 1, 4, 0, 2], [2, 9, 0, 5, 7]):
        Idea.objects.filter(pk=idea.pk).update(created_at=now - timedelta(days=days), support_count=support)
    search_documents.sync_ideas([idea.pk for idea in ideas])
    return ideas


@pytest.mark.django_db
def test_sort_by_newest_and_by_most_supported(client, kiwis):
    newest = [title for _k, title in found(search(client, q="kiwi", sort="newest"))]
    assert newest == ["Kiwi idea 3", "Kiwi idea 1", "Kiwi idea 4", "Kiwi idea 0", "Kiwi idea 2"]
    supported = [title for _k, title in found(search(client, q="kiwi", sort="supported"))]
    assert supported == ["Kiwi idea 1", "Kiwi idea 4", "Kiwi idea 3", "Kiwi idea 0", "Kiwi idea 2"]
    page = search(client, q="kiwi", sort="supported")
    assert page.select_one("select#filter-sort option[selected]")["value"] == "supported"
    assert "9 supports" in page.select("ol.mc-search-results > li")[0].get_text()


@pytest.mark.django_db
def test_pages_keep_the_query_filters_and_sort(client, kiwis, call, monkeypatch):
    monkeypatch.setattr(search_views, "PER_PAGE", 2)
    first = search(client, q="kiwi", type="idea", call=call.pk, sort="newest")
    assert [t for _k, t in found(first)] == ["Kiwi idea 3", "Kiwi idea 1"]
    assert "Page 1 of 3" in first.select_one("nav.govuk-pagination").get_text()
    assert not first.select("a[rel=prev]")
    href = first.select_one("a[rel=next]")["href"]
    for part in ("q=kiwi", "type=idea", f"call={call.pk}", "sort=newest", "page=2"):
        assert part in href
    second = soup(client.get("/search/" + href))
    assert [t for _k, t in found(second)] == ["Kiwi idea 4", "Kiwi idea 0"]
    assert second.select_one("select#filter-type option[selected]")["value"] == "idea"
    third = soup(client.get("/search/" + second.select_one("a[rel=next]")["href"]))
    assert [t for _k, t in found(third)] == ["Kiwi idea 2"]
    assert not third.select("a[rel=next]") and third.select("a[rel=prev]")
    # Past the last page: the last page.
    assert [t for _k, t in found(search(client, q="kiwi", sort="newest", page=50))] == ["Kiwi idea 2"]


# --- snippets and escaping ------------------------------------------------------------------


@pytest.mark.django_db
def test_snippets_mark_the_matches_and_escape_what_people_wrote(client, call, commit):
    with commit():
        IdeaFactory(call=call, title="<b>Bold</b> idea",
                    summary="Badger <script>alert(1)</script> & friends", body="Badgers <img src=x onerror=alert(2)>")
    response = client.get("/search/", {"q": 'badger -"<i>walrus</i>"'})
    html = response.content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>Bold" not in html and "<i>walrus" not in html
    page = soup(response)
    snippet = page.select_one(".mc-snippet")
    marks = [m.get_text().lower() for m in snippet.select("mark")]
    assert marks and all(m.startswith("badger") for m in marks)
    # What was written is shown as text, never run. (PostgreSQL's
    # ts_headline drops what looks like a tag from the snippet; FTS5 keeps it.)
    assert "alert(1)" in snippet.get_text()
    if connection.vendor == "sqlite":
        assert "<script>alert(1)</script>" in snippet.get_text()
    assert not page.select(".mc-search-results script, .mc-search-results img, .mc-search-results b")
    assert page.select_one("ol.mc-search-results h2 a").get_text() == "<b>Bold</b> idea"
    assert page.select_one("input#q")["value"] == 'badger -"<i>walrus</i>"'


# --- what it never shows --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_hidden_idea_and_its_comments_leave_and_return_with_moderation(client, world, commit):
    moderator = MembershipFactory(mission=world.homes, role="moderator").user
    with commit():
        moderation.hide_idea(moderator, world.striped, "spam")
    shown = titles(search(client, q="zebra"))
    assert "Striped lofts" not in shown and "Do zebra stripes keep heat in?" not in shown
    assert len(shown) == 4
    assert not Entry.objects.filter(kind="idea", object_id=world.striped.pk).exists()
    assert not Entry.objects.filter(kind="comment", object_id=world.comment.pk).exists()
    with commit():
        moderation.restore_idea(moderator, world.striped)
    assert {"Striped lofts", "Do zebra stripes keep heat in?"} <= titles(search(client, q="zebra"))


@pytest.mark.django_db
@pytest.mark.parametrize("state", [Visibility.PENDING, Visibility.HELD, Visibility.REJECTED])
def test_an_idea_not_published_is_never_found(client, call, commit, state):
    with commit():
        idea = IdeaFactory(call=call, title="Quokka refuge", visibility=state)
        CommentFactory(idea=idea, body="Quokka comment")
    page = search(client, q="quokka")
    assert found(page) == [] and "0 results" in page.get_text()
    assert not Entry.objects.filter(title__icontains="quokka").exists()


@pytest.mark.django_db
def test_an_index_that_missed_a_change_still_shows_no_hidden_idea(client, world):
    """A change that bypassed the signals (an UPDATE) leaves the entry in the
    index; the page re-reads every hit through the one visibility query."""
    Idea.objects.filter(pk=world.striped.pk).update(visibility=Visibility.HIDDEN)
    assert Entry.objects.filter(kind="idea", object_id=world.striped.pk).exists()
    page = search(client, q="zebra")
    assert "Striped lofts" not in titles(page) and "Do zebra stripes keep heat in?" not in titles(page)
    assert "4 results" in page.get_text()


# --- bad parameters: a message on the page, never a 500 ----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, message",
    [
        ({"type": "bogus"}, "Type must be one of: idea, comment, mission, call, page."),
        ({"mission": "abc"}, "Mission must be chosen from the list."),
        ({"mission": "99999999999999999999999"}, "Mission must be chosen from the list."),
        ({"call": "-1"}, "Challenge call must be chosen from the list."),
        ({"status": "x" * 101}, "Status must be chosen from the list."),
        ({"sort": "x"}, "Sort by one of: relevance, newest, supported."),
        ({"page": "0"}, "Page must be a whole number from 1."),
        ({"page": "abc"}, "Page must be a whole number from 1."),
        ({"q": "zebra\x00"}, "Search text cannot contain a null character."),
    ],
    ids=["type", "mission-abc", "mission-huge", "call-negative", "status-long", "sort", "page-0", "page-abc", "q-nul"],
)
def test_a_bad_parameter_is_named_in_the_error_summary_and_the_rest_still_searches(client, world, params, message):
    page = search(client, **{"q": "zebra", **params})
    assert errors(page) == [message]
    assert page.title.get_text().startswith("Error:")
    assert len(found(page)) == 6  # the bad value is left out, the search still runs
    # The summary links to the control the message is about.
    anchor = page.select_one(".govuk-error-summary__list a")["href"]
    assert page.select_one(anchor)


@pytest.mark.django_db
def test_a_bad_filter_is_marked_beside_its_select(client, world):
    page = search(client, q="zebra", type="bogus", sort="x")
    assert page.select_one("#filter-type-error").get_text(strip=True).endswith("Type must be one of: idea, comment, mission, call, page.")
    assert page.select_one("#filter-type")["aria-describedby"] == "filter-type-error"
    assert page.select_one("#filter-sort")["aria-describedby"] == "filter-sort-error"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q, message",
    [
        ("", "Type a word or phrase to search for."),
        ("   ", "Type a word or phrase to search for."),
        ("-zebra", "Type a word or phrase to look for, not only words to leave out."),
        ('-"zebra crossings" -lofts', "Type a word or phrase to look for, not only words to leave out."),
        ("\x00", "Search text cannot contain a null character."),
    ],
    ids=["empty", "spaces", "only-exclusion", "only-exclusions", "only-nul"],
)
def test_a_query_with_nothing_to_look_for_is_an_error_on_the_box(client, world, q, message):
    page = search(client, q=q)
    assert errors(page) == [message]
    assert page.select_one(".govuk-error-summary__list a")["href"] == "#q"
    assert message in page.select_one("#q-error").get_text()
    assert "q-error" in page.select_one("input#q")["aria-describedby"]
    assert not page.select("ol.mc-search-results")


@pytest.mark.django_db
def test_a_very_long_query_is_cut_with_a_note(client, world):
    page = search(client, q="zebra " + "x" * 5000)
    assert "Only the first 200 characters were searched for." in page.get_text()
    assert not errors(page)
    page = search(client, q="zebra " * 1000)
    assert len(found(page)) == 6


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q",
    ['"unterminated', "zebra OR", "OR OR OR", "(zebra", "zebra*", "title:zebra", "NEAR(zebra lofts)", "^zebra",
     "'", '""', "- -", "zebra AND NOT", "\\", "😀 zebra", "زebra"],
)
def test_query_syntax_never_breaks_the_page(client, world, q):
    page = search(client, q=q)
    assert page.select_one("input#q")["value"] == " ".join(q.split())


# --- queries ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_results_page_costs_the_same_queries_for_5_or_20_hits(client, site, commit, django_assert_max_num_queries):
    """No query per hit: the hits, the facets, the titles of missions and
    calls, and the visibility re-check (once per kind) are each read once."""
    with commit():
        missions = [MissionFactory(title=f"Mission {n}") for n in range(2)]
        calls = [CallFactory(parent=mission, title=f"Call {n}") for n, mission in enumerate(missions)]

    def make(ideas, comments):
        with commit():
            for i in range(ideas):
                idea = IdeaFactory(call=calls[i % 2], title=f"Wombat {i}", summary="Wombat burrows")
                if i < comments:
                    CommentFactory(idea=idea, body="More wombats")

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = search(client, q="wombat", sort="supported")
        return [q["sql"][:150] for q in queries], found(page)

    make(3, 2)
    client.get("/search/", {"q": "wombat"})  # warm what is cached once (sessions, the site)
    small, hits = count()
    assert len(hits) == 5 and {kind for kind, _t in hits} == {"Idea", "Comment"}
    make(10, 5)
    large, hits = count()
    assert len(hits) == 20
    assert len(large) == len(small), "\n".join(large + ["----"] + small)
    with django_assert_max_num_queries(10):
        search(client, q="wombat", type="idea", mission=missions[0].pk)


@pytest.mark.django_db
def test_an_agree_disagree_idea_shows_its_votes_not_supports(client, site, commit):
    with commit():
        call = CallFactory(parent=MissionFactory(), title="Town centres", voting_mode=ChallengeCallPage.VOTING_AGREE)
        idea = IdeaFactory(call=call, title="Zebra benches on the high street")
        quiet = CallFactory(parent=MissionFactory(), title="Parks", voting_mode=ChallengeCallPage.VOTING_OFF)
        unvoted = IdeaFactory(call=quiet, title="Zebra murals in parks")
        supported = IdeaFactory(title="Zebra bike racks")
    for value in ("agree", "agree", "disagree", "pass"):
        cast_vote(UserFactory(), idea, value)
    cast_vote(UserFactory(), supported)
    page = soup(client.get("/search/", {"q": "zebra"}))
    meta = {li.select_one("h2 a").get_text(strip=True): li.select_one(".mc-meta").get_text(" ", strip=True)
            for li in page.select("ol.mc-search-results > li")}
    assert "2 agree · 1 disagree · 1 pass" in meta[idea.title]
    assert "support" not in meta[idea.title]
    assert "support" not in meta[unvoted.title] and "agree" not in meta[unvoted.title]
    assert "1 support" in meta[supported.title]


@pytest.mark.django_db
def test_most_supported_ranks_agree_ideas_by_their_agrees(client, site, commit):
    """An agree/disagree/pass idea ranks by its agrees, as the call page's
    "most agreed" does, not as 0 supports (ideas/counters.py support_measure)."""
    with commit():
        agree_call = CallFactory(parent=MissionFactory(), voting_mode=ChallengeCallPage.VOTING_AGREE)
        agreed = IdeaFactory(call=agree_call, title="Quokka benches")
        disputed = IdeaFactory(call=agree_call, title="Quokka fences")
        supported = IdeaFactory(title="Quokka bike racks")
    for value in ("agree", "agree", "agree", "disagree"):
        cast_vote(UserFactory(), agreed, value)
    for value in ("disagree", "disagree", "disagree", "agree"):
        cast_vote(UserFactory(), disputed, value)
    for _ in range(2):
        cast_vote(UserFactory(), supported)
    search_documents.sync_ideas([agreed.pk, disputed.pk, supported.pk])  # past the tallies' coalescing
    ranked = [title for _k, title in found(search(client, q="quokka", sort="supported"))]
    assert ranked == ["Quokka benches", "Quokka bike racks", "Quokka fences"]
