"""GET /api/v1/search: the search page's search as JSON, with the same
parameters, the same filters and the facets with their labels; a bad
parameter is a 400 in the API's one error shape, naming it."""

import pytest

from consult.models import ChallengeCallPage, Sector
from ideas import search_views
from ideas.models import IdeaStatus, Visibility
from ideas.services.votes import cast_vote
from moderation import services as moderation

from ..factories import CallFactory, CommentFactory, IdeaFactory, MembershipFactory, MissionFactory, UserFactory

URL = "/api/v1/search"


@pytest.fixture(autouse=True)
def _database_backend(settings):
    settings.ELASTICSEARCH_URL = ""




class World:
    pass


@pytest.fixture
def world(site, commit):
    w = World()
    w.sector = Sector.objects.get(slug="charity")
    with commit():
        w.streets = MissionFactory(title="Safer streets", goal="Fewer accidents at zebra crossings")
        w.homes = MissionFactory(title="Warm homes", goal="Every home warm")
        w.call = CallFactory(parent=w.streets, title="Zebra crossings near schools")
        w.loft_call = CallFactory(parent=w.homes, title="Loft insulation")
        w.painted = IdeaFactory(call=w.call, title="Painted crossings", summary="Repaint every zebra near a school.",
                                organisation="Ormsby Trust", organisation_sector=w.sector)
        w.striped = IdeaFactory(call=w.loft_call, title="Striped lofts", summary="Insulate lofts in <b>zebra</b> patterns.",
                                status=IdeaStatus.SHORTLISTED)
        w.comment = CommentFactory(idea=w.striped, body="Do zebra stripes keep heat in?")
    return w


def ok(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def found(body):
    return {(r["kind"], r["id"]) for r in body["results"]}


def error(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    return body["error"]


@pytest.mark.django_db
def test_the_api_finds_what_the_page_finds(client, world):
    body = ok(client, q="zebra")
    assert found(body) == {("idea", world.painted.pk), ("idea", world.striped.pk), ("comment", world.comment.pk),
                           ("mission", world.streets.pk), ("call", world.call.pk)}
    assert (body["query"], body["total"], body["page"], body["per_page"]) == ("zebra", 5, 1, search_views.PER_PAGE)
    page = client.get("/search/", {"q": "zebra"})
    assert [(h.kind, h.id) for h in page.context["results"].hits] == [(r["kind"], r["id"]) for r in body["results"]]
    painted = next(r for r in body["results"] if r["id"] == world.painted.pk and r["kind"] == "idea")
    assert painted["url"] == world.painted.get_absolute_url()
    assert (painted["title"], painted["organisation"], painted["status"]) == ("Painted crossings", "Ormsby Trust", "submitted")
    assert (painted["mission_id"], painted["call_id"]) == (world.streets.pk, world.call.pk)
    assert painted["published_at"]


@pytest.mark.django_db
def test_snippets_are_escaped_html_with_marks(client, world):
    body = ok(client, q="zebra", type="idea", status="shortlisted")
    [striped] = body["results"]
    assert "<mark>zebra</mark>" in striped["snippet_html"].lower()
    assert "<b>" not in striped["snippet_html"]  # the summary's "<b>" is text (escaped, or dropped by ts_headline)


@pytest.mark.django_db
def test_facets_come_with_their_labels(client, world):
    facets = ok(client, q="zebra")["facets"]
    assert set(facets) == {"type", "mission", "call", "status", "sector", "org_type"}
    assert {(f["value"], f["label"], f["count"]) for f in facets["type"]} == {
        ("idea", "Ideas", 2), ("comment", "Comments", 1), ("mission", "Missions", 1), ("call", "Challenge calls", 1)}
    assert {(f["value"], f["label"], f["count"]) for f in facets["mission"]} == {
        (str(world.streets.pk), "Safer streets", 3), (str(world.homes.pk), "Warm homes", 2)}
    assert {(f["value"], f["label"], f["count"]) for f in facets["call"]} == {
        (str(world.call.pk), "Zebra crossings near schools", 2), (str(world.loft_call.pk), "Loft insulation", 2)}
    assert {(f["value"], f["label"], f["count"]) for f in facets["status"]} == {
        ("submitted", "Submitted", 1), ("shortlisted", "Shortlisted", 1)}
    assert facets["sector"] == [{"value": world.sector.name, "label": world.sector.name, "count": 1}]
    assert facets["org_type"] == []


@pytest.mark.django_db
def test_filters_narrow_the_results(client, world):
    assert found(ok(client, q="zebra", type="comment")) == {("comment", world.comment.pk)}
    assert found(ok(client, q="zebra", mission=world.homes.pk)) == {("idea", world.striped.pk), ("comment", world.comment.pk)}
    assert found(ok(client, q="zebra", call=world.call.pk)) == {("call", world.call.pk), ("idea", world.painted.pk)}
    assert found(ok(client, q="zebra", status="shortlisted")) == {("idea", world.striped.pk)}
    assert found(ok(client, q="zebra", sector=world.sector.name)) == {("idea", world.painted.pk)}
    assert found(ok(client, q="zebra", type="idea", mission=world.streets.pk)) == {("idea", world.painted.pk)}
    nothing = ok(client, q="zebra", mission=world.streets.pk, type="comment")
    assert (nothing["total"], nothing["results"]) == (0, [])


@pytest.mark.django_db
def test_sort_and_pages(client, call, commit, monkeypatch):
    with commit():
        ideas = [IdeaFactory(call=call, title=f"Kiwi {n}", summary="Kiwi orchards") for n in range(5)]
    monkeypatch.setattr(search_views, "PER_PAGE", 2)
    newest = ok(client, q="kiwi", sort="newest")
    assert [r["id"] for r in newest["results"]] == [ideas[4].pk, ideas[3].pk]
    assert (newest["total"], newest["per_page"]) == (5, 2)
    third = ok(client, q="kiwi", sort="newest", page=3)
    assert ([r["id"] for r in third["results"]], third["page"]) == ([ideas[0].pk], 3)
    beyond = ok(client, q="kiwi", sort="newest", page=40)
    assert ([r["id"] for r in beyond["results"]], beyond["page"]) == ([ideas[0].pk], 3)


@pytest.mark.django_db
def test_hidden_and_pending_items_are_never_returned(client, world, commit):
    with commit():
        IdeaFactory(call=world.call, title="Pending zebra", visibility=Visibility.PENDING)
        moderation.hide_idea(MembershipFactory(mission=world.homes, role="moderator").user, world.striped, "spam")
    body = ok(client, q="zebra")
    assert found(body) == {("idea", world.painted.pk), ("mission", world.streets.pk), ("call", world.call.pk)}
    assert body["total"] == 3
    assert not any(f["value"] == "comment" for f in body["facets"]["type"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, field, message",
    [
        ({}, "q", "Type a word or phrase to search for (the q parameter)."),
        ({"q": ""}, "q", "Type a word or phrase to search for (the q parameter)."),
        ({"q": "   "}, "q", "Type a word or phrase to search for (the q parameter)."),
        ({"q": "-zebra"}, "q", "Type a word or phrase to look for, not only words to leave out."),
        ({"q": "zebra", "type": "bogus"}, "type", "Type must be one of: idea, comment, mission, call, page."),
        ({"q": "zebra", "mission": "abc"}, "mission", "Mission must be chosen from the list."),
        ({"q": "zebra", "mission": "99999999999999999999999"}, "mission", "Mission must be chosen from the list."),
        ({"q": "zebra", "call": "1.5"}, "call", "Challenge call must be chosen from the list."),
        ({"q": "zebra", "status": "s" * 101}, "status", "Status must be chosen from the list."),
        ({"q": "zebra", "sort": "x"}, "sort", "Sort by one of: relevance, newest, supported."),
        ({"q": "zebra", "page": "0"}, "page", "Page must be a whole number from 1."),
        ({"q": "zebra", "page": "abc"}, "page", "Page must be a whole number from 1."),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, world, params, field, message):
    err = error(client, **params)
    assert (err["code"], err["field"], err["message"]) == ("invalid", field, message)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["q", "type", "status", "sort", "page"])
def test_a_null_character_is_refused_naming_the_parameter(client, world, name):
    params = {"q": "zebra", name: "a\x00b"}
    response = client.get(URL, params)
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["field"] == name


@pytest.mark.django_db
def test_a_very_long_query_is_cut_with_a_notice(client, world):
    body = ok(client, q="zebra " + "x" * 900)
    assert "Only the first 200 characters were searched for." in body["notice"]
    assert len(body["query"]) == 200


@pytest.mark.django_db
def test_a_query_longer_than_the_schema_allows_is_refused(client, world):
    err = error(client, q="zebra " * 1000)
    assert (err["field"], err["message"]) == ("q", "Search text must be 1,000 characters or fewer (it is 6,000).")


@pytest.mark.django_db
def test_the_schema_lists_the_search_and_its_parameters(client, site):
    schema = client.get("/api/schema").json()
    operation = schema["paths"]["/api/v1/search"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert set(params) == {"q", "type", "mission", "call", "status", "sector", "org_type", "sort", "page"}
    assert all(p["in"] == "query" for p in params.values())
    assert params["q"]["schema"]["maxLength"] == search_views.MAX_QUERY * 5
    assert not operation.get("security")  # no sign-in needed
    assert {"200", "400"} <= set(operation["responses"])
    assert "SearchOut" in str(operation["responses"]["200"])


@pytest.mark.django_db
def test_the_search_needs_no_sign_in_and_no_csrf(client, world):
    assert client.get(URL, {"q": "zebra"}, HTTP_AUTHORIZATION="Bearer nonsense").status_code == 200


@pytest.mark.django_db
def test_an_agree_disagree_idea_comes_with_its_agrees_and_disagrees(client, site, commit):
    with commit():
        call = CallFactory(parent=MissionFactory(), title="Town centres", voting_mode=ChallengeCallPage.VOTING_AGREE)
        idea = IdeaFactory(call=call, title="Zebra benches on the high street")
        supported = IdeaFactory(title="Zebra bike racks")
    for value in ("agree", "agree", "disagree", "pass"):
        cast_vote(UserFactory(), idea, value)
    cast_vote(UserFactory(), supported)
    results = {r["id"]: r for r in ok(client, q="zebra")["results"] if r["kind"] == "idea"}
    voted = results[idea.pk]
    assert (voted["voting"], voted["agree_count"], voted["disagree_count"], voted["pass_count"]) == ("agree", 2, 1, 1)
    assert (results[supported.pk]["voting"], results[supported.pk]["support_count"]) == ("support", 1)
